//! Shared fixtures: ZigZag's tpu_like accelerator and the reference GEMM.
#![allow(dead_code)]
use dnnc_arch::*;
use dnnc_cost::real::variable;
use dnnc_cost::*;
use num_dual::DualSVec64;

/// ZigZag's tpu_like (the preset reproduces ZigZag 3.9.1's file field by field; see
/// crates/arch/tests), without dnnc's vector unit.
pub fn tpu_like() -> Accelerator {
    let mut arch = Accelerator::preset("tpu_like").expect("tpu_like preset");
    arch.vector = None;
    arch
}

pub fn gemm() -> Layer {
    Layer::gemm("gemm", 768, 512, 768)
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

/// xorshift64: a seeded, dependency-free generator.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// A loop size: mostly small integers, sometimes 1, sometimes fractional (small enough
    /// that a nest of up to 21 loops stays within realistic cycle counts).
    pub fn size(&mut self) -> f64 {
        match self.below(8) {
            0 => 1.0,
            1 => 0.5 + self.below(1000) as f64 / 400.0,
            _ => (1 + self.below(5)) as f64,
        }
    }
}

pub fn conv() -> Layer {
    let (b, k, c, y, x, fy, fx) = (0, 1, 2, 3, 4, 5, 6);
    let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &d| s | (1 << d)), windows: vec![] };
    let win = |o: usize, i: usize| Window { outer: o, outer_stride: 2, inner: i, inner_stride: 1, extent: 56 };
    let input = Access { relevant: (1 << b) | (1 << c), windows: vec![win(y, fy), win(x, fx)] };
    Layer::new(
        "conv",
        &[("B", 1), ("K", 64), ("C", 32), ("OY", 28), ("OX", 28), ("FY", 3), ("FX", 3)],
        [input, rel(&[k, c, fy, fx]), rel(&[b, k, y, x])],
        [Operand::O, Operand::W, Operand::I],
        Precision::default(),
    )
}

/// A random structure: unrolls over the array, every dimension split into up to three loops
/// in a random order, random bypasses and cuts.
pub fn random_structure(rng: &mut Rng, arch: &Accelerator, layer: &Layer) -> Mapping<f64> {
    let mut spatial = Vec::new();
    for array_dim in 0..arch.array.dims.len() {
        for _ in 0..rng.below(3) {
            spatial.push(Unroll { array_dim, dim: rng.below(layer.rank() as u64) as usize, factor: 1.0 });
        }
    }
    let mut loops = Vec::new();
    for dim in 0..layer.rank() {
        for _ in 0..1 + rng.below(3) {
            loops.push(Loop { dim, size: 1.0 });
        }
    }
    for i in (1..loops.len()).rev() {
        loops.swap(i, rng.below(i as u64 + 1) as usize);
    }
    let mut m = Mapping::new(arch, spatial, loops, [vec![], vec![], vec![]]);
    for o in 0..3 {
        if m.levels[o].len() > 1 && rng.below(3) == 0 {
            let drop = rng.below(m.levels[o].len() as u64 - 1) as usize;
            m.levels[o].remove(drop);
        }
        let mut cuts: Vec<usize> =
            (1..m.levels[o].len()).map(|_| rng.below(m.loops.len() as u64 + 1) as usize).collect();
        cuts.sort();
        m.cuts[o] = cuts;
    }
    m
}

/// New loop sizes, and new unroll factors when `unrolls`.
pub fn resize(rng: &mut Rng, m: &Mapping<f64>, unrolls: bool) -> Mapping<f64> {
    let mut m = m.clone();
    for l in &mut m.loops {
        l.size = rng.size();
    }
    if unrolls {
        for u in &mut m.spatial {
            u.factor = rng.size();
        }
    }
    m
}

/// A dual-number copy of `m` whose loop sizes carry derivatives (the unroll factors stay
/// constants, as in the optimiser's descent).
pub fn dual(m: &Mapping<f64>) -> Mapping<DualSVec64<2>> {
    Mapping {
        spatial: m
            .spatial
            .iter()
            .map(|u| Unroll { array_dim: u.array_dim, dim: u.dim, factor: DualSVec64::from_re(u.factor) })
            .collect(),
        loops: m.loops.iter().enumerate().map(|(i, l)| Loop { dim: l.dim, size: variable(l.size, i % 2) }).collect(),
        levels: m.levels.clone(),
        cuts: m.cuts.clone(),
    }
}
