//! FADiff against its baselines on the reference workloads' MAC layers (GEMM 512×768×768,
//! ResNet-18 stage 1, the GPT-2 block) and on small layers where exhaustive search finds the
//! true optimum, on `tpu_like` and `eyeriss_like`. Prints one row per (accelerator, layer) and
//! ends with a `key=value` line.
//!
//! Random search gets exactly FADiff's number of exact evaluations, in two spaces: the space
//! FADiff searches (spatial unrolls, loop orders, factors, with ZigZag's greedy allocation of
//! loops to memories) and the raw space (no allocator: loops cut at fixed level boundaries).
//! A last column runs raw random search with a hundred times the budget: when even that
//! finds nothing much better than FADiff, the layer's landscape is flat and no optimiser can
//! be far ahead of random sampling on it.
//! `cargo run --release -p dnnc-search --example baselines [-- --quick]`.
use dnnc_arch::{Accelerator, Operand, Precision};
use dnnc_cost::{Access, Layer, Window};
use dnnc_search::baseline::{exhaustive, random};
use dnnc_search::{Objective, Options, Space, search};

/// A batched matrix product `out[b, m, n] = Σ_k a[b, m, k] · w[b?, k, n]` over dims
/// (B, M, N, K); `shared_w` drops B from the weight (a projection rather than a per-head product).
fn matmul(name: &str, b: u64, m: u64, n: u64, k: u64, shared_w: bool) -> Layer {
    let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
    let w = if shared_w { rel(&[2, 3]) } else { rel(&[0, 2, 3]) };
    Layer::new(
        name,
        &[("B", b), ("M", m), ("N", n), ("K", k)],
        [rel(&[0, 1, 2]), w, rel(&[0, 1, 3])],
        [Operand::O, Operand::W, Operand::I],
        Precision::default(),
    )
}

/// A convolution over dims (N K C P Q R S) with square kernel `r`, stride `s`, input extent `h`.
fn conv(name: &str, k: u64, c: u64, p: u64, r: u64, s: u64, h: u64) -> Layer {
    let bit = |d: usize| 1u16 << d;
    let input = Access {
        relevant: bit(0) | bit(2),
        windows: vec![
            Window { outer: 3, outer_stride: s, inner: 5, inner_stride: 1, extent: h },
            Window { outer: 4, outer_stride: s, inner: 6, inner_stride: 1, extent: h },
        ],
    };
    Layer::new(
        name,
        &[("N", 1), ("K", k), ("C", c), ("P", p), ("Q", p), ("R", r), ("S", r)],
        [
            input,
            Access { relevant: bit(1) | bit(2) | bit(5) | bit(6), windows: vec![] },
            Access { relevant: bit(0) | bit(1) | bit(3) | bit(4), windows: vec![] },
        ],
        [Operand::O, Operand::W, Operand::I],
        Precision::default(),
    )
}

fn reference_layers() -> Vec<Layer> {
    vec![
        matmul("gemm_512x768x768", 1, 512, 768, 768, true),
        conv("resnet_conv1_7x7s2", 64, 3, 112, 7, 2, 224),
        conv("resnet_l1_conv3x3", 64, 64, 56, 3, 1, 56),
        matmul("gpt2_qkv_proj", 1, 128, 768, 768, true),
        matmul("gpt2_scores", 12, 128, 128, 64, false),
        matmul("gpt2_context", 12, 128, 64, 128, false),
        matmul("gpt2_ffn_up", 1, 128, 3072, 768, true),
        matmul("gpt2_ffn_down", 1, 128, 768, 3072, true),
    ]
}

fn small_layers() -> Vec<Layer> {
    vec![matmul("small_gemm_16x24x16", 1, 16, 24, 16, true), conv("small_conv_8x4x6_3x3", 8, 4, 6, 3, 1, 6)]
}

fn geomean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp()
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let opts = Options::default();
    let (mut vs_alloc, mut vs_raw, mut vs_exh) = (Vec::new(), Vec::new(), Vec::new());
    let mut raw_by_arch: Vec<(&str, Vec<f64>)> = Vec::new();
    println!(
        "{:<13} {:<22} {:>11} {:>7} {:>14} {:>14} {:>16} {:>11}",
        "accelerator",
        "layer",
        "fadiff EDP",
        "evals",
        "random/fadiff",
        "raw rnd/fadiff",
        "raw 100x/fadiff",
        "fadiff/exh"
    );
    for arch_name in ["tpu_like", "eyeriss_like"] {
        raw_by_arch.push((arch_name, Vec::new()));
        let arch = Accelerator::preset(arch_name).expect("preset");
        let mut layers = small_layers();
        if !quick {
            layers.extend(reference_layers());
        }
        for layer in &layers {
            let space = Space::new(&arch, layer).expect("space");
            let Some(found) = search(&space, &opts) else {
                println!("{arch_name:<13} {:<22} no mapping fits", layer.name);
                continue;
            };
            let budget = found.evaluations;
            let mut raw = Space::new(&arch, layer).expect("space");
            raw.zigzag_allocation = false;
            let ratio = |best: Option<dnnc_search::Candidate>| best.map_or(f64::INFINITY, |c| c.value / found.value);
            let r_alloc = ratio(random(&space, Objective::Edp, budget, 1));
            let r_raw = ratio(random(&raw, Objective::Edp, budget, 1));
            let r_raw_100 = ratio(random(&raw, Objective::Edp, budget * 100, 2));
            vs_alloc.push(r_alloc);
            vs_raw.push(r_raw);
            raw_by_arch.last_mut().expect("pushed above").1.push(r_raw);
            let exh = match exhaustive(&space, Objective::Edp, 3_000_000) {
                Ok(Some(best)) => {
                    let r = found.value / best.value;
                    vs_exh.push(r);
                    format!("{r:.4}")
                }
                _ => "-".to_string(),
            };
            println!(
                "{arch_name:<13} {:<22} {:>11.4e} {budget:>7} {r_alloc:>14.2} {r_raw:>14.2} {r_raw_100:>16.2} {exh:>11}",
                layer.name, found.value
            );
        }
    }
    let max = |xs: &[f64]| xs.iter().cloned().fold(f64::NAN, f64::max);
    let min = |xs: &[f64]| xs.iter().cloned().fold(f64::NAN, f64::min);
    for (arch_name, ratios) in &raw_by_arch {
        println!("{arch_name}: raw random / fadiff geomean {:.3}", geomean(ratios));
    }
    println!(
        "layers={} random_over_fadiff_geomean={:.3} random_over_fadiff_min={:.3} raw_random_over_fadiff_geomean={:.3} \
         raw_random_over_fadiff_min={:.3} fadiff_over_exhaustive_max={:.4}",
        vs_alloc.len(),
        geomean(&vs_alloc),
        min(&vs_alloc),
        geomean(&vs_raw),
        min(&vs_raw),
        max(&vs_exh)
    );
}
