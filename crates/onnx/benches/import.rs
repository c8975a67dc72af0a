//! Frontend speed: read, import and verify each sample model (the 12-layer GPT-2 at sequence
//! 1024 is the target: ≤ 1 s on the 2-core machine). Run: `cargo bench -p dnnc-onnx --bench import`.

use criterion::{Criterion, criterion_group, criterion_main};
use dnnc_ir::{Context, DialectRegistry, verify};
use std::sync::Arc;

fn bench(c: &mut Criterion) {
    let registry = Arc::new(DialectRegistry::new().with(&dnnc_func::DIALECT).with(&dnnc_graph::DIALECT));
    let mut g = c.benchmark_group("import");
    g.sample_size(20);
    for name in ["resnet18", "bert_base_l2_s128", "llama_l2_s256", "gpt2_l12_s1024"] {
        let path = format!("{}/../../test-suite/models/{name}.onnx", env!("CARGO_MANIFEST_DIR"));
        g.bench_function(name, |b| {
            b.iter(|| {
                let model = dnnc_onnx::read_model(&path).expect("model reads");
                let mut cx = Context::new(registry.clone());
                let m = dnnc_onnx::import_model(&mut cx, &model, &Default::default()).expect("model imports");
                verify(&cx, m).expect("imported IR verifies");
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
