//! What a search minimises, and the relaxed loss FADiff descends on.

use dnnc_cost::{Cost, Prepared, Real};
use num_dual::DualSVec64;

use crate::space::{Skeleton, Space};

/// The figure of merit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Objective {
    /// Energy × latency.
    #[default]
    Edp,
    Latency,
    Energy,
}

impl Objective {
    pub fn parse(s: &str) -> Option<Objective> {
        match s {
            "edp" => Some(Objective::Edp),
            "latency" => Some(Objective::Latency),
            "energy" => Some(Objective::Energy),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Objective::Edp => "edp",
            Objective::Latency => "latency",
            Objective::Energy => "energy",
        }
    }

    /// The value to minimise (pJ·cycles, cycles or pJ).
    pub fn value(self, c: &Cost<f64>) -> f64 {
        self.value_of(c.energy, c.latency)
    }

    /// The value of a total energy (pJ) and latency (cycles).
    pub fn value_of(self, energy: f64, latency: f64) -> f64 {
        match self {
            Objective::Edp => energy * latency,
            Objective::Latency => latency,
            Objective::Energy => energy,
        }
    }

    /// Its logarithm, generic (the relaxed loss's main term).
    pub fn log<S: Real>(self, c: &Cost<S>) -> S {
        match self {
            Objective::Edp => c.energy.ln() + c.latency.ln(),
            Objective::Latency => c.latency.ln(),
            Objective::Energy => c.energy.ln(),
        }
    }
}

/// FADiff's capacity barrier: `softplus((U − 0.95·C)/(0.05·C))²`, near zero below 95 % of the
/// capacity and growing fast past it.
pub fn capacity_barrier<S: Real>(used: S, capacity: f64) -> S {
    let x = ((used - 0.95 * capacity) / (0.05 * capacity)).softplus();
    x * x
}

/// FADiff's penalty on a log quantity below zero (a factor below one): `softplus(−5·x)²`.
pub fn below_one_penalty<S: Real>(log: S) -> S {
    let x = (log * -5.0).softplus();
    x * x
}

/// The relaxed loss at log factors `theta`: the log objective plus FADiff's penalties —
/// capacity (`softplus((U − 0.95·C)/(0.05·C))²` per on-chip memory), factors below one, and
/// per dimension a top-level remainder below one (the lower levels overshooting the
/// dimension). `prepared` is the space's model prepared for `sk`'s relaxed mappings
/// ([`prepare`]), whose structure does not change with `theta`.
pub fn relaxed_loss<S: Real>(
    space: &Space<'_>,
    prepared: &Prepared<'_, '_>,
    sk: &Skeleton,
    theta: &[S],
    objective: Objective,
) -> S {
    let factors: Vec<S> = theta.iter().map(|t| t.exp()).collect();
    let mapping = space.mapping(sk, &factors, false);
    let cost = prepared.evaluate_relaxed(&mapping);
    let mut penalty = S::cst(0.0);
    for (used, cap) in space.capacity_of(&mapping, prepared.footprints(&mapping, false)) {
        penalty += capacity_barrier(used, cap);
    }
    let nd = space.dims.len();
    let totals = space.temporal_totals(sk);
    for (k, &d) in space.dims.iter().enumerate() {
        let mut log_rest = S::cst((totals[d] as f64).ln());
        for g in 0..space.levels.len() {
            log_rest = log_rest - theta[g * nd + k];
        }
        penalty += below_one_penalty(log_rest);
    }
    for &t in theta {
        penalty += below_one_penalty(t);
    }
    objective.log(&cost) + penalty
}

/// The space's model prepared for the relaxed mappings of `sk` (their loops, cuts and unrolls
/// are fixed by the skeleton; only the factors vary).
pub fn prepare<'m, 'a>(space: &'m Space<'a>, sk: &Skeleton) -> Prepared<'m, 'a> {
    let ones = vec![1.0; space.params()];
    space.model.prepare(&space.mapping(sk, &ones, false))
}

/// Value and gradient of [`relaxed_loss`], by forward-mode dual numbers (one pass per chunk of
/// up to 16 parameters).
pub fn loss_and_gradient(
    space: &Space<'_>,
    prepared: &Prepared<'_, '_>,
    sk: &Skeleton,
    theta: &[f64],
    objective: Objective,
) -> (f64, Vec<f64>) {
    // Dual numbers as wide as the parameters need: every lane is computed independently, so a
    // narrower dual gives the same bits with less to copy (most layers have 6 to 14 factors).
    match theta.len() {
        0..=4 => chunked::<4>(space, prepared, sk, theta, objective),
        5..=8 => chunked::<8>(space, prepared, sk, theta, objective),
        _ => chunked::<16>(space, prepared, sk, theta, objective),
    }
}

/// [`loss_and_gradient`] with `CHUNK`-wide duals, one pass per chunk of parameters.
fn chunked<const CHUNK: usize>(
    space: &Space<'_>,
    prepared: &Prepared<'_, '_>,
    sk: &Skeleton,
    theta: &[f64],
    objective: Objective,
) -> (f64, Vec<f64>) {
    let n = theta.len();
    let mut grad = vec![0.0; n];
    let mut value = f64::NAN;
    for start in (0..n.max(1)).step_by(CHUNK) {
        let vars: Vec<DualSVec64<CHUNK>> = theta
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                let x = DualSVec64::<CHUNK>::from_re(t);
                if i >= start && i < start + CHUNK { x.derivative(i - start) } else { x }
            })
            .collect();
        let l = relaxed_loss(space, prepared, sk, &vars, objective);
        value = l.re;
        let g = dnnc_cost::real::gradient(&l);
        let end = (start + CHUNK).min(n);
        grad[start..end].copy_from_slice(&g[..end - start]);
    }
    (value, grad)
}
