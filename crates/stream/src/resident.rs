//! Sequential regions whose hardware is resident side by side (docs/stream-model.md,
//! "Resident regions").
//!
//! A design split into sequential regions runs them one after another, but an FPGA cannot swap
//! one region's kernels for another's between invocations: every distinct region design is
//! instantiated once and stays on the fabric, idle while the others run. Regions that are the
//! same hardware — the repeated layers of a transformer, whose weights sit at other HBM
//! addresses — share one instance, called once per region. So the fabric (DSPs, LUTs, memory
//! blocks) is split among the *distinct* designs, while HBM bandwidth is not: only one region
//! moves data at a time.
//!
//! [`allocate_resident`] chooses that split. Each distinct design needs its minimum resources
//! (one lane per kernel, its buffers, its FIFOs); what the budgets leave is cut into
//! [`SHARE_UNITS`] equal units, and a design given `u` units is allocated
//! ([`allocate_resources`]) on its minimum plus `u` units of every fabric budget. The total
//! latency `Σ_regions latency(design of the region, its units)` is minimised over the units:
//! starting from shares proportional to `√(uses · latency on the whole fabric)` (the optimum
//! of `Σ w_c / x_c` under `Σ x_c = 1`, for latencies inversely proportional to the fabric),
//! then moving units between pairs of designs while the total falls, in steps from 32 units
//! down to 1. With one distinct design this is the whole fabric, as [`allocate_resources`]
//! gives it.

use std::collections::HashMap;
use std::fmt::Write as _;

use serde::Serialize;

use crate::allocate::{AllocError, allocate_resources, minimum_resources};
use crate::analysis::analyze;
use crate::budget::Budgets;
use crate::design::{Design, Resources};

/// Units the spare fabric is cut into between distinct region designs.
pub const SHARE_UNITS: u64 = 256;

/// What [`allocate_resident`] chose.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ResidentPlan {
    /// For each region: the index of its distinct design (first-appearance order).
    pub class_of: Vec<usize>,
    /// For each distinct design: the regions that call it.
    pub uses: Vec<usize>,
    /// For each distinct design: its share of the spare fabric, in [`SHARE_UNITS`].
    pub units: Vec<u64>,
    /// For each distinct design: the budgets it was allocated on.
    pub budgets: Vec<Budgets>,
    /// Fabric of all distinct designs together at their allocation (HBM bandwidth: the largest
    /// claim of one design, since they never run at the same time).
    pub resources: Resources,
    /// Analytic latency of all regions in order, plus one region switch per boundary, cycles.
    pub latency_cycles: f64,
}

/// A key equal for two designs exactly when they are the same hardware: kernels and channels
/// with the same rates, work, resources and connections, in the same order, kernels with the
/// same program (loop nest, kept constants: `Kernel::program`), and kernels that compute the
/// same operation — their names with the digits left out (`k12_gelu` and
/// `k31_gelu` are both `k_gelu`; the numbers say which layer a region came from). The
/// allocation's results are left out too (parallelism, and the `ii` and pipelined latency it
/// implies when the kernel has work to spread).
pub fn structure_key(design: &Design) -> String {
    let mut key = String::new();
    for k in &design.kernels {
        let ii = if k.work == 0 { k.ii } else { 0 };
        let lanes = if k.work == 0 { k.parallelism } else { 0 };
        // A pipelined stage's latency follows its lanes: its depth says what it is.
        let latency = if k.depth.is_some() { 0 } else { k.latency };
        let op: String = k.name.chars().filter(|c| !c.is_ascii_digit()).collect();
        let _ = write!(
            key,
            "{op}:{:?},{},{},{},{},{:?},{},{},{:?},{:?},{},{},{};",
            k.kind,
            k.firings,
            ii,
            lanes,
            latency,
            k.depth,
            k.work,
            k.max_parallelism,
            k.lane,
            k.base,
            k.hbm_bytes,
            k.macs,
            k.program
        );
    }
    for c in &design.channels {
        let _ = write!(key, "c{},{},{},{},{},{};", c.producer.0, c.consumer.0, c.width_bits, c.tokens, c.depth, c.lead);
    }
    key
}

/// For each design, the index of the first design with the same structure, renumbered densely
/// in order of first appearance.
pub fn classes(designs: &[Design]) -> Vec<usize> {
    let mut first: HashMap<String, usize> = HashMap::new();
    designs
        .iter()
        .map(|d| {
            let n = first.len();
            *first.entry(structure_key(d)).or_insert(n)
        })
        .collect()
}

