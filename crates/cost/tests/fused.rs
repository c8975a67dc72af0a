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

#[test]
fn a_stream_step_takes_its_factor_from_the_outermost_loops_of_the_dimension() {
    let arch = tpu_like();
    let layer = gemm();
    // C4 C6 D32 D16 K6 K4, innermost first: four steps along D leave D32 D4.
    let whole = gemm_mapping(&arch, [4.0, 6.0, 32.0, 16.0, 6.0, 4.0]);
    let (step, m) = dnnc_cost::fused::stream_step(&layer, &whole, 1, 4).expect("4 divides D16");
    assert_eq!(step.sizes, vec![768, 128, 768]);
    assert_eq!(m.loops.iter().map(|l| l.size).collect::<Vec<_>>(), vec![4.0, 6.0, 32.0, 4.0, 6.0, 4.0]);
    assert_eq!(check(&arch, &step, &m), Ok(()));
    // 64 steps take D16 and then 4 of D32.
    let (_, m64) = dnnc_cost::fused::stream_step(&layer, &whole, 1, 64).unwrap();
    assert_eq!(m64.loops[2].size * m64.loops[3].size, 8.0);
    assert_eq!((m64.loops[2].size, m64.loops[3].size), (8.0, 1.0));
    // Four steps do the same MACs; the weights (not indexed by D) are read at every step.
    let (one, all) = (evaluate(&arch, &step, &m), evaluate(&arch, &layer, &whole));
    let four = dnnc_cost::fused::repeated(&one, 4.0);
    assert_eq!(four.ideal_cycles, all.ideal_cycles);
    assert!(four.energy >= all.energy * (1.0 - 1e-12), "{} vs {}", four.energy, all.energy);
    // A factor the dimension does not have, or one its loops cannot give, is refused.
    assert!(dnnc_cost::fused::stream_step(&layer, &whole, 1, 3).is_none());
    assert!(dnnc_cost::fused::stream_step(&layer, &whole, 1, 1024).is_none());
}
