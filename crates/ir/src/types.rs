//! The type system: builtin scalar, tensor and function types, and dialect types.
//!
//! Types are interned in the [`crate::Context`] ([`crate::TypeId`]), so comparing two types is
//! comparing two integers. The common scalar types have fixed ids ([`TypeId::F32`] and friends)
//! so code can name them without a context.

use crate::attrs::Attribute;
use crate::ids::TypeId;
use std::sync::Arc;

/// Signedness of an integer type (`i8` signless, `si8` signed, `ui8` unsigned), as in MLIR.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Signedness {
    Signless,
    Signed,
    Unsigned,
}

/// A floating-point format.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum FloatKind {
    F16,
    BF16,
    F32,
    F64,
}

impl FloatKind {
    pub fn bit_width(self) -> u32 {
        match self {
            FloatKind::F16 | FloatKind::BF16 => 16,
            FloatKind::F32 => 32,
            FloatKind::F64 => 64,
        }
    }

    pub fn keyword(self) -> &'static str {
        match self {
            FloatKind::F16 => "f16",
            FloatKind::BF16 => "bf16",
            FloatKind::F32 => "f32",
            FloatKind::F64 => "f64",
        }
    }
}

/// One parameter of a dialect type or attribute body: `!d.t<2x4xf16, trips = [4, 2]>` has a
/// shaped parameter and a named one. Dialects give the parameters their meaning and check them
/// with the verifier they register ([`crate::dialect::TypeDef`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeParam {
    /// A static shape with an element type, written `2x4xf16`.
    Shaped { shape: Vec<i64>, elem: TypeId },
    /// A bare attribute or type (a type is stored as [`Attribute::Type`]).
    Attr(Attribute),
    /// `key = attribute`.
    Named(Arc<str>, Attribute),
}

impl TypeParam {
    /// The value of the named parameter `key` in `params`.
    pub fn named<'a>(params: &'a [TypeParam], key: &str) -> Option<&'a Attribute> {
        params.iter().find_map(|p| match p {
            TypeParam::Named(k, v) if &**k == key => Some(v),
            _ => None,
        })
    }
}

/// The structure behind a [`TypeId`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum TypeData {
    /// `i32`, `si8`, `ui16`, `i1`, …
    Integer { width: u32, signedness: Signedness },
    /// `f16`, `bf16`, `f32`, `f64`.
    Float(FloatKind),
    /// `index`: a target-sized integer for sizes and loop indices.
    Index,
    /// `none`.
    None,
    /// `tensor<128x768xf16>`, `tensor<f32>` (rank 0). Shapes are static.
    Tensor { shape: Vec<i64>, elem: TypeId },
    /// `(i32, f32) -> tensor<4xf32>`.
    Function { inputs: Vec<TypeId>, results: Vec<TypeId> },
    /// `!dialect.name` or `!dialect.name<params>`.
    Dialect { dialect: Arc<str>, name: Arc<str>, params: Vec<TypeParam> },
}

impl TypeData {
    /// Bits of one element of a scalar type (`None` for tensors, functions, dialect types).
    pub fn scalar_bits(&self) -> Option<u32> {
        match self {
            TypeData::Integer { width, .. } => Some(*width),
            TypeData::Float(k) => Some(k.bit_width()),
            TypeData::Index => Some(64),
            _ => None,
        }
    }

    pub fn is_integer(&self) -> bool {
        matches!(self, TypeData::Integer { .. })
    }

    pub fn is_float(&self) -> bool {
        matches!(self, TypeData::Float(_))
    }

    pub fn is_tensor(&self) -> bool {
        matches!(self, TypeData::Tensor { .. })
    }

    /// Integer or float or index: an element type of a tensor.
    pub fn is_scalar(&self) -> bool {
        matches!(self, TypeData::Integer { .. } | TypeData::Float(_) | TypeData::Index)
    }
}

impl TypeId {
    pub const I1: TypeId = TypeId(0);
    pub const I8: TypeId = TypeId(1);
    pub const I16: TypeId = TypeId(2);
    pub const I32: TypeId = TypeId(3);
    pub const I64: TypeId = TypeId(4);
    pub const INDEX: TypeId = TypeId(5);
    pub const F16: TypeId = TypeId(6);
    pub const BF16: TypeId = TypeId(7);
    pub const F32: TypeId = TypeId(8);
    pub const F64: TypeId = TypeId(9);
    pub const NONE: TypeId = TypeId(10);
}

/// The types every context interns first, in the order of the [`TypeId`] constants.
pub(crate) fn preinterned() -> [TypeData; 11] {
    let int = |width| TypeData::Integer { width, signedness: Signedness::Signless };
    [
        int(1),
        int(8),
        int(16),
        int(32),
        int(64),
        TypeData::Index,
        TypeData::Float(FloatKind::F16),
        TypeData::Float(FloatKind::BF16),
        TypeData::Float(FloatKind::F32),
        TypeData::Float(FloatKind::F64),
        TypeData::None,
    ]
}
