//! Analytic latency and throughput of a design (docs/stream-model.md, "Paced schedule").
//!
//! With bounded FIFOs a dataflow pipeline runs at the pace of its slowest kernel: the period
//! `P = max_k firings_k · ii_k` is the busy time of the bottleneck, and every kernel fires
//! uniformly every `pace_k = P / firings_k` cycles (back-pressure slows the kernels before the
//! bottleneck, starvation the ones after it). Each kernel starts as early as its inputs allow
//! under that pace: `S_v = max over inputs (S_u + lag_e)`, where `lag_e` is the smallest start
//! separation for which every firing of the consumer finds its tokens visible. The latency is
//! the last kernel's finish `S_k + (firings_k − 1)·pace_k + latency_k`.

use serde::Serialize;

use crate::budget::Budgets;
use crate::design::{ChannelId, Design, DesignError, KernelId, mul_div_ceil};

/// Period of a design: the bottleneck's busy cycles, and which kernel that is (first on ties).
pub fn period(design: &Design) -> (f64, KernelId) {
    let mut best = (0u64, KernelId(0));
    for k in design.kernel_ids() {
        let busy = design.kernel(k).busy_cycles();
        if busy > best.0 {
            best = (busy, k);
        }
    }
    (best.0 as f64, best.1)
}

/// Pace of every kernel at period `p`: cycles between its firings, `p / firings` (never below
/// its own `ii`).
pub fn paces(design: &Design, p: f64) -> Vec<f64> {
    design.kernels.iter().map(|k| (p / k.firings as f64).max(k.ii as f64)).collect()
}

/// Periods up to this many consumer firings are evaluated exactly in [`lag`]; longer ones use
/// the closed-form bound.
const EXACT_LAG_FIRINGS: u64 = 1 << 14;

/// Smallest `S_v − S_u` for channel `c` such that, with producer and consumer firing every
/// `pace_u` / `pace_v` cycles from `S_u` / `S_v`, each consumer firing `n` finds the tokens it
/// pops visible: `max_n [m(n)·pace_u + L_u − n·pace_v]`, `m(n)` the producer firing that pushes
/// the last token firing `n` needs. With equal token rates on both sides the bracket is
/// periodic in `n`, so one period is evaluated exactly; beyond 16 384 firings the bound
/// `L_u + pace_v + (1 + lead)·P/T` (ceilings replaced by their upper bounds) is used.
pub fn lag(design: &Design, c: ChannelId, pace: &[f64]) -> f64 {
    let ch = design.channel(c);
    let (u, v) = (design.kernel(ch.producer), design.kernel(ch.consumer));
    let (pu, pv) = (pace[ch.producer.index()], pace[ch.consumer.index()]);
    let t = ch.tokens;
    let lat = u.delay() as f64;
    let g = |a: u64, b: u64| gcd(a, b).max(1);
    let period_n = lcm(v.firings / g(v.firings, t), v.firings / g(v.firings, u.firings));
    let span = period_n.min(v.firings);
    let exact = |n: u64| {
        let need = design.popped_after(c, n);
        let m = mul_div_ceil(need, u.firings, t).saturating_sub(1);
        m as f64 * pu + lat - n as f64 * pv
    };
    if span <= EXACT_LAG_FIRINGS {
        (0..span).map(exact).fold(f64::NEG_INFINITY, f64::max)
    } else {
        // Rates match on both sides (pace·firings = P): m(n)·pace_u ≤ need(n)·P/T and
        // need(n) ≤ (n+1)·T/F_v + 1 + lead.
        let p = pu * u.firings as f64;
        let bound = lat + p / v.firings as f64 + (1.0 + ch.lead as f64) * p / t as f64;
        bound.max(exact(0))
    }
}

fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn lcm(a: u64, b: u64) -> u64 {
    if a == 0 || b == 0 { 0 } else { (a / gcd(a, b)).saturating_mul(b) }
}

/// Per-kernel result of the paced schedule.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct KernelTiming {
    /// Start of the first firing, cycles.
    pub start: f64,
    /// Cycles between firings under the pipeline's pace.
    pub pace: f64,
    /// When the last firing's outputs are visible, cycles.
    pub finish: f64,
    /// Busy cycles `firings · ii` (the kernel alone, never stalled).
    pub busy: u64,
    /// Fraction of the period the kernel is busy (1 for the bottleneck).
    pub utilisation: f64,
}

/// The paced schedule of a design.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Timing {
    /// Period `P`: cycles between invocations in steady state (the bottleneck's busy cycles).
    pub period: f64,
    /// The bottleneck kernel.
    pub bottleneck: KernelId,
    /// Per kernel, by id.
    pub kernels: Vec<KernelTiming>,
    /// Minimum start separation per channel, by id.
    pub lags: Vec<f64>,
    /// Cycles from the first firing to the last output (one invocation, pipeline fill included).
    pub latency_cycles: f64,
}

