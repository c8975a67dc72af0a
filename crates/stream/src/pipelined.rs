//! Sequential regions whose distinct designs work on different requests at the same time
//! (docs/stream-model.md, "Pipelined regions").
//!
//! In one bitstream every distinct region design is on the fabric ([`crate::resident`]); run
//! one request at a time, all but one of them idle. Given a stream of requests (prompts to
//! prefill, images to classify), each design can instead work on another request: while the
//! repeated-layer design runs request `n`'s layers, the LM-head design finishes request
//! `n − 1`. A request still visits its regions in order, each on its design, so its latency
//! does not shrink; the throughput is one request per *period*, the busiest design's time per
//! request — `max_c Σ_{regions r of c} (latency_r + call)` — instead of the sum over all
//! designs.
//!
//! Designs running at once share HBM bandwidth, so unlike the resident split the bandwidth is
//! split too: [`allocate_pipelined`] gives each distinct design its minimum (one lane per
//! kernel, buffers, FIFOs, one lane per DMA engine) plus `u` units of every spare fabric budget
//! and a part of the spare bandwidth — either the same `u` units, or a part proportional to
//! the design's HBM bytes per request (which equalises the designs' memory time); it tries
//! both and keeps the shorter period. It chooses the units to minimise the period: starting
//! from shares proportional to each design's work per request (its time per request on the
//! whole fabric), then moving units to the busiest design while the period falls, in steps
//! from 32 units down to 1.
//!
//! [`pipeline_schedule`] then runs requests through the regions at region granularity, a
//! design taking the ready call that arrived first: with every request waiting, for the period
//! the designs sustain (the bound when each design's regions are consecutive; a design that a
//! request leaves and comes back to may lose some); with requests arriving one per period, for
//! a request's latency and how many requests are in flight, which is how many copies of each
//! spill buffer the host keeps.

use serde::Serialize;

use crate::allocate::AllocError;
use crate::budget::Budgets;
use crate::design::{Design, Resources};
use crate::resident::{CallLatency, HbmSplit, SHARE_UNITS, Shares};

/// What [`allocate_pipelined`] chose.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PipelinedPlan {
    /// For each region: the index of its distinct design (first-appearance order).
    pub class_of: Vec<usize>,
    /// For each distinct design: the regions that call it.
    pub uses: Vec<usize>,
    /// For each distinct design: its share of the spare fabric (and of the spare HBM
    /// bandwidth, when that was split with the fabric), in [`SHARE_UNITS`].
    pub units: Vec<u64>,
    /// For each distinct design: the budgets it was allocated on.
    pub budgets: Vec<Budgets>,
    /// All distinct designs together at their allocation, HBM bandwidth summed (they run at
    /// the same time).
    pub resources: Resources,
    /// Analytic latency of each region (one call), cycles.
    pub region_latency: Vec<f64>,
    /// Each design's busy cycles per request: its regions' latencies plus one call each.
    pub load: Vec<f64>,
    /// The requests through the regions.
    pub schedule: PipelineSchedule,
}

/// Requests through sequential regions whose designs work concurrently.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PipelineSchedule {
    /// Cycles between two requests finishing, in steady state.
    pub period_cycles: f64,
    /// The bound: the busiest design's cycles per request.
    pub bound_cycles: f64,
    /// Cycles from a request's arrival to its last region's end, in steady state.
    pub request_latency_cycles: f64,
    /// Requests arrived and not finished, at most.
    pub in_flight: usize,
}

/// Requests [`pipeline_schedule`] runs to reach its steady state.
pub const SCHEDULED_REQUESTS: usize = 64;

/// Runs [`SCHEDULED_REQUESTS`] requests through regions `0..n` in order, region `r` on design
/// `class_of[r]` for `region_latency[r]` cycles plus `call` cycles (a kernel start); a free
/// design takes the ready call of the earliest arrival (then the earliest region).
///
/// The period is what the designs sustain: all requests waiting from the start, the time
/// between two requests finishing over the second half (no less than the bound, which a finite
/// window may undercut). Latency and requests in flight are then measured with requests
/// arriving one per period: the largest over the second half.
pub fn pipeline_schedule(class_of: &[usize], region_latency: &[f64], call: f64) -> PipelineSchedule {
    let bound = design_loads(class_of, region_latency, call).into_iter().fold(0.0, f64::max);
    let requests = SCHEDULED_REQUESTS;
    let half = requests / 2;
    let saturated = run_requests(class_of, region_latency, call, &vec![0.0; requests]);
    let period = ((saturated[requests - 1] - saturated[half - 1]) / (requests - half) as f64).max(bound);
    let arrival: Vec<f64> = (0..requests).map(|n| n as f64 * period).collect();
    let finish = run_requests(class_of, region_latency, call, &arrival);
    let latency = (half..requests).map(|n| finish[n] - arrival[n]).fold(0.0, f64::max);
    let in_flight = (half..requests)
        .map(|n| (0..requests).filter(|&m| arrival[m] <= arrival[n] && finish[m] > arrival[n]).count())
        .max()
        .unwrap_or(0);
    PipelineSchedule { period_cycles: period, bound_cycles: bound, request_latency_cycles: latency, in_flight }
}

