//! Memory behaviour: decoded `raw_data` shares the buffer the model was decoded from (no copy of
//! the weights), and external data files are never opened — not even when one exists.

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use dnnc_onnx::proto::{GraphProto, ModelProto, NodeProto, TensorProto};
use dnnc_onnx::{Bytes, DataType, TensorStorage, decode_model, read_model};
use prost::Message;

/// A model with two inline FLOAT initializers of `len` bytes each and one node using them.
fn model_with_inline_weights(len: usize) -> Vec<u8> {
    let weight = |name: &str, fill: u8| TensorProto {
        name: Some(name.into()),
        data_type: Some(DataType::Float.code()),
        dims: vec![(len / 4) as i64],
        raw_data: Some(Bytes::from(vec![fill; len])),
        ..Default::default()
    };
    let graph = GraphProto {
        name: Some("g".into()),
        node: vec![NodeProto {
            op_type: Some("Add".into()),
            input: vec!["a".into(), "b".into()],
            output: vec!["c".into()],
            ..Default::default()
        }],
        initializer: vec![weight("a", 1), weight("b", 2)],
        ..Default::default()
    };
    ModelProto { ir_version: Some(10), graph: Some(graph), ..Default::default() }.encode_to_vec()
}

fn assert_within(inner: &[u8], outer: &Bytes) {
    let outer_range = outer.as_ptr() as usize..outer.as_ptr() as usize + outer.len();
    let start = inner.as_ptr() as usize;
    assert!(outer_range.contains(&start) && start + inner.len() <= outer_range.end, "raw_data was copied");
}

#[test]
fn raw_data_shares_the_decoded_buffer() {
    let buffer = Bytes::from(model_with_inline_weights(1 << 20));
    let model = decode_model(buffer.clone(), "inline.onnx").unwrap();
    let graph = model.graph();
    assert_eq!(graph.initializers().len(), 2);
    for (init, fill) in graph.initializers().zip([1u8, 2]) {
        let TensorStorage::Raw(raw) = init.storage() else { panic!("{} is not inline", init.name()) };
        assert_eq!(raw.len(), 1 << 20);
        assert!(raw.iter().all(|&b| b == fill));
        assert_within(raw, &buffer);
        assert_eq!(init.byte_size(), Some(1 << 20));
    }
}

#[test]
fn read_model_round_trips_a_written_model() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("inline.onnx");
    std::fs::write(&path, model_with_inline_weights(4096)).unwrap();
    let model = read_model(&path).unwrap();
    let node = model.graph().nodes().next().unwrap();
    assert_eq!((node.op_type(), node.inputs()), ("Add", &["a".to_string(), "b".to_string()][..]));
    assert_eq!(model.graph().initializer("b").unwrap().raw_data().unwrap()[0], 2);
}

/// A FIFO in place of the external data file: opening it for reading would block until a writer
/// appears, so a reader that touched it would hang here instead of finishing.
#[cfg(unix)]
#[test]
fn external_data_file_is_never_opened() {
    let models = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../test-suite/models");
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("resnet18.onnx");
    std::fs::copy(models.join("resnet18.onnx"), &model_path).unwrap();
    let fifo = dir.path().join("resnet18.data");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo runs");
    assert!(status.success());

    let (done, finished) = mpsc::channel();
    std::thread::spawn(move || {
        let model = read_model(&model_path).unwrap();
        let mut external = 0;
        for init in model.graph().initializers() {
            if let Some(ext) = init.external_data().unwrap() {
                assert_eq!(ext.location, "resnet18.data");
                assert!(init.byte_size().is_some());
                external += 1;
            }
        }
        done.send(external).unwrap();
    });
    let external = finished.recv_timeout(Duration::from_secs(60)).expect("reading the model blocked on the data file");
    assert_eq!(external, 24);
}
