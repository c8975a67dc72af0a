//! `Node`, a read-only view of a `NodeProto`: operator, inputs, outputs and typed attribute
//! accessors. `attr_*` require the attribute; `opt_attr_*` return `None` when it is absent. Both
//! fail with an `OnnxError` naming the file, the node (name and op_type) and the attribute when
//! the attribute has another type or an unusable value.

use crate::error::{AttributeError, AttributeProblem, OnnxError};
use crate::graph::Graph;
use crate::proto::attribute_proto::AttributeType;
use crate::proto::{AttributeProto, NodeProto};
use crate::tensor::Tensor;

/// A view of one node of a graph; `'a` borrows the model.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    proto: &'a NodeProto,
    source_name: &'a str,
}

impl<'a> Node<'a> {
    pub(crate) fn new(proto: &'a NodeProto, source_name: &'a str) -> Self {
        Node { proto, source_name }
    }

    /// The generated protobuf message.
    pub fn proto(&self) -> &'a NodeProto {
        self.proto
    }

    /// The node's name (optional in ONNX, so possibly empty).
    pub fn name(&self) -> &'a str {
        self.proto.name()
    }

    /// The operator, e.g. `Conv`.
    pub fn op_type(&self) -> &'a str {
        self.proto.op_type()
    }

    /// The operator set domain; empty for the default ONNX domain.
    pub fn domain(&self) -> &'a str {
        self.proto.domain()
    }

    /// The input value names, in order; an empty name is an omitted optional input.
    pub fn inputs(&self) -> &'a [String] {
        &self.proto.input
    }

    /// The output value names, in order; an empty name is an omitted optional output.
    pub fn outputs(&self) -> &'a [String] {
        &self.proto.output
    }

    /// All attributes as stored.
    pub fn attributes(&self) -> &'a [AttributeProto] {
        &self.proto.attribute
    }

    /// The attribute with this name, if present.
    pub fn attribute(&self, name: &str) -> Option<&'a AttributeProto> {
        self.proto.attribute.iter().find(|a| a.name() == name)
    }

    /// The type of the attribute with this name, if present and of a known type. Files from IR
    /// version 1 have no `type` field; their type is inferred from the value field that is set.
    pub fn attribute_type(&self, name: &str) -> Option<AttributeType> {
        self.attribute(name).and_then(|a| attribute_type_of(a).ok())
    }

    /// A required `INT` attribute.
    pub fn attr_int(&self, name: &str) -> Result<i64, OnnxError> {
        self.required(name, self.opt_attr_int(name)?)
    }

    /// An optional `INT` attribute.
    pub fn opt_attr_int(&self, name: &str) -> Result<Option<i64>, OnnxError> {
        self.typed(name, AttributeType::Int, |a| Ok(a.i()))
    }

    /// A required `INTS` attribute.
    pub fn attr_ints(&self, name: &str) -> Result<&'a [i64], OnnxError> {
        self.required(name, self.opt_attr_ints(name)?)
    }

    /// An optional `INTS` attribute.
    pub fn opt_attr_ints(&self, name: &str) -> Result<Option<&'a [i64]>, OnnxError> {
        self.typed(name, AttributeType::Ints, |a| Ok(a.ints.as_slice()))
    }

    /// A required `FLOAT` attribute.
    pub fn attr_float(&self, name: &str) -> Result<f32, OnnxError> {
        self.required(name, self.opt_attr_float(name)?)
    }

    /// An optional `FLOAT` attribute.
    pub fn opt_attr_float(&self, name: &str) -> Result<Option<f32>, OnnxError> {
        self.typed(name, AttributeType::Float, |a| Ok(a.f()))
    }

    /// A required `FLOATS` attribute.
    pub fn attr_floats(&self, name: &str) -> Result<&'a [f32], OnnxError> {
        self.required(name, self.opt_attr_floats(name)?)
    }

    /// An optional `FLOATS` attribute.
    pub fn opt_attr_floats(&self, name: &str) -> Result<Option<&'a [f32]>, OnnxError> {
        self.typed(name, AttributeType::Floats, |a| Ok(a.floats.as_slice()))
    }

    /// A required `STRING` attribute; it must be UTF-8.
    pub fn attr_string(&self, name: &str) -> Result<&'a str, OnnxError> {
        self.required(name, self.opt_attr_string(name)?)
    }

    /// An optional `STRING` attribute; it must be UTF-8.
    pub fn opt_attr_string(&self, name: &str) -> Result<Option<&'a str>, OnnxError> {
        self.typed(name, AttributeType::String, |a| utf8(a.s.as_deref().unwrap_or_default()))
    }

    /// A required `STRINGS` attribute; every string must be UTF-8.
    pub fn attr_strings(&self, name: &str) -> Result<Vec<&'a str>, OnnxError> {
        self.required(name, self.opt_attr_strings(name)?)
    }

    /// An optional `STRINGS` attribute; every string must be UTF-8.
    pub fn opt_attr_strings(&self, name: &str) -> Result<Option<Vec<&'a str>>, OnnxError> {
        self.typed(name, AttributeType::Strings, |a| a.strings.iter().map(|s| utf8(s)).collect())
    }

    /// A required `TENSOR` attribute (e.g. `Constant`'s `value`).
    pub fn attr_tensor(&self, name: &str) -> Result<Tensor<'a>, OnnxError> {
        self.required(name, self.opt_attr_tensor(name)?)
    }

    /// An optional `TENSOR` attribute.
    pub fn opt_attr_tensor(&self, name: &str) -> Result<Option<Tensor<'a>>, OnnxError> {
        let source_name = self.source_name;
        self.typed(name, AttributeType::Tensor, |a| {
            a.t.as_ref().map(|t| Tensor::new(t, source_name)).ok_or_else(|| "has no tensor value".to_string())
        })
    }

    /// A required `GRAPH` attribute (e.g. `If`'s branches, `Loop`'s body).
    pub fn attr_graph(&self, name: &str) -> Result<Graph<'a>, OnnxError> {
        self.required(name, self.opt_attr_graph(name)?)
    }

    /// An optional `GRAPH` attribute.
    pub fn opt_attr_graph(&self, name: &str) -> Result<Option<Graph<'a>>, OnnxError> {
        let source_name = self.source_name;
        self.typed(name, AttributeType::Graph, |a| {
            a.g.as_ref().map(|g| Graph::new(g, source_name)).ok_or_else(|| "has no graph value".to_string())
        })
    }

    /// Finds `name`, checks that it has type `expected`, and extracts its value (an `Err(String)`
    /// from `value` becomes an `AttributeProblem::BadValue`).
    fn typed<T>(
        &self,
        name: &str,
        expected: AttributeType,
        value: impl FnOnce(&'a AttributeProto) -> Result<T, String>,
    ) -> Result<Option<T>, OnnxError> {
        let Some(attr) = self.attribute(name) else {
            return Ok(None);
        };
        if let Some(outer) = attr.ref_attr_name.as_deref().filter(|r| !r.is_empty()) {
            let detail = format!("refers to attribute {outer:?} of an enclosing function and has no value of its own");
            return Err(self.error(name, AttributeProblem::BadValue(detail)));
        }
        let actual = attribute_type_of(attr).map_err(|code| {
            self.error(name, AttributeProblem::BadValue(format!("has unknown attribute type code {code}")))
        })?;
        // An IR-version-1 attribute with no type and no value can only be an empty list.
        let empty_list = actual == AttributeType::Undefined && is_list(expected);
        if actual != expected && !empty_list {
            let problem = AttributeProblem::WrongType {
                expected: expected.as_str_name(),
                actual: actual.as_str_name().to_string(),
            };
            return Err(self.error(name, problem));
        }
        value(attr).map(Some).map_err(|detail| self.error(name, AttributeProblem::BadValue(detail)))
    }

    fn required<T>(&self, name: &str, value: Option<T>) -> Result<T, OnnxError> {
        value.ok_or_else(|| self.error(name, AttributeProblem::Missing))
    }

    fn error(&self, name: &str, problem: AttributeProblem) -> OnnxError {
        OnnxError::Attribute(Box::new(AttributeError {
            file: self.source_name.to_string(),
            node: self.name().to_string(),
            op_type: self.op_type().to_string(),
            attribute: name.to_string(),
            problem,
        }))
    }
}

