//! `Graph`, a read-only view of a `GraphProto` (the main graph or a subgraph attribute), and
//! `ValueInfo`, a view of a graph input, output or intermediate value with its tensor type.

use crate::dtype::DataType;
use crate::error::OnnxError;
use crate::node::Node;
use crate::proto::{GraphProto, ValueInfoProto};
use crate::shape::{Dim, TensorType, TypeError};
use crate::tensor::Tensor;

/// A view of one graph of a model; `'a` borrows the model.
#[derive(Debug, Clone, Copy)]
pub struct Graph<'a> {
    proto: &'a GraphProto,
    source_name: &'a str,
}

impl<'a> Graph<'a> {
    pub(crate) fn new(proto: &'a GraphProto, source_name: &'a str) -> Self {
        Graph { proto, source_name }
    }

    /// The generated protobuf message.
    pub fn proto(&self) -> &'a GraphProto {
        self.proto
    }

    /// The graph's name.
    pub fn name(&self) -> &'a str {
        self.proto.name()
    }

    /// The model file (or source name) this graph was read from, as used in error messages.
    pub fn source_name(&self) -> &'a str {
        self.source_name
    }

    /// The nodes, in the order stored (ONNX requires a topological order).
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = Node<'a>> + use<'a> {
        let source_name = self.source_name;
        self.proto.node.iter().map(move |n| Node::new(n, source_name))
    }

    /// The number of nodes (not counting nodes of subgraphs).
    pub fn node_count(&self) -> usize {
        self.proto.node.len()
    }

    /// The graph inputs. Models of IR version 3 and older may also list initializers here.
    pub fn inputs(&self) -> impl ExactSizeIterator<Item = ValueInfo<'a>> + use<'a> {
        self.value_infos_of(&self.proto.input)
    }

    /// The graph outputs.
    pub fn outputs(&self) -> impl ExactSizeIterator<Item = ValueInfo<'a>> + use<'a> {
        self.value_infos_of(&self.proto.output)
    }

    /// The types recorded for intermediate values (`value_info`), often from shape inference.
    pub fn value_infos(&self) -> impl ExactSizeIterator<Item = ValueInfo<'a>> + use<'a> {
        self.value_infos_of(&self.proto.value_info)
    }

    /// The initializers (weights and constants), metadata only: external data is never read.
    pub fn initializers(&self) -> impl ExactSizeIterator<Item = Tensor<'a>> + use<'a> {
        let source_name = self.source_name;
        self.proto.initializer.iter().map(move |t| Tensor::new(t, source_name))
    }

    /// The initializer with this name, if any (a linear search).
    pub fn initializer(&self, name: &str) -> Option<Tensor<'a>> {
        self.initializers().find(|t| t.name() == name)
    }

    fn value_infos_of(&self, list: &'a [ValueInfoProto]) -> impl ExactSizeIterator<Item = ValueInfo<'a>> + use<'a> {
        let source_name = self.source_name;
        list.iter().map(move |v| ValueInfo { proto: v, source_name })
    }
}

/// A view of a `ValueInfoProto`: a named value and its declared type.
#[derive(Debug, Clone, Copy)]
pub struct ValueInfo<'a> {
    proto: &'a ValueInfoProto,
    source_name: &'a str,
}

impl<'a> ValueInfo<'a> {
    /// The generated protobuf message.
    pub fn proto(&self) -> &'a ValueInfoProto {
        self.proto
    }

    /// The value's name.
    pub fn name(&self) -> &'a str {
        self.proto.name()
    }

    /// The value's type, which must be a dense tensor with a known element type; otherwise an
    /// error naming the file and the value.
    pub fn tensor_type(&self) -> Result<TensorType, OnnxError> {
        let ty = self.proto.r#type.as_ref().ok_or(TypeError::Missing);
        ty.and_then(TensorType::from_proto).map_err(|source| OnnxError::ValueType {
            file: self.source_name.to_string(),
            value: self.name().to_string(),
            source,
        })
    }

    /// The element type (see [`tensor_type`](Self::tensor_type)).
    pub fn elem_type(&self) -> Result<DataType, OnnxError> {
        Ok(self.tensor_type()?.elem_type)
    }

    /// The dimensions, or `None` when the rank is unknown (see [`tensor_type`](Self::tensor_type)).
    pub fn shape(&self) -> Result<Option<Vec<Dim>>, OnnxError> {
        Ok(self.tensor_type()?.shape)
    }
}
