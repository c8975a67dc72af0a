//! FADiff against its baselines on `tpu_like` and `eyeriss_like`, in two tables, ending with a
//! `key=value` line.
//!
//! The first runs the reference workloads' MAC layers (GEMM 512×768×768, ResNet-18 stage 1,
//! the GPT-2 block) and two small layers against random search.
//! Random search gets exactly FADiff's number of exact evaluations, in two spaces: the space
//! FADiff searches (spatial unrolls, loop orders, factors, with ZigZag's greedy allocation of
//! loops to memories) and the raw space (no allocator: loops cut at fixed level boundaries).
//! A last column runs raw random search with a hundred times the budget: when even that
//! finds nothing much better than FADiff, the layer's landscape is flat and no optimiser can
//! be far ahead of random sampling on it.
//!
//! The second runs small layers (matmuls, a batched per-head matmul, 3×3 convolutions) against
//! exhaustive search, which scores every distinct mapping of the space FADiff searches and so
//! finds its true optimum (`dnnc_search::baseline::exhaustive_search`); FADiff runs with its
//! default options and seed. Wall times there are on whatever machine runs the bench.
//!
//! `cargo run --release -p dnnc-search --example baselines [-- --quick] [-- --all]`:
//! `--quick` leaves the reference layers out of the first table, `--all` adds two larger
//! convolutions (11–17 M points each, minutes) to the second.
use std::time::Instant;

use dnnc_arch::{Accelerator, Operand, Precision};
use dnnc_cost::{Access, Layer};
use dnnc_search::baseline::{exhaustive_search, random};
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

fn reference_layers() -> Vec<Layer> {
    vec![
        matmul("gemm_512x768x768", 1, 512, 768, 768, true),
        Layer::conv2d("resnet_conv1_7x7s2", 64, 3, 112, 7, 2, 224),
        Layer::conv2d("resnet_l1_conv3x3", 64, 64, 56, 3, 1, 56),
        matmul("gpt2_qkv_proj", 1, 128, 768, 768, true),
        matmul("gpt2_scores", 12, 128, 128, 64, false),
        matmul("gpt2_context", 12, 128, 64, 128, false),
        matmul("gpt2_ffn_up", 1, 128, 3072, 768, true),
        matmul("gpt2_ffn_down", 1, 128, 768, 3072, true),
    ]
}

fn small_layers() -> Vec<Layer> {
    vec![matmul("small_gemm_16x24x16", 1, 16, 24, 16, true), Layer::conv2d("small_conv_8x4x6_3x3", 8, 4, 6, 3, 1, 6)]
}

/// Layers small enough for exhaustive search: matmuls, a batched matmul with per-head
/// operands (as attention's), and 3×3 convolutions (stride 1, no padding).
fn exhaustive_layers(all: bool) -> Vec<Layer> {
    let mut layers = vec![
        matmul("gemm_8x12x8", 1, 8, 12, 8, true),
        matmul("gemm_16x24x16", 1, 16, 24, 16, true),
        matmul("gemm_32x16x32", 1, 32, 16, 32, true),
        matmul("bmm_2x8x8x16", 2, 8, 8, 16, false),
        Layer::conv2d("conv_4x4x7_3x3", 4, 4, 7, 3, 1, 9),
        Layer::conv2d("conv_8x4x4_3x3", 8, 4, 4, 3, 1, 6),
    ];
    if all {
        layers.push(Layer::conv2d("conv_8x4x6_3x3", 8, 4, 6, 3, 1, 8));
        layers.push(Layer::conv2d("conv_8x8x4_3x3", 8, 8, 4, 3, 1, 6));
    }
    layers
}

/// Points exhaustive search may score on one layer of the second table.
const EXHAUSTIVE_LIMIT: usize = 20_000_000;

fn geomean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    (xs.iter().map(|x| x.ln()).sum::<f64>() / xs.len() as f64).exp()
}

fn max(xs: &[f64]) -> f64 {
    xs.iter().cloned().fold(f64::NAN, f64::max)
}

fn min(xs: &[f64]) -> f64 {
    xs.iter().cloned().fold(f64::NAN, f64::min)
}

const ARCHS: [&str; 2] = ["tpu_like", "eyeriss_like"];

