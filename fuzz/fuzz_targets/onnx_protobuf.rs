//! Any bytes through the ONNX protobuf reader and the importer: errors, never panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(model) = dnnc_onnx::decode_model(dnnc_onnx::Bytes::copy_from_slice(data), "fuzz.onnx") else { return };
    let mut cx = dnnc_ir::Context::new(std::sync::Arc::new(dnnc_passes::dialects()));
    if let Ok(module) = dnnc_onnx::import_model(&mut cx, &model, &Default::default()) {
        let _ = dnnc_ir::verify(&cx, module);
    }
});
