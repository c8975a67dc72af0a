//! The dual-number gradient of the relaxed model equals central finite differences.
mod common;

use common::{gemm, gemm_mapping, tpu_like};
use dnnc_cost::real::{gradient, variable};
use dnnc_cost::*;
use num_dual::DualSVec64;

const SIZES: [f64; 6] = [4.0, 6.0, 32.0, 16.0, 6.0, 4.0];

fn at(theta: [f64; 6]) -> Cost<f64> {
    let arch = tpu_like();
    evaluate_relaxed(&arch, &gemm(), &gemm_mapping(&arch, theta.map(f64::exp)))
}

#[test]
fn gradient_of_log_tile_factors_matches_finite_differences() {
    let arch = tpu_like();
    let theta = SIZES.map(f64::ln);
    // Perturb off the integer grid so no decision sits on a threshold.
    let theta: [f64; 6] = std::array::from_fn(|i| theta[i] + 0.013 * (i as f64 + 1.0));
    let vars: [DualSVec64<6>; 6] = std::array::from_fn(|i| variable(theta[i], i).exp());
    let cost = evaluate_relaxed(&arch, &gemm(), &gemm_mapping(&arch, vars));
    let (ge, gl) = (gradient(&cost.energy), gradient(&cost.latency));
    assert!((cost.energy.re - at(theta).energy).abs() < 1e-6 * at(theta).energy, "dual value equals f64 value");
    let h = 1e-6;
    for i in 0..6 {
        let (mut up, mut down) = (theta, theta);
        up[i] += h;
        down[i] -= h;
        let fe = (at(up).energy - at(down).energy) / (2.0 * h);
        let fl = (at(up).latency - at(down).latency) / (2.0 * h);
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-4 * a.abs().max(b.abs()).max(1.0);
        assert!(close(ge[i], fe), "dE/dθ{i}: dual {} vs finite differences {fe}", ge[i]);
        assert!(close(gl[i], fl), "dL/dθ{i}: dual {} vs finite differences {fl}", gl[i]);
    }
    // The gradient is informative: growing the innermost C loop changes the energy.
    assert!(ge.iter().any(|g| g.abs() > 1.0));
}

#[test]
fn relaxed_model_agrees_with_exact_model_on_integer_mappings() {
    let arch = tpu_like();
    let exact = evaluate(&arch, &gemm(), &gemm_mapping(&arch, SIZES));
    let relaxed = evaluate_relaxed(&arch, &gemm(), &gemm_mapping(&arch, SIZES));
    // Only the rounding of port granules differs: within a few percent here.
    assert!((exact.energy - relaxed.energy).abs() / exact.energy < 0.05, "{} vs {}", exact.energy, relaxed.energy);
    assert_eq!(exact.compute_cycles, relaxed.compute_cycles);
}

#[test]
fn soft_loop_order_weights_have_the_right_gradient() {
    // Two loop orders of the same tiling: C innermost (output stationary) and D innermost.
    let arch = tpu_like();
    let layer = gemm();
    let os = gemm_mapping(&arch, SIZES);
    let mut ds = os.clone();
    ds.loops.swap(0, 2);
    ds.loops.swap(1, 3);
    let costs_at = |w: [f64; 2]| {
        let c = [evaluate(&arch, &layer, &os), evaluate(&arch, &layer, &ds)];
        soft_choice(&c, &w).energy
    };
    let w: [DualSVec64<2>; 2] = [variable(0.3, 0), variable(-0.2, 1)];
    let c: [Cost<DualSVec64<2>>; 2] =
        [evaluate(&arch, &layer, &gemm_mapping(&arch, SIZES.map(DualSVec64::from_re))), {
            let mut m = gemm_mapping(&arch, SIZES.map(DualSVec64::from_re));
            m.loops.swap(0, 2);
            m.loops.swap(1, 3);
            evaluate(&arch, &layer, &m)
        }];
    let g = gradient(&soft_choice(&c, &w).energy);
    let h = 1e-6;
    for i in 0..2 {
        let (mut up, mut down) = ([0.3, -0.2], [0.3, -0.2]);
        up[i] += h;
        down[i] -= h;
        let fd = (costs_at(up) - costs_at(down)) / (2.0 * h);
        assert!((g[i] - fd).abs() <= 1e-5 * fd.abs().max(1.0), "d/dw{i}: dual {} vs {fd}", g[i]);
    }
    // The two orders really differ, so the weights matter.
    assert!((evaluate(&arch, &layer, &os).energy - evaluate(&arch, &layer, &ds).energy).abs() > 1.0);
}
