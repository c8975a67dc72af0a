//! Reading a model: `read_model` loads a `.onnx` file into one `Bytes` buffer and
//! `decode_model` decodes such a buffer into a `Model`, the decoded `ModelProto` plus the name of
//! its source for error messages. Large byte fields (`raw_data`) of the decoded model are slices
//! of that buffer, not copies, so a file of N bytes costs about N bytes of memory.

use std::path::Path;
use std::sync::OnceLock;

use bytes::Bytes;
use prost::Message;

use crate::error::OnnxError;
use crate::graph::Graph;
use crate::proto::{GraphProto, ModelProto};

/// A decoded ONNX model. It always has a graph ([`decode_model`] and [`Model::from_proto`] reject
/// models without one).
#[derive(Debug, Clone)]
pub struct Model {
    proto: ModelProto,
    source_name: String,
}

/// Reads an ONNX model file. The file is read once, into one buffer that the decoded model's
/// large byte fields share. External data files the model refers to are never opened.
pub fn read_model(path: impl AsRef<Path>) -> Result<Model, OnnxError> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| OnnxError::Io { file: file.clone(), source })?;
    decode_model(Bytes::from(bytes), &file)
}

/// Decodes an ONNX model from protobuf bytes. `source_name` (usually the file name) starts every
/// error message about this model. Byte fields of the result are slices of `bytes`.
pub fn decode_model(bytes: Bytes, source_name: &str) -> Result<Model, OnnxError> {
    let file = || source_name.to_string();
    if bytes.is_empty() {
        return Err(OnnxError::Empty { file: file() });
    }
    let proto = ModelProto::decode(bytes).map_err(|source| OnnxError::Decode { file: file(), source })?;
    Model::from_proto(proto, source_name)
}

/// Whether `domain` names the default ONNX operator set, which may be written `""` or `"ai.onnx"`.
fn is_default_domain(domain: &str) -> bool {
    domain.is_empty() || domain == "ai.onnx"
}

impl Model {
    /// Wraps an already decoded (or built) `ModelProto`; it must have a graph. `source_name`
    /// starts every error message about this model.
    pub fn from_proto(proto: ModelProto, source_name: &str) -> Result<Model, OnnxError> {
        if proto.graph.is_none() {
            return Err(OnnxError::MissingGraph { file: source_name.to_string() });
        }
        Ok(Model { proto, source_name: source_name.to_string() })
    }

    /// The decoded protobuf message.
    pub fn proto(&self) -> &ModelProto {
        &self.proto
    }

    /// The decoded protobuf message, by value.
    pub fn into_proto(self) -> ModelProto {
        self.proto
    }

    /// The file (or source name) the model was read from, as used in error messages.
    pub fn source_name(&self) -> &str {
        &self.source_name
    }

    /// The ONNX IR version of the file format (0 if absent).
    pub fn ir_version(&self) -> i64 {
        self.proto.ir_version()
    }

    /// The operator set version imported for `domain`; `""` and `"ai.onnx"` both mean the default
    /// ONNX domain. `None` if the model imports no such operator set.
    pub fn opset_version(&self, domain: &str) -> Option<i64> {
        let wanted_default = is_default_domain(domain);
        self.proto
            .opset_import
            .iter()
            .find(|o| if wanted_default { is_default_domain(o.domain()) } else { o.domain() == domain })
            .map(|o| o.version())
    }

    /// Every imported operator set as `(domain, version)`, as stored.
    pub fn opset_imports(&self) -> impl ExactSizeIterator<Item = (&str, i64)> {
        self.proto.opset_import.iter().map(|o| (o.domain(), o.version()))
    }

    /// The name of the tool that wrote the model (e.g. `pytorch`), or empty.
    pub fn producer_name(&self) -> &str {
        self.proto.producer_name()
    }

    /// The version of the tool that wrote the model, or empty.
    pub fn producer_version(&self) -> &str {
        self.proto.producer_version()
    }

    /// The main graph.
    pub fn graph(&self) -> Graph<'_> {
        // `from_proto` guarantees a graph, so the empty stand-in is never used; it only spares
        // this accessor a panic path.
        static EMPTY: OnceLock<GraphProto> = OnceLock::new();
        let graph = self.proto.graph.as_ref().unwrap_or_else(|| EMPTY.get_or_init(GraphProto::default));
        Graph::new(graph, &self.source_name)
    }
}
