//! Any text through the ONNX text parser and the importer: errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(model) = dnnc_onnx::parse_model_text(text, "fuzz.onnxtxt") else { return };
    let mut cx = dnnc_ir::Context::new(std::sync::Arc::new(dnnc_passes::dialects()));
    let mut options = dnnc_onnx::ImportOptions::default();
    options.bindings.insert("N".into(), 2);
    if let Ok(module) = dnnc_onnx::import_model(&mut cx, &model, &options) {
        let _ = dnnc_ir::verify(&cx, module);
    }
});
