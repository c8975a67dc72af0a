//! Runs the reference GEMM mapping through a prepared model N times (for `perf stat` and
//! `valgrind --tool=callgrind`): `eval_loop N [prepared|unprepared] [value|gradient]`.
//! `unprepared` works the mapping's structure out on every evaluation (as
//! `LayerModel::evaluate` does); `gradient` evaluates the relaxed model with dual numbers over
//! the six log tile factors.
#[path = "../tests/common/mod.rs"]
mod common;

use dnnc_cost::Real;
use dnnc_cost::real::variable;
use num_dual::DualSVec64;

const SIZES: [f64; 6] = [4.0, 6.0, 32.0, 16.0, 6.0, 4.0];

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let unprepared = args.next().as_deref() == Some("unprepared");
    let gradient = args.next().as_deref() == Some("gradient");
    let arch = common::tpu_like();
    let layer = common::gemm();
    let model = dnnc_cost::LayerModel::new(&arch, &layer);
    let mapping = common::gemm_mapping(&arch, SIZES);
    let prepared = model.prepare(&mapping);
    let vars: [DualSVec64<6>; 6] = std::array::from_fn(|i| variable(SIZES[i].ln(), i).exp());
    let dual = common::gemm_mapping(&arch, vars);
    let mut acc = 0.0;
    for _ in 0..n {
        acc += match (unprepared, gradient) {
            (false, false) => prepared.evaluate(std::hint::black_box(&mapping)).energy,
            (true, false) => model.evaluate(std::hint::black_box(&mapping)).energy,
            (false, true) => prepared.evaluate_relaxed(std::hint::black_box(&dual)).energy.re,
            (true, true) => model.evaluate_relaxed(std::hint::black_box(&dual)).energy.re,
        };
    }
    println!("{acc}");
}
