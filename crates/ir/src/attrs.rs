//! Attributes: compile-time constant data attached to operations.
//!
//! Attributes are plain values (cheap to clone for the small ones, shared for the big ones);
//! the types they mention are interned [`TypeId`]s of the owning context. Op attribute
//! dictionaries keep insertion order ([`AttrDict`]), so output is deterministic and mirrors
//! the order a frontend or pass wrote them.

use crate::affine::AffineMap;
use crate::ids::TypeId;
use crate::types::TypeParam;
use indexmap::IndexMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// An ordered attribute dictionary, as attached to every operation.
pub type AttrDict = IndexMap<Arc<str>, Attribute>;

/// A constant value attached to an operation.
#[derive(Clone, Debug)]
pub enum Attribute {
    /// `unit`: presence-only flag (`{inplace}`).
    Unit,
    /// `true` / `false`.
    Bool(bool),
    /// `42` (i64), `42 : i32`, `7 : index`.
    Int { value: i64, ty: TypeId },
    /// `0.5` (f64), `0.5 : f16`. Compared and hashed by bit pattern.
    Float { value: f64, ty: TypeId },
    /// `"text"`.
    String(Arc<str>),
    /// `[a, b, c]`.
    Array(Arc<[Attribute]>),
    /// `{key = value, flag}`.
    Dict(Arc<AttrDict>),
    /// `affine_map<(d0) -> (d0)>`.
    AffineMap(Arc<AffineMap>),
    /// A type used as a value: `tensor<4xf32>`, `(i32) -> i32`.
    Type(TypeId),
    /// `@symbol`: a reference to a symbol such as a function.
    SymbolRef(Arc<str>),
    /// `#dialect.name` or `#dialect.name<params>`, meaning given by the dialect.
    Dialect { dialect: Arc<str>, name: Arc<str>, params: Arc<[TypeParam]> },
}

impl Attribute {
    /// An `i64` integer attribute.
    pub fn i64(value: i64) -> Self {
        Attribute::Int { value, ty: TypeId::I64 }
    }

    /// An `f64` float attribute.
    pub fn f64(value: f64) -> Self {
        Attribute::Float { value, ty: TypeId::F64 }
    }

    pub fn string(s: impl Into<Arc<str>>) -> Self {
        Attribute::String(s.into())
    }

    pub fn array(items: impl IntoIterator<Item = Attribute>) -> Self {
        Attribute::Array(items.into_iter().collect())
    }

    /// `[a, b, …]` of `i64`s: shapes, strides, permutations.
    pub fn i64_array(items: &[i64]) -> Self {
        Attribute::Array(items.iter().map(|&v| Attribute::i64(v)).collect())
    }

    pub fn dict(entries: impl IntoIterator<Item = (Arc<str>, Attribute)>) -> Self {
        Attribute::Dict(Arc::new(entries.into_iter().collect()))
    }

    pub fn affine_map(map: AffineMap) -> Self {
        Attribute::AffineMap(Arc::new(map))
    }

    pub fn as_int(&self) -> Option<i64> {
        match self {
            Attribute::Int { value, .. } => Some(*value),
            _ => None,
        }
    }

    pub fn as_float(&self) -> Option<f64> {
        match self {
            Attribute::Float { value, .. } => Some(*value),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Attribute::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Attribute::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Attribute]> {
        match self {
            Attribute::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_dict(&self) -> Option<&AttrDict> {
        match self {
            Attribute::Dict(d) => Some(d),
            _ => None,
        }
    }

    pub fn as_affine_map(&self) -> Option<&AffineMap> {
        match self {
            Attribute::AffineMap(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_type(&self) -> Option<TypeId> {
        match self {
            Attribute::Type(t) => Some(*t),
            _ => None,
        }
    }

    pub fn as_symbol(&self) -> Option<&str> {
        match self {
            Attribute::SymbolRef(s) => Some(s),
            _ => None,
        }
    }

    /// The elements of an array of integers (`None` if not an array or an element is not an
    /// integer).
    pub fn as_int_array(&self) -> Option<Vec<i64>> {
        self.as_array()?.iter().map(Attribute::as_int).collect()
    }

    /// A short word naming the attribute's kind, for diagnostics.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Attribute::Unit => "unit",
            Attribute::Bool(_) => "bool",
            Attribute::Int { .. } => "integer",
            Attribute::Float { .. } => "float",
            Attribute::String(_) => "string",
            Attribute::Array(_) => "array",
            Attribute::Dict(_) => "dictionary",
            Attribute::AffineMap(_) => "affine map",
            Attribute::Type(_) => "type",
            Attribute::SymbolRef(_) => "symbol reference",
            Attribute::Dialect { .. } => "dialect attribute",
        }
    }
}

impl PartialEq for Attribute {
    fn eq(&self, other: &Self) -> bool {
        use Attribute::*;
        match (self, other) {
            (Unit, Unit) => true,
            (Bool(a), Bool(b)) => a == b,
            (Int { value: a, ty: t }, Int { value: b, ty: u }) => a == b && t == u,
            (Float { value: a, ty: t }, Float { value: b, ty: u }) => a.to_bits() == b.to_bits() && t == u,
            (String(a), String(b)) => a == b,
            (Array(a), Array(b)) => a == b,
            (Dict(a), Dict(b)) => a.len() == b.len() && a.iter().zip(b.iter()).all(|(x, y)| x == y),
            (AffineMap(a), AffineMap(b)) => a == b,
            (Type(a), Type(b)) => a == b,
            (SymbolRef(a), SymbolRef(b)) => a == b,
            (Dialect { dialect: d1, name: n1, params: p1 }, Dialect { dialect: d2, name: n2, params: p2 }) => {
                d1 == d2 && n1 == n2 && p1 == p2
            }
            _ => false,
        }
    }
}

impl Eq for Attribute {}

impl Hash for Attribute {
    fn hash<H: Hasher>(&self, state: &mut H) {
        std::mem::discriminant(self).hash(state);
        match self {
            Attribute::Unit => {}
            Attribute::Bool(b) => b.hash(state),
            Attribute::Int { value, ty } => (value, ty).hash(state),
            Attribute::Float { value, ty } => (value.to_bits(), ty).hash(state),
            Attribute::String(s) | Attribute::SymbolRef(s) => s.hash(state),
            Attribute::Array(a) => a.hash(state),
            Attribute::Dict(d) => {
                for (k, v) in d.iter() {
                    (k, v).hash(state);
                }
            }
            Attribute::AffineMap(m) => m.hash(state),
            Attribute::Type(t) => t.hash(state),
            Attribute::Dialect { dialect, name, params } => (dialect, name, params).hash(state),
        }
    }
}
