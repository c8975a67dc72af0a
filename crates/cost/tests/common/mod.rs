//! Shared fixtures: ZigZag's tpu_like accelerator and the reference GEMM.
#![allow(dead_code)]
use dnnc_arch::*;
use dnnc_cost::*;

/// ZigZag's tpu_like (the preset reproduces ZigZag 3.9.1's file field by field; see
/// crates/arch/tests), without dnnc's vector unit.
pub fn tpu_like() -> Accelerator {
    let mut arch = Accelerator::preset("tpu_like").expect("tpu_like preset");
    arch.vector = None;
    arch
}

pub fn gemm() -> Layer {
    let (c, d, k) = (0, 1, 2);
    let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
    Layer::new(
        "gemm",
        &[("C", 768), ("D", 512), ("K", 768)],
        [rel(&[d, c]), rel(&[c, k]), rel(&[d, k])],
        [Operand::O, Operand::I, Operand::W],
        Precision::default(),
    )
}

/// ZigZag's LOMA mapping of [`gemm`] on [`tpu_like`] (zigzag-model.md §7), loop sizes given.
pub fn gemm_mapping<S: Real>(arch: &Accelerator, sizes: [S; 6]) -> Mapping<S> {
    let (c, d, k) = (0, 1, 2);
    let dims = [c, c, d, d, k, k];
    let loops = dims.iter().zip(sizes).map(|(&dim, size)| Loop { dim, size }).collect();
    let spatial = vec![
        Unroll { array_dim: 0, dim: k, factor: S::cst(32.0) },
        Unroll { array_dim: 1, dim: c, factor: S::cst(32.0) },
    ];
    Mapping::new(arch, spatial, loops, [vec![6], vec![2], vec![2, 6]])
}