/// The first table: FADiff against random search at its own budget (and the raw space at
/// 100×). Returns (random / FADiff, raw random / FADiff) per row.
fn versus_random(quick: bool) -> (Vec<f64>, Vec<f64>) {
    let opts = Options::default();
    let (mut vs_alloc, mut vs_raw) = (Vec::new(), Vec::new());
    let mut raw_by_arch: Vec<(&str, Vec<f64>)> = Vec::new();
    println!(
        "{:<13} {:<22} {:>11} {:>7} {:>14} {:>14} {:>16}",
        "accelerator", "layer", "fadiff EDP", "evals", "random/fadiff", "raw rnd/fadiff", "raw 100x/fadiff"
    );
    for arch_name in ARCHS {
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
            println!(
                "{arch_name:<13} {:<22} {:>11.4e} {budget:>7} {r_alloc:>14.2} {r_raw:>14.2} {r_raw_100:>16.2}",
                layer.name, found.value
            );
        }
    }
    for (arch_name, ratios) in &raw_by_arch {
        println!("{arch_name}: raw random / fadiff geomean {:.3}", geomean(ratios));
    }
    (vs_alloc, vs_raw)
}

/// The second table: FADiff against the true optimum. Returns FADiff / optimum per row, and
/// the total exhaustive and FADiff wall times (s).
fn versus_exhaustive(all: bool) -> (Vec<f64>, f64, f64) {
    let opts = Options::default();
    let (mut ratios, mut exh_wall, mut fadiff_wall) = (Vec::new(), 0.0, 0.0);
    println!(
        "{:<13} {:<16} {:>10} {:>9} {:>11} {:>11} {:>10} {:>7} {:>8} {:>9}",
        "accelerator",
        "layer",
        "points",
        "scored",
        "optimum",
        "fadiff EDP",
        "fadiff/opt",
        "<= 5 %",
        "exh s",
        "fadiff s"
    );
    for arch_name in ARCHS {
        let arch = Accelerator::preset(arch_name).expect("preset");
        for layer in &exhaustive_layers(all) {
            let space = Space::new(&arch, layer).expect("space");
            let t = Instant::now();
            let exh = exhaustive_search(&space, Objective::Edp, EXHAUSTIVE_LIMIT);
            let t_exh = t.elapsed().as_secs_f64();
            let t = Instant::now();
            let found = search(&space, &opts);
            let t_fadiff = t.elapsed().as_secs_f64();
            let (exh, found) = match (exh, found) {
                (Err(e), _) => {
                    println!("{arch_name:<13} {:<16} {e}", layer.name);
                    continue;
                }
                (Ok(exh), Some(found)) if exh.best.is_some() => (exh, found),
                _ => {
                    println!("{arch_name:<13} {:<16} no mapping fits", layer.name);
                    continue;
                }
            };
            let best = exh.best.as_ref().expect("matched above");
            let r = found.value / best.value;
            ratios.push(r);
            exh_wall += t_exh;
            fadiff_wall += t_fadiff;
            println!(
                "{arch_name:<13} {:<16} {:>10} {:>9} {:>11.4e} {:>11.4e} {r:>10.4} {:>7} {t_exh:>8.1} {t_fadiff:>9.2}",
                layer.name,
                exh.points,
                exh.scored,
                best.value,
                found.value,
                if r <= 1.05 { "yes" } else { "NO" }
            );
        }
    }
    (ratios, exh_wall, fadiff_wall)
}

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let all = std::env::args().any(|a| a == "--all");
    let (vs_alloc, vs_raw) = versus_random(quick);
    println!();
    let (vs_exh, exh_wall, fadiff_wall) = versus_exhaustive(all);
    println!(
        "layers={} random_over_fadiff_geomean={:.3} random_over_fadiff_min={:.3} raw_random_over_fadiff_geomean={:.3} \
         raw_random_over_fadiff_min={:.3} exhaustive_layers={} fadiff_within_5pct={} fadiff_over_exhaustive_geomean={:.4} \
         fadiff_over_exhaustive_max={:.4} exhaustive_wall_s={exh_wall:.1} fadiff_wall_s={fadiff_wall:.2}",
        vs_alloc.len(),
        geomean(&vs_alloc),
        min(&vs_alloc),
        geomean(&vs_raw),
        min(&vs_raw),
        vs_exh.len(),
        vs_exh.iter().filter(|&&r| r <= 1.05).count(),
        geomean(&vs_exh),
        max(&vs_exh)
    );
}