impl Timing {
    /// Latency in seconds at the budgets' clock.
    pub fn latency_seconds(&self, budgets: &Budgets) -> f64 {
        self.latency_cycles * budgets.seconds_per_cycle()
    }

    /// Invocations per second in steady state (one every period).
    pub fn throughput_per_second(&self, budgets: &Budgets) -> f64 {
        1.0 / (self.period * budgets.seconds_per_cycle())
    }
}

/// The paced schedule: period, bottleneck, per-kernel start and finish, latency.
pub fn analyze(design: &Design) -> Result<Timing, DesignError> {
    let order = design.topo_order()?;
    design.validate()?;
    let (p, bottleneck) = period(design);
    let pace = paces(design, p);
    let lags: Vec<f64> = design.channel_ids().map(|c| lag(design, c, &pace)).collect();
    let (ins, _) = design.ports();
    let mut start = vec![0.0f64; design.kernels.len()];
    for &k in &order {
        for &c in &ins[k.index()] {
            let u = design.channel(c).producer.index();
            start[k.index()] = start[k.index()].max(start[u] + lags[c.index()]);
        }
    }
    let kernels: Vec<KernelTiming> = design
        .kernel_ids()
        .map(|k| {
            let kern = design.kernel(k);
            let i = k.index();
            let finish = start[i] + (kern.firings - 1) as f64 * pace[i] + kern.delay() as f64;
            KernelTiming {
                start: start[i],
                pace: pace[i],
                finish,
                busy: kern.busy_cycles(),
                utilisation: if p > 0.0 { kern.busy_cycles() as f64 / p } else { 0.0 },
            }
        })
        .collect();
    let latency_cycles = kernels.iter().map(|k| k.finish).fold(0.0, f64::max);
    Ok(Timing { period: p, bottleneck, kernels, lags, latency_cycles })
}

/// The board roofline and where the design sits on it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Roofline {
    /// MACs of the design.
    pub macs: u64,
    /// HBM bytes moved by its DMA kernels.
    pub hbm_bytes: u64,
    /// Peak MACs per cycle the board's DSPs sustain.
    pub peak_macs_per_cycle: f64,
    /// HBM bytes per cycle.
    pub hbm_bytes_per_cycle: f64,
    /// Attainable MACs per cycle at the design's arithmetic intensity: `min(peak, AI · BW)`.
    pub attainable_macs_per_cycle: f64,
    /// Achieved MACs per cycle: `macs / latency`.
    pub achieved_macs_per_cycle: f64,
    /// Lower bound on latency from the roofline, cycles: `max(macs/peak, bytes/BW)`.
    pub bound_cycles: f64,
    /// `bound_cycles / latency` (= achieved / attainable): 1 is on the roofline.
    pub fraction: f64,
    /// Whether the bound is memory (HBM) rather than compute (DSP).
    pub memory_bound: bool,
}

/// DSPs per MAC lane of the design's MAC kernels (MAC-weighted), or the budgets' default.
pub fn dsp_per_mac(design: &Design, budgets: &Budgets) -> f64 {
    let (mut w, mut s) = (0.0, 0.0);
    for k in design.kernels.iter().filter(|k| k.macs > 0 && k.lane.dsp > 0) {
        w += k.macs as f64;
        s += k.macs as f64 * k.lane.dsp as f64;
    }
    if w > 0.0 { s / w } else { budgets.dsp_per_mac }
}

/// The roofline of the board for `macs` MACs and `hbm_bytes` bytes done in `latency_cycles`.
pub fn roofline(macs: u64, hbm_bytes: u64, latency_cycles: f64, dsp_per_mac: f64, budgets: &Budgets) -> Roofline {
    let peak = budgets.dsp as f64 / dsp_per_mac.max(1e-9);
    let bw = budgets.hbm_bytes_per_cycle;
    let compute = macs as f64 / peak;
    let memory = hbm_bytes as f64 / bw;
    let bound = compute.max(memory);
    let attainable = if hbm_bytes == 0 { peak } else { peak.min(macs as f64 / hbm_bytes as f64 * bw) };
    let achieved = if latency_cycles > 0.0 { macs as f64 / latency_cycles } else { 0.0 };
    Roofline {
        macs,
        hbm_bytes,
        peak_macs_per_cycle: peak,
        hbm_bytes_per_cycle: bw,
        attainable_macs_per_cycle: attainable,
        achieved_macs_per_cycle: achieved,
        bound_cycles: bound,
        fraction: if latency_cycles > 0.0 { bound / latency_cycles } else { 0.0 },
        memory_bound: memory > compute,
    }
}

