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

#[test]
fn the_loma_mapping_is_valid_and_broken_ones_are_explained() {
    let arch = tpu_like();
    let layer = gemm();
    let good = common::gemm_mapping(&arch, [4.0, 6.0, 32.0, 16.0, 6.0, 4.0]);
    assert_eq!(check(&arch, &layer, &good), Ok(()));

    // C's temporal loops must cover 768 / 32 = 24, not 4·5.
    let short = common::gemm_mapping(&arch, [4.0, 5.0, 32.0, 16.0, 6.0, 4.0]);
    let errors = check(&arch, &layer, &short).unwrap_err();
    assert!(
        errors.iter().any(|e| e.contains("dimension C of size 768") && e.contains("multiply to 24, not 20")),
        "{errors:?}"
    );

    // 64 PEs unrolled on a 32-wide dimension.
    let mut wide = good.clone();
    wide.spatial[0].factor = 64.0;
    let errors = check(&arch, &layer, &wide).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("array dimension D1 has 32 PEs")), "{errors:?}");

    // Keeping all of C and D in the 128-byte weight register overflows it.
    let mut big = good.clone();
    big.cuts[op_index(Operand::W)] = vec![4];
    big.loops.swap(2, 4); // K6 inside: the W tile grows to C24·K6 = 144 elements of 8 bits
    big.loops.swap(3, 5);
    let errors = check(&arch, &layer, &big).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("memory rf_128B holds 1024 bits")), "{errors:?}");

    // More unrolls than the model takes is an error, not a panic (each a factor of 1).
    let mut many = good.clone();
    let unit = dnnc_cost::Unroll { factor: 1.0, ..many.spatial[0] };
    many.spatial.extend(std::iter::repeat_n(unit, dnnc_cost::layer_model::MAX_UNROLLS));
    let errors = check(&arch, &layer, &many).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("spatial unrolls (the model takes at most")), "{errors:?}");

    // The top level cannot be bypassed; cuts must match the levels.
    let mut bypass = good;
    bypass.levels[op_index(Operand::W)] = vec![0];
    let errors = check(&arch, &layer, &bypass).unwrap_err();
    assert!(errors.iter().any(|e| e.contains("cannot be bypassed")), "{errors:?}");
}
