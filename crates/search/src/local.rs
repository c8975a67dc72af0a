//! Local search on the exact model: move one prime factor of one dimension between adjacent
//! levels, or swap two adjacent loops of a level, keeping the best feasible improvement, until
//! none improves.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Mutex;

use dnnc_cost::{Cost, Mapping, Prepared};

use crate::objective::Objective;
use crate::space::{Skeleton, Space, prime_factors};

/// Exact evaluations one polish may spend (its rounds stop once past it): large layers have
/// hundreds of neighbours per round, and the first rounds find most of the gain.
pub const POLISH_BUDGET: usize = 1500;

/// A scored, feasible mapping.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub skeleton: Skeleton,
    /// Integer factors per (tiling level, dimension).
    pub factors: Vec<f64>,
    pub mapping: Mapping<f64>,
    pub cost: Cost<f64>,
    pub value: f64,
    /// Exact evaluations spent finding it.
    pub evaluations: usize,
}

/// The objective values of points already scored exactly, by the mapping they give (a loop
/// swap next to a unit loop, a move back to the previous best, or two starts meeting give a
/// mapping scored before). The value is a function of the mapping alone, so a search that
/// looks it up here instead of scoring again finds the same points; it still counts such a
/// point as an evaluation, so budgets are spent exactly as without it. Shared by the threads
/// of one layer's search.
///
/// The table is split in [`MEMO_SHARDS`] by a hash of the key, each behind its own lock: one
/// lock taken twice per scored point by both threads was contended often enough that its
/// waits (futex calls, context switches) were about 9 % of perf's samples of the GEMM on
/// eyeriss_like.
pub struct Memo {
    shards: [Mutex<MemoShard>; MEMO_SHARDS],
}

type MemoShard = HashMap<Vec<u64>, Known, BuildHasherDefault<WordHasher>>;

/// What the memo knows of a mapping.
#[derive(Clone, Copy, Debug)]
enum Known {
    /// It does not fit (or its value is not finite).
    Unfit,
    /// Its objective value.
    Value(f64),
    /// A lower bound on its value: its evaluation was given up at a bar it could not beat.
    AtLeast(f64),
}

/// Locks of the memo (a power of two).
const MEMO_SHARDS: usize = 16;
/// The most points [`Memo::with_capacity`] makes room for up front (a huge budget grows the
/// memo as it fills instead).
const MEMO_PRESIZE: usize = 1 << 16;

impl Default for Memo {
    fn default() -> Self {
        Memo { shards: std::array::from_fn(|_| Mutex::new(HashMap::default())) }
    }
}

/// The memo's hash of a key: a multiply-rotate per 64-bit word (FxHash's). The memo is looked
/// up for every point a polish visits and never iterated, so its hash only has to be fast and
/// spread the keys; the default SipHash took a tenth of the polishing.
#[derive(Default)]
struct WordHasher(u64);

impl WordHasher {
    #[inline]
    fn word(&mut self, x: u64) {
        self.0 = (self.0.rotate_left(5) ^ x).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.word(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut w = [0u8; 8];
            w[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(w));
        }
    }

    fn write_u64(&mut self, x: u64) {
        self.word(x);
    }

    fn write_usize(&mut self, x: usize) {
        self.word(x as u64);
    }
}

impl Memo {
    /// A memo sized for about `points` distinct points (a search's polishing budget; at most
    /// [`MEMO_PRESIZE`]), so it does not grow by rehashing while the polishes fill it: growing
    /// took about 2 % of the GEMM's time on eyeriss_like.
    pub fn with_capacity(points: usize) -> Self {
        let per_shard = points.min(MEMO_PRESIZE).div_ceil(MEMO_SHARDS);
        Memo {
            shards: std::array::from_fn(|_| {
                Mutex::new(HashMap::with_capacity_and_hasher(per_shard, Default::default()))
            }),
        }
    }

