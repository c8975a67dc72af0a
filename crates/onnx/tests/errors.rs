//! Bad input never panics: truncated model bytes, random bytes, an empty file, a model without a
//! graph, a nonexistent path and bad types each give an `OnnxError` whose message names the file.

use std::error::Error;
use std::path::PathBuf;

use dnnc_onnx::proto::{
    GraphProto, ModelProto, OperatorSetIdProto, TensorProto, TypeProto, ValueInfoProto, type_proto,
};
use dnnc_onnx::{Bytes, OnnxError, decode_model, read_model};
use prost::Message;

fn resnet18_bytes() -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-suite/models/resnet18.onnx");
    std::fs::read(path).unwrap()
}

/// A small deterministic generator (xorshift64*), so failures reproduce.
fn random_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            (state.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}

#[test]
fn nonexistent_path_is_an_io_error_naming_the_file() {
    let err = read_model("/nonexistent/dir/model.onnx").unwrap_err();
    assert!(matches!(err, OnnxError::Io { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(msg.starts_with("/nonexistent/dir/model.onnx: cannot read ONNX model: "), "{msg}");
    assert!(err.source().is_some());
}

#[test]
fn a_directory_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let err = read_model(dir.path()).unwrap_err();
    assert!(matches!(err, OnnxError::Io { .. }), "{err:?}");
}

#[test]
fn empty_file_is_reported_as_empty() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.onnx");
    std::fs::write(&path, b"").unwrap();
    let err = read_model(&path).unwrap_err();
    assert!(matches!(err, OnnxError::Empty { .. }), "{err:?}");
    assert_eq!(err.to_string(), format!("{}: empty file, not an ONNX model", path.display()));
}

#[test]
fn truncated_model_is_a_decode_error() {
    let bytes = resnet18_bytes();
    for cut in [1, bytes.len() / 3, bytes.len() / 2, bytes.len() - 1] {
        let err = decode_model(Bytes::copy_from_slice(&bytes[..cut]), "resnet18.onnx").unwrap_err();
        assert!(matches!(err, OnnxError::Decode { .. }), "cut at {cut}: {err:?}");
        let msg = err.to_string();
        assert!(msg.starts_with("resnet18.onnx: not a valid ONNX model (protobuf decoding failed: "), "{msg}");
    }
}

#[test]
fn truncation_at_every_point_never_panics() {
    let bytes = resnet18_bytes();
    for cut in (0..bytes.len()).step_by(7) {
        if let Ok(model) = decode_model(Bytes::copy_from_slice(&bytes[..cut]), "cut.onnx") {
            // A cut right after a complete top-level field can still decode; it must be usable.
            let graph = model.graph();
            for node in graph.nodes() {
                let _ = node.opt_attr_ints("kernel_shape");
            }
        }
    }
}

#[test]
fn random_bytes_are_rejected_from_memory_and_from_a_file() {
    for seed in 0..200 {
        let err = decode_model(Bytes::from(random_bytes(seed, 4096)), "random.onnx").unwrap_err();
        assert!(matches!(err, OnnxError::Decode { .. } | OnnxError::MissingGraph { .. }), "seed {seed}: {err:?}");
        assert!(err.to_string().starts_with("random.onnx: "));
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("random.onnx");
    std::fs::write(&path, random_bytes(7, 100_000)).unwrap();
    let err = read_model(&path).unwrap_err();
    assert!(err.to_string().starts_with(&format!("{}: ", path.display())), "{err}");
}

#[test]
fn text_file_is_rejected() {
    let err = decode_model(Bytes::from_static(b"this is not a model\n"), "notes.txt").unwrap_err();
    assert!(matches!(err, OnnxError::Decode { .. } | OnnxError::MissingGraph { .. }), "{err:?}");
}

#[test]
fn model_without_graph_is_rejected() {
    let model = ModelProto {
        ir_version: Some(10),
        producer_name: Some("test".into()),
        opset_import: vec![OperatorSetIdProto { domain: Some(String::new()), version: Some(17) }],
        ..Default::default()
    };
    let err = decode_model(Bytes::from(model.encode_to_vec()), "nograph.onnx").unwrap_err();
    assert!(matches!(err, OnnxError::MissingGraph { .. }), "{err:?}");
    assert_eq!(err.to_string(), "nograph.onnx: model has no graph");
}

#[test]
fn bad_types_name_the_value_or_tensor() {
    let tensor_type = |elem_type| TypeProto {
        denotation: None,
        value: Some(type_proto::Value::TensorType(type_proto::Tensor { elem_type: Some(elem_type), shape: None })),
    };
    let graph = GraphProto {
        input: vec![
            ValueInfoProto { name: Some("x".into()), r#type: Some(tensor_type(4242)), ..Default::default() },
            ValueInfoProto { name: Some("untyped".into()), ..Default::default() },
        ],
        initializer: vec![TensorProto { name: Some("w".into()), data_type: Some(-1), ..Default::default() }],
        ..Default::default()
    };
    let model = ModelProto { graph: Some(graph), ..Default::default() };
    let model = decode_model(Bytes::from(model.encode_to_vec()), "bad.onnx").unwrap();
    let inputs: Vec<_> = model.graph().inputs().collect();
    let err = inputs[0].tensor_type().unwrap_err();
    assert_eq!(err.to_string(), r#"bad.onnx: value "x": tensor element type: unknown ONNX data type code 4242"#);
    assert_eq!(inputs[1].shape().unwrap_err().to_string(), r#"bad.onnx: value "untyped": has no type"#);
    let err = model.graph().initializer("w").unwrap().data_type().unwrap_err();
    assert_eq!(err.to_string(), r#"bad.onnx: tensor "w": unknown ONNX data type code -1"#);
    assert_eq!(model.ir_version(), 0);
    assert_eq!(model.opset_version(""), None);
}
