//! The single-layer model's results are pinned bit for bit: every random mapping below (four
//! presets, three layers, random structures, sizes and unroll factors) hashes its values,
//! gradients, breakdown and footprints, and the hashes (one per structure) must match `data/fingerprints.txt`.
//! Speed work on the model must not change a single bit; a deliberate model change
//! regenerates the file with `DNNC_BLESS=1 cargo test -p dnnc-cost --test fingerprints` (and
//! says so in its commit).
mod common;

use std::fmt::Write;

use common::{Rng, conv, dual, random_structure, resize};
use dnnc_arch::{Accelerator, Operand, Precision};
use dnnc_cost::real::{gradient, variable};
use dnnc_cost::*;
use num_dual::DualSVec64;

const FILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fingerprints.txt");

/// FNV-1a over 64-bit words.
struct Hash(u64);

impl Hash {
    fn new() -> Self {
        Hash(0xcbf2_9ce4_8422_2325)
    }
    fn word(&mut self, x: u64) {
        for b in x.to_le_bytes() {
            self.0 ^= b as u64;
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    fn f(&mut self, x: f64) {
        self.word(x.to_bits());
    }
    fn str(&mut self, s: &str) {
        self.word(s.len() as u64);
        for b in s.bytes() {
            self.word(b as u64);
        }
    }
    fn cost(&mut self, c: &Cost<f64>) {
        for x in [
            c.energy,
            c.latency,
            c.mac_energy,
            c.memory_energy,
            c.compute_cycles,
            c.stall_cycles,
            c.onload_cycles,
            c.offload_cycles,
            c.drain_cycles,
            c.ideal_cycles,
        ] {
            self.f(x);
        }
    }
    fn dual<const N: usize>(&mut self, c: &Cost<DualSVec64<N>>) {
        self.cost(&c.values());
        for x in [c.energy, c.latency, c.stall_cycles, c.onload_cycles, c.offload_cycles, c.memory_energy] {
            for g in gradient(&x) {
                self.f(g);
            }
        }
    }
}

/// A stride-1 3×3 convolution with few channels (windows that clip at the extent).
fn small_conv() -> Layer {
    let (b, k, c, y, x, fy, fx) = (0, 1, 2, 3, 4, 5, 6);
    let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &d| s | (1 << d)), windows: vec![] };
    let win = |o: usize, i: usize| Window { outer: o, outer_stride: 1, inner: i, inner_stride: 1, extent: 16 };
    let input = Access { relevant: (1 << b) | (1 << c), windows: vec![win(y, fy), win(x, fx)] };
    Layer::new(
        "small_conv",
        &[("B", 2), ("K", 24), ("C", 3), ("OY", 14), ("OX", 14), ("FY", 3), ("FX", 3)],
        [input, rel(&[k, c, fy, fx]), rel(&[b, k, y, x])],
        [Operand::W, Operand::I, Operand::O],
        Precision::default(),
    )
}

/// Unroll factors and loop sizes all carrying derivatives (three parameters).
fn dual_all(m: &Mapping<f64>) -> Mapping<DualSVec64<3>> {
    Mapping {
        spatial: m
            .spatial
            .iter()
            .enumerate()
            .map(|(i, u)| Unroll { array_dim: u.array_dim, dim: u.dim, factor: variable(u.factor, i % 3) })
            .collect(),
        loops: m
            .loops
            .iter()
            .enumerate()
            .map(|(i, l)| Loop { dim: l.dim, size: variable(l.size, (i + 1) % 3) })
            .collect(),
        levels: m.levels.clone(),
        cuts: m.cuts.clone(),
    }
}

/// Random structures per (preset, layer); each is evaluated at 12 sizes.
const STRUCTURES: usize = 100;

/// One line per structure: the hash of its 12 cases, as 16 hex digits.
fn fingerprints() -> String {
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut out = String::new();
    for preset in ["tpu_like", "eyeriss_like", "gemmini", "simba_like"] {
        let mut arch = Accelerator::preset(preset).unwrap();
        arch.vector = None;
        for layer in [common::gemm(), conv(), small_conv()] {
            let model = LayerModel::new(&arch, &layer);
            for _ in 0..STRUCTURES {
                let shape = random_structure(&mut rng, &arch, &layer);
                let prepared = model.prepare(&shape);
                let mut m = resize(&mut rng, &shape, true);
                let mut h = Hash::new();
                for i in 0..12 {
                    m = resize(&mut rng, &m, i % 4 == 0);
                    let exact = prepared.evaluate(&m);
                    let (plain, breakdown) = model.evaluate_with_breakdown(&m);
                    assert_eq!(exact, plain, "{preset} {}: {m:?}", layer.name);
                    h.cost(&exact);
                    h.cost(&prepared.evaluate_relaxed(&m));
                    for row in &breakdown.levels {
                        h.word(op_index(row.operand) as u64);
                        h.str(&row.memory);
                        for x in [row.tile_elements, row.instances, row.energy_pj].into_iter().chain(row.words) {
                            h.f(x);
                        }
                    }
                    for (mem, port, stall) in &breakdown.port_stalls {
                        h.str(mem);
                        h.str(port);
                        h.f(*stall);
                    }
                    h.str(&breakdown.bound);
                    for exact in [true, false] {
                        for f in prepared.footprints(&m, exact) {
                            h.word(op_index(f.operand) as u64);
                            h.word(f.memory as u64);
                            h.f(f.elements);
                            h.f(f.bits);
                        }
                    }
                    let d = dual(&m);
                    h.dual(&prepared.evaluate(&d));
                    h.dual(&prepared.evaluate_relaxed(&d));
                    let d = dual_all(&m);
                    h.dual(&prepared.evaluate(&d));
                    h.dual(&model.evaluate_relaxed(&d));
                }
                writeln!(out, "{:016x}", h.0).unwrap();
            }
        }
    }
    out
}

#[test]
fn results_match_the_recorded_fingerprints() {
    let now = fingerprints();
    if std::env::var_os("DNNC_BLESS").is_some() {
        std::fs::create_dir_all(std::path::Path::new(FILE).parent().unwrap()).unwrap();
        std::fs::write(FILE, &now).unwrap();
        return;
    }
    let recorded = std::fs::read_to_string(FILE).expect("tests/data/fingerprints.txt (DNNC_BLESS=1 writes it)");
    assert_eq!(now.lines().count(), 4 * 3 * STRUCTURES);
    for (i, (a, b)) in now.lines().zip(recorded.lines()).enumerate() {
        let (preset, layer) = (i / (3 * STRUCTURES), i / STRUCTURES % 3);
        assert_eq!(a, b, "structure {i} (preset {preset}, layer {layer}) changed");
    }
    assert_eq!(now.lines().count(), recorded.lines().count());
}
