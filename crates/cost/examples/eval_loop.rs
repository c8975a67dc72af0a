//! Runs the reference GEMM mapping through a prepared model N times (for `perf stat`).
#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let arch = common::tpu_like();
    let layer = common::gemm();
    let model = dnnc_cost::LayerModel::new(&arch, &layer);
    let mapping = common::gemm_mapping(&arch, [4.0, 6.0, 32.0, 16.0, 6.0, 4.0]);
    let mut acc = 0.0;
    for _ in 0..n {
        acc += model.evaluate(std::hint::black_box(&mapping)).energy;
    }
    println!("{acc}");
}
