//! FADiff's search for one layer: many starts (spatial unroll × stationarity order × random
//! initial tiling) descend the relaxed loss with Adam on log tile factors and are rounded to
//! factors that divide; the best few are polished by local search on the exact model. Starts run in
//! parallel; the result depends only on the seed.

use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;
use rayon::prelude::*;

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::local::{Candidate, Memo, polish, polish_while};

/// A user-fixed spatial unrolling by names: (array dimension, layer dimension, factor).
pub type FixedSpatial = Vec<(String, String, u64)>;

/// The search method: FADiff, or a baseline in the same space.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Method {
    #[default]
    Fadiff,
    /// Random sampling with the evaluation budget FADiff spends on the same layer.
    Random,
    /// Every point of the space (small layers only; larger ones are an error).
    Exhaustive,
}

impl Method {
    pub fn parse(s: &str) -> Option<Method> {
        match s {
            "fadiff" => Some(Method::Fadiff),
            "random" => Some(Method::Random),
            "exhaustive" => Some(Method::Exhaustive),
            _ => None,
        }
    }
}

/// Starts polished together (in parallel) per batch.
const POLISH_BATCH: usize = 4;
use crate::objective::{Gradient, Objective, by_width, prepare};
use crate::space::{Skeleton, Space};

#[derive(Clone, Debug)]
pub struct Options {
    pub objective: Objective,
    pub seed: u64,
    /// Spatial unrolls tried (best utilisation first).
    pub spatial_candidates: usize,
    /// Random initial tilings per (spatial unroll, loop order).
    pub inits: usize,
    /// Adam steps per start.
    pub steps: usize,
    pub learning_rate: f64,
    /// Local-search rounds on the exact model after rounding.
    pub polish_rounds: usize,
    /// Which search runs.
    pub method: Method,
    /// A user-fixed spatial unrolling: (array dimension, layer dimension, factor) by name;
    /// entries naming a dimension a layer does not have are ignored for that layer.
    pub fixed_spatial: Option<FixedSpatial>,
    /// Exact evaluations the polishing of rounded starts may spend in all (it dominates the
    /// cost): starts are polished in batches — the best of each spatial unroll first, then the
    /// next best — until the budget is spent.
    pub polish_budget: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            objective: Objective::Edp,
            seed: 0,
            spatial_candidates: 8,
            inits: 1,
            steps: 120,
            learning_rate: 0.1,
            polish_rounds: 40,
            polish_budget: 12_000,
            method: Method::Fadiff,
            fixed_spatial: None,
        }
    }
}

/// Runs the search; `None` when no start reached a mapping that fits.
pub fn search(space: &Space<'_>, opts: &Options) -> Option<Candidate> {
    let orders = space.stationary_orders();
    let mut starts = Vec::new();
    let candidates = match &opts.fixed_spatial {
        Some(fixed) => vec![space.resolve_spatial(fixed)],
        None => space.spatial_candidates(opts.spatial_candidates),
    };
    for spatial in candidates {
        for order in &orders {
            for init in 0..opts.inits {
                let sk = Skeleton { spatial: spatial.clone(), orders: vec![order.clone(); space.levels.len() + 1] };
                starts.push((sk, init));
            }
        }
    }
    // Polishes score at most about their budget of distinct points.
    let memo = Memo::with_capacity(opts.polish_budget);
    let rounded: Vec<(usize, Option<Candidate>)> = starts
        .par_iter()
        .enumerate()
        .map(|(i, (sk, _))| {
            let seed = opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15).wrapping_add(i as u64);
            (i, descend(space, &memo, sk, seed, opts))
        })
        .collect();
    // Every start's model evaluations (relaxed steps, rounding, polishing) count.
    let mut evaluations: usize = rounded.iter().map(|(_, c)| c.as_ref().map_or(opts.steps, |c| c.evaluations)).sum();
    // Rank the rounded starts (deterministic order: value, then start index).
    let mut ranked: Vec<(usize, Candidate)> = rounded.into_iter().filter_map(|(i, c)| c.map(|c| (i, c))).collect();
    ranked.sort_by(|(i, a), (j, b)| a.value.total_cmp(&b.value).then(i.cmp(j)));
    // Diversity: the best start of each spatial unroll first, then the rest by rank.
    let mut chosen: Vec<(usize, Candidate)> = Vec::new();
    let mut rest = Vec::new();
    for (i, c) in ranked {
        if chosen.iter().any(|(_, x)| x.skeleton.spatial == c.skeleton.spatial) {
            rest.push((i, c));
        } else {
            chosen.push((i, c));
        }
    }
    chosen.extend(rest);
    // Polish in rank order, a fixed batch at a time, until the polishing budget is spent.
    let (polished, spent) = polish_ranked(space, &memo, &chosen, opts);
    evaluations += spent;
    polished
        .into_iter()
        .filter_map(|(i, c)| c.map(|c| (i, c)))
        .min_by(|(i, a), (j, b)| a.value.total_cmp(&b.value).then(i.cmp(j)))
        .map(|(_, mut c)| {
            c.evaluations = evaluations;
            c
        })
}