/// The distinct designs of a function's regions and what each needs at least: the common
/// ground of the resident and the pipelined allocation, which both split the spare fabric
/// between the designs in [`SHARE_UNITS`].
pub(crate) struct Shares {
    /// For each region: the index of its distinct design (first-appearance order).
    pub class_of: Vec<usize>,
    /// For each distinct design: its first region.
    pub rep: Vec<usize>,
    /// For each distinct design: the regions that call it.
    pub uses: Vec<usize>,
    /// For each distinct design: one lane per kernel, its buffers and FIFOs.
    pub minimum: Vec<Resources>,
    /// What the budgets leave after every design's minimum.
    pub spare: Resources,
    /// Each design's part of the spare HBM bandwidth.
    pub hbm: HbmParts,
}

/// How distinct designs share HBM bandwidth.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HbmSplit {
    /// They run one after another: each may claim all of it.
    Whole,
    /// They run at the same time: each gets the part of the spare bandwidth it gets of the
    /// spare fabric.
    WithFabric,
    /// They run at the same time: each gets a part proportional to its HBM bytes per request,
    /// which equalises their memory time.
    ByBytes,
}

/// Each design's part of the spare HBM bandwidth.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum HbmParts {
    Whole,
    WithFabric,
    Fixed(Vec<f64>),
}

/// Fabric only: HBM bandwidth zeroed.
pub(crate) fn fabric(r: &Resources) -> Resources {
    Resources { hbm_bytes_per_cycle: 0.0, ..*r }
}

impl Shares {
    /// The distinct designs of `regions` and their minimums, which must fit `budgets` side by
    /// side (with their HBM bandwidth too when they share it).
    pub fn new(regions: &[Design], budgets: &Budgets, split: HbmSplit) -> Result<Shares, AllocError> {
        let split_hbm = split != HbmSplit::Whole;
        let class_of = classes(regions);
        let n_classes = class_of.iter().max().map_or(0, |&c| c + 1);
        let mut rep = vec![usize::MAX; n_classes];
        let mut uses = vec![0usize; n_classes];
        for (r, &c) in class_of.iter().enumerate() {
            if rep[c] == usize::MAX {
                rep[c] = r;
            }
            uses[c] += 1;
        }
        let mut minimum = Vec::with_capacity(n_classes);
        for &r in &rep {
            minimum.push(minimum_resources(&regions[r])?);
        }
        let counted = |r: &Resources| if split_hbm { *r } else { fabric(r) };
        let together = minimum.iter().fold(Resources::default(), |acc, m| acc.add(&counted(m)));
        if let Some(excess) = budgets.first_excess(&together) {
            return Err(AllocError::DesignsDoNotFit { designs: n_classes, excess });
        }
        let spare = Resources {
            dsp: budgets.dsp - together.dsp,
            bram36: budgets.bram36 - together.bram36,
            uram: budgets.uram - together.uram,
            lut: budgets.lut - together.lut,
            hbm_bytes_per_cycle: if split_hbm {
                budgets.hbm_bytes_per_cycle - together.hbm_bytes_per_cycle
            } else {
                0.0
            },
        };
        let hbm = match split {
            HbmSplit::Whole => HbmParts::Whole,
            HbmSplit::WithFabric => HbmParts::WithFabric,
            HbmSplit::ByBytes => {
                let bytes: Vec<f64> = rep
                    .iter()
                    .zip(&uses)
                    .map(|(&r, &n)| {
                        let per_call: u64 =
                            regions[r].kernels.iter().filter(|k| k.kind.is_dma()).map(|k| k.hbm_bytes).sum();
                        n as f64 * per_call as f64
                    })
                    .collect();
                let total: f64 = bytes.iter().sum();
                let n = bytes.len() as f64;
                HbmParts::Fixed(bytes.iter().map(|b| if total > 0.0 { b / total } else { 1.0 / n }).collect())
            }
        };
        Ok(Shares { class_of, rep, uses, minimum, spare, hbm })
    }

    /// Distinct designs.
    pub fn len(&self) -> usize {
        self.uses.len()
    }

    /// The budgets of design `c` given `units` of the spare fabric on top of its minimum, and
    /// its part of the spare HBM bandwidth when that is split.
    pub fn budgets(&self, whole: &Budgets, c: usize, units: u64) -> Budgets {
        let part = |x: u64| ((x as u128 * units as u128) / SHARE_UNITS as u128) as u64;
        let minimum = &self.minimum[c];
        let hbm_bytes_per_cycle = match &self.hbm {
            HbmParts::Whole => whole.hbm_bytes_per_cycle,
            HbmParts::WithFabric => {
                minimum.hbm_bytes_per_cycle + self.spare.hbm_bytes_per_cycle * units as f64 / SHARE_UNITS as f64
            }
            HbmParts::Fixed(part) => minimum.hbm_bytes_per_cycle + self.spare.hbm_bytes_per_cycle * part[c],
        };
        Budgets {
            dsp: minimum.dsp + part(self.spare.dsp),
            bram36: minimum.bram36 + part(self.spare.bram36),
            uram: minimum.uram + part(self.spare.uram),
            lut: minimum.lut + part(self.spare.lut),
            hbm_bytes_per_cycle,
            ..whole.clone()
        }
    }

