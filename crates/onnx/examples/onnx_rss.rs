//! Memory benchmark helper for `bench/onnx-rss.sh`.
//!
//! - `onnx_rss generate PATH MEGABYTES` writes an ONNX model whose initializers carry about
//!   MEGABYTES of inline `raw_data`, built with the generated protobuf types (no Python needed).
//! - `onnx_rss measure PATH` reads PATH with `read_model`, walks graph and initializers, and
//!   prints one line of `key=value` pairs: file size, peak resident memory (`VmHWM` from
//!   `/proc/self/status`), resident memory before reading, decode time and model counts.
//! - `onnx_rss measure-copying PATH` does the same but decodes from a borrowed `&[u8]`, which
//!   makes prost copy every `raw_data` field: the 2N reference that `read_model` avoids.
//!
//! Run each measurement in its own process so the peaks do not mix.

use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use dnnc_onnx::proto::{GraphProto, ModelProto, NodeProto, OperatorSetIdProto, TensorProto};
use dnnc_onnx::{Bytes, DataType, Model, OnnxError, read_model};
use prost::Message;

const MIB: u64 = 1 << 20;
/// Size of each generated initializer.
const TENSOR_BYTES: usize = 16 << 20;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["generate", path, megabytes] => match megabytes.parse::<usize>() {
            Ok(mb) => generate(Path::new(path), mb),
            Err(_) => Err(format!("MEGABYTES must be a whole number, got {megabytes:?}")),
        },
        ["measure", path] => measure(Path::new(path), false),
        ["measure-copying", path] => measure(Path::new(path), true),
        _ => Err("usage: onnx_rss generate PATH MEGABYTES | measure PATH | measure-copying PATH".to_string()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("onnx_rss: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Writes a model of `megabytes` MiB of FLOAT initializers (16 MiB each) added up by a chain of
/// `Add` nodes, so the graph is valid ONNX and references every weight.
fn generate(path: &Path, megabytes: usize) -> Result<(), String> {
    let total = megabytes << 20;
    let count = total.div_ceil(TENSOR_BYTES).max(1);
    let mut initializer = Vec::with_capacity(count);
    let mut node = Vec::with_capacity(count);
    let mut previous = String::from("w0");
    for i in 0..count {
        let len = TENSOR_BYTES.min(total - i * TENSOR_BYTES);
        let len = len - len % 4;
        let data: Vec<u8> = (0..len).map(|j| (i * 31 + j) as u8).collect();
        initializer.push(TensorProto {
            name: Some(format!("w{i}")),
            data_type: Some(DataType::Float.code()),
            dims: vec![(len / 4) as i64],
            raw_data: Some(Bytes::from(data)),
            ..Default::default()
        });
        if i > 0 {
            let output = format!("sum{i}");
            node.push(NodeProto {
                name: Some(format!("add{i}")),
                op_type: Some("Add".into()),
                input: vec![previous, format!("w{i}")],
                output: vec![output.clone()],
                ..Default::default()
            });
            previous = output;
        }
    }
    let model = ModelProto {
        ir_version: Some(10),
        producer_name: Some("dnnc-onnx onnx_rss".into()),
        opset_import: vec![OperatorSetIdProto { domain: Some(String::new()), version: Some(17) }],
        graph: Some(GraphProto { name: Some("rss".into()), node, initializer, ..Default::default() }),
        ..Default::default()
    };
    std::fs::write(path, model.encode_to_vec()).map_err(|e| format!("{}: {e}", path.display()))
}

fn measure(path: &Path, copying: bool) -> Result<(), String> {
    let file_bytes = std::fs::metadata(path).map_err(|e| format!("{}: {e}", path.display()))?.len();
    let baseline_kb = status_kb("VmRSS")?;
    let start = Instant::now();
    let model = if copying { read_model_copying(path) } else { read_model(path) }.map_err(|e| e.to_string())?;
    let decode = start.elapsed();
    let graph = model.graph();
    let inline_bytes: u64 = graph.initializers().filter_map(|t| t.raw_data()).map(|r| r.len() as u64).sum();
    let external = graph.initializers().filter(|t| t.is_external()).count();
    let peak_kb = status_kb("VmHWM")?;
    let rss_kb = status_kb("VmRSS")?;
    println!(
        "file_mb={:.3} peak_rss_mb={:.1} baseline_rss_mb={:.1} rss_after_mb={:.1} decode_ms={:.1} nodes={} initializers={} \
         inline_mb={:.1} external_initializers={}",
        file_bytes as f64 / MIB as f64,
        peak_kb as f64 / 1024.0,
        baseline_kb as f64 / 1024.0,
        rss_kb as f64 / 1024.0,
        decode.as_secs_f64() * 1000.0,
        graph.node_count(),
        graph.initializers().len(),
        inline_bytes as f64 / MIB as f64,
        external,
    );
    drop(model);
    Ok(())
}

/// The naive way: decode from a borrowed slice of the file buffer, so every `Bytes` field becomes
/// a fresh copy while the buffer is still alive.
fn read_model_copying(path: &Path) -> Result<Model, OnnxError> {
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| OnnxError::Io { file: file.clone(), source })?;
    let proto =
        ModelProto::decode(bytes.as_slice()).map_err(|source| OnnxError::Decode { file: file.clone(), source })?;
    Model::from_proto(proto, &file)
}

/// A `kB` field of `/proc/self/status` (Linux), in kB.
fn status_kb(field: &str) -> Result<u64, String> {
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| format!("/proc/self/status: {e}"))?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':')?.trim().strip_suffix("kB")?.trim().parse().ok())
        .ok_or_else(|| format!("/proc/self/status has no {field} line"))
}