/// Polishes `ranked` (start index, rounded start) in batches of [`POLISH_BATCH`] in rank order
/// until the budget is spent: batch `b` runs iff it is the first or the batches before it spent
/// less than `opts.polish_budget` evaluations. Returns each polish of the batches that run, in
/// rank order, and the evaluations they spent.
///
/// The result depends only on that rule (a polish's result and evaluation count depend on its
/// start alone; the memo only saves work), not on the thread count or timing. Waiting for a
/// batch to finish before starting the next left a thread idle while the other finished the
/// batch's longest polish (polishes differ up to tenfold in length: 149 to 1,519 evaluations
/// on the GEMM on eyeriss_like), so the threads take polishes one at a time in rank order
/// across batch boundaries: a polish of a batch not yet known to run is started on a guess,
/// and stopped at its next round and dropped once the batches before it turn out to have
/// spent the budget.
fn polish_ranked(
    space: &Space<'_>,
    memo: &Memo,
    ranked: &[(usize, Candidate)],
    opts: &Options,
) -> (Vec<(usize, Option<Candidate>)>, usize) {
    let n = ranked.len();
    let batches = n.div_ceil(POLISH_BATCH);
    let state = Mutex::new(Polishing { next: 0, done: vec![None; n] });
    // The first batch known not to run (`batches` while unknown).
    let cutoff = AtomicUsize::new(batches);
    let worker = || {
        loop {
            let i = {
                let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
                if s.next >= n || s.next / POLISH_BATCH >= cutoff.load(Ordering::Acquire) {
                    return;
                }
                s.next += 1;
                s.next - 1
            };
            let batch = i / POLISH_BATCH;
            let (_, c) = &ranked[i];
            let go_on = || cutoff.load(Ordering::Acquire) > batch;
            let result = polish_while(
                space,
                memo,
                c.skeleton.clone(),
                c.factors.clone(),
                opts.objective,
                opts.polish_rounds,
                &go_on,
            );
            let mut s = state.lock().unwrap_or_else(|e| e.into_inner());
            s.done[i] = Some(result);
            if let Some(b) = s.cutoff(opts.polish_budget) {
                cutoff.store(b, Ordering::Release);
            }
        }
    };
    let threads = rayon::current_num_threads().clamp(1, n.max(1));
    (0..threads).into_par_iter().for_each(|_| worker());
    let s = state.into_inner().unwrap_or_else(|e| e.into_inner());
    let run = s.cutoff(opts.polish_budget).unwrap_or(batches);
    let mut polished = Vec::new();
    let mut spent = 0;
    for (i, done) in s.done.into_iter().enumerate().take(run * POLISH_BATCH) {
        let c = done.expect("every polish of a batch that runs is done");
        spent += c.as_ref().map_or(0, |c| c.evaluations);
        polished.push((ranked[i].0, c));
    }
    (polished, spent)
}

/// The polishes of [`polish_ranked`]: the next one to hand out, and those done.
struct Polishing {
    next: usize,
    done: Vec<Option<Option<Candidate>>>,
}

impl Polishing {
    /// The first batch known not to run: every batch before it is done and they spent the
    /// budget. `None` while unknown (or when every batch runs).
    fn cutoff(&self, budget: usize) -> Option<usize> {
        let mut spent = 0;
        for (b, batch) in self.done.chunks(POLISH_BATCH).enumerate() {
            if b > 0 && spent >= budget {
                return Some(b);
            }
            for d in batch {
                spent += d.as_ref()?.as_ref().map_or(0, |c| c.evaluations);
            }
        }
        None
    }
}

/// One start: random initial split of every dimension's trips over the levels, Adam on the
/// relaxed loss, rounding (made to fit if it does not).
fn descend(space: &Space<'_>, memo: &Memo, sk: &Skeleton, seed: u64, opts: &Options) -> Option<Candidate> {
    by_width!(space.params(), W => descend_with::<W>(space, memo, sk, seed, opts))
}

