//! The sample models through the frontend and `graph-canonicalize`: every composite operator the
//! exporters decomposed is recognised (GELU in BERT's Erf form and GPT-2's Tanh form, Llama's
//! SiLU and scaled RMSNorm), the result verifies, and no multiply-accumulate op is touched.

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
    for (name, gelu_none, gelu_tanh, silu, rms) in [
        ("bert_base_l2_s128", 2, 0, 0, 0),
        ("gpt2_l2_s128", 0, 2, 0, 0),
        ("gpt2_l12_s1024", 0, 12, 0, 0),
        ("llama_l2_s256", 0, 0, 2, 5),
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
        for mac in ["graph.matmul", "graph.gemm", "graph.conv"] {
            assert_eq!(before.get(mac), after.get(mac), "{name}: {mac}");
        }
        assert!(after.values().sum::<usize>() < before.values().sum::<usize>(), "{name}: nothing was rewritten");
    }
}