    /// The shard holding `key`: bits of a hash other than the one its table uses (that one
    /// starts from the key's length), so a shard's keys still spread over its table.
    fn shard(&self, key: &[u64]) -> std::sync::MutexGuard<'_, MemoShard> {
        let mut h = WordHasher::default();
        for &w in key {
            h.word(w);
        }
        let i = (h.finish() >> 32) as usize % MEMO_SHARDS;
        self.shards[i].lock().unwrap_or_else(|e| e.into_inner())
    }

    fn get(&self, key: &[u64]) -> Option<Known> {
        self.shard(key).get(key).copied()
    }

    fn insert(&self, key: &[u64], known: Known) {
        self.shard(key).insert(key.to_vec(), known);
    }
}

/// What an exact mapping's value depends on: the unrolls and the loops (ZigZag's allocation
/// derives the cuts from them), and the cuts when the tiling levels set them.
fn key_into(space: &Space<'_>, mapping: &Mapping<f64>, k: &mut Vec<u64>) {
    k.clear();
    for u in &mapping.spatial {
        k.extend([u.array_dim as u64, u.dim as u64, u.factor.to_bits()]);
    }
    k.push(u64::MAX);
    for l in &mapping.loops {
        k.extend([l.dim as u64, l.size.to_bits()]);
    }
    if !space.zigzag_allocation {
        for cuts in &mapping.cuts {
            k.push(u64::MAX);
            k.extend(cuts.iter().map(|&c| c as u64));
        }
    }
}

/// Scores a point exactly; `None` if it does not fit the memories.
pub fn score(space: &Space<'_>, sk: &Skeleton, factors: &[f64], objective: Objective) -> Option<Candidate> {
    score_with(space, None, sk, factors, objective)
}

/// [`score`], evaluating through `prepared` (the model prepared for a neighbouring mapping)
/// when the point's mapping has its structure — the same result, without working the
/// structure out again.
pub fn score_with(
    space: &Space<'_>,
    prepared: Option<&Prepared<'_, '_>>,
    sk: &Skeleton,
    factors: &[f64],
    objective: Objective,
) -> Option<Candidate> {
    let (mapping, cost, value) = exact(space, prepared, space.mapping(sk, factors, true), objective)?;
    Some(Candidate { skeleton: sk.clone(), factors: factors.to_vec(), mapping, cost, value, evaluations: 1 })
}

/// The exact cost and value of `mapping` (as [`Space::mapping`] gives it for integer factors),
/// with its cuts set; `None` if it does not fit or its value is not finite.
fn exact(
    space: &Space<'_>,
    prepared: Option<&Prepared<'_, '_>>,
    mut mapping: Mapping<f64>,
    objective: Objective,
) -> Option<(Mapping<f64>, Cost<f64>, f64)> {
    match exact_in(space, prepared, &mut mapping, objective, f64::INFINITY) {
        Scored::Value(cost, value) => Some((mapping, cost, value)),
        Scored::Unfit | Scored::AtLeast(_) => None,
    }
}

/// What [`exact_in`] found.
enum Scored {
    /// The mapping does not fit, or its value is not finite.
    Unfit,
    Value(Cost<f64>, f64),
    /// Its value is at least this, which is at or above the bar.
    AtLeast(f64),
}

