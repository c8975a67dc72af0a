//! Resource allocation: each kernel's parallelism under DSP / BRAM / URAM / LUT / HBM-bandwidth
//! budgets, balancing stage throughput (docs/stream-model.md, "Resource allocation").
//!
//! The design's throughput is set by its slowest stage, `P = max_k F_k · ii_k(p_k)`, so
//! allocation maximises the minimum stage throughput, i.e. minimises `P`. For a target period
//! `P` every kernel needs at least `p_k(P) = ⌈work_k / ⌊P / F_k⌋⌉` lanes and no more helps the
//! period; resources grow with lanes, so "the minimal lanes for `P` fit" is monotone in `P`. A
//! binary search over integer `P` therefore finds the optimal period exactly (what a greedy
//! raise-the-bottleneck loop converges to, in `O(K log P)` instead of one step per lane), and
//! the answer gives every kernel the fewest lanes that meet it: the stages are balanced. What
//! the budgets leave then goes to the stages with the longest firings, which shortens the
//! pipeline's fill without touching the period ([`spend_spare`]); memory blocks are not spent
//! (lanes take DSPs, LUTs and HBM bandwidth), so they stay for the FIFOs.

use serde::Serialize;

use crate::budget::Budgets;
use crate::design::{Design, DesignError, Kernel, KernelKind, Resources};

/// The allocation found.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Allocation {
    /// Period reached: the bottleneck's busy cycles.
    pub period: u64,
    /// Lanes per kernel, by id.
    pub parallelism: Vec<u64>,
    /// Resources used at that parallelism, FIFOs at their current depths included.
    pub resources: Resources,
    /// Kernels whose busy cycles equal the period (the bottleneck set).
    pub bottlenecks: Vec<String>,
    /// What stops a shorter period: a budget ("DSP: …") or a kernel at its maximum parallelism.
    pub limited_by: String,
}

/// Why allocation failed.
#[derive(Debug, thiserror::Error)]
pub enum AllocError {
    /// Malformed design.
    #[error(transparent)]
    Design(#[from] DesignError),
    /// Even one lane per kernel does not fit: partition the design first.
    #[error("design '{design}' does not fit the budgets at parallelism 1 ({excess}); partition it into regions")]
    DoesNotFit { design: String, excess: String },
    /// The distinct region designs of one bitstream do not fit side by side at one lane each.
    #[error(
        "the {designs} distinct region designs do not fit side by side in one bitstream at parallelism 1 \
         ({excess}); give the design a larger share of the board (`fraction`, dnnc's --fabric-share), or \
         allocate each region on the whole budget (`regions=time-shared`, dnnc's --regions time-shared: a \
         bound for a fabric that swaps region designs)"
    )]
    DesignsDoNotFit { designs: usize, excess: String },
}

/// Lanes kernel `k` needs to keep `firings · ii ≤ target`, or `None` if it cannot.
fn lanes_for(design: &Design, k: usize, target: u64) -> Option<u64> {
    let kern = &design.kernels[k];
    let ii_max = target / kern.firings;
    if kern.work == 0 {
        return (kern.ii <= ii_max).then_some(kern.parallelism.max(1));
    }
    if ii_max == 0 {
        return None;
    }
    let p = kern.work.div_ceil(ii_max).max(1);
    (p <= kern.max_parallelism).then_some(p)
}

/// Resources of kernel `k` at `p` lanes; a DMA engine's bandwidth as the HBM channels it
/// takes count it ([`Budgets::dma_claim`]).
fn kernel_at(k: &Kernel, p: u64, budgets: &Budgets) -> Resources {
    let mut r = k.base.add(&k.lane.scale(p));
    if k.kind.is_dma() {
        r.hbm_bytes_per_cycle = k.base.hbm_bytes_per_cycle + budgets.dma_claim(k.lane.hbm_bytes_per_cycle * p as f64);
    }
    r
}

/// Resources at parallelism `lanes`.
fn resources_at(design: &Design, budgets: &Budgets, lanes: &[u64]) -> Resources {
    design.kernels.iter().zip(lanes).fold(Resources::default(), |acc, (k, &p)| acc.add(&kernel_at(k, p, budgets)))
}