/// Each distinct design's busy cycles per request: its regions' latencies plus a call each.
fn design_loads(class_of: &[usize], region_latency: &[f64], call: f64) -> Vec<f64> {
    let mut load = vec![0.0f64; class_of.iter().max().map_or(0, |&c| c + 1)];
    for (&c, &l) in class_of.iter().zip(region_latency) {
        load[c] += l + call;
    }
    load
}

/// When each request finishes, requests arriving at `arrival` (non-decreasing) and served as
/// [`pipeline_schedule`] says.
fn run_requests(class_of: &[usize], region_latency: &[f64], call: f64, arrival: &[f64]) -> Vec<f64> {
    let n_classes = class_of.iter().max().map_or(0, |&c| c + 1);
    let (requests, regions) = (arrival.len(), class_of.len());
    // Per request: the next region to run and when it may start.
    let mut next = vec![0usize; requests];
    let mut ready = arrival.to_vec();
    let mut finish = vec![0.0f64; requests];
    let mut free = vec![0.0f64; n_classes];
    // Calls in order of start: each step starts the call that can start earliest, ties to the
    // earliest arrival.
    for _ in 0..requests * regions {
        let mut best: Option<(f64, usize)> = None;
        for n in (0..requests).filter(|&n| next[n] < regions) {
            let start = ready[n].max(free[class_of[next[n]]]);
            if best.is_none_or(|(b, _)| start < b) {
                best = Some((start, n));
            }
        }
        let Some((start, n)) = best else { break };
        let r = next[n];
        let end = start + region_latency[r] + call;
        free[class_of[r]] = end;
        ready[n] = end;
        next[n] += 1;
        if next[n] == regions {
            finish[n] = end;
        }
    }
    finish
}

/// Allocates every region for pipelined requests (see the module docs): regions of one
/// structure get the same parallelism, and the distinct structures together — HBM bandwidth
/// included — fit `budgets`. Fails when they do not fit side by side at one lane per kernel.
pub fn allocate_pipelined(regions: &mut [Design], budgets: &Budgets) -> Result<PipelinedPlan, AllocError> {
    let mut by_bytes = regions.to_vec();
    let bytes_plan = allocate_with(&mut by_bytes, budgets, HbmSplit::ByBytes)?;
    let fabric_plan = allocate_with(regions, budgets, HbmSplit::WithFabric)?;
    if bytes_plan.schedule.period_cycles < fabric_plan.schedule.period_cycles {
        regions.clone_from_slice(&by_bytes);
        return Ok(bytes_plan);
    }
    Ok(fabric_plan)
}