/// [`exact`] of `mapping` in place (its cuts set), given up once a lower bound on its value
/// reaches `bar` (energy so far × compute cycles, [`dnnc_cost::GiveUp`]): a polish wants only
/// points below its bar, and about half the points it scores have an energy that already
/// puts them above it, so their latency (stalls, on- and off-loading) is not worked out. With
/// `bar` infinite the evaluation is given up only where the value would not be finite.
fn exact_in(
    space: &Space<'_>,
    prepared: Option<&Prepared<'_, '_>>,
    mapping: &mut Mapping<f64>,
    objective: Objective,
    bar: f64,
) -> Scored {
    if space.zigzag_allocation {
        // The allocator only cuts where the tiles fit (at the same widths `capacity_use`
        // counts), so its mappings need no second capacity pass.
        if !space.allocator.cuts_into(&mapping.spatial, &mapping.loops, &mut mapping.cuts) {
            return Scored::Unfit;
        }
    } else if space.capacity_use(mapping, true).iter().any(|&(used, cap)| used > cap) {
        return Scored::Unfit;
    }
    // The objective grows with the energy and the latency (non-negative), so its value at
    // their lower bounds is a lower bound on its value.
    let bound = std::cell::Cell::new(f64::NAN);
    let give_up = |energy: f64, latency: f64| {
        let v = objective.value_of(energy, latency);
        bound.set(v);
        v >= bar
    };
    let cost = match prepared {
        Some(p) => p.evaluate_unless(mapping, &give_up),
        None => space.model.evaluate_unless(mapping, &give_up),
    };
    let Some(cost) = cost else {
        // An infinite bound at an infinite bar: the value would not be finite either.
        return if bound.get().is_finite() { Scored::AtLeast(bound.get()) } else { Scored::Unfit };
    };
    let value = objective.value(&cost);
    if value.is_finite() { Scored::Value(cost, value) } else { Scored::Unfit }
}

/// What scoring a point needs besides the point, kept across the points of one polish (they
/// share the spatial unrolls, so the temporal totals too, and the objective): the mapping and
/// memo key are built in place.
struct Scratch {
    objective: Objective,
    totals: Vec<u64>,
    below: Vec<f64>,
    ends: Vec<usize>,
    mapping: Mapping<f64>,
    key: Vec<u64>,
}

impl Scratch {
    fn new(space: &Space<'_>, sk: &Skeleton, objective: Objective) -> Self {
        Scratch {
            objective,
            totals: space.temporal_totals(sk),
            below: vec![1.0; space.dims.len()],
            ends: Vec::new(),
            mapping: space.mapping(sk, &vec![1.0; space.params()], true),
            key: Vec::new(),
        }
    }
}

/// [`score_with`] through `memo`: the candidate if it fits and its value is below `bar` (it is
/// only built then; otherwise the value, when known, comes from the memo).
fn score_below(
    space: &Space<'_>,
    memo: &Memo,
    scratch: &mut Scratch,
    prepared: Option<&Prepared<'_, '_>>,
    sk: &Skeleton,
    factors: &[f64],
    bar: f64,
) -> Option<Candidate> {
    let Scratch { objective, totals, below, ends, mapping, key } = scratch;
    let objective = *objective;
    space.exact_mapping_into(sk, factors, totals, (below, ends), mapping);
    key_into(space, mapping, key);
    let known = memo.get(key);
    match known {
        Some(Known::Unfit) => return None,
        Some(Known::Value(v) | Known::AtLeast(v)) if v >= bar => return None,
        // Below the bar: scored again for the candidate (rare: a point seen before that
        // beats the current best, or one given up at a higher bar).
        _ => {}
    }
    let found = exact_in(space, prepared, mapping, objective, bar);
    let learnt = match &found {
        Scored::Unfit => Known::Unfit,
        Scored::Value(_, v) => Known::Value(*v),
        Scored::AtLeast(v) => Known::AtLeast(*v),
    };
    if matches!(known, None | Some(Known::AtLeast(_))) {
        memo.insert(key, learnt);
    }
    let Scored::Value(cost, value) = found else { return None };
    (value < bar).then(|| Candidate {
        skeleton: sk.clone(),
        factors: factors.to_vec(),
        mapping: mapping.clone(),
        cost,
        value,
        evaluations: 1,
    })
}

/// Polishes `factors` under `sk`; if they do not fit, first shrinks tiles toward the top.
/// `memo` holds the values of points scored before (by this or another polish of the same
/// space).
pub fn polish(
    space: &Space<'_>,
    memo: &Memo,
    sk: Skeleton,
    factors: Vec<f64>,
    objective: Objective,
    rounds: usize,
) -> Option<Candidate> {
    polish_while(space, memo, sk, factors, objective, rounds, &|| true)
}

