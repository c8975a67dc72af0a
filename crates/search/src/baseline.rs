//! Baselines the FADiff search is measured against, in the same space and on the same exact
//! model: random sampling at a given evaluation budget, and exhaustive enumeration for small
//! layers (every spatial candidate, every factorisation of every dimension over the levels,
//! and every combination of stationarity orders per level).

use rand::{RngExt, SeedableRng};
use rand_xorshift::XorShiftRng;

use crate::local::{Candidate, score};
use crate::objective::Objective;
use crate::space::{Skeleton, Space, divisors, prime_factors};

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

/// Ordered factorisations of `n` into `parts` factors.
fn factorisations(n: u64, parts: usize) -> Vec<Vec<u64>> {
    if parts == 1 {
        return vec![vec![n]];
    }
    let mut out = Vec::new();
    for d in divisors(n) {
        for mut rest in factorisations(n / d, parts - 1) {
            rest.insert(0, d);
            out.push(rest);
        }
    }
    out
}

/// Why exhaustive search was not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("exhaustive search needs more than {limit} evaluations")]
pub struct TooLarge {
    pub limit: usize,
}

/// The optimum over the whole space, if it takes at most `limit` evaluations. Loop orders
/// that differ only in where unit loops sit are the same mapping and are evaluated once.
pub fn exhaustive(space: &Space<'_>, objective: Objective, limit: usize) -> Result<Option<Candidate>, TooLarge> {
    let (nd, ng) = (space.dims.len(), space.levels.len());
    let orders = space.stationary_orders();
    let mut best: Option<Candidate> = None;
    let mut evaluations = 0usize;
    for sp in space.spatial_candidates(usize::MAX) {
        let probe = Skeleton { spatial: sp.clone(), orders: vec![orders[0].clone(); ng + 1] };
        let totals = space.temporal_totals(&probe);
        let fs: Vec<Vec<Vec<u64>>> = space.dims.iter().map(|&d| factorisations(totals[d], ng + 1)).collect();
        let mut idx = vec![0usize; nd];
        loop {
            let factors: Vec<f64> =
                (0..ng).flat_map(|g| (0..nd).map(move |k| (g, k))).map(|(g, k)| fs[k][idx[k]][g] as f64).collect();
            // Per level, the distinct orders of its non-unit loops.
            let level_orders: Vec<Vec<Vec<usize>>> = (0..=ng)
                .map(|g| {
                    let unit = |k: usize| fs[k][idx[k]][g] == 1;
                    let mut distinct: Vec<Vec<usize>> = Vec::new();
                    for o in &orders {
                        let eff: Vec<usize> = o
                            .iter()
                            .copied()
                            .filter(|d| space.dims.iter().position(|x| x == d).is_some_and(|k| !unit(k)))
                            .collect();
                        if !distinct
                            .iter()
                            .any(|x| x.iter().filter(|d| eff.contains(d)).copied().collect::<Vec<_>>() == eff)
                        {
                            distinct.push(o.clone());
                        }
                    }
                    distinct
                })
                .collect();
            let combos: usize = level_orders.iter().map(Vec::len).product();
            for combo in 0..combos {
                let mut c = combo;
                let chosen = level_orders
                    .iter()
                    .map(|opts| {
                        let o = opts[c % opts.len()].clone();
                        c /= opts.len();
                        o
                    })
                    .collect();
                let sk = Skeleton { spatial: sp.clone(), orders: chosen };
                evaluations += 1;
                if evaluations > limit {
                    return Err(TooLarge { limit });
                }
                if let Some(c) = score(space, &sk, &factors, objective)
                    && best.as_ref().is_none_or(|b| c.value < b.value)
                {
                    best = Some(c);
                }
            }
            // Next factorisation (odometer).
            let mut k = 0;
            while k < nd {
                idx[k] += 1;
                if idx[k] < fs[k].len() {
                    break;
                }
                idx[k] = 0;
                k += 1;
            }
            if k == nd {
                break;
            }
        }
    }
    Ok(best.map(|mut b| {
        b.evaluations = evaluations;
        b
    }))
}

#[cfg(test)]
mod tests {
    use super::factorisations;

    #[test]
    fn factorisations_are_ordered_and_complete() {
        let f = factorisations(12, 2);
        assert_eq!(f.len(), 6);
        assert!(f.contains(&vec![3, 4]) && f.contains(&vec![4, 3]));
        assert_eq!(factorisations(8, 3).len(), 10);
        assert!(factorisations(7, 3).iter().all(|v| v.iter().product::<u64>() == 7));
    }
}
