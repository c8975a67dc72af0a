//! Single-layer evaluations per second through a prepared [`LayerModel`] and mapping structure
//! ([`LayerModel::prepare`]): values (exact model, f64) and values with gradients (relaxed
//! model, dual numbers over the six log tile factors), and values without a prepared structure.
//! Targets: ≥ 1 M/s and ≥ 100 k/s per core.
#[path = "../tests/common/mod.rs"]
mod common;

use common::{gemm, gemm_mapping, tpu_like};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dnnc_cost::real::variable;
use dnnc_cost::{LayerModel, Real};
use num_dual::DualSVec64;
use std::hint::black_box;

const SIZES: [f64; 6] = [4.0, 6.0, 32.0, 16.0, 6.0, 4.0];

fn bench(c: &mut Criterion) {
    let arch = tpu_like();
    let layer = gemm();
    let model = LayerModel::new(&arch, &layer);
    let mut g = c.benchmark_group("layer");
    g.throughput(Throughput::Elements(1));
    let mapping = gemm_mapping(&arch, SIZES);
    // Through a prepared structure (as an optimiser varying tile sizes), and unprepared (the
    // structure worked out per evaluation).
    let prepared = model.prepare(&mapping);
    g.bench_function("value", |b| b.iter(|| prepared.evaluate(black_box(&mapping))));
    g.bench_function("value_unprepared", |b| b.iter(|| model.evaluate(black_box(&mapping))));
    let theta = SIZES.map(f64::ln);
    let vars: [DualSVec64<6>; 6] = std::array::from_fn(|i| variable(theta[i], i).exp());
    let dual = gemm_mapping(&arch, vars);
    g.bench_function("gradient6", |b| b.iter(|| prepared.evaluate_relaxed(black_box(&dual))));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
