//! `OnnxError`, the one error type of this crate. Every message starts with the name of the model
//! file (or the source name given to [`decode_model`](crate::decode_model)) and, where a node,
//! tensor or value is at fault, names it, so a frontend can print the error as it is.

use crate::dtype::UnknownDataType;
use crate::shape::TypeError;

/// Everything that can go wrong while reading an ONNX model or looking into it.
#[derive(Debug, thiserror::Error)]
pub enum OnnxError {
    /// The model file could not be read (missing, a directory, no permission, ...).
    #[error("{file}: cannot read ONNX model: {source}")]
    Io {
        /// The file as given.
        file: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },

    /// The file has no bytes at all.
    #[error("{file}: empty file, not an ONNX model")]
    Empty {
        /// The file or source name.
        file: String,
    },

    /// The bytes are not a valid protobuf `ModelProto` (truncated, corrupt or not ONNX at all).
    #[error("{file}: not a valid ONNX model (protobuf decoding failed: {source})")]
    Decode {
        /// The file or source name.
        file: String,
        /// What prost reported.
        source: prost::DecodeError,
    },

    /// The bytes decode as a `ModelProto`, but it has no graph.
    #[error("{file}: model has no graph")]
    MissingGraph {
        /// The file or source name.
        file: String,
    },

    /// A tensor's or value's data type code is not an ONNX data type.
    #[error("{file}: {what}: {source}")]
    DataType {
        /// The file or source name.
        file: String,
        /// What carries the code, e.g. `tensor "fc.weight"`.
        what: String,
        /// The unknown code.
        source: UnknownDataType,
    },

    /// A value's `TypeProto` is missing, is not a tensor type, or has a bad element type.
    #[error("{file}: value {value:?}: {source}")]
    ValueType {
        /// The file or source name.
        file: String,
        /// The value's name.
        value: String,
        /// What is wrong with its type.
        source: TypeError,
    },

    /// A tensor's external-data reference is malformed (no `location`, a non-numeric `offset`, ...).
    /// The external file itself is never opened.
    #[error("{file}: tensor {tensor:?}: bad external data reference: {detail}")]
    ExternalData {
        /// The file or source name.
        file: String,
        /// The tensor's name.
        tensor: String,
        /// What is wrong.
        detail: String,
    },

    /// A node's attribute is missing, has another type than the one asked for, or has an
    /// unusable value (boxed to keep `Result<_, OnnxError>` small).
    #[error(transparent)]
    Attribute(Box<AttributeError>),

    /// ONNX text (`.onnxtxt`) that does not parse, or says something the syntax cannot mean; the
    /// error has the line, column and offending line (boxed to keep `OnnxError` small).
    #[error(transparent)]
    TextSyntax(Box<crate::text::TextError>),
}

/// An attribute problem of one node, with everything the message names.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{file}: {}: attribute {attribute:?} {problem}", node_label(.node, .op_type))]
pub struct AttributeError {
    /// The file or source name.
    pub file: String,
    /// The node's name (may be empty).
    pub node: String,
    /// The node's operator.
    pub op_type: String,
    /// The attribute.
    pub attribute: String,
    /// What is wrong with it.
    pub problem: AttributeProblem,
}

/// What is wrong with an attribute.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AttributeProblem {
    /// The node has no attribute of that name.
    #[error("is missing")]
    Missing,
    /// The attribute has another type than the one asked for.
    #[error("is {actual}, expected {expected}")]
    WrongType {
        /// The type asked for (`INT`, `FLOATS`, ...).
        expected: &'static str,
        /// The type it has.
        actual: String,
    },
    /// The attribute has the right type but an unusable value (invalid UTF-8, a reference to a
    /// function attribute, an unknown type code, no value); the text reads after the attribute
    /// name, e.g. `is not valid UTF-8 (...)`.
    #[error("{0}")]
    BadValue(String),
}

impl OnnxError {
    /// The attribute problem, if this is an attribute error.
    pub fn attribute_problem(&self) -> Option<&AttributeProblem> {
        match self {
            OnnxError::Attribute(e) => Some(&e.problem),
            _ => None,
        }
    }
}

/// How error messages name a node: `node "/conv1/Conv" (Conv)`, or `unnamed Conv node`.
pub(crate) fn node_label(name: &str, op_type: &str) -> String {
    if name.is_empty() { format!("unnamed {op_type} node") } else { format!("node {name:?} ({op_type})") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute_error(node: &str, op_type: &str, attribute: &str, problem: AttributeProblem) -> OnnxError {
        OnnxError::Attribute(Box::new(AttributeError {
            file: "m.onnx".into(),
            node: node.into(),
            op_type: op_type.into(),
            attribute: attribute.into(),
            problem,
        }))
    }

    #[test]
    fn attribute_errors_name_file_node_and_attribute() {
        let e = attribute_error("/conv1/Conv", "Conv", "group", AttributeProblem::Missing);
        assert_eq!(e.to_string(), r#"m.onnx: node "/conv1/Conv" (Conv): attribute "group" is missing"#);
        assert_eq!(e.attribute_problem(), Some(&AttributeProblem::Missing));
        let wrong = AttributeProblem::WrongType { expected: "INT", actual: "FLOAT".into() };
        let e = attribute_error("", "Gemm", "alpha", wrong);
        assert_eq!(e.to_string(), r#"m.onnx: unnamed Gemm node: attribute "alpha" is FLOAT, expected INT"#);
        let e = attribute_error("n", "Cast", "to", AttributeProblem::BadValue("has no value".into()));
        assert_eq!(e.to_string(), r#"m.onnx: node "n" (Cast): attribute "to" has no value"#);
    }

    #[test]
    fn errors_stay_small() {
        assert!(std::mem::size_of::<OnnxError>() <= 96, "{}", std::mem::size_of::<OnnxError>());
    }
}
