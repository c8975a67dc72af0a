//! Baselines the FADiff search is measured against, in the same space and on the same exact
//! model: random sampling at a given evaluation budget, and exhaustive enumeration for small
//! layers (every distinct mapping the space holds: every spatial candidate, every split of
//! every dimension's trips over the levels, every loop order within a level).

use std::ops::ControlFlow;

use dnnc_cost::{Mapping, Prepared};
use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;
use rayon::prelude::*;

use crate::local::{Candidate, score};
use crate::objective::Objective;
use crate::space::{Skeleton, Space, Unrolls, divisors, prime_factors};

/// The best of `budget` random points (feasible or not, each costs one evaluation).
pub fn random(space: &Space<'_>, objective: Objective, budget: usize, seed: u64) -> Option<Candidate> {
    let mut rng = XorShiftRng::seed_from_u64(seed);
    let spatial = space.spatial_candidates(usize::MAX);
    let (nd, ng) = (space.dims.len(), space.levels.len());
    let mut best: Option<Candidate> = None;
    for _ in 0..budget {
        let sp = spatial[rng.random_range(0..spatial.len())].clone();
        let orders = (0..=ng)
            .map(|_| {
                let mut o = space.dims.clone();
                for i in (1..o.len()).rev() {
                    o.swap(i, rng.random_range(0..=i));
                }
                o
            })
            .collect();
        let sk = Skeleton { spatial: sp, orders };
        let totals = space.temporal_totals(&sk);
        let mut factors = vec![1.0; ng * nd];
        for (k, &d) in space.dims.iter().enumerate() {
            for p in prime_factors(totals[d]) {
                let g = rng.random_range(0..=ng);
                if g < ng {
                    factors[g * nd + k] *= p as f64;
                }
            }
        }
        if let Some(c) = score(space, &sk, &factors, objective)
            && best.as_ref().is_none_or(|b| c.value < b.value)
        {
            best = Some(c);
        }
    }
    best.map(|mut b| {
        b.evaluations = budget;
        b
    })
}

/// Why exhaustive search was not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "exhaustive search of layer {layer} needs more than {limit} evaluations (its mapping space has more \
     points); search it with fadiff"
)]
pub struct TooLarge {
    pub layer: String,
    pub limit: usize,
}

/// What an exhaustive search found, and what it cost.
#[derive(Clone, Debug)]
pub struct Exhaustive {
    /// The optimum (`None` when no point fits the memories); its `evaluations` are `scored`.
    pub best: Option<Candidate>,
    /// Points in the space (distinct exact mappings, fitting or not).
    pub points: usize,
    /// Points scored: those of the spatial candidates the bound did not rule out.
    pub scored: usize,
}

/// The optimum over the whole space, if it has at most `limit` points; `Ok(None)` when no
/// point fits the memories. [`exhaustive_search`] says more.
pub fn exhaustive(space: &Space<'_>, objective: Objective, limit: usize) -> Result<Option<Candidate>, TooLarge> {
    exhaustive_search(space, objective, limit).map(|e| e.best)
}

/// The optimum over the whole space, if it has at most `limit` points.
///
/// The space is the one FADiff's moves range over: every spatial candidate
/// ([`Space::spatial_candidates`], all of them), every split of every dimension's temporal
/// trips over the levels, and any loop order within each level (the polish swaps adjacent
/// loops, so it reaches every order). Points are enumerated as the distinct exact mappings
/// they give, each once: with ZigZag's allocation a mapping's value depends only on its
/// unrolls and its loops (the allocator, `space.allocator`, derives the cuts), so a point is a loop nest — a
/// sequence of (dimension, trip count ≥ 2), innermost first, that splits into at most one
/// block per level with no dimension twice in a block; with cuts at the level boundaries
/// (`zigzag_allocation` off) the level each loop sits at is part of the point. Enumerating
/// per-level factorisations and orders instead visits each mapping many times over (unit
/// loops leave orders free; a loop nest splits over the levels in many ways).
///
/// Points are grouped by their *structure* (the nest's dimensions and levels, without the trip
/// counts): one [`dnnc_cost::Prepared`] model per structure and set of cuts serves every trip
/// count assignment, with the same values as [`score`] (the unprepared path); the optimum is
/// rescored through [`score`] for the candidate. The count is checked against `limit` before
/// any evaluation, so a layer too large for it is refused at once.
///
/// Spatial candidates are scanned best utilisation first, and one is skipped when no point of
/// it can beat the best so far: every point of a candidate has the same temporal trip count
/// `T` and the layer's MAC energy `E_mac`, and the model's latency is `T` plus non-negative
/// terms (stall, on- and off-loading, drain), its energy `E_mac` plus memory energy, so the
/// objective at (`E_mac`, `T`) bounds the candidate from below. (Every scored point is checked
/// against its bound; should one fall below it, the skipped candidates are scored after all.)
/// Structures are scored in parallel; ties go to the first point in enumeration order, so the
/// result does not depend on the thread count.
pub fn exhaustive_search(space: &Space<'_>, objective: Objective, limit: usize) -> Result<Exhaustive, TooLarge> {
    scan_space(space, objective, limit, true)
}

