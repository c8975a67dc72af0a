//! Free-flow estimate: the as-soon-as-possible firing times with unbounded FIFOs
//! (docs/stream-model.md, "Free-flow estimate").
//!
//! The paced schedule ([`crate::analysis`]) slows every kernel to the bottleneck's pace from
//! the start; a real pipeline only slows down once back-pressure reaches it, so stages before
//! a block-buffering converter (a transpose that needs a whole tensor) fill it at their own
//! speed. This estimate follows each kernel's firing-time curve `x_k(n)` at a few hundred
//! sample firings: `x_v(n) = max(x_v(n') + (n − n')·ii_v, max over inputs x_u(m_e(n)) + delay_u)`
//! with `n'` the previous sample and `m_e(n)` the producer firing that pushes the last token
//! firing `n` needs; producer curves are interpolated linearly between their samples. It
//! ignores back-pressure, so it is a lower estimate of what bounded FIFOs allow, and the paced
//! latency an upper bound on what the LP's depths deliver.

use serde::Serialize;

use crate::design::{Design, DesignError, mul_div_ceil};

/// Sample firings per kernel (plus the points where an input's lead cap is reached).
const SAMPLES: u64 = 512;

/// A kernel's firing-time curve at sample firings.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Curve {
    /// Sample firing indices, increasing, first 0 and last `firings − 1`.
    pub n: Vec<u64>,
    /// Start time of those firings, cycles.
    pub t: Vec<f64>,
}

impl Curve {
    /// Start time of firing `m`, interpolated between samples.
    pub fn at(&self, m: u64) -> f64 {
        let i = self.n.partition_point(|&x| x < m);
        if i >= self.n.len() {
            return *self.t.last().unwrap_or(&0.0);
        }
        if self.n[i] == m || i == 0 {
            return self.t[i];
        }
        let (n0, n1) = (self.n[i - 1] as f64, self.n[i] as f64);
        let w = (m as f64 - n0) / (n1 - n0);
        self.t[i - 1] + w * (self.t[i] - self.t[i - 1])
    }
}

/// The free-flow estimate of a design.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FreeFlow {
    /// Per kernel, by id.
    pub curves: Vec<Curve>,
    /// Per kernel: when its last outputs are visible.
    pub finish: Vec<f64>,
    /// The largest finish, cycles.
    pub latency_cycles: f64,
}

/// Iterations of the bounded-FIFO fixpoint at most (each propagates back-pressure a stage).
const MAX_ROUNDS: usize = 400;

/// Sample firings of a kernel: `SAMPLES` evenly spread, plus the bends of lead caps.
fn sample_points(design: &Design, k: usize, ins: &[crate::design::ChannelId]) -> Vec<u64> {
    let f = design.kernels[k].firings;
    let mut samples: Vec<u64> = if f <= SAMPLES {
        (0..f).collect()
    } else {
        (0..SAMPLES).map(|i| mul_div_ceil(i, f - 1, SAMPLES - 1)).collect()
    };
    for &c in ins {
        let ch = design.channel(c);
        if ch.lead > 0 {
            let cap = (ch.tokens - ch.lead) as u128 * f as u128 / ch.tokens as u128;
            let cap = (cap as u64).min(f - 1);
            samples.extend([cap.saturating_sub(1), cap, (cap + 1).min(f - 1)]);
        }
    }
    samples.sort_unstable();
    samples.dedup();
    samples
}