/// Minimal lanes for `target`, if each kernel can reach it and they fit next to `fixed`.
fn feasible(design: &Design, budgets: &Budgets, fixed: &Resources, target: u64) -> Option<Vec<u64>> {
    let lanes: Option<Vec<u64>> = (0..design.kernels.len()).map(|k| lanes_for(design, k, target)).collect();
    let lanes = lanes?;
    budgets.fits(&resources_at(design, budgets, &lanes).add(fixed)).then_some(lanes)
}

/// Spends what the budgets leave after the period on the kernels' latencies: while some compute
/// kernel can shorten its `ii` within the budgets, the one with the longest `ii` takes the
/// lanes that halve it (or as many as fit, up to its maximum parallelism), and the DMA engines feeding it or
/// draining it get the lanes to keep up with it (a whole-tensor read moves at its kernel's
/// firing rate).
///
/// The period is a maximum over kernels, so once the bottleneck cannot go faster the lanes a
/// shorter period would need elsewhere stay unused (whole `ii` steps: at 147 456 firings one
/// cycle of `ii` is 2.7 % of the period). Yet every stage's firing time is in the latency:
/// a stage that needs a whole row panel (a layer norm at one lane, 24 576 cycles a firing)
/// delays everything after it by its `ii` during the fill. Lanes never lengthen an `ii`, so
/// the period and the bottleneck stay as they are.
fn spend_spare(design: &Design, budgets: &Budgets, fixed: &Resources, lanes: &mut [u64]) {
    let kernels = &design.kernels;
    let (ins, outs) = design.ports();
    // The DMA engines each compute kernel's streams come from or go to.
    let dma: Vec<Vec<usize>> = (0..kernels.len())
        .map(|k| {
            let from = ins[k].iter().map(|&c| design.channel(c).producer.index());
            let to = outs[k].iter().map(|&c| design.channel(c).consumer.index());
            let mut v: Vec<usize> =
                from.chain(to).filter(|&j| kernels[j].kind.is_dma() && kernels[j].work > 0).collect();
            v.sort_unstable();
            v.dedup();
            v
        })
        .collect();
    // First every DMA engine keeps up with its kernel as it is (a whole-tensor read moves at
    // its kernel's firing rate, whatever the period leaves it); if that does not fit, nothing
    // is spent.
    let before = lanes.to_vec();
    for k in (0..kernels.len()).filter(|&k| kernels[k].kind == KernelKind::Compute) {
        let busy = kernels[k].firings * kernels[k].ii_at(lanes[k]);
        for &j in &dma[k] {
            let ii_max = busy / kernels[j].firings;
            if ii_max > 0 {
                let need = kernels[j].work.div_ceil(ii_max).min(kernels[j].max_parallelism);
                lanes[j] = lanes[j].max(need);
            }
        }
    }
    if !budgets.fits(&resources_at(design, budgets, lanes).add(fixed)) {
        lanes.copy_from_slice(&before);
        return;
    }
    let mut open: Vec<usize> =
        (0..kernels.len()).filter(|&k| kernels[k].kind == KernelKind::Compute && kernels[k].work > 0).collect();
    loop {
        open.retain(|&k| lanes[k] < kernels[k].max_parallelism && kernels[k].ii_at(lanes[k]) > 1);
        // Longest `ii` first, ties by id.
        open.sort_by_key(|&k| (std::cmp::Reverse(kernels[k].ii_at(lanes[k])), k));
        let mut grown = false;
        let mut stuck = Vec::new();
        for &k in &open {
            let kern = &kernels[k];
            // The lanes at `p` for `k` and the DMA engines that keep up with it, or `None` when
            // an engine cannot keep up or the budgets break.
            let grow = |p: u64| -> Option<Vec<(usize, u64)>> {
                let busy = kern.firings * kern.ii_at(p);
                let mut growth: Vec<(usize, u64)> = vec![(k, p)];
                for &j in &dma[k] {
                    let ii_max = busy / kernels[j].firings;
                    let need = if ii_max == 0 { u64::MAX } else { kernels[j].work.div_ceil(ii_max) };
                    if need > kernels[j].max_parallelism {
                        return None;
                    }
                    if need > lanes[j] {
                        growth.push((j, need));
                    }
                }
                // Resources only grow with lanes: the totals with the grown kernels' costs.
                let mut at = lanes.to_vec();
                for &(j, q) in &growth {
                    at[j] = q;
                }
                budgets.fits(&resources_at(design, budgets, &at).add(fixed)).then_some(growth)
            };
            // The lanes that halve `ii`, or as many as fit below that.
            let half = (kern.ii_at(lanes[k]) / 2).max(1);
            let target = kern.work.div_ceil(half).clamp(lanes[k] + 1, kern.max_parallelism);
            let best = grow(target).or_else(|| {
                let (mut lo, mut hi) = (lanes[k], target); // lo fits (no change), hi does not
                while hi - lo > 1 {
                    let mid = lo + (hi - lo) / 2;
                    if grow(mid).is_some() { lo = mid } else { hi = mid }
                }
                (lo > lanes[k] && kern.ii_at(lo) < kern.ii_at(lanes[k])).then(|| grow(lo)).flatten()
            });
            if let Some(growth) = best {
                for &(j, q) in &growth {
                    lanes[j] = q;
                }
                grown = true;
                break;
            }
            // Cannot grow now, nor later: the totals only rise.
            stuck.push(k);
        }
        open.retain(|k| !stuck.contains(k));
        if !grown {
            return;
        }
    }
}

