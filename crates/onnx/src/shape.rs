//! Tensor types and shapes as a frontend sees them: `Dim` (static, symbolic or unknown),
//! `TensorType` (element type plus an optional shape) read from a `TypeProto`, and `TypeError`
//! for a type that is missing or not a dense tensor.

use std::fmt;

use crate::dtype::{DataType, UnknownDataType};
use crate::proto::tensor_shape_proto::{Dimension, dimension};
use crate::proto::{TensorShapeProto, TypeProto, type_proto};

/// One dimension of a tensor shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Dim {
    /// A known size (`dim_value`).
    Static(i64),
    /// A named size that is not known statically (`dim_param`, e.g. `"batch"`).
    Symbolic(String),
    /// A dimension with neither a value nor a name.
    Unknown,
}

impl Dim {
    /// The dimension a `TensorShapeProto.Dimension` describes.
    pub fn from_proto(dim: &Dimension) -> Dim {
        match &dim.value {
            Some(dimension::Value::DimValue(v)) => Dim::Static(*v),
            Some(dimension::Value::DimParam(p)) if !p.is_empty() => Dim::Symbolic(p.clone()),
            Some(dimension::Value::DimParam(_)) | None => Dim::Unknown,
        }
    }

    /// The size, if it is static.
    pub fn as_static(&self) -> Option<i64> {
        match self {
            Dim::Static(v) => Some(*v),
            Dim::Symbolic(_) | Dim::Unknown => None,
        }
    }
}

impl fmt::Display for Dim {
    /// `224`, `batch`, or `?` for an unknown dimension.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Dim::Static(v) => write!(f, "{v}"),
            Dim::Symbolic(name) => f.write_str(name),
            Dim::Unknown => f.write_str("?"),
        }
    }
}

/// The dimensions of a `TensorShapeProto`, outermost first.
pub fn dims_from_shape(shape: &TensorShapeProto) -> Vec<Dim> {
    shape.dim.iter().map(Dim::from_proto).collect()
}

/// The sizes of `dims` if every one is static, else `None`.
pub fn static_dims(dims: &[Dim]) -> Option<Vec<i64>> {
    dims.iter().map(Dim::as_static).collect()
}

/// Writes dims as `1x3x224x224` (`?` for unknown, names for symbolic ones; `scalar` for rank 0).
pub fn format_dims(dims: &[Dim]) -> String {
    if dims.is_empty() {
        return "scalar".to_string();
    }
    dims.iter().map(Dim::to_string).collect::<Vec<_>>().join("x")
}

/// The type of a dense tensor value: its element type and, if known, its shape.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TensorType {
    /// The element type.
    pub elem_type: DataType,
    /// The dimensions, outermost first; `None` when even the rank is unknown (no `shape` field).
    /// `Some(vec![])` is a scalar.
    pub shape: Option<Vec<Dim>>,
}

impl TensorType {
    /// Reads a `TypeProto` that must describe a dense tensor with a known element type.
    pub fn from_proto(ty: &TypeProto) -> Result<TensorType, TypeError> {
        match &ty.value {
            Some(type_proto::Value::TensorType(t)) => {
                let elem_type = DataType::from_code(t.elem_type.unwrap_or(0))?;
                Ok(TensorType { elem_type, shape: t.shape.as_ref().map(dims_from_shape) })
            }
            Some(other) => Err(TypeError::NotATensor { kind: type_kind_name(other) }),
            None => Err(TypeError::Missing),
        }
    }

    /// The rank, if the shape is known.
    pub fn rank(&self) -> Option<usize> {
        self.shape.as_ref().map(Vec::len)
    }

    /// The sizes, if the shape is known and fully static.
    pub fn static_shape(&self) -> Option<Vec<i64>> {
        self.shape.as_deref().and_then(static_dims)
    }
}

impl fmt::Display for TensorType {
    /// `FLOAT[1x3x224x224]`, `INT64[scalar]`, or `FLOAT[unranked]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.shape {
            Some(dims) => write!(f, "{}[{}]", self.elem_type, format_dims(dims)),
            None => write!(f, "{}[unranked]", self.elem_type),
        }
    }
}

