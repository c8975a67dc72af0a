//! Converts a model in the ONNX textual syntax to protobuf with dnnc's parser, for
//! `bench/onnx-text-crosscheck.sh`, which compares the result with Python's `onnx.parser`.
//!
//! `onnxtxt_to_pb IN.onnxtxt OUT.pb` writes the parsed `ModelProto` as protobuf bytes and exits
//! 0; on a parse error it prints the error to standard error and exits 1.

use std::process::ExitCode;

use prost::Message;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: onnxtxt_to_pb IN.onnxtxt OUT.pb");
        return ExitCode::from(2);
    };
    let model = match dnnc_onnx::read_model_text(input) {
        Ok(model) => model,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(1);
        }
    };
    if let Err(e) = std::fs::write(output, model.into_proto().encode_to_vec()) {
        eprintln!("cannot write {output}: {e}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
