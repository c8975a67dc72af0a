//! The sample models through the frontend, `graph-canonicalize` and `lower-graph-to-einsum`:
//! every composite operator the exporters decomposed is recognised (GELU in BERT's Erf form and
//! GPT-2's Tanh form, Llama's SiLU and scaled RMSNorm, one scaled dot-product attention per
//! transformer layer), every compute op lowers to an einsum, the IR verifies after each pass,
//! and the MACs of the `mac` einsums' iteration spaces equal the totals computed independently
//! from the ONNX shapes (test-suite/models/README.md).

use dnnc_ir::{Context, OpId, PassManager, PassManagerOptions};
use std::collections::BTreeMap;
use std::sync::Arc;

fn counts(cx: &Context, m: OpId) -> BTreeMap<String, usize> {
    let mut c = BTreeMap::new();
    for op in cx.nested_ops(m) {
        *c.entry(cx.name(op).to_string()).or_default() += 1;
    }
    c
}

#[test]
fn composite_operators_are_recognised_in_every_transformer() {
    let root = env!("CARGO_MANIFEST_DIR");
    let registry = Arc::new(dnnc_passes::dialects());
    // Per model: GELU (Erf, Tanh), SiLU, scaled RMSNorm, and attention layers.
    for (name, gelu_none, gelu_tanh, silu, rms, attention) in [
        ("bert_base_l2_s128", 2, 0, 0, 0, 2),
        ("gpt2_l2_s128", 0, 2, 0, 0, 2),
        ("gpt2_l12_s1024", 0, 12, 0, 0, 12),
        ("llama_l2_s256", 0, 0, 2, 5, 2),
    ] {
        let model = dnnc_onnx::read_model(format!("{root}/models/{name}.onnx")).unwrap();
        let mut cx = Context::new(registry.clone());
        let m = dnnc_onnx::import_model(&mut cx, &model, &Default::default()).unwrap();
        let before = counts(&cx, m);
        let mut pm = PassManager::parse(
            "builtin.module(graph-canonicalize)",
            &dnnc_passes::registry(),
            PassManagerOptions::default(),
        )
        .unwrap();
        pm.run(&mut cx, m, &mut std::io::sink()).unwrap_or_else(|e| panic!("{name}: {e}"));
        let after = counts(&cx, m);
        let gelu = |approx: &str| {
            cx.nested_ops(m)
                .into_iter()
                .filter(|&o| {
                    cx.is(o, "graph.gelu") && cx.attr(o, "approximate").and_then(|a| a.as_str()) == Some(approx)
                })
                .count()
        };
        assert_eq!((gelu("none"), gelu("tanh")), (gelu_none, gelu_tanh), "{name}");
        assert_eq!(after.get("graph.silu").copied().unwrap_or(0), silu, "{name}");
        let scaled_rms = cx
            .nested_ops(m)
            .into_iter()
            .filter(|&o| cx.is(o, "graph.rms_normalization") && cx.operands(o).len() == 2)
            .count();
        assert_eq!(scaled_rms, rms, "{name}");
        assert_eq!(after.get("graph.attention").copied().unwrap_or(0), attention, "{name}: attention");
        // Each attention took the two matmuls Q·Kᵀ and P·V; every other MAC op is untouched.
        let count = |c: &BTreeMap<String, usize>, op: &str| c.get(op).copied().unwrap_or(0);
        assert_eq!(count(&before, "graph.matmul"), count(&after, "graph.matmul") + 2 * attention, "{name}");
        for mac in ["graph.gemm", "graph.conv"] {
            assert_eq!(before.get(mac), after.get(mac), "{name}: {mac}");
        }
        assert_eq!(count(&before, "graph.softmax"), attention, "{name}: one softmax per attention layer");
        assert_eq!(count(&after, "graph.softmax"), 0, "{name}: every softmax is inside an attention");
        assert!(after.values().sum::<usize>() < before.values().sum::<usize>(), "{name}: nothing was rewritten");
    }
}

#[test]
fn every_model_lowers_to_einsums_with_the_expected_macs() {
    let root = env!("CARGO_MANIFEST_DIR");
    let registry = Arc::new(dnnc_passes::dialects());
    for (name, expected, attention) in [
        ("resnet18", 1_814_073_344i64, 0),
        ("gpt2_l2_s128", 6_802_735_104, 2),
        ("gpt2_l12_s1024", 145_824_153_600, 12),
        ("bert_base_l2_s128", 1_862_270_976, 2),
        ("llama_l2_s256", 39_862_665_216, 2),
    ] {
        let model = dnnc_onnx::read_model(format!("{root}/models/{name}.onnx")).unwrap();
        let mut cx = Context::new(registry.clone());
        let m = dnnc_onnx::import_model(&mut cx, &model, &Default::default()).unwrap();
        let pipeline = "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)";
        let mut pm = PassManager::parse(pipeline, &dnnc_passes::registry(), PassManagerOptions::default()).unwrap();
        pm.run(&mut cx, m, &mut std::io::sink()).unwrap_or_else(|e| panic!("{name}: {e}: {:?}", e.diagnostics));
        let ops = cx.nested_ops(m);
        let remaining: Vec<&str> = ops
            .iter()
            .map(|&o| cx.name(o))
            .filter(|n| n.starts_with("graph.") && *n != "graph.weight" && *n != "graph.constant")
            .collect();
        assert!(remaining.is_empty(), "{name}: not lowered: {remaining:?}");
        let macs: i64 = ops
            .iter()
            .filter_map(|&o| dnnc_einsum::Einsum::of(&cx, o))
            .filter(|e| e.kind == "mac")
            .map(|e| e.points())
            .sum();
        assert_eq!(macs, expected, "{name}");
        // Each attention lowers to its steps, all sourced from it: two MAC einsums (scores and
        // context) among them.
        let parts = |part: &str, kind: &str| {
            ops.iter()
                .filter_map(|&o| dnnc_einsum::Einsum::of(&cx, o))
                .filter(|e| e.source == "graph.attention" && e.part == Some(part) && e.kind == kind)
                .count()
        };
        assert_eq!((parts("scores", "mac"), parts("context", "mac")), (attention, attention), "{name}");
        assert_eq!(parts("softmax", "reduction"), attention, "{name}");
    }
}
