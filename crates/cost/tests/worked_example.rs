//! zigzag-model.md §7: GEMM 512×768×768 on tpu_like with the mapping LOMA picks.
mod common;

use common::{gemm, tpu_like};
use dnnc_arch::Operand;
use dnnc_cost::*;

#[test]
fn gemm_on_tpu_like_matches_zigzag_exactly() {
    let arch = tpu_like();
    let layer = gemm();
    let (c, d, k) = (0, 1, 2);
    let l = |dim, size: f64| Loop { dim, size };
    let loops = vec![l(c, 4.0), l(c, 6.0), l(d, 32.0), l(d, 16.0), l(k, 6.0), l(k, 4.0)];
    let spatial = vec![Unroll { array_dim: 0, dim: k, factor: 32.0 }, Unroll { array_dim: 1, dim: c, factor: 32.0 }];
    // LOMA's raw allocation (before the stationarity merge-down).
    let cuts = [vec![6], vec![2], vec![2, 6]];
    let mapping = Mapping::new(&arch, spatial, loops, cuts);
    let (cost, b) = evaluate_with_breakdown(&arch, &layer, &mapping);
    eprintln!("{cost:#?}\n{b:#?}");
    assert!((cost.energy - 193_795_473.408).abs() < 1e-3, "energy {}", cost.energy);
    assert_eq!(cost.latency, 344_128.0);
    assert_eq!(cost.compute_cycles, 294_912.0);
    assert_eq!(cost.stall_cycles, 0.0);
    assert_eq!(cost.onload_cycles, 49_152.0);
    assert_eq!(cost.offload_cycles, 2.0);
    assert_eq!(cost.drain_cycles, 62.0);
}
