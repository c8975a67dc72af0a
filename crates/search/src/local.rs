//! Local search on the exact model: move one prime factor of one dimension between adjacent
//! levels, or swap two adjacent loops of a level, keeping the best feasible improvement, until
//! none improves.

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
    let mut mapping = space.mapping(sk, factors, true);
    if space.zigzag_allocation {
        // The allocator only cuts where the tiles fit (at the same widths `capacity_use`
        // counts), so its mappings need no second capacity pass.
        mapping.cuts = dnnc_cost::zigzag_cuts(space.arch, space.layer, &mapping.spatial, &mapping.loops)?;
    } else if space.capacity_use(&mapping, true).iter().any(|&(used, cap)| used > cap) {
        return None;
    }
    let cost = match prepared {
        Some(p) => p.evaluate(&mapping),
        None => space.model.evaluate(&mapping),
    };
    let value = objective.value(&cost);
    value.is_finite().then(|| Candidate {
        skeleton: sk.clone(),
        factors: factors.to_vec(),
        mapping,
        cost,
        value,
        evaluations: 1,
    })
}

/// Polishes `factors` under `sk`; if they do not fit, first shrinks tiles toward the top.
pub fn polish(
    space: &Space<'_>,
    sk: Skeleton,
    factors: Vec<f64>,
    objective: Objective,
    rounds: usize,
) -> Option<Candidate> {
    let nd = space.dims.len();
    let ng = space.levels.len();
    let totals = space.temporal_totals(&sk);
    let mut evaluations = 0;
    let mut current = score(space, &sk, &factors, objective);
    evaluations += 1;
    let mut start = factors;
    // Infeasible: move factors up to the top, innermost level first, until it fits.
    let mut g = 0;
    while current.is_none() && g < ng {
        for k in 0..nd {
            start[g * nd + k] = 1.0;
        }
        current = score(space, &sk, &start, objective);
        evaluations += 1;
        g += 1;
    }
    let mut best = current?;
    // A factor move keeps the loop order and cuts unless it adds or removes a unit loop or
    // moves ZigZag's cuts (a fifth to a third of the moves keep them in the search tests):
    // evaluate moves through the current best's structure, which they reuse when they have it.
    let mut prepared = space.model.prepare(&best.mapping);
    for _ in 0..rounds {
        if evaluations > POLISH_BUDGET {
            break;
        }
        let mut improved: Option<Candidate> = None;
        let mut consider = |c: Option<Candidate>, evaluations: &mut usize| {
            *evaluations += 1;
            if let Some(c) = c
                && c.value < improved.as_ref().map_or(best.value, |b| b.value) * (1.0 - 1e-12)
            {
                improved = Some(c);
            }
        };
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
                        let mut f = best.factors.clone();
                        if from < ng {
                            f[from * nd + k] /= p as f64;
                        }
                        if to < ng {
                            f[to * nd + k] *= p as f64;
                        }
                        consider(score_with(space, Some(&prepared), &best.skeleton, &f, objective), &mut evaluations);
                    }
                }
            }
        }
        // Loop-order moves.
        for g in 0..=ng {
            for i in 0..best.skeleton.orders[g].len().saturating_sub(1) {
                let mut sk = best.skeleton.clone();
                sk.orders[g].swap(i, i + 1);
                consider(score(space, &sk, &best.factors, objective), &mut evaluations);
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
