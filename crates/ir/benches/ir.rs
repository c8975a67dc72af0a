//! Parse, print and verify throughput on generated modules shaped like imported networks:
//! tensor-typed ops with attributes and ONNX-style locations, each using one or two earlier
//! values. Targets (issue #2): ≥ 1 M ops/s for parse and for print at 50k ops; verify linear
//! in size (compare the 10k and 100k rows: throughput should hold).
//!
//! Run: `cargo bench -p dnnc-ir --bench ir`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use dnnc_ir::{Context, ParseOptions, PrintOptions, parse_source, print_module, verify};
use std::hint::black_box;

/// A module of `n` ops in a single function-like graph.
fn synthetic_module(n: usize) -> String {
    let mut s = String::with_capacity(n * 160);
    s.push_str("%0 = \"graph.input\"() {name = \"x\"} : () -> tensor<128x768xf16> loc(\"model.onnx\":1:1)\n");
    for i in 1..n {
        let a = i - 1;
        let b = i / 2;
        let line = match i % 4 {
            0 => format!(
                "%{i} = \"graph.matmul\"(%{a}, %{b}) {{name = \"fc{i}\", transpose_b = false}} : (tensor<128x768xf16>, tensor<128x768xf16>) -> tensor<128x768xf16> loc(\"model.onnx\":{i}:3)\n"
            ),
            1 => format!(
                "%{i} = \"graph.add\"(%{a}, %{b}) : (tensor<128x768xf16>, tensor<128x768xf16>) -> tensor<128x768xf16> loc(\"/blocks.{i}/Add\")\n"
            ),
            2 => format!(
                "%{i} = \"graph.gelu\"(%{a}) {{approximate = \"tanh\"}} : (tensor<128x768xf16>) -> tensor<128x768xf16>\n"
            ),
            _ => format!(
                "%{i} = \"graph.layer_norm\"(%{a}) {{axis = -1, epsilon = 1.0e-5 : f32}} : (tensor<128x768xf16>) -> tensor<128x768xf16> loc(\"/blocks.{i}/ln\")\n"
            ),
        };
        s.push_str(&line);
    }
    s
}

fn parsed(text: &str) -> (Context, dnnc_ir::OpId) {
    let mut cx = Context::default();
    cx.set_allow_unregistered(true);
    let m = parse_source(&mut cx, "bench.mlir", text, ParseOptions::default()).expect("generated IR parses");
    (cx, m)
}

fn bench(c: &mut Criterion) {
    let n = 50_000;
    let text = synthetic_module(n);
    let mut g = c.benchmark_group("ir");
    g.sample_size(10);
    g.throughput(Throughput::Elements(n as u64));
    g.bench_function(BenchmarkId::new("parse", n), |b| b.iter(|| parsed(black_box(&text))));
    let (cx, m) = parsed(&text);
    g.bench_function(BenchmarkId::new("print", n), |b| b.iter(|| print_module(&cx, m, PrintOptions::default())));
    for size in [10_000, 30_000, 100_000, 300_000] {
        let (cx, m) = parsed(&synthetic_module(size));
        g.throughput(Throughput::Elements(size as u64));
        g.bench_function(BenchmarkId::new("verify", size), |b| b.iter(|| verify(&cx, m).expect("verifies")));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