/// [`exhaustive_search`]; `skip`: whether spatial candidates the bound rules out are skipped.
fn scan_space(space: &Space<'_>, objective: Objective, limit: usize, skip: bool) -> Result<Exhaustive, TooLarge> {
    let spatials = space.spatial_candidates(usize::MAX);
    let walks: Vec<Walk> = spatials.iter().map(|sp| Walk::new(space, sp)).collect();
    // Count first (stopping once past the limit): the points, without evaluating any.
    let mut points = 0usize;
    for walk in &walks {
        let over = walk.nests(&mut |nest| {
            points = points.saturating_add(walk.points(nest));
            if points > limit { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        });
        if over.is_break() {
            return Err(TooLarge { layer: space.layer.name.clone(), limit });
        }
    }
    let mac_energy = space.arch.array.mac_pj * space.layer.macs() as f64;
    let mut scan = Scan { best: None, scored: 0, sound: true };
    let mut skipped = Vec::new();
    for (s, walk) in walks.iter().enumerate() {
        let floor = objective.value_of(mac_energy, walk.trips);
        if skip && scan.best.as_ref().is_some_and(|b| floor > b.value) {
            skipped.push(s);
            continue;
        }
        scan.spatial(space, walk, s, &spatials[s], objective, floor);
    }
    if !scan.sound {
        for s in skipped {
            let floor = objective.value_of(mac_energy, walks[s].trips);
            scan.spatial(space, &walks[s], s, &spatials[s], objective, floor);
        }
    }
    let best = scan.best.and_then(|best| {
        let nest = &best.nest;
        let (sk, factors) = walks[nest.spatial].point(space, &spatials[nest.spatial], &nest.loops, best.assignment);
        score(space, &sk, &factors, objective).map(|mut c| {
            debug_assert_eq!(c.value.to_bits(), best.value.to_bits(), "prepared and unprepared values agree");
            c.evaluations = scan.scored;
            c
        })
    });
    Ok(Exhaustive { best, points, scored: scan.scored })
}

/// The state of an exhaustive scan: the best point so far, the points scored, and whether
/// every one of them respected its spatial candidate's bound.
struct Scan {
    best: Option<Best>,
    scored: usize,
    sound: bool,
}

impl Scan {
    /// Scores every point of spatial candidate `s`, structure by structure, a batch of
    /// structures at a time in parallel.
    fn spatial(
        &mut self,
        space: &Space<'_>,
        walk: &Walk,
        s: usize,
        spatial: &Unrolls,
        objective: Objective,
        floor: f64,
    ) {
        let mut batch: Vec<Nest> = Vec::with_capacity(BATCH);
        let mut ordinal = 0usize;
        let mut flush = |batch: &mut Vec<Nest>| {
            let found: Vec<(Option<Best>, usize, bool)> =
                batch.par_iter().map(|nest| walk.best(space, spatial, nest, objective, floor)).collect();
            for (best, scored, sound) in found {
                self.scored += scored;
                self.sound &= sound;
                self.best = [self.best.take(), best].into_iter().flatten().min_by(Best::cmp);
            }
            batch.clear();
        };
        let _ = walk.nests(&mut |nest| {
            batch.push(Nest { spatial: s, ordinal, loops: nest.to_vec() });
            ordinal += 1;
            if batch.len() == BATCH {
                flush(&mut batch);
            }
            ControlFlow::<()>::Continue(())
        });
        flush(&mut batch);
    }
}

/// Loop nests scored per parallel batch.
const BATCH: usize = 256;

/// A loop nest without its trip counts: per loop (innermost first) the dimension's position in
/// the walk's `dims` and the level it sits at (0 = innermost tiling level, `ng` = top).
type Shape = [(usize, usize)];

/// One loop nest of a spatial candidate (by index), numbered in its enumeration order.
#[derive(Clone, Debug)]
struct Nest {
    spatial: usize,
    ordinal: usize,
    loops: Vec<(usize, usize)>,
}

/// The best point of one nest: its value and trip-count assignment.
#[derive(Clone, Debug)]
struct Best {
    value: f64,
    nest: Nest,
    assignment: usize,
}

impl Best {
    /// Lower value first; ties to the earlier point.
    fn cmp(a: &Best, b: &Best) -> std::cmp::Ordering {
        a.value
            .total_cmp(&b.value)
            .then(a.nest.spatial.cmp(&b.nest.spatial))
            .then(a.nest.ordinal.cmp(&b.nest.ordinal))
            .then(a.assignment.cmp(&b.assignment))
    }
}

/// The loop nests of one spatial candidate.
struct Walk {
    /// Positions in `space.dims` of the dimensions with temporal trips left (total > 1).
    dims: Vec<usize>,
    /// Per such dimension and loop count `n`, its ordered factorisations into `n` factors ≥ 2
    /// (index `n`; at most as many loops as prime factors).
    splits: Vec<Vec<Vec<Vec<u64>>>>,
    /// The top level's index (the number of tiling levels).
    top: usize,
    /// The temporal trip count every nest has (the product of the totals).
    trips: f64,
    /// Whether a loop's level is fixed by the nest (ZigZag's allocation: levels are a
    /// canonical split) or part of the point (cuts at level boundaries).
    canonical: bool,
}

impl Walk {
    fn new(space: &Space<'_>, spatial: &Unrolls) -> Self {
        let probe = Skeleton { spatial: spatial.clone(), orders: vec![Vec::new(); space.levels.len() + 1] };
        let all = space.temporal_totals(&probe);
        let dims: Vec<usize> = (0..space.dims.len()).filter(|&k| all[space.dims[k]] > 1).collect();
        let totals: Vec<u64> = dims.iter().map(|&k| all[space.dims[k]]).collect();
        let splits =
            totals.iter().map(|&t| (0..=prime_factors(t).len()).map(|n| compositions(t, n)).collect()).collect();
        let trips = all.iter().product::<u64>() as f64;
        Walk { dims, splits, top: space.levels.len(), trips, canonical: space.zigzag_allocation }
    }

    /// Calls `visit` on every loop nest, in a fixed order, until it breaks.
    fn nests(&self, visit: &mut dyn FnMut(&Shape) -> ControlFlow<()>) -> ControlFlow<()> {
        let mut used = vec![0usize; self.dims.len()];
        self.extend(&mut Vec::new(), &mut used, 0, 0, visit)
    }

    /// Visits the nests that start with `nest` (whose last level holds the dimensions in
    /// `block`, a bit mask over `dims` positions, at level `level`).
    fn extend(
        &self,
        nest: &mut Vec<(usize, usize)>,
        used: &mut [usize],
        block: u64,
        level: usize,
        visit: &mut dyn FnMut(&Shape) -> ControlFlow<()>,
    ) -> ControlFlow<()> {
        if used.iter().all(|&n| n > 0) {
            visit(nest)?;
        }
        for i in 0..self.dims.len() {
            if used[i] + 1 >= self.splits[i].len() {
                continue;
            }
            let fits = block & (1 << i) == 0;
            // With ZigZag's allocation the levels carry nothing: a loop joins the current
            // block whenever it can (the fewest blocks), else opens the next. With level cuts,
            // it may sit at any level from the current one up.
            let levels = if self.canonical {
                if fits { level..level + 1 } else { level + 1..level + 2 }
            } else if fits {
                level..self.top + 1
            } else {
                level + 1..self.top + 1
            };
            for g in levels.take_while(|&g| g <= self.top) {
                let next = if g == level { block | (1 << i) } else { 1 << i };
                used[i] += 1;
                nest.push((i, g));
                let flow = self.extend(nest, used, next, g, visit);
                nest.pop();
                used[i] -= 1;
                flow?;
            }
        }
        ControlFlow::Continue(())
    }

    /// Per dimension, the number of loops `nest` gives it.
    fn counts(&self, nest: &Shape) -> Vec<usize> {
        let mut used = vec![0; self.dims.len()];
        for &(i, _) in nest {
            used[i] += 1;
        }
        used
    }

    /// The number of trip-count assignments of `nest`.
    fn points(&self, nest: &Shape) -> usize {
        self.counts(nest).iter().enumerate().map(|(i, &n)| self.splits[i][n].len()).product()
    }

    /// Writes the trip counts of assignment `a` (dimension-major odometer, first dimension
    /// fastest) into `sizes`, one per loop of `nest`.
    fn sizes(&self, nest: &Shape, counts: &[usize], mut a: usize, sizes: &mut [u64]) {
        let mut nth = vec![0usize; self.dims.len()];
        let chosen: Vec<&[u64]> = counts
            .iter()
            .enumerate()
            .map(|(i, &n)| {
                let options = &self.splits[i][n];
                let pick = &options[a % options.len()];
                a /= options.len();
                pick.as_slice()
            })
            .collect();
        for (s, &(i, _)) in sizes.iter_mut().zip(nest) {
            *s = chosen[i][nth[i]];
            nth[i] += 1;
        }
    }

    /// The skeleton and factors of assignment `a` of `nest`: each level's loops in nest order,
    /// then the dimensions it leaves at one.
    fn point(&self, space: &Space<'_>, spatial: &Unrolls, nest: &Shape, a: usize) -> (Skeleton, Vec<f64>) {
        let (nd, ng) = (space.dims.len(), space.levels.len());
        let mut sizes = vec![0; nest.len()];
        self.sizes(nest, &self.counts(nest), a, &mut sizes);
        let mut orders: Vec<Vec<usize>> = vec![Vec::new(); ng + 1];
        let mut factors = vec![1.0; ng * nd];
        for (&(i, g), &size) in nest.iter().zip(&sizes) {
            let k = self.dims[i];
            orders[g].push(space.dims[k]);
            if g < ng {
                factors[g * nd + k] = size as f64;
            }
        }
        for order in &mut orders {
            let rest: Vec<usize> = space.dims.iter().copied().filter(|d| !order.contains(d)).collect();
            order.extend(rest);
        }
        (Skeleton { spatial: spatial.clone(), orders }, factors)
    }

    /// The best fitting point of `nest`, scored through a model prepared per set of cuts; the
    /// points scored; whether every value was at least `floor`.
    fn best(
        &self,
        space: &Space<'_>,
        spatial: &Unrolls,
        nest: &Nest,
        objective: Objective,
        floor: f64,
    ) -> (Option<Best>, usize, bool) {
        let loops = &nest.loops;
        let counts = self.counts(loops);
        let (sk, factors) = self.point(space, spatial, loops, 0);
        let mut mapping = space.mapping(&sk, &factors, true);
        debug_assert_eq!(mapping.loops.len(), loops.len(), "no loop of a nest has one trip");
        // Per dimension: its factorisations and the positions of its loops in the nest.
        let splits: Vec<&[Vec<u64>]> = counts.iter().enumerate().map(|(i, &n)| self.splits[i][n].as_slice()).collect();
        let mut at: Vec<Vec<usize>> = vec![Vec::new(); self.dims.len()];
        for (p, &(i, _)) in loops.iter().enumerate() {
            at[i].push(p);
        }
        let set = |mapping: &mut Mapping<f64>, i: usize, pick: usize| {
            for (&p, &size) in at[i].iter().zip(&splits[i][pick]) {
                mapping.loops[p].size = size as f64;
            }
        };
        // The assignments in `Walk::sizes` order: an odometer, first dimension fastest.
        let mut pick = vec![0usize; self.dims.len()];
        for i in 0..self.dims.len() {
            set(&mut mapping, i, 0);
        }
        let mut prepared: Vec<([Vec<usize>; 3], Prepared<'_, '_>)> = Vec::new();
        let (mut best, mut scored, mut sound) = (None::<(f64, usize)>, 0, true);
        for a in 0.. {
            if a > 0 {
                let mut i = 0;
                while i < pick.len() {
                    pick[i] += 1;
                    if pick[i] < splits[i].len() {
                        break;
                    }
                    pick[i] = 0;
                    set(&mut mapping, i, 0);
                    i += 1;
                }
                if i == pick.len() {
                    break;
                }
                set(&mut mapping, i, pick[i]);
            }
            scored += 1;
            // As `local::exact`: ZigZag's allocator cuts only where the tiles fit; level cuts
            // need the capacity check.
            let model = if space.zigzag_allocation {
                let Some(cuts) = space.allocator.cuts(&mapping.spatial, &mapping.loops) else {
                    continue;
                };
                mapping.cuts = cuts;
                let at = match prepared.iter().position(|(c, _)| *c == mapping.cuts) {
                    Some(at) => at,
                    None => {
                        prepared.push((mapping.cuts.clone(), space.model.prepare(&mapping)));
                        prepared.len() - 1
                    }
                };
                &prepared[at].1
            } else {
                if prepared.is_empty() {
                    prepared.push((mapping.cuts.clone(), space.model.prepare(&mapping)));
                }
                let p = &prepared[0].1;
                if space.capacity_of(&mapping, p.footprints(&mapping, true)).iter().any(|&(used, cap)| used > cap) {
                    continue;
                }
                p
            };
            let value = objective.value(&model.evaluate(&mapping));
            if !value.is_finite() {
                continue;
            }
            sound &= value >= floor;
            if best.is_none_or(|(b, _)| value < b) {
                best = Some((value, a));
            }
        }
        (best.map(|(value, assignment)| Best { value, nest: nest.clone(), assignment }), scored, sound)
    }
}

/// Ordered factorisations of `n` into `parts` factors, each at least 2 (`n = 1` has one into
/// no factors).
fn compositions(n: u64, parts: usize) -> Vec<Vec<u64>> {
    if parts == 0 {
        return if n == 1 { vec![Vec::new()] } else { Vec::new() };
    }
    let mut out = Vec::new();
    for d in divisors(n).into_iter().filter(|&d| d > 1) {
        for mut rest in compositions(n / d, parts - 1) {
            rest.insert(0, d);
            out.push(rest);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use dnnc_arch::{Accelerator, Operand, Precision};
    use dnnc_cost::{Access, Layer};

    use super::{compositions, scan_space};
    use crate::objective::Objective;
    use crate::space::Space;

    /// Skipping the spatial candidates the (MAC energy, trip count) bound rules out changes
    /// nothing: on a GEMM where it skips most points (98 × 12 × 14 on eyeriss_like: the
    /// candidates unrolling little of the 98), the same optimum as scoring every point.
    #[test]
    fn skipping_by_the_bound_keeps_the_optimum() {
        let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
        let layer = Layer::new(
            "gemm",
            &[("C", 98), ("D", 12), ("K", 14)],
            [rel(&[1, 0]), rel(&[0, 2]), rel(&[1, 2])],
            [Operand::O, Operand::I, Operand::W],
            Precision::default(),
        );
        let arch = Accelerator::preset("eyeriss_like").unwrap();
        let space = Space::new(&arch, &layer).unwrap();
        for objective in [Objective::Edp, Objective::Latency, Objective::Energy] {
            let (fast, full) = (
                scan_space(&space, objective, 1_000_000, true).unwrap(),
                scan_space(&space, objective, 1_000_000, false).unwrap(),
            );
            assert_eq!(full.scored, full.points);
            assert_eq!(fast.points, full.points);
            let (a, b) = (fast.best.unwrap(), full.best.unwrap());
            assert_eq!(a.value.to_bits(), b.value.to_bits(), "{objective:?}");
            assert_eq!(a.mapping, b.mapping, "{objective:?}");
            if objective == Objective::Edp {
                assert!(
                    fast.scored < full.points / 2,
                    "the bound skips most points: {} of {}",
                    fast.scored,
                    full.points
                );
            }
        }
    }

    #[test]
    fn compositions_are_ordered_complete_and_above_one() {
        let f = compositions(12, 2);
        assert_eq!(f, vec![vec![2, 6], vec![3, 4], vec![4, 3], vec![6, 2]]);
        assert_eq!(compositions(12, 3).len(), 3);
        assert_eq!(compositions(8, 3), vec![vec![2, 2, 2]]);
        assert!(compositions(8, 4).is_empty());
        assert_eq!(compositions(7, 1), vec![vec![7]]);
        assert_eq!(compositions(1, 0), vec![Vec::<u64>::new()]);
        assert!(compositions(1, 1).is_empty());
    }
}