/// The roofline of one design at its analytic latency.
pub fn design_roofline(design: &Design, timing: &Timing, budgets: &Budgets) -> Roofline {
    let macs = design.kernels.iter().map(|k| k.macs).sum();
    let bytes = design.kernels.iter().filter(|k| k.kind.is_dma()).map(|k| k.hbm_bytes).sum();
    roofline(macs, bytes, timing.latency_cycles, dsp_per_mac(design, budgets), budgets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{Kernel, KernelKind};

    /// load (16 firings, ii 1) → mm (16 firings, ii 4, latency 10) → store (4 firings): the mm is
    /// the bottleneck (64 cycles), everything is paced to it.
    fn chain() -> Design {
        let mut d = Design::new("chain");
        let a = d.add_kernel(Kernel::new("load", KernelKind::DmaLoad, 16, 1, 3));
        let b = d.add_kernel(Kernel::new("mm", KernelKind::Compute, 16, 4, 10));
        let c = d.add_kernel(Kernel::new("store", KernelKind::DmaStore, 4, 1, 2));
        d.connect("x", a, b, 64, 16);
        d.connect("y", b, c, 64, 4);
        d
    }

    #[test]
    fn chain_is_paced_by_its_bottleneck() {
        let t = analyze(&chain()).unwrap();
        assert_eq!(t.period, 64.0);
        assert_eq!(t.bottleneck, KernelId(1));
        assert_eq!(t.kernels[0].pace, 4.0);
        assert_eq!(t.kernels[2].pace, 16.0);
        // mm's firing n needs load's token n, visible at S_a + 4n + 3: lag 3.
        assert_eq!(t.lags[0], 3.0);
        // store's firing n needs token n+1 of y, pushed by mm firing 4n+3 at 4(4n+3)+10 = 16n+22.
        assert_eq!(t.lags[1], 22.0);
        assert_eq!(t.kernels[2].start, 25.0);
        assert_eq!(t.latency_cycles, 25.0 + 3.0 * 16.0 + 2.0);
    }

    #[test]
    fn lead_delays_the_consumer() {
        let mut d = chain();
        d.channels[0].lead = 4;
        let t = analyze(&d).unwrap();
        // firing 0 needs 5 tokens: the 5th is visible at 4·4 + 3.
        assert_eq!(t.lags[0], 19.0);
    }

    #[test]
    fn long_periods_use_a_sound_bound() {
        // 40000 firings exceed the exact window: the bound must be ≥ the exact value.
        let mut d = Design::new("long");
        let a = d.add_kernel(Kernel::new("a", KernelKind::DmaLoad, 40_000, 1, 5));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 40_000, 1, 1));
        d.connect("x", a, b, 8, 40_000);
        let t = analyze(&d).unwrap();
        // period of n is 1 here, so the exact value 5 is used.
        assert_eq!(t.lags[0], 5.0);
        let mut d = Design::new("coprime");
        let a = d.add_kernel(Kernel::new("a", KernelKind::DmaLoad, 30_011, 1, 5));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 20_011, 1, 1));
        d.connect("x", a, b, 8, 30_011 * 20_011);
        let pace = paces(&d, 30_011.0);
        let l = lag(&d, ChannelId(0), &pace);
        let exact = (0..20_011u64)
            .map(|n| {
                let need = d.popped_after(ChannelId(0), n);
                let m = mul_div_ceil(need, 30_011, 30_011 * 20_011) - 1;
                m as f64 * pace[0] + 5.0 - n as f64 * pace[1]
            })
            .fold(f64::NEG_INFINITY, f64::max);
        assert!(l >= exact - 1e-9, "bound {l} < exact {exact}");
        assert!(l <= exact + 3.0, "bound {l} too loose vs {exact}");
    }

    #[test]
    fn roofline_of_a_compute_bound_design() {
        let b = Budgets {
            dsp: 100,
            bram36: 10,
            uram: 0,
            lut: 1000,
            hbm_bytes_per_cycle: 10.0,
            hbm_channel_bytes_per_cycle: 0.0,
            clock_mhz: 100.0,
            dsp_per_mac: 1.0,
            region_switch_cycles: 0,
        };
        // 10_000 MACs, 100 bytes: compute bound 100 cycles.
        let r = roofline(10_000, 100, 125.0, 1.0, &b);
        assert!(!r.memory_bound);
        assert_eq!(r.bound_cycles, 100.0);
        assert_eq!(r.fraction, 0.8);
        let r = roofline(100, 10_000, 2000.0, 1.0, &b);
        assert!(r.memory_bound);
        assert_eq!(r.fraction, 0.5);
    }
}
