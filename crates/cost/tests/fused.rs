//! Fused groups priced with the single-layer model.
mod common;

use common::{gemm, gemm_mapping, tpu_like};
use dnnc_arch::Operand;
use dnnc_cost::real::{gradient, variable};
use dnnc_cost::*;
use num_dual::DualSVec64;

const SIZES: [f64; 6] = [4.0, 6.0, 32.0, 16.0, 6.0, 4.0];

fn chain<S: Real>(layer: &Layer, fused: S) -> FusedGroup<'_, S> {
    let arch = tpu_like();
    let m = gemm_mapping(&arch, SIZES.map(S::cst));
    FusedGroup {
        members: vec![Member { layer, mapping: m.clone() }, Member { layer, mapping: m }],
        edges: vec![Edge { producer: 0, consumer: 1, operand: Operand::I, fused, halo_rows: 0.0, rows: 512.0 }],
        tiles: S::cst(1.0),
    }
}

#[test]
fn fusing_keeps_the_intermediate_out_of_dram() {
    let arch = tpu_like();
    let layer = gemm();
    let apart = evaluate_group(&arch, &chain(&layer, 0.0), true).unwrap();
    let fused = evaluate_group(&arch, &chain(&layer, 1.0), true).unwrap();
    let single = evaluate(&arch, &layer, &gemm_mapping(&arch, SIZES));
    // Unfused, the group is just its layers.
    assert_eq!(apart.energy, 2.0 * single.energy);
    assert_eq!(apart.latency, 2.0 * single.latency);
    // Fused: the 512×768 8-bit intermediate is written and read on chip instead of DRAM.
    assert_eq!(fused.dram_bits_saved, 2.0 * 512.0 * 768.0 * 8.0);
    let dram_words = 512.0 * 768.0 * 8.0 / 64.0;
    let expected_saving = dram_words * (750.0 + 700.0) - 2.0 * (dram_words / 32.0) * (378.4 + 416.16) / 2.0;
    let saving = apart.energy - fused.energy;
    assert!(saving > 0.8 * expected_saving && saving < 1.2 * expected_saving, "saving {saving}, ~{expected_saving}");
    assert!(fused.latency < apart.latency, "the consumer no longer waits for DRAM on-loading");
    assert!(fused.capacity_penalty() < 1e-3, "two 768×768 weights and the intermediate fit on chip");
}

#[test]
fn fusion_probability_blends_and_has_the_right_gradient() {
    let arch = tpu_like();
    let layer = gemm();
    let at = |s: f64| evaluate_group(&arch, &chain(&layer, s), true).unwrap().energy;
    let half = at(0.5);
    assert!((half - (at(0.0) + at(1.0)) / 2.0).abs() < 1e-6 * half);
    let g: DualSVec64<1> = variable(0.3, 0);
    let cost = evaluate_group(&arch, &chain(&layer, g), true).unwrap();
    let fd = (at(0.3 + 1e-6) - at(0.3 - 1e-6)) / 2e-6;
    let grad = gradient(&cost.energy)[0];
    assert!((grad - fd).abs() < 1e-4 * fd.abs(), "dual {grad} vs finite differences {fd}");
    assert!(grad < 0.0, "fusing more saves energy");
}

#[test]
fn halos_cost_recompute_and_bad_edges_are_errors() {
    let arch = tpu_like();
    let layer = gemm();
    let mut g = chain(&layer, 1.0);
    g.edges[0].halo_rows = 2.0;
    g.tiles = 8.0;
    let c = evaluate_group(&arch, &g, true).unwrap();
    // 7 of 8 steps recompute 2 of 512 rows of the producer.
    assert!((c.recompute_macs - 7.0 * 2.0 / 512.0 * layer.macs() as f64).abs() < 1.0);
    g.edges[0].producer = 1;
    assert_eq!(evaluate_group(&arch, &g, true).unwrap_err(), GroupError::BadEdge(0));
}
