//! Resource allocation: each kernel's parallelism under DSP / BRAM / URAM / LUT / HBM-bandwidth
//! budgets, balancing stage throughput (docs/stream-model.md, "Resource allocation").
//!
//! The design's throughput is set by its slowest stage, `P = max_k F_k · ii_k(p_k)`, so
//! allocation maximises the minimum stage throughput, i.e. minimises `P`. For a target period
//! `P` every kernel needs at least `p_k(P) = ⌈work_k / ⌊P / F_k⌋⌉` lanes and no more helps the
//! period; resources grow with lanes, so "the minimal lanes for `P` fit" is monotone in `P`. A
//! binary search over integer `P` therefore finds the optimal period exactly (what a greedy
//! raise-the-bottleneck loop converges to, in `O(K log P)` instead of one step per lane), and
//! the answer gives every kernel the fewest lanes that meet it: the stages are balanced and
//! the spare fabric is left for FIFOs.

use serde::Serialize;

use crate::budget::Budgets;
use crate::design::{Design, DesignError, Resources};

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

/// Resources at parallelism `lanes`.
fn resources_at(design: &Design, lanes: &[u64]) -> Resources {
    design.kernels.iter().zip(lanes).fold(Resources::default(), |acc, (k, &p)| acc.add(&k.base.add(&k.lane.scale(p))))
}

/// Minimal lanes for `target`, if each kernel can reach it and they fit next to `fixed`.
fn feasible(design: &Design, budgets: &Budgets, fixed: &Resources, target: u64) -> Option<Vec<u64>> {
    let lanes: Option<Vec<u64>> = (0..design.kernels.len()).map(|k| lanes_for(design, k, target)).collect();
    let lanes = lanes?;
    budgets.fits(&resources_at(design, &lanes).add(fixed)).then_some(lanes)
}

/// The smallest period the budgets allow, without changing the design.
pub fn plan(design: &Design, budgets: &Budgets) -> Result<Allocation, AllocError> {
    design.validate()?;
    let ones: Vec<u64> = design.kernels.iter().map(|k| if k.work == 0 { k.parallelism.max(1) } else { 1 }).collect();
    // The FIFOs at their current depths take memory blocks whatever the lanes.
    let fixed = design.fifo_resources();
    let base = resources_at(design, &ones).add(&fixed);
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
    let lanes = feasible(design, budgets, &fixed, hi).expect("the upper end of the search is feasible");
    let resources = resources_at(design, &lanes).add(&fixed);
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
            Some(l) => {
                budgets.first_excess(&resources_at(design, &l).add(&fixed)).unwrap_or_else(|| "rounding of ii".into())
            }
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
mod tests {
    use super::*;
    use crate::design::{Kernel, KernelKind};

    fn budgets(dsp: u64) -> Budgets {
        Budgets {
            dsp,
            bram36: 100,
            uram: 0,
            lut: 1_000_000,
            hbm_bytes_per_cycle: 64.0,
            clock_mhz: 300.0,
            dsp_per_mac: 1.0,
            region_switch_cycles: 0,
        }
    }

    fn mac(name: &str, firings: u64, work: u64, max: u64) -> Kernel {
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
