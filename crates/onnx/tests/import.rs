//! The frontend on real exported models: each supported model imports and verifies, its
//! node counts carry over op for op, and the multiply-accumulate total computed from the
//! imported shapes equals the one computed independently from the ONNX shapes
//! (test-suite/models/README.md). Models with operators the graph dialect lacks fail with an
//! error naming the node.

use dnnc_ir::{Context, DialectRegistry, OpId, verify};
use dnnc_onnx::{import_model, read_model};
use std::collections::BTreeMap;
use std::sync::Arc;

fn model_path(name: &str) -> String {
    format!("{}/../../test-suite/models/{name}.onnx", env!("CARGO_MANIFEST_DIR"))
}

fn import(name: &str) -> Result<(Context, OpId), String> {
    let model = read_model(model_path(name)).map_err(|e| e.to_string())?;
    let registry = DialectRegistry::new().with(&dnnc_func::DIALECT).with(&dnnc_graph::DIALECT);
    let mut cx = Context::new(Arc::new(registry));
    let module = import_model(&mut cx, &model, &Default::default()).map_err(|e| e.to_string())?;
    verify(&cx, module).map_err(|d| format!("{d:?}"))?;
    Ok((cx, module))
}

fn shape(cx: &Context, v: dnnc_ir::ValueId) -> Vec<i64> {
    cx.tensor_shape(cx.value_type(v)).expect("tensor").0.to_vec()
}

/// MACs of every conv, matmul, gemm and running sum, from the IR's shapes.
fn macs(cx: &Context, module: OpId) -> i64 {
    let numel = |s: &[i64]| s.iter().product::<i64>();
    cx.nested_ops(module)
        .into_iter()
        .map(|op| match cx.name(op) {
            "graph.conv" => {
                let (w, out) = (shape(cx, cx.operand(op, 1)), shape(cx, cx.result(op, 0)));
                numel(&out) * numel(&w[1..])
            }
            "graph.matmul" => {
                let a = shape(cx, cx.operand(op, 0));
                numel(&shape(cx, cx.result(op, 0))) * a[a.len() - 1]
            }
            // A running sum is a MAC over a triangle of ones once lowered (every element
            // against the whole axis).
            "graph.cumsum" => {
                let out = shape(cx, cx.result(op, 0));
                let axis = cx.attr(op, "axis").and_then(|a| a.as_int()).unwrap_or(0);
                let axis = if axis < 0 { axis + out.len() as i64 } else { axis } as usize;
                numel(&out) * out[axis]
            }
            "graph.gemm" => {
                let a = shape(cx, cx.operand(op, 0));
                let trans_a = cx.attr(op, "transA").and_then(|a| a.as_int()) == Some(1);
                numel(&shape(cx, cx.result(op, 0))) * if trans_a { a[0] } else { a[1] }
            }
            _ => 0,
        })
        .sum()
}

fn op_counts(cx: &Context, module: OpId) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for op in cx.nested_ops(module) {
        *counts.entry(cx.name(op).to_string()).or_default() += 1;
    }
    counts
}

#[test]
fn resnet18_imports_with_the_expected_macs() {
    let (cx, m) = import("resnet18").unwrap();
    assert_eq!(macs(&cx, m), 1_814_073_344);
    let counts = op_counts(&cx, m);
    assert_eq!(counts["graph.conv"], 20);
    assert_eq!(counts["graph.relu"], 17);
    assert_eq!(counts["graph.add"], 8);
    assert_eq!(counts["graph.identity"], 16);
    assert_eq!(counts["graph.gemm"], 1);
    let main = cx.block_first(cx.body(m, 0).unwrap()).unwrap();
    let (_, results) = dnnc_func::signature(&cx, main).unwrap();
    assert_eq!(cx.show_type(results[0]).to_string(), "tensor<1x1000xf32>");
}

#[test]
fn every_sample_model_imports_with_the_expected_macs() {
    for (name, expected) in [
        ("resnet18", 1_814_073_344),
        ("gpt2_l2_s128", 6_802_735_104),
        ("gpt2_l12_s1024", 145_824_153_600),
        ("bert_base_l2_s128", 1_862_270_976),
        ("llama_l2_s256", 39_862_665_216),
    ] {
        let (cx, m) = import(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(macs(&cx, m), expected, "{name}");
        // One op per ONNX node and per initializer: nothing dropped, nothing invented.
        let model = read_model(model_path(name)).unwrap();
        let graph = model.graph();
        let graph_ops: usize = op_counts(&cx, m).iter().filter(|(k, _)| k.starts_with("graph.")).map(|(_, v)| v).sum();
        assert_eq!(graph_ops, graph.node_count() + graph.initializers().len(), "{name}");
    }
}

/// The exported model zoo of test-suite/models (zoo.tsv: the torchvision classifiers — depthwise
/// and grouped convolutions, hard-swish, squeeze-and-excitation, channel shuffles, dense
/// concatenations, a ViT's shape arithmetic — and the small Hugging Face transformers —
/// grouped-query attention, rope scaling, ALiBi, multi-query attention, partial rotary, T5's
/// relative bias): every model imports with the MACs the table gives, which come from ONNX's
/// shape inference, PyTorch's module hooks, or the architecture (test-suite/models/README.md).
#[test]
fn zoo_models_import_with_the_expected_macs() {
    let table =
        std::fs::read_to_string(format!("{}/../../test-suite/models/zoo.tsv", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let rows: Vec<&str> = table.lines().filter(|l| !l.starts_with('#') && !l.trim().is_empty()).collect();
    assert!(rows.len() >= 21, "zoo.tsv has {} models", rows.len());
    for row in rows {
        let fields: Vec<&str> = row.split('\t').collect();
        let (name, expected): (&str, i64) = (fields[0], fields[1].parse().unwrap());
        let (cx, m) = import(name).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(macs(&cx, m), expected, "{name}");
    }
}

/// docs/onnx-ops.md names every operator the importer accepts.
#[test]
fn the_operator_reference_lists_every_supported_operator() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/onnx-ops.md")).unwrap();
    let missing: Vec<&str> = dnnc_onnx::supported_operators().filter(|op| !doc.contains(&format!("`{op}`"))).collect();
    assert!(missing.is_empty(), "docs/onnx-ops.md does not list {missing:?}");
}