/// The attribute's declared type, or (when undeclared, as in IR version 1) the type of the value
/// field that is set. `Err(code)` for a declared code this schema does not know.
fn attribute_type_of(attr: &AttributeProto) -> Result<AttributeType, i32> {
    match attr.r#type {
        Some(code) if code != AttributeType::Undefined as i32 => AttributeType::try_from(code).map_err(|_| code),
        _ => Ok(infer_attribute_type(attr)),
    }
}

fn infer_attribute_type(a: &AttributeProto) -> AttributeType {
    let candidates = [
        (a.f.is_some(), AttributeType::Float),
        (a.i.is_some(), AttributeType::Int),
        (a.s.is_some(), AttributeType::String),
        (a.t.is_some(), AttributeType::Tensor),
        (a.g.is_some(), AttributeType::Graph),
        (a.sparse_tensor.is_some(), AttributeType::SparseTensor),
        (a.tp.is_some(), AttributeType::TypeProto),
        (!a.floats.is_empty(), AttributeType::Floats),
        (!a.ints.is_empty(), AttributeType::Ints),
        (!a.strings.is_empty(), AttributeType::Strings),
        (!a.tensors.is_empty(), AttributeType::Tensors),
        (!a.graphs.is_empty(), AttributeType::Graphs),
        (!a.sparse_tensors.is_empty(), AttributeType::SparseTensors),
        (!a.type_protos.is_empty(), AttributeType::TypeProtos),
    ];
    candidates.into_iter().find(|(set, _)| *set).map_or(AttributeType::Undefined, |(_, ty)| ty)
}