/// Lanes of every kernel at its minimum: one, or its fixed lanes when it has no work to spread.
fn minimum_lanes(design: &Design) -> Vec<u64> {
    design.kernels.iter().map(|k| if k.work == 0 { k.parallelism.max(1) } else { 1 }).collect()
}

/// What the design needs at least: every kernel at its minimum lanes, its buffers, and the
/// FIFOs at their current depths.
pub fn minimum_resources(design: &Design) -> Result<Resources, AllocError> {
    design.validate()?;
    // At its minimum lanes a DMA engine moves bytes, not channels' worth: no claim rounds up.
    let lanes = minimum_lanes(design);
    let kernels = design
        .kernels
        .iter()
        .zip(&lanes)
        .fold(Resources::default(), |acc, (k, &p)| acc.add(&k.base.add(&k.lane.scale(p))));
    Ok(kernels.add(&design.fifo_resources()))
}

/// The smallest period the budgets allow, without changing the design.
pub fn plan(design: &Design, budgets: &Budgets) -> Result<Allocation, AllocError> {
    let base = minimum_resources(design)?;
    let ones = minimum_lanes(design);
    // The FIFOs at their current depths take memory blocks whatever the lanes.
    let fixed = design.fifo_resources();
    if let Some(excess) = budgets.first_excess(&base) {
        return Err(AllocError::DoesNotFit { design: design.name.clone(), excess });
    }
    // Upper end: every kernel at one lane. Lower end: every kernel at its maximum parallelism.
    let busy_at = |k: usize, p: u64| design.kernels[k].firings * design.kernels[k].ii_at(p);
    let mut hi = (0..design.kernels.len()).map(|k| busy_at(k, ones[k])).max().unwrap_or(1).max(1);
    let lo_bound = (0..design.kernels.len())
        .map(|k| {
            let kern = &design.kernels[k];
            busy_at(k, if kern.work == 0 { ones[k] } else { kern.max_parallelism })
        })
        .max()
        .unwrap_or(1)
        .max(1);
    let mut lo = lo_bound; // candidate; `hi` is always feasible
    if let Some(_lanes) = feasible(design, budgets, &fixed, lo) {
        hi = lo;
    } else {
        // Invariant: lo infeasible, hi feasible.
        while hi - lo > 1 {
            let mid = lo + (hi - lo) / 2;
            if feasible(design, budgets, &fixed, mid).is_some() {
                hi = mid;
            } else {
                lo = mid;
            }
        }
    }
    let mut lanes = feasible(design, budgets, &fixed, hi).expect("the upper end of the search is feasible");
    spend_spare(design, budgets, &fixed, &mut lanes);
    let resources = resources_at(design, budgets, &lanes).add(&fixed);
    let period = (0..design.kernels.len()).map(|k| busy_at(k, lanes[k])).max().unwrap_or(0);
    let bottlenecks: Vec<String> = (0..design.kernels.len())
        .filter(|&k| busy_at(k, lanes[k]) == period)
        .map(|k| design.kernels[k].name.clone())
        .collect();
    let limited_by = if hi == lo_bound {
        "kernels at their maximum parallelism".to_string()
    } else {
        // What the next shorter period would break.
        let shorter = period.saturating_sub(1).max(1);
        let lanes_short: Option<Vec<u64>> = (0..design.kernels.len()).map(|k| lanes_for(design, k, shorter)).collect();
        match lanes_short {
            Some(l) => budgets
                .first_excess(&resources_at(design, budgets, &l).add(&fixed))
                .unwrap_or_else(|| "rounding of ii".into()),
            None => "kernels at their maximum parallelism".into(),
        }
    };
    Ok(Allocation { period, parallelism: lanes, resources, bottlenecks, limited_by })
}