    /// Allocates every region on its design's budgets at `units`.
    pub fn allocate_all(
        &self,
        regions: &mut [Design],
        whole: &Budgets,
        units: &[u64],
    ) -> Result<Allocated, AllocError> {
        let budgets: Vec<Budgets> = (0..self.len()).map(|c| self.budgets(whole, c, units[c])).collect();
        let mut latency = Vec::with_capacity(regions.len());
        let mut resources = vec![Resources::default(); self.len()];
        for (r, region) in regions.iter_mut().enumerate() {
            let c = self.class_of[r];
            resources[c] = allocate_resources(region, &budgets[c])?.resources;
            latency.push(analyze(region)?.latency_cycles);
        }
        Ok(Allocated { budgets, latency, resources })
    }

    /// Units ∝ `weight`, summing to [`SHARE_UNITS`] (the remainder to the heaviest first).
    pub fn units_in_proportion(weight: &[f64]) -> Vec<u64> {
        let n = weight.len();
        let total: f64 = weight.iter().sum();
        let mut units: Vec<u64> = weight.iter().map(|w| ((w / total) * SHARE_UNITS as f64).floor() as u64).collect();
        let mut left = SHARE_UNITS - units.iter().sum::<u64>();
        let mut by_weight: Vec<usize> = (0..n).collect();
        by_weight.sort_by(|&a, &b| weight[b].total_cmp(&weight[a]).then(a.cmp(&b)));
        for &c in by_weight.iter().cycle().take(n * SHARE_UNITS as usize) {
            if left == 0 {
                break;
            }
            units[c] += 1;
            left -= 1;
        }
        units
    }
}

/// What [`Shares::allocate_all`] gives.
pub(crate) struct Allocated {
    /// Per distinct design: the budgets it was allocated on.
    pub budgets: Vec<Budgets>,
    /// Per region: its analytic latency (one call).
    pub latency: Vec<f64>,
    /// Per distinct design: the resources it uses.
    pub resources: Vec<Resources>,
}

/// The analytic latency of one call of each distinct design on `u` units, memoised: the
/// allocations probe the same shares many times.
pub(crate) struct CallLatency<'a> {
    regions: &'a [Design],
    shares: &'a Shares,
    whole: &'a Budgets,
    memo: HashMap<(usize, u64), f64>,
}

impl<'a> CallLatency<'a> {
    pub fn new(regions: &'a [Design], shares: &'a Shares, whole: &'a Budgets) -> Self {
        CallLatency { regions, shares, whole, memo: HashMap::new() }
    }

    /// Latency of one call of design `c` allocated on `u` units.
    pub fn get(&mut self, c: usize, u: u64) -> Result<f64, AllocError> {
        if let Some(&l) = self.memo.get(&(c, u)) {
            return Ok(l);
        }
        let mut d = self.regions[self.shares.rep[c]].clone();
        allocate_resources(&mut d, &self.shares.budgets(self.whole, c, u))?;
        let l = analyze(&d)?.latency_cycles;
        self.memo.insert((c, u), l);
        Ok(l)
    }
}

