//! Non-MAC work on the vector unit.
mod common;

use common::tpu_like;
use dnnc_arch::VectorUnit;
use dnnc_cost::*;

fn softmax() -> VectorWork {
    // 12 heads × 128 × 128 scores.
    let n = 12 * 128 * 128;
    VectorWork {
        kind: "reduction".into(),
        source: "graph.softmax".into(),
        points: n,
        ops_per_point: 4.0,
        elements_in: n,
        elements_out: n,
    }
}

#[test]
fn vector_work_is_priced_and_the_slower_of_compute_and_streaming_wins() {
    let mut arch = tpu_like();
    arch.vector = Some(VectorUnit { lanes: 64, op_pj: 0.2, memory: "sram_2MB".into() });
    let c = evaluate_vector(&arch, &softmax()).unwrap();
    let n = (12 * 128 * 128) as f64;
    assert_eq!(c.compute_cycles, (4.0 * n / 64.0).ceil());
    // 8-bit elements through 2048-bit ports, reads and writes on separate ports.
    assert_eq!(c.memory_cycles, (n * 8.0 / 2048.0).ceil());
    assert_eq!(c.latency, c.compute_cycles);
    let expected = 4.0 * n * 0.2 + (n * 8.0 / 2048.0) * (416.16 + 378.4);
    assert!((c.energy - expected).abs() < 1e-6 * expected);
}

#[test]
fn no_vector_unit_is_an_error_not_free() {
    let arch = tpu_like();
    let e = evaluate_vector(&arch, &softmax()).unwrap_err();
    assert_eq!(e.to_string(), "the accelerator has no vector unit to run graph.softmax");
}
