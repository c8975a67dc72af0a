//! Shared by the feature tests: the models' IR at each stage, produced as the driver does.

#![allow(dead_code)]

use dnnc_ir::{Context, OpId, PassManager, PassManagerOptions, PrintOptions, print_module};
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn models() -> Vec<PathBuf> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(root().join("test-suite/models"))
        .expect("models directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "onnx"))
        .collect();
    models.sort();
    models
}

pub fn context() -> Context {
    Context::new(Arc::new(dnnc_passes::dialects()))
}

pub const STAGES: &[&str] = &["graph", "einsum", "schedule"];

/// The model's IR at `stage` (graph, einsum or schedule on tpu_like), as `dnnc --emit=STAGE`.
pub fn model_ir(cx: &mut Context, model: &Path, stage: &str) -> OpId {
    let m = dnnc_onnx::read_model_any(model.to_str().unwrap()).expect("read model");
    let module = dnnc_onnx::import_model(cx, &m, &Default::default()).expect("import model");
    let mut pipelines = vec![];
    if stage != "graph" {
        pipelines.push("builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)");
    }
    if stage == "schedule" {
        pipelines.push(r#"builtin.module(tile{arch="tpu_like"},fuse{arch="tpu_like"})"#);
    }
    for p in pipelines {
        let mut pm = PassManager::parse(p, &dnnc_passes::registry(), PassManagerOptions::default()).expect("pipeline");
        pm.run(cx, module, &mut std::io::sink()).expect("pipeline runs");
    }
    module
}

pub fn print(cx: &Context, module: OpId) -> String {
    print_module(cx, module, PrintOptions::default())
}