fn is_list(ty: AttributeType) -> bool {
    matches!(
        ty,
        AttributeType::Floats
            | AttributeType::Ints
            | AttributeType::Strings
            | AttributeType::Tensors
            | AttributeType::Graphs
            | AttributeType::SparseTensors
            | AttributeType::TypeProtos
    )
}

fn utf8(bytes: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(bytes).map_err(|e| format!("is not valid UTF-8 ({e})"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn attr(name: &str, ty: AttributeType) -> AttributeProto {
        AttributeProto { name: Some(name.into()), r#type: Some(ty as i32), ..Default::default() }
    }

    fn conv() -> NodeProto {
        NodeProto {
            name: Some("/conv1/Conv".into()),
            op_type: Some("Conv".into()),
            input: vec!["x".into(), "w".into(), String::new()],
            output: vec!["y".into()],
            attribute: vec![
                AttributeProto { i: Some(1), ..attr("group", AttributeType::Int) },
                AttributeProto { ints: vec![3, 3], ..attr("kernel_shape", AttributeType::Ints) },
                AttributeProto { f: Some(0.5), ..attr("alpha", AttributeType::Float) },
                AttributeProto { floats: vec![1.0, 2.0], ..attr("scales", AttributeType::Floats) },
                AttributeProto {
                    s: Some(Bytes::from_static(b"SAME_UPPER")),
                    ..attr("auto_pad", AttributeType::String)
                },
                AttributeProto {
                    strings: vec![Bytes::from_static(b"a"), Bytes::from_static(b"b")],
                    ..attr("names", AttributeType::Strings)
                },
                AttributeProto { s: Some(Bytes::from_static(b"\xff\xfe")), ..attr("binary", AttributeType::String) },
                AttributeProto { ref_attr_name: Some("outer".into()), ..attr("linked", AttributeType::Int) },
                AttributeProto { r#type: Some(99), i: Some(1), ..attr("future", AttributeType::Int) },
                AttributeProto { r#type: None, i: Some(7), ..attr("untyped", AttributeType::Int) },
                AttributeProto { r#type: None, ..attr("untyped_empty", AttributeType::Int) },
                attr("declared_tensor_without_value", AttributeType::Tensor),
            ],
            ..Default::default()
        }
    }

    #[test]
    fn typed_accessors_read_values() {
        let proto = conv();
        let node = Node::new(&proto, "m.onnx");
        assert_eq!((node.name(), node.op_type(), node.domain()), ("/conv1/Conv", "Conv", ""));
        assert_eq!(node.inputs(), ["x", "w", ""]);
        assert_eq!(node.attr_int("group").unwrap(), 1);
        assert_eq!(node.attr_ints("kernel_shape").unwrap(), [3, 3]);
        assert_eq!(node.attr_float("alpha").unwrap(), 0.5);
        assert_eq!(node.attr_floats("scales").unwrap(), [1.0, 2.0]);
        assert_eq!(node.attr_string("auto_pad").unwrap(), "SAME_UPPER");
        assert_eq!(node.attr_strings("names").unwrap(), ["a", "b"]);
        assert_eq!(node.opt_attr_int("dilations_missing").unwrap(), None);
        assert_eq!(node.opt_attr_ints("kernel_shape").unwrap(), Some(&[3i64, 3][..]));
        assert_eq!(node.attribute_type("alpha"), Some(AttributeType::Float));
        assert_eq!(node.attribute_type("nope"), None);
    }

    #[test]
    fn untyped_attributes_are_inferred() {
        let proto = conv();
        let node = Node::new(&proto, "m.onnx");
        assert_eq!(node.attr_int("untyped").unwrap(), 7);
        assert_eq!(node.attr_ints("untyped_empty").unwrap(), [] as [i64; 0]);
        assert!(node.attr_int("untyped_empty").is_err());
    }

    #[test]
    fn errors_name_file_node_and_attribute() {
        let proto = conv();
        let node = Node::new(&proto, "m.onnx");
        let prefix = r#"m.onnx: node "/conv1/Conv" (Conv): attribute"#;
        let msg = |e: OnnxError| e.to_string();
        assert_eq!(msg(node.attr_int("pads").unwrap_err()), format!(r#"{prefix} "pads" is missing"#));
        assert_eq!(
            msg(node.attr_int("kernel_shape").unwrap_err()),
            format!(r#"{prefix} "kernel_shape" is INTS, expected INT"#)
        );
        assert_eq!(msg(node.attr_ints("group").unwrap_err()), format!(r#"{prefix} "group" is INT, expected INTS"#));
        assert_eq!(
            msg(node.attr_string("alpha").unwrap_err()),
            format!(r#"{prefix} "alpha" is FLOAT, expected STRING"#)
        );
        assert_eq!(msg(node.attr_graph("group").unwrap_err()), format!(r#"{prefix} "group" is INT, expected GRAPH"#));
        assert!(
            msg(node.attr_string("binary").unwrap_err())
                .starts_with(&format!(r#"{prefix} "binary" is not valid UTF-8"#))
        );
        assert!(
            msg(node.attr_int("linked").unwrap_err())
                .contains(r#"refers to attribute "outer" of an enclosing function"#)
        );
        assert_eq!(
            msg(node.attr_int("future").unwrap_err()),
            format!(r#"{prefix} "future" has unknown attribute type code 99"#)
        );
        assert_eq!(
            msg(node.attr_tensor("declared_tensor_without_value").unwrap_err()),
            format!(r#"{prefix} "declared_tensor_without_value" has no tensor value"#)
        );
        let err = node.opt_attr_float("group").unwrap_err();
        assert!(matches!(err.attribute_problem(), Some(AttributeProblem::WrongType { expected: "FLOAT", .. })));
    }

    #[test]
    fn unnamed_nodes_are_named_by_op_type() {
        let proto = NodeProto { op_type: Some("Relu".into()), ..Default::default() };
        let err = Node::new(&proto, "m.onnx").attr_float("alpha").unwrap_err();
        assert_eq!(err.to_string(), r#"m.onnx: unnamed Relu node: attribute "alpha" is missing"#);
    }
}
