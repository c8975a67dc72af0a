//! What a search minimises, and the relaxed loss FADiff descends on.

use dnnc_cost::{Cost, Footprint, Mapping, Prepared, Real};

use crate::dual::Dual;
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
    relaxed_loss_with(space, prepared, sk, theta, objective, &mut Scratch::new(space, sk))
}

/// What [`relaxed_loss`] rebuilds at every point of one skeleton, kept across the steps of a
/// descent: the relaxed mapping (only its loop sizes change), the factors, the skeleton's
/// temporal totals and the footprints.
pub struct Scratch<S> {
    mapping: Mapping<S>,
    footprints: Vec<Footprint<S>>,
    factors: Vec<S>,
    below: Vec<S>,
    totals: Vec<u64>,
}

impl<S: Real> Scratch<S> {
    pub fn new(space: &Space<'_>, sk: &Skeleton) -> Self {
        let factors = vec![S::cst(1.0); space.params()];
        Scratch {
            mapping: space.mapping(sk, &factors, false),
            footprints: Vec::new(),
            factors,
            below: vec![S::cst(1.0); space.dims.len()],
            totals: space.temporal_totals(sk),
        }
    }
}

/// [`relaxed_loss_with`] on duals: on a CPU with x86-64-v3's integer and vector extensions
/// (as the cost model's evaluation, `dnnc_cost`'s `run_fast`) compiled for them, so each dual
/// operation of the loss takes a few 4-lane instructions instead of 2-lane ones. Neither copy
/// fuses multiply-adds, so both give the same bits.
#[inline(always)]
fn loss_of_duals<const W: usize>(
    space: &Space<'_>,
    prepared: &Prepared<'_, '_>,
    sk: &Skeleton,
    theta: &[Dual<W>],
    objective: Objective,
    scratch: &mut Scratch<Dual<W>>,
) -> Dual<W> {
    #[cfg(target_arch = "x86_64")]
    if wide_vectors() {
        // SAFETY: the CPU has the features `loss_wide` is compiled for.
        return unsafe { loss_wide(space, prepared, sk, theta, objective, scratch) };
    }
    relaxed_loss_with(space, prepared, sk, theta, objective, scratch)
}

/// Whether the CPU has every feature [`loss_wide`] is compiled for (detected once).
#[cfg(target_arch = "x86_64")]
fn wide_vectors() -> bool {
    static WIDE: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WIDE.get_or_init(|| {
        std::arch::is_x86_feature_detected!("sse4.1")
            && std::arch::is_x86_feature_detected!("avx2")
            && std::arch::is_x86_feature_detected!("bmi1")
            && std::arch::is_x86_feature_detected!("bmi2")
            && std::arch::is_x86_feature_detected!("lzcnt")
            && std::arch::is_x86_feature_detected!("popcnt")
    })
}

/// [`relaxed_loss_with`] compiled for x86-64-v3's extensions but FMA ([`wide_vectors`]).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "sse4.1,avx2,bmi1,bmi2,lzcnt,popcnt")]
unsafe fn loss_wide<const W: usize>(
    space: &Space<'_>,
    prepared: &Prepared<'_, '_>,
    sk: &Skeleton,
    theta: &[Dual<W>],
    objective: Objective,
    scratch: &mut Scratch<Dual<W>>,
) -> Dual<W> {
    relaxed_loss_with(space, prepared, sk, theta, objective, scratch)
}