/// [`allocate_pipelined`] with HBM bandwidth split as `split` says.
fn allocate_with(regions: &mut [Design], budgets: &Budgets, split: HbmSplit) -> Result<PipelinedPlan, AllocError> {
    let shares = Shares::new(regions, budgets, split)?;
    let (n_classes, uses) = (shares.len(), shares.uses.clone());
    let call = budgets.region_switch_cycles as f64;

    // Busy cycles per request of design `c` on `u` units.
    let mut calls = CallLatency::new(regions, &shares, budgets);
    let mut load = |c: usize, u: u64| -> Result<f64, AllocError> { Ok(uses[c] as f64 * (calls.get(c, u)? + call)) };

    // Start: units ∝ each design's cycles per request on the whole spare budget.
    let mut weight = Vec::with_capacity(n_classes);
    for c in 0..n_classes {
        weight.push(load(c, SHARE_UNITS)?.max(1.0));
    }
    let mut units = Shares::units_in_proportion(&weight);

    // Refine: give `step` units to the busiest design, from the design whose loss raises the
    // period least, while the period falls.
    for step in [32u64, 16, 8, 4, 2, 1] {
        loop {
            let mut loads = Vec::with_capacity(n_classes);
            for (c, &u) in units.iter().enumerate() {
                loads.push(load(c, u)?);
            }
            let busiest = (0..n_classes).max_by(|&a, &b| loads[a].total_cmp(&loads[b]).then(b.cmp(&a))).unwrap_or(0);
            let period = loads[busiest];
            let mut best: Option<(f64, usize)> = None;
            for from in (0..n_classes).filter(|&f| f != busiest && units[f] >= step) {
                let mut after = loads.clone();
                after[from] = load(from, units[from] - step)?;
                after[busiest] = load(busiest, units[busiest] + step)?;
                let p = after.iter().copied().fold(0.0, f64::max);
                if p < period - 1e-6 && best.is_none_or(|(b, _)| p < b) {
                    best = Some((p, from));
                }
            }
            let Some((_, from)) = best else { break };
            units[from] -= step;
            units[busiest] += step;
        }
    }

    let done = shares.allocate_all(regions, budgets, &units)?;
    let resources = done.resources.iter().fold(Resources::default(), |acc, r| acc.add(r));
    let region_latency = done.latency;
    let schedule = pipeline_schedule(&shares.class_of, &region_latency, call);
    let class_load = design_loads(&shares.class_of, &region_latency, call);
    Ok(PipelinedPlan {
        class_of: shares.class_of,
        uses,
        units,
        budgets: done.budgets,
        resources,
        region_latency,
        load: class_load,
        schedule,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::allocate::tests::budgets;
    use crate::resident::allocate_resident;
    use crate::resident::tests::stage;

    /// A linear pipeline: design A for three regions, then design B. Requests arrive one per
    /// bound and never wait, so the period is the bound and a request's latency is the sum of
    /// its regions.
    #[test]
    fn consecutive_designs_reach_the_bound() {
        let s = pipeline_schedule(&[0, 0, 0, 1], &[10.0, 10.0, 10.0, 20.0], 1.0);
        assert_eq!(s.bound_cycles, 33.0);
        assert!((s.period_cycles - 33.0).abs() < 1e-9, "{s:?}");
        assert!((s.request_latency_cycles - 54.0).abs() < 1e-9, "{s:?}");
        assert_eq!(s.in_flight, 2);
    }

    /// Regions A, B, A: the request comes back to A, and A's second call of one request waits
    /// behind the first call of the next; the period still meets the bound (A's 2 calls).
    #[test]
    fn a_design_visited_twice_is_still_the_bottleneck() {
        let s = pipeline_schedule(&[0, 1, 0], &[10.0, 5.0, 10.0], 0.0);
        assert_eq!(s.bound_cycles, 20.0);
        assert!(s.period_cycles >= 20.0 - 1e-9 && s.period_cycles <= 25.0 + 1e-9, "{s:?}");
        assert!(s.request_latency_cycles >= 25.0 - 1e-9, "{s:?}");
    }

    /// Regions A, A, A, B of equal work per request for A (three calls) and B: pipelined, the
    /// shares balance the two designs' time per request — about 3:1 in A's favour at the
    /// continuous optimum (work-proportional, not √ as for latency) — the period is well
    /// below the resident plan's latency, and the designs fit the budgets side by side, HBM
    /// included.
    #[test]
    fn shares_balance_each_designs_time_per_request() {
        let make = || vec![stage("a0", 64, 4096), stage("a1", 64, 4096), stage("a2", 64, 4096), stage("b", 64, 12288)];
        let b = budgets(256);
        let mut regions = make();
        let plan = allocate_pipelined(&mut regions, &b).unwrap();
        assert_eq!(plan.uses, vec![3, 1]);
        let (pa, pb) = (regions[0].kernels[0].parallelism, regions[3].kernels[0].parallelism);
        assert!((pa as f64 / pb as f64 - 1.0).abs() < 0.1, "A:B lanes {pa}:{pb}");
        assert!((plan.load[0] / plan.load[1] - 1.0).abs() < 0.1, "loads {:?}", plan.load);
        assert!(plan.resources.dsp <= b.dsp);
        assert!(plan.resources.hbm_bytes_per_cycle <= b.hbm_bytes_per_cycle + 1e-9);
        let mut resident = make();
        let sequential = allocate_resident(&mut resident, &b).unwrap().latency_cycles;
        assert!(plan.schedule.period_cycles < 0.6 * sequential, "{} vs {sequential}", plan.schedule.period_cycles);
        assert!((plan.schedule.period_cycles - plan.schedule.bound_cycles).abs() < 1e-6);
    }

    /// A DMA load of `firings` firings of `bytes` bytes into a MAC stage of `macs` MACs a firing.
    fn load_then_mac(name: &str, firings: u64, bytes: u64, macs: u64) -> Design {
        let mut d = Design::new(name);
        let mut load = crate::design::Kernel::new(format!("{name}.load"), crate::KernelKind::DmaLoad, firings, 1, 100);
        load.work = bytes;
        load.max_parallelism = 512;
        load.lane = Resources { hbm_bytes_per_cycle: 1.0, ..Resources::default() };
        load.hbm_bytes = firings * bytes;
        let l = d.add_kernel(load);
        let m = d.add_kernel(crate::allocate::tests::mac(&format!("{name}.mac"), firings, macs, macs));
        d.connect("x", l, m, 64, firings);
        d
    }

    /// One design bound by compute, one by HBM bandwidth: split with the fabric, the memory
    /// design (few DSPs) would get little bandwidth; split by bytes per request it gets almost
    /// all of it, and the allocation keeps that split — each design near its own bound.
    #[test]
    fn bandwidth_goes_where_the_bytes_are() {
        let mut regions = vec![load_then_mac("compute", 64, 64, 4096), load_then_mac("memory", 64, 8192, 64)];
        let b = budgets(256);
        let plan = allocate_pipelined(&mut regions, &b).unwrap();
        let memory_bound = (64.0 * 8192.0) / b.hbm_bytes_per_cycle;
        let compute_bound = (64.0 * 4096.0) / b.dsp as f64;
        assert!(plan.load[1] < 1.1 * memory_bound, "memory design {} vs its bound {memory_bound}", plan.load[1]);
        assert!(plan.schedule.period_cycles < 1.1 * memory_bound.max(compute_bound), "{plan:?}");
        assert!(plan.resources.hbm_bytes_per_cycle <= b.hbm_bytes_per_cycle + 1e-9);
        assert!(plan.resources.dsp <= b.dsp);
    }

    /// One design alone: the whole budget, and the period is its regions' time per request.
    #[test]
    fn one_design_gets_everything() {
        let mut alone = vec![stage("a", 16, 1024), stage("a", 16, 1024)];
        let plan = allocate_pipelined(&mut alone, &budgets(64)).unwrap();
        assert_eq!(plan.units, vec![SHARE_UNITS]);
        assert_eq!(plan.resources.dsp, 64);
        assert!((plan.schedule.period_cycles - plan.region_latency.iter().sum::<f64>()).abs() < 1e-6);
    }

    mod properties {
        use proptest::prelude::*;

        use super::*;

        proptest! {
            /// Over random region sequences: overlapping never loses to one request at a time
            /// (period ≤ the sum of the calls), a request takes at least its calls; and when
            /// each design's regions are consecutive, requests never wait, so the period is
            /// the bound and a request takes the sum of its calls.
            #[test]
            fn the_schedule_meets_its_bounds(
                regions in prop::collection::vec((0usize..4, 1u32..1000), 1..12),
                call in 0u32..50,
            ) {
                let class_of: Vec<usize> = regions.iter().map(|r| r.0).collect();
                // Designs numbered densely in order of first appearance, as `classes` gives them.
                let mut first = Vec::new();
                let class_of: Vec<usize> = class_of
                    .iter()
                    .map(|&c| first.iter().position(|&f| f == c).unwrap_or_else(|| { first.push(c); first.len() - 1 }))
                    .collect();
                let latency: Vec<f64> = regions.iter().map(|r| r.1 as f64).collect();
                let call = call as f64;
                let s = pipeline_schedule(&class_of, &latency, call);
                let sequential: f64 = latency.iter().map(|l| l + call).sum();
                prop_assert!(s.period_cycles <= sequential + 1e-6, "{s:?} vs {sequential}");
                prop_assert!(s.request_latency_cycles >= sequential - 1e-6, "{s:?}");
                prop_assert!(s.in_flight >= 1);
                let consecutive = class_of.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1);
                if consecutive {
                    prop_assert!((s.period_cycles - s.bound_cycles).abs() < 1e-6, "{s:?}");
                    prop_assert!((s.request_latency_cycles - sequential).abs() < 1e-6, "{s:?}");
                }
            }
        }
    }
}