/// [`descend`] with `W`-wide duals.
fn descend_with<const W: usize>(
    space: &Space<'_>,
    memo: &Memo,
    sk: &Skeleton,
    seed: u64,
    opts: &Options,
) -> Option<Candidate> {
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let nd = space.dims.len();
    let ng = space.levels.len();
    let totals = space.temporal_totals(sk);
    let mut theta = vec![0.0; ng * nd];
    for (k, &d) in space.dims.iter().enumerate() {
        let weights: Vec<f64> = (0..=ng).map(|_| rng.random_range(0.05..1.0)).collect();
        let sum: f64 = weights.iter().sum();
        for g in 0..ng {
            theta[g * nd + k] = (totals[d] as f64).ln() * weights[g] / sum;
        }
    }
    let (b1, b2, eps) = (0.9, 0.999, 1e-8);
    let mut m = vec![0.0; theta.len()];
    let mut v = vec![0.0; theta.len()];
    let mut best = (f64::INFINITY, theta.clone());
    let prepared = prepare(space, sk);
    let mut gradient = Gradient::<W>::new(space, sk);
    let mut grad = vec![0.0; theta.len()];
    let mut losses = Vec::with_capacity(opts.steps);
    for step in 1..=opts.steps {
        let loss = gradient.eval(space, &prepared, sk, &theta, opts.objective, &mut grad);
        if loss.is_finite() && loss < best.0 {
            best.0 = loss;
            best.1.copy_from_slice(&theta);
        }
        losses.push(loss);
        if cannot_catch_up(&losses, best.0, opts.steps) {
            break;
        }
        if !grad.iter().all(|g| g.is_finite()) {
            break;
        }
        for i in 0..theta.len() {
            m[i] = b1 * m[i] + (1.0 - b1) * grad[i];
            v[i] = b2 * v[i] + (1.0 - b2) * grad[i] * grad[i];
            let mh = m[i] / (1.0 - b1.powi(step as i32));
            let vh = v[i] / (1.0 - b2.powi(step as i32));
            theta[i] -= opts.learning_rate * mh / (vh.sqrt() + eps);
        }
    }
    let relaxed: Vec<f64> = best.1.iter().map(|t| t.exp()).collect();
    let factors = space.round(sk, &relaxed);
    let steps = losses.len();
    polish(space, memo, sk.clone(), factors, opts.objective, 0).map(|mut c| {
        c.evaluations += steps;
        c
    })
}

/// A start's descent is checked for [`cannot_catch_up`] from this step on. Its first steps
/// repair the penalties (the best loss of most starts comes within 5 steps); then Adam's first
/// moment, full of the penalties' direction, carries the loss uphill for 20 to 45 steps
/// before the loss turns, and a start that wins late (ResNet-18 stage 1 on eyeriss_like at
/// seed 3: below its step-3 best only at step 106) is still climbing at step 30.
const CATCH_UP_FROM: usize = 40;
/// Steps over which [`cannot_catch_up`] measures the loss's recent decline.
const CATCH_UP_WINDOW: usize = 10;
/// How much faster than its recent decline [`cannot_catch_up`] lets the loss keep falling.
const CATCH_UP_MARGIN: f64 = 2.0;

/// Whether a descent whose losses so far are `losses` (one per step, of `steps`) cannot reach
/// a new best any more: falling for the steps left at [`CATCH_UP_MARGIN`] times its decline
/// over the last [`CATCH_UP_WINDOW`] steps, the loss would still not get below `best`. The
/// start's result is the rounding of its best point, so the steps after that only cost: in
/// 120-step descents most starts rise after their first few steps and never come back (on the
/// GEMM on eyeriss_like this takes about a fifth of the whole search's instructions off; every
/// mapping of bench/compare's six pairs at seeds 0 and 3 is unchanged).
fn cannot_catch_up(losses: &[f64], best: f64, steps: usize) -> bool {
    let step = losses.len();
    if step < CATCH_UP_FROM || step <= CATCH_UP_WINDOW {
        return false;
    }
    let loss = losses[step - 1];
    let decline = (losses[step - 1 - CATCH_UP_WINDOW] - loss) / CATCH_UP_WINDOW as f64;
    let reach = loss - CATCH_UP_MARGIN * decline.max(0.0) * (steps - step) as f64;
    // NaN losses (a start the penalties cannot repair) stop it too.
    reach.partial_cmp(&best) != Some(std::cmp::Ordering::Less)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_start_stops_once_its_recent_decline_cannot_reach_its_best() {
        // Best 10 at step 3, then uphill (step 40: 40): stopped at the first check.
        let mut rising: Vec<f64> = (1..=40).map(|s| if s <= 3 { 13.0 - s as f64 } else { s as f64 }).collect();
        assert!(!cannot_catch_up(&rising[..39], 10.0, 120));
        assert!(cannot_catch_up(&rising, 10.0, 120));
        // Falling by 0.2 a step from 40 at step 40: twice that over 80 steps reaches 8 < 10.
        let falling: Vec<f64> = (1..=40).map(|s| 48.0 - 0.2 * s as f64).collect();
        assert!(!cannot_catch_up(&falling, 10.0, 120));
        // The same decline with 70 steps left reaches 12: no longer.
        let late: Vec<f64> = (1..=50).map(|s| 50.0 - 0.2 * s as f64).collect();
        assert!(cannot_catch_up(&late, 10.0, 120));
        // A loss that is no number stops the start.
        rising.push(f64::NAN);
        assert!(cannot_catch_up(&rising, 10.0, 120));
    }
}