/// Chooses every kernel's parallelism (see the module docs) and writes it, and the `ii` it
/// implies, into the design.
pub fn allocate_resources(design: &mut Design, budgets: &Budgets) -> Result<Allocation, AllocError> {
    let alloc = plan(design, budgets)?;
    for (k, &p) in design.kernels.iter_mut().zip(&alloc.parallelism) {
        k.set_parallelism(p);
    }
    Ok(alloc)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::design::{Kernel, KernelKind};

    /// Budgets with `dsp` DSPs, 100 BRAMs, plenty of LUTs and 64 HBM bytes per cycle.
    pub(crate) fn budgets(dsp: u64) -> Budgets {
        Budgets {
            dsp,
            bram36: 100,
            uram: 0,
            lut: 1_000_000,
            hbm_bytes_per_cycle: 64.0,
            hbm_channel_bytes_per_cycle: 0.0,
            clock_mhz: 300.0,
            dsp_per_mac: 1.0,
            region_switch_cycles: 0,
        }
    }

    /// A MAC stage: `firings` firings of `work` MACs, up to `max` lanes of one DSP.
    pub(crate) fn mac(name: &str, firings: u64, work: u64, max: u64) -> Kernel {
        let mut k = Kernel::new(name, KernelKind::Compute, firings, work, 4);
        k.work = work;
        k.max_parallelism = max;
        k.lane = Resources { dsp: 1, ..Resources::default() };
        k.macs = firings * work;
        k
    }

    /// Two MAC stages of 1024 and 3072 MACs per firing, 16 firings, 64 DSPs: balanced at
    /// 16 and 48 lanes, period 16·64 = 1024 cycles (the continuous optimum splits DSPs 1:3).
    #[test]
    fn balances_two_stages_by_work() {
        let mut d = Design::new("two");
        let a = d.add_kernel(mac("a", 16, 1024, 1024));
        let b = d.add_kernel(mac("b", 16, 3072, 1024));
        d.connect("x", a, b, 64, 16);
        let alloc = allocate_resources(&mut d, &budgets(64)).unwrap();
        assert_eq!(alloc.parallelism, vec![16, 48]);
        assert_eq!(alloc.period, 1024);
        assert_eq!(d.kernels[1].ii, 64);
        assert!(alloc.limited_by.starts_with("DSP"), "{}", alloc.limited_by);
    }

    /// A kernel capped at 8 lanes sets the period however many DSPs there are.
    #[test]
    fn max_parallelism_caps_the_period() {
        let mut d = Design::new("cap");
        d.add_kernel(mac("a", 10, 64, 8));
        let alloc = plan(&d, &budgets(10_000)).unwrap();
        assert_eq!(alloc.parallelism, vec![8]);
        assert_eq!(alloc.period, 80);
        assert_eq!(alloc.limited_by, "kernels at their maximum parallelism");
    }

    /// DMA lanes claim HBM bytes per cycle: a 64-byte/cycle budget shared by two loads.
    #[test]
    fn dma_bandwidth_is_a_budget() {
        let mut d = Design::new("dma");
        for name in ["w0", "w1"] {
            let mut k = Kernel::new(name, KernelKind::DmaLoad, 100, 128, 100);
            k.work = 128; // bytes per firing
            k.max_parallelism = 64;
            k.lane = Resources { hbm_bytes_per_cycle: 1.0, ..Resources::default() };
            d.add_kernel(k);
        }
        let alloc = plan(&d, &budgets(0)).unwrap();
        assert_eq!(alloc.parallelism, vec![32, 32]);
        assert_eq!(alloc.period, 400);
        assert!(alloc.limited_by.starts_with("HBM"), "{}", alloc.limited_by);
    }

    /// With 16-byte pseudo channels, an engine wider than one claims whole channels: three
    /// loads on the 64-byte budget (four channels) cannot take 19 bytes per cycle each (two
    /// channels apiece, six in all) as one pool of bandwidth would let them, and stay at one
    /// channel each.
    #[test]
    fn wide_engines_claim_whole_channels() {
        let mut d = Design::new("dma");
        for name in ["w0", "w1", "w2"] {
            let mut k = Kernel::new(name, KernelKind::DmaLoad, 100, 128, 100);
            k.work = 128;
            k.max_parallelism = 64;
            k.lane = Resources { hbm_bytes_per_cycle: 1.0, ..Resources::default() };
            d.add_kernel(k);
        }
        let pool = plan(&d, &budgets(0)).unwrap();
        assert_eq!((pool.parallelism, pool.period), (vec![19, 19, 19], 700));
        let channels = Budgets { hbm_channel_bytes_per_cycle: 16.0, ..budgets(0) };
        let alloc = plan(&d, &channels).unwrap();
        assert_eq!(alloc.parallelism, vec![16, 16, 16]);
        assert_eq!(alloc.period, 800);
        assert!(alloc.resources.hbm_bytes_per_cycle <= 64.0, "{:?}", alloc.resources);
    }

    /// A GEMM (16 firings of 1000 MACs) and a layer-norm-like stage (4 firings of 512) on 75
    /// DSPs: period 256 with 63 + 8 lanes (a shorter period needs 67 GEMM lanes and 9 for the
    /// norm). The 4 spare DSPs go to the longest firings, the norm's (64 cycles): 12 lanes,
    /// `ii` 43; its weight DMA gets the lanes to keep up (64 bytes in 43 cycles). The period
    /// does not move.
    #[test]
    fn spare_lanes_shorten_the_longest_firings() {
        let mut d = Design::new("spare");
        let a = d.add_kernel(mac("gemm", 16, 1000, 1000));
        let b = d.add_kernel(mac("norm", 4, 512, 512));
        let mut w = Kernel::new("w", KernelKind::DmaLoad, 4, 64, 100);
        w.work = 64;
        w.max_parallelism = 64;
        w.lane = Resources { hbm_bytes_per_cycle: 1.0, ..Resources::default() };
        let w = d.add_kernel(w);
        d.connect("x", a, b, 64, 4);
        d.connect("w", w, b, 64, 4);
        let alloc = plan(&d, &budgets(75)).unwrap();
        assert_eq!(alloc.period, 256);
        assert_eq!(alloc.parallelism, vec![63, 12, 2]);
        assert_eq!(alloc.resources.dsp, 75);
        assert_eq!(alloc.bottlenecks, vec!["gemm".to_string()]);
        let _ = w;
    }

    #[test]
    fn too_big_at_one_lane_is_an_error() {
        let mut d = Design::new("big");
        let mut k = mac("a", 1, 1, 1);
        k.base.bram36 = 1000;
        d.add_kernel(k);
        let err = plan(&d, &budgets(10)).unwrap_err().to_string();
        assert!(err.contains("BRAM36") && err.contains("partition"), "{err}");
    }
}