/// [`relaxed_loss`] in `scratch` (made for `sk`).
#[inline(always)]
fn relaxed_loss_with<S: Real>(
    space: &Space<'_>,
    prepared: &Prepared<'_, '_>,
    sk: &Skeleton,
    theta: &[S],
    objective: Objective,
    scratch: &mut Scratch<S>,
) -> S {
    for (f, t) in scratch.factors.iter_mut().zip(theta) {
        *f = t.exp();
    }
    space.set_relaxed_sizes(&mut scratch.mapping, sk, &scratch.totals, &scratch.factors, &mut scratch.below);
    let mapping = &scratch.mapping;
    let cost = prepared.evaluate_relaxed_with_footprints(mapping, &mut scratch.footprints);
    let mut penalty = S::cst(0.0);
    for (used, cap) in space.capacity_of(mapping, &scratch.footprints) {
        penalty += capacity_barrier(used, cap);
    }
    let nd = space.dims.len();
    let totals = &scratch.totals;
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

/// Runs `$body` with `$w` bound to the dual width [`loss_and_gradient`] uses for `$n`
/// parameters: the narrowest multiple of 4 that holds them in one pass, up to [`MAX_LANES`];
/// more parameters take even chunks (36 take two passes of 20 lanes).
macro_rules! by_width {
    ($n:expr, $w:ident => $body:expr) => {{
        let n: usize = $n;
        let passes = n.div_ceil($crate::objective::MAX_LANES).max(1);
        match n.div_ceil(passes) {
            0..=4 => {
                const $w: usize = 4;
                $body
            }
            5..=8 => {
                const $w: usize = 8;
                $body
            }
            9..=12 => {
                const $w: usize = 12;
                $body
            }
            13..=16 => {
                const $w: usize = 16;
                $body
            }
            _ => {
                const $w: usize = $crate::objective::MAX_LANES;
                $body
            }
        }
    }};
}
pub(crate) use by_width;

/// The widest dual [`loss_and_gradient`] uses; more parameters take several passes. Wider
/// duals cost more per lane (every operation copies them), so past about 20 lanes two passes
/// are cheaper than one: ResNet-18's convolutions on eyeriss_like (36 parameters) take 6 % fewer
/// instructions as 2 x 20 lanes than as 1 x 40, GPT-2's 24-parameter matmuls 3.5 % fewer as
/// 2 x 12 than as 1 x 24.
pub const MAX_LANES: usize = 20;

/// Value and gradient of [`relaxed_loss`], by forward-mode dual numbers.
pub fn loss_and_gradient(
    space: &Space<'_>,
    prepared: &Prepared<'_, '_>,
    sk: &Skeleton,
    theta: &[f64],
    objective: Objective,
) -> (f64, Vec<f64>) {
    // Every lane is computed independently, so the width changes no bit of the result; a pass
    // costs a fixed part (the model's control flow) plus a part per lane, so few passes of
    // narrow duals are the cheapest (the search's layers have 9 to 36 factors: 4 to 6 tiling
    // levels times 3 to 6 dimensions; 16-lane chunks took 2 or 3 passes for 18 or 36).
    by_width!(theta.len(), W => {
        let mut grad = vec![0.0; theta.len()];
        let value = Gradient::<W>::new(space, sk).eval(space, prepared, sk, theta, objective, &mut grad);
        (value, grad)
    })
}

/// [`loss_and_gradient`] with `W`-wide duals (one pass per `W` parameters), its buffers kept
/// for the next point of the same skeleton.
pub struct Gradient<const W: usize> {
    scratch: Scratch<Dual<W>>,
    vars: Vec<Dual<W>>,
}

impl<const W: usize> Gradient<W> {
    pub fn new(space: &Space<'_>, sk: &Skeleton) -> Self {
        Gradient { scratch: Scratch::new(space, sk), vars: Vec::with_capacity(space.params()) }
    }

    /// The loss at `theta`, its gradient written to `grad`.
    pub fn eval(
        &mut self,
        space: &Space<'_>,
        prepared: &Prepared<'_, '_>,
        sk: &Skeleton,
        theta: &[f64],
        objective: Objective,
        grad: &mut [f64],
    ) -> f64 {
        let n = theta.len();
        let mut value = f64::NAN;
        for start in (0..n.max(1)).step_by(W) {
            self.vars.clear();
            self.vars.extend(
                theta.iter().enumerate().map(|(i, &t)| {
                    if i >= start && i < start + W { Dual::variable(t, i - start) } else { Dual::cst(t) }
                }),
            );
            let l = loss_of_duals(space, prepared, sk, &self.vars, objective, &mut self.scratch);
            value = l.re;
            let g = l.gradient();
            let end = (start + W).min(n);
            grad[start..end].copy_from_slice(&g[..end - start]);
        }
        value
    }
}

#[cfg(test)]
mod tests {
    use dnnc_arch::Accelerator;
    use dnnc_cost::Layer;
    use num_dual::DualSVec64;
    use rand::{RngExt, SeedableRng};
    use rand_xorshift::XorShiftRng;

    use super::*;

    /// Every start skeleton of three spatial candidates of a GEMM and a 3×3 convolution on
    /// both accelerators, with the space.
    fn each_start(mut f: impl FnMut(&Space<'_>, &Skeleton)) {
        for arch in ["tpu_like", "eyeriss_like"] {
            let arch = Accelerator::preset(arch).unwrap();
            for layer in [Layer::gemm("gemm", 768, 512, 768), Layer::conv2d("conv", 64, 64, 56, 3, 1, 56)] {
                let space = Space::new(&arch, &layer).unwrap();
                for spatial in space.spatial_candidates(3) {
                    for order in space.stationary_orders() {
                        f(&space, &Skeleton { spatial: spatial.clone(), orders: vec![order; space.levels.len() + 1] });
                    }
                }
            }
        }
    }

    /// The gradient's own dual number is a speed choice only: the loss and gradient have the
    /// bits `num_dual`'s `DualSVec64` gives through the same generic loss (both layers, both
    /// accelerators, every start skeleton of three spatial candidates, random points).
    #[test]
    fn gradient_bits_match_num_dual() {
        let mut rng = XorShiftRng::seed_from_u64(5);
        each_start(|space, sk| {
            let prepared = prepare(space, sk);
            for _ in 0..3 {
                let theta: Vec<f64> = (0..space.params()).map(|_| rng.random_range(-0.5..4.0)).collect();
                let (v, g) = loss_and_gradient(space, &prepared, sk, &theta, Objective::Edp);
                // num_dual, one 40-lane pass.
                let vars: Vec<DualSVec64<40>> =
                    theta.iter().enumerate().map(|(i, &t)| dnnc_cost::real::variable(t, i)).collect();
                let l = relaxed_loss(space, &prepared, sk, &vars, Objective::Edp);
                assert_eq!(v.to_bits(), l.re.to_bits());
                let want = dnnc_cost::real::gradient(&l);
                for (i, x) in g.iter().enumerate() {
                    assert_eq!(x.to_bits(), want[i].to_bits(), "parameter {i} of {}", theta.len());
                }
            }
        });
    }

    /// The dual width is a speed choice only: one wide pass, 4-lane and 16-lane chunks, and
    /// 8-lane chunks whose buffers were used for the previous points give the same value and
    /// gradient bits (9 to 36 parameters, random points, some far outside the capacities).
    #[test]
    fn gradient_bits_do_not_depend_on_the_dual_width() {
        let mut rng = XorShiftRng::seed_from_u64(11);
        each_start(|space, sk| {
            let prepared = prepare(space, sk);
            // Buffers kept across points, as a descent keeps them.
            let mut reused = Gradient::<8>::new(space, sk);
            for _ in 0..4 {
                let theta: Vec<f64> = (0..space.params()).map(|_| rng.random_range(-0.5..4.0)).collect();
                let obj = Objective::Edp;
                let (v, g) = loss_and_gradient(space, &prepared, sk, &theta, obj);
                let chunked = |g: &mut [f64], w| match w {
                    4 => Gradient::<4>::new(space, sk).eval(space, &prepared, sk, &theta, obj, g),
                    _ => Gradient::<16>::new(space, sk).eval(space, &prepared, sk, &theta, obj, g),
                };
                let (mut g4, mut g16) = (vec![0.0; theta.len()], vec![0.0; theta.len()]);
                let mut g8 = vec![0.0; theta.len()];
                let v8 = reused.eval(space, &prepared, sk, &theta, obj, &mut g8);
                for (v2, g2) in [(chunked(&mut g4, 4), &g4), (chunked(&mut g16, 16), &g16), (v8, &g8)] {
                    assert_eq!(v.to_bits(), v2.to_bits());
                    let bits = |g: &[f64]| g.iter().map(|x| x.to_bits()).collect::<Vec<_>>();
                    assert_eq!(bits(&g), bits(g2), "{} params", theta.len());
                }
            }
        });
    }
}