/// Why a `TypeProto` is not a usable dense tensor type.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TypeError {
    /// The value has no type, or its `TypeProto` sets none of its alternatives.
    #[error("has no type")]
    Missing,
    /// The value is a sequence, map, optional, sparse tensor or opaque value.
    #[error("is a {kind}, not a dense tensor")]
    NotATensor {
        /// `sequence`, `map`, `optional`, `sparse tensor` or `opaque value`.
        kind: &'static str,
    },
    /// The element type is unknown or `UNDEFINED`.
    #[error("tensor element type: {0}")]
    ElementType(#[from] UnknownDataType),
}

fn type_kind_name(value: &type_proto::Value) -> &'static str {
    match value {
        type_proto::Value::TensorType(_) => "tensor",
        type_proto::Value::SequenceType(_) => "sequence",
        type_proto::Value::MapType(_) => "map",
        type_proto::Value::OptionalType(_) => "optional",
        type_proto::Value::SparseTensorType(_) => "sparse tensor",
        type_proto::Value::OpaqueType(_) => "opaque value",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dim_value(v: i64) -> Dimension {
        Dimension { value: Some(dimension::Value::DimValue(v)), denotation: None }
    }

    fn dim_param(p: &str) -> Dimension {
        Dimension { value: Some(dimension::Value::DimParam(p.to_string())), denotation: None }
    }

    fn tensor_type(elem_type: Option<i32>, dims: Option<Vec<Dimension>>) -> TypeProto {
        TypeProto {
            denotation: None,
            value: Some(type_proto::Value::TensorType(type_proto::Tensor {
                elem_type,
                shape: dims.map(|dim| TensorShapeProto { dim }),
            })),
        }
    }

    #[test]
    fn dims_static_symbolic_and_unknown() {
        let shape = TensorShapeProto {
            dim: vec![dim_param("batch"), dim_value(3), Dimension::default(), dim_param(""), dim_value(0)],
        };
        let dims = dims_from_shape(&shape);
        assert_eq!(
            dims,
            vec![Dim::Symbolic("batch".into()), Dim::Static(3), Dim::Unknown, Dim::Unknown, Dim::Static(0)]
        );
        assert_eq!(format_dims(&dims), "batchx3x?x?x0");
        assert_eq!(static_dims(&dims), None);
        assert_eq!(static_dims(&[Dim::Static(1), Dim::Static(1000)]), Some(vec![1, 1000]));
        assert_eq!(static_dims(&[]), Some(vec![]));
        assert_eq!(format_dims(&[]), "scalar");
    }

    #[test]
    fn tensor_type_with_static_shape() {
        let ty = tensor_type(Some(1), Some(vec![dim_value(1), dim_value(3), dim_value(224), dim_value(224)]));
        let t = TensorType::from_proto(&ty).unwrap();
        assert_eq!(t.elem_type, DataType::Float);
        assert_eq!(t.rank(), Some(4));
        assert_eq!(t.static_shape(), Some(vec![1, 3, 224, 224]));
        assert_eq!(t.to_string(), "FLOAT[1x3x224x224]");
    }

    #[test]
    fn tensor_type_without_shape_is_unranked_and_empty_shape_is_scalar() {
        let t = TensorType::from_proto(&tensor_type(Some(7), None)).unwrap();
        assert_eq!((t.rank(), t.static_shape()), (None, None));
        assert_eq!(t.to_string(), "INT64[unranked]");
        let t = TensorType::from_proto(&tensor_type(Some(7), Some(vec![]))).unwrap();
        assert_eq!((t.rank(), t.static_shape()), (Some(0), Some(vec![])));
        assert_eq!(t.to_string(), "INT64[scalar]");
    }

    #[test]
    fn type_errors() {
        assert_eq!(TensorType::from_proto(&TypeProto::default()), Err(TypeError::Missing));
        let err = TensorType::from_proto(&tensor_type(None, None)).unwrap_err();
        assert_eq!(err, TypeError::ElementType(UnknownDataType(0)));
        let err = TensorType::from_proto(&tensor_type(Some(99), None)).unwrap_err();
        assert_eq!(err.to_string(), "tensor element type: unknown ONNX data type code 99");
        let seq = TypeProto {
            denotation: None,
            value: Some(type_proto::Value::SequenceType(Box::new(type_proto::Sequence {
                elem_type: Some(Box::new(tensor_type(Some(1), None))),
            }))),
        };
        assert_eq!(TensorType::from_proto(&seq).unwrap_err().to_string(), "is a sequence, not a dense tensor");
    }
}