/// [`polish`], given up (`None`) before a round when `go_on` says so: a search that starts
/// polishes before it knows whether it will use them stops the ones it will not.
pub fn polish_while(
    space: &Space<'_>,
    memo: &Memo,
    sk: Skeleton,
    factors: Vec<f64>,
    objective: Objective,
    rounds: usize,
    go_on: &(dyn Fn() -> bool + Sync),
) -> Option<Candidate> {
    let nd = space.dims.len();
    let ng = space.levels.len();
    let totals = space.temporal_totals(&sk);
    let mut evaluations = 0;
    let mut scratch = Scratch::new(space, &sk, objective);
    let mut current = score_below(space, memo, &mut scratch, None, &sk, &factors, f64::INFINITY);
    evaluations += 1;
    let mut start = factors;
    // Infeasible: move factors up to the top, innermost level first, until it fits.
    let mut g = 0;
    while current.is_none() && g < ng {
        for k in 0..nd {
            start[g * nd + k] = 1.0;
        }
        current = score_below(space, memo, &mut scratch, None, &sk, &start, f64::INFINITY);
        evaluations += 1;
        g += 1;
    }
    let mut best = current?;
    // A factor move keeps the loop order and cuts unless it adds or removes a unit loop or
    // moves ZigZag's cuts (a fifth to a third of the moves keep them in the search tests):
    // evaluate moves through the current best's structure, which they reuse when they have it.
    let mut prepared = space.model.prepare(&best.mapping);
    let mut f = best.factors.clone();
    for _ in 0..rounds {
        if evaluations > POLISH_BUDGET {
            break;
        }
        if !go_on() {
            return None;
        }
        // The best improvement so far this round; a point must beat it (or the best) by a
        // relative 1e-12 to replace it.
        let mut improved: Option<Candidate> = None;
        let bar = |improved: &Option<Candidate>| improved.as_ref().map_or(best.value, |b| b.value) * (1.0 - 1e-12);
        // Factor moves: one prime factor of one dimension from level `from` to level `to`
        // (level `ng` is the top, which holds the remainder).
        for k in 0..nd {
            let d = space.dims[k];
            let lower: u64 = (0..ng).map(|x| best.factors[x * nd + k] as u64).product();
            let top_rest = totals[d] / lower.max(1);
            let at = |g: usize| if g < ng { best.factors[g * nd + k] as u64 } else { top_rest };
            for from in 0..=ng {
                let mut primes = prime_factors(at(from));
                primes.dedup();
                for p in primes {
                    for to in (0..=ng).filter(|&t| t != from) {
                        f.copy_from_slice(&best.factors);
                        if from < ng {
                            f[from * nd + k] /= p as f64;
                        }
                        if to < ng {
                            f[to * nd + k] *= p as f64;
                        }
                        evaluations += 1;
                        let bar = bar(&improved);
                        let p = Some(&prepared);
                        if let Some(c) = score_below(space, memo, &mut scratch, p, &best.skeleton, &f, bar) {
                            improved = Some(c);
                        }
                    }
                }
            }
        }
        // Loop-order moves.
        let mut sk = best.skeleton.clone();
        for g in 0..=ng {
            for i in 0..best.skeleton.orders[g].len().saturating_sub(1) {
                sk.orders[g].swap(i, i + 1);
                evaluations += 1;
                let bar = bar(&improved);
                if let Some(c) = score_below(space, memo, &mut scratch, None, &sk, &best.factors, bar) {
                    improved = Some(c);
                }
                sk.orders[g].swap(i, i + 1);
            }
        }
        match improved {
            Some(c) => {
                best = c;
                prepared = space.model.prepare(&best.mapping);
            }
            None => break,
        }
    }
    best.evaluations = evaluations;
    Some(best)
}
