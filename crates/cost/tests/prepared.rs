//! A prepared structure gives bit-identical results to an unprepared evaluation for every
//! mapping with that structure (only loop sizes and unroll factors differ), and falls back to
//! a fresh structure for a mapping without it.
mod common;

use dnnc_arch::{Accelerator, Operand, Precision};
use dnnc_cost::real::{gradient, variable};
use dnnc_cost::*;
use num_dual::DualSVec64;

/// xorshift64: a seeded, dependency-free generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    /// A loop size: mostly small integers, sometimes 1, sometimes fractional (small enough
    /// that a nest of up to 21 loops stays within realistic cycle counts).
    fn size(&mut self) -> f64 {
        match self.below(8) {
            0 => 1.0,
            1 => 0.5 + self.below(1000) as f64 / 400.0,
            _ => (1 + self.below(5)) as f64,
        }
    }
}

fn conv() -> Layer {
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
fn random_structure(rng: &mut Rng, arch: &Accelerator, layer: &Layer) -> Mapping<f64> {
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
fn resize(rng: &mut Rng, m: &Mapping<f64>, unrolls: bool) -> Mapping<f64> {
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
fn dual(m: &Mapping<f64>) -> Mapping<DualSVec64<2>> {
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

fn dual_bits(c: &Cost<DualSVec64<2>>) -> Vec<u64> {
    [c.energy, c.latency, c.stall_cycles, c.onload_cycles, c.offload_cycles]
        .iter()
        .flat_map(|x| std::iter::once(x.re).chain(gradient(x)))
        .map(f64::to_bits)
        .collect()
}

fn bits(c: &Cost<f64>) -> [u64; 9] {
    [
        c.energy,
        c.latency,
        c.mac_energy,
        c.memory_energy,
        c.compute_cycles,
        c.stall_cycles,
        c.onload_cycles,
        c.offload_cycles,
        c.drain_cycles,
    ]
    .map(f64::to_bits)
}

#[test]
fn prepared_structures_give_identical_results() {
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut evaluations = 0;
    for arch in ["tpu_like", "eyeriss_like"] {
        let mut arch = Accelerator::preset(arch).unwrap();
        arch.vector = None;
        for layer in [common::gemm(), conv()] {
            let model = LayerModel::new(&arch, &layer);
            for _ in 0..40 {
                let shape = random_structure(&mut rng, &arch, &layer);
                let prepared = model.prepare(&shape);
                let mut m = resize(&mut rng, &shape, true);
                for i in 0..25 {
                    // Runs of evaluations that keep the unroll factors (as while tile sizes
                    // vary), and some that change them.
                    m = resize(&mut rng, &m, i % 5 == 0);
                    assert!(prepared.matches(&m));
                    assert_eq!(bits(&prepared.evaluate(&m)), bits(&model.evaluate(&m)), "{m:?}");
                    assert_eq!(bits(&prepared.evaluate_relaxed(&m)), bits(&model.evaluate_relaxed(&m)), "{m:?}");
                    assert_eq!(prepared.footprints(&m, true), model.footprints(&m, true));
                    let d = dual(&m);
                    assert_eq!(dual_bits(&prepared.evaluate(&d)), dual_bits(&model.evaluate(&d)));
                    assert_eq!(dual_bits(&prepared.evaluate_relaxed(&d)), dual_bits(&model.evaluate_relaxed(&d)));
                    evaluations += 1;
                }
                // Another structure is evaluated as itself.
                let other = random_structure(&mut rng, &arch, &layer);
                let other = resize(&mut rng, &other, true);
                if !prepared.matches(&other) {
                    assert_eq!(bits(&prepared.evaluate(&other)), bits(&model.evaluate(&other)));
                }
            }
        }
    }
    assert_eq!(evaluations, 4000);
}
