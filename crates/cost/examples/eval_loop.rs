//! Runs the reference GEMM mapping through a prepared model N times (for `perf stat` and
//! `valgrind --tool=callgrind`); `eval_loop N unprepared` works the mapping's structure out
//! on every evaluation instead (as `LayerModel::evaluate` does).
#[path = "../tests/common/mod.rs"]
mod common;

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let unprepared = args.next().as_deref() == Some("unprepared");
    let arch = common::tpu_like();
    let layer = common::gemm();
    let model = dnnc_cost::LayerModel::new(&arch, &layer);
    let mapping = common::gemm_mapping(&arch, [4.0, 6.0, 32.0, 16.0, 6.0, 4.0]);
    let prepared = model.prepare(&mapping);
    let mut acc = 0.0;
    for _ in 0..n {
        let mapping = std::hint::black_box(&mapping);
        acc += if unprepared { model.evaluate(mapping) } else { prepared.evaluate(mapping) }.energy;
    }
    println!("{acc}");
}