/// The firing curves of every kernel: with `bounded`, a firing also waits for room in each
/// output's capacity (the consumer firing whose pops free it), iterated to a fixpoint.
fn curves(design: &Design, bounded: bool) -> Result<FreeFlow, DesignError> {
    design.validate()?;
    let order = design.topo_order()?;
    let (ins, outs) = design.ports();
    let samples: Vec<Vec<u64>> = (0..design.kernels.len()).map(|k| sample_points(design, k, &ins[k])).collect();
    let mut curves: Vec<Curve> =
        samples.iter().map(|n| Curve { n: n.clone(), t: vec![f64::NEG_INFINITY; n.len()] }).collect();
    let rounds = if bounded { MAX_ROUNDS } else { 1 };
    for round in 0..rounds {
        let mut changed = false;
        for &k in &order {
            let kern = design.kernel(k);
            let mut t = Vec::with_capacity(samples[k.index()].len());
            for (i, &n) in samples[k.index()].iter().enumerate() {
                let prev: f64 =
                    if i == 0 { 0.0 } else { t[i - 1] + (n - samples[k.index()][i - 1]) as f64 * kern.ii as f64 };
                let mut x: f64 = prev.max(curves[k.index()].t[i]);
                for &c in &ins[k.index()] {
                    let ch = design.channel(c);
                    let u = design.kernel(ch.producer);
                    let need = design.popped_after(c, n);
                    let m = mul_div_ceil(need, u.firings, ch.tokens).saturating_sub(1);
                    x = x.max(curves[ch.producer.index()].at(m) + u.delay() as f64);
                }
                if bounded && round > 0 {
                    for &c in &outs[k.index()] {
                        let ch = design.channel(c);
                        let pushed = design.pushed_after(c, n);
                        let cap = design.capacity(c);
                        if pushed <= cap {
                            continue;
                        }
                        // `token = pushed − cap` tokens must have been popped. The consumer
                        // pops token number `token` once the firing before the first whose
                        // need reaches it has started: `⌈(n+1)·T/F⌉ + lead ≥ token` first holds
                        // at `n = ⌊(token − lead − 1)·F/T⌋`.
                        let token = pushed - cap;
                        if token <= ch.lead + 1 {
                            continue;
                        }
                        let v = design.kernel(ch.consumer);
                        let first = crate::design::mul_div_floor(token - ch.lead - 1, v.firings, ch.tokens);
                        if first >= 1 {
                            x = x.max(curves[ch.consumer.index()].at(first - 1));
                        }
                    }
                }
                t.push(x);
            }
            let old = &curves[k.index()].t;
            if t.iter().zip(old).any(|(a, b)| *a > *b + 0.5) {
                changed = true;
            }
            curves[k.index()].t = t;
        }
        if !changed && round > 0 {
            break;
        }
    }
    let finish: Vec<f64> = design
        .kernels
        .iter()
        .zip(&curves)
        .map(|(k, c)| c.t.last().copied().unwrap_or(0.0) + k.delay() as f64)
        .collect();
    let latency_cycles = finish.iter().copied().fold(0.0, f64::max);
    Ok(FreeFlow { curves, finish, latency_cycles })
}

/// The free-flow estimate: unbounded FIFOs (see the module docs).
pub fn free_flow(design: &Design) -> Result<FreeFlow, DesignError> {
    curves(design, false)
}

/// The flow estimate with the design's FIFO capacities: a firing also waits until the consumer
/// has popped enough to make room, iterated to a fixpoint (back-pressure travels one stage
/// upstream per round). Between the free-flow estimate and the paced latency; the closest
/// analytic estimate of what the simulator measures.
pub fn bounded_flow(design: &Design) -> Result<FreeFlow, DesignError> {
    curves(design, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{Kernel, KernelKind};

    /// A fast producer (ii 1) before a transpose that needs the whole tensor, then a slow
    /// consumer (ii 4): free flow fills the block at the producer's speed.
    #[test]
    fn block_fills_at_the_producers_speed() {
        let mut d = Design::new("t");
        let a = d.add_kernel(Kernel::new("a", KernelKind::DmaLoad, 64, 1, 1));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 64, 4, 1));
        let c = d.connect("x", a, b, 8, 64);
        d.channel_mut(c).lead = 63;
        let ff = free_flow(&d).unwrap();
        // b's first firing needs all 64 tokens: a's firing 63 at cycle 63, visible at 64.
        assert_eq!(ff.curves[1].t[0], 64.0);
        assert_eq!(ff.latency_cycles, 64.0 + 63.0 * 4.0 + 1.0);
        // The paced schedule runs a at b's pace (every 4 cycles) and is slower.
        let paced = crate::analysis::analyze(&d).unwrap();
        assert!(paced.latency_cycles > ff.latency_cycles);
    }

    /// A chain of equal-rate stages: free flow is exact (start = sum of delays).
    #[test]
    fn equal_rate_chain_is_exact() {
        let mut d = Design::new("c");
        let a = d.add_kernel(Kernel::new("a", KernelKind::DmaLoad, 1000, 2, 5));
        let b = d.add_kernel(Kernel::new("b", KernelKind::Compute, 1000, 2, 7));
        d.connect("x", a, b, 8, 1000);
        let ff = free_flow(&d).unwrap();
        assert_eq!(ff.latency_cycles, 5.0 + 999.0 * 2.0 + 7.0);
        assert_eq!(ff.curves[1].at(500), 5.0 + 1000.0);
    }
}