/// Allocates every region (see the module docs): regions of one structure get the same
/// parallelism, and the distinct structures together fit `budgets`. Fails when the distinct
/// designs do not fit side by side even at one lane per kernel.
pub fn allocate_resident(regions: &mut [Design], budgets: &Budgets) -> Result<ResidentPlan, AllocError> {
    let shares = Shares::new(regions, budgets, HbmSplit::Whole)?;
    let (n_classes, uses) = (shares.len(), shares.uses.clone());

    let mut calls = CallLatency::new(regions, &shares, budgets);
    let mut latency = |c: usize, u: u64| calls.get(c, u);

    // Start: units ∝ √(uses · latency on the whole spare fabric), summing to SHARE_UNITS.
    let mut weight = Vec::with_capacity(n_classes);
    for (c, &n) in uses.iter().enumerate() {
        weight.push((n as f64 * latency(c, SHARE_UNITS)?).max(1.0).sqrt());
    }
    let mut units = Shares::units_in_proportion(&weight);

    // Refine: move `step` units from one design to another while the total latency falls.
    for step in [32u64, 16, 8, 4, 2, 1] {
        loop {
            let mut best: Option<(f64, usize, usize)> = None;
            for from in 0..n_classes {
                if units[from] < step {
                    continue;
                }
                let lose = uses[from] as f64 * (latency(from, units[from] - step)? - latency(from, units[from])?);
                for to in (0..n_classes).filter(|&t| t != from) {
                    let gain = uses[to] as f64 * (latency(to, units[to] + step)? - latency(to, units[to])?);
                    let delta = lose + gain;
                    if delta < -1e-6 && best.is_none_or(|(b, _, _)| delta < b) {
                        best = Some((delta, from, to));
                    }
                }
            }
            let Some((_, from, to)) = best else { break };
            units[from] -= step;
            units[to] += step;
        }
    }

    let done = shares.allocate_all(regions, budgets, &units)?;
    let latency_cycles =
        done.latency.iter().sum::<f64>() + regions.len().saturating_sub(1) as f64 * budgets.region_switch_cycles as f64;
    let resources = done.resources.iter().fold(Resources::default(), |acc, r| Resources {
        hbm_bytes_per_cycle: acc.hbm_bytes_per_cycle.max(r.hbm_bytes_per_cycle),
        ..acc.add(&fabric(r))
    });
    Ok(ResidentPlan { class_of: shares.class_of, uses, units, budgets: done.budgets, resources, latency_cycles })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::allocate::tests::{budgets, mac};

    /// One MAC stage of `firings` firings of `work` MACs, one DSP a lane.
    pub(crate) fn stage(name: &str, firings: u64, work: u64) -> Design {
        let mut d = Design::new(name);
        d.add_kernel(mac(&format!("{name}.mac"), firings, work, work));
        d
    }

    /// Layer numbers do not make designs distinct; another operation at the same rates does.
    #[test]
    fn only_the_operation_and_the_structure_make_designs_distinct() {
        let designs =
            [stage("layer0", 16, 64), stage("layer1", 16, 64), stage("head", 16, 128), stage("other", 16, 64)];
        assert_eq!(classes(&designs), vec![0, 0, 1, 2]);
    }

    /// One design alone gets the whole fabric, as plain allocation gives it.
    #[test]
    fn one_design_gets_the_whole_fabric() {
        let mut alone = vec![stage("a", 16, 1024)];
        let plan = allocate_resident(&mut alone, &budgets(64)).unwrap();
        let mut whole = stage("a", 16, 1024);
        allocate_resources(&mut whole, &budgets(64)).unwrap();
        assert_eq!(alone[0], whole);
        assert_eq!(plan.units, vec![SHARE_UNITS]);
        assert_eq!(plan.resources.dsp, 64);
    }

    /// Regions A, A, A, B with A and B of equal work (B in half as many firings) on 256 DSPs: the repeated design is called
    /// three times, so it gets the larger share — √3 : 1 at the continuous optimum, which
    /// the units reach within rounding — and both instances together use at most the budget.
    #[test]
    fn repeated_designs_take_the_larger_share() {
        let mut regions =
            vec![stage("a0", 64, 4096), stage("a1", 64, 4096), stage("a2", 64, 4096), stage("b", 32, 8192)];
        let b = budgets(256);
        let plan = allocate_resident(&mut regions, &b).unwrap();
        assert_eq!(plan.class_of, vec![0, 0, 0, 1]);
        assert_eq!(plan.uses, vec![3, 1]);
        let ratio = regions[0].kernels[0].parallelism as f64 / regions[3].kernels[0].parallelism as f64;
        assert!((ratio - 3f64.sqrt()).abs() < 0.15, "A:B lanes {ratio}");
        assert_eq!(regions[0].kernels[0].parallelism, regions[2].kernels[0].parallelism);
        assert!(plan.resources.dsp <= b.dsp);
        // No other split of the 256 DSPs is faster: try every lane count of A in steps of 8.
        let total = |pa: u64| {
            let pb = 256 - pa;
            3.0 * 64.0 * (4096f64 / pa as f64).ceil() + 32.0 * (8192f64 / pb as f64).ceil()
        };
        let best = (8..256).step_by(8).map(total).fold(f64::INFINITY, f64::min);
        let chosen = total(regions[0].kernels[0].parallelism);
        assert!(chosen <= best * 1.01, "chosen {chosen} vs best {best}");
        assert!(
            (plan.latency_cycles
                - 3.0 * analyze(&regions[0]).unwrap().latency_cycles
                - analyze(&regions[3]).unwrap().latency_cycles)
                .abs()
                < 1e-6
        );
    }

    /// Two distinct designs whose buffers do not fit side by side are refused, although each
    /// fits alone.
    #[test]
    fn distinct_designs_must_fit_together() {
        let mut a = stage("a", 4, 64);
        a.kernels[0].base.bram36 = 60;
        let mut b = stage("b", 4, 128);
        b.kernels[0].base.bram36 = 60;
        let err = allocate_resident(&mut [a, b], &budgets(64)).unwrap_err().to_string();
        assert!(err.contains("2 distinct region designs do not fit") && err.contains("BRAM36"), "{err}");
    }
}
