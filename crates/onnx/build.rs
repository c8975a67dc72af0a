//! Build script: compiles the vendored `proto/onnx.proto` with protox (a protobuf compiler
//! written in Rust, so no system `protoc` is needed) and generates the Rust message types with
//! prost-build into `$OUT_DIR/onnx.rs`, which `src/lib.rs` includes as `dnnc_onnx::proto`.
//!
//! Every protobuf `bytes` field (notably `TensorProto.raw_data`) is generated as `bytes::Bytes`:
//! decoding a model from a `Bytes` buffer then slices that buffer instead of copying the weights.

use std::error::Error;
use std::path::Path;

fn main() -> Result<(), Box<dyn Error>> {
    let proto_dir = Path::new("proto");
    println!("cargo::rerun-if-changed={}", proto_dir.join("onnx.proto").display());
    let descriptors = protox::compile(["onnx.proto"], [proto_dir])?;
    prost_build::Config::new().bytes(["."]).compile_fds(descriptors)?;
    Ok(())
}
