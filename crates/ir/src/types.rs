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

    /// Whether a finite `v` rounds to a finite value of this format (literals such as f32's
    /// `-3.4028235e38`, printed shortest, lie just past the exact maximum but round to it).
    pub fn holds(self, v: f64) -> bool {
        match self {
            FloatKind::F64 => v.is_finite(),
            FloatKind::F32 => v.is_finite() && (v as f32).is_finite(),
            // Half the distance to the next power of two past the largest finite value.
            FloatKind::F16 => v.is_finite() && v.abs() < 65520.0,
            FloatKind::BF16 => v.is_finite() && v.abs() < 3.396_157_577_342_978e38,
        }
    }

    /// Decodes a bit pattern of this format (as written in hex literals); `None` if the
    /// pattern has more bits than the format.
    pub fn from_bits(self, bits: u64) -> Option<f64> {
        if self.bit_width() < 64 && bits >> self.bit_width() != 0 {
            return None;
        }
        Some(match self {
            FloatKind::F64 => f64::from_bits(bits),
            FloatKind::F32 => f32::from_bits(bits as u32) as f64,
            FloatKind::BF16 => f32::from_bits((bits as u32) << 16) as f64,
            FloatKind::F16 => {
                let sign = if bits >> 15 != 0 { -1.0 } else { 1.0 };
                let exp = ((bits >> 10) & 0x1f) as i32;
                let mant = (bits & 0x3ff) as f64;
                sign * match exp {
                    0 => mant * 2f64.powi(-24),
                    31 if mant == 0.0 => f64::INFINITY,
                    31 => f64::NAN,
                    e => (1.0 + mant / 1024.0) * 2f64.powi(e - 15),
                }
            }
        })
    }

    /// The bit pattern MLIR prints for a non-finite value of this format (±inf, canonical NaN).
    pub fn non_finite_bits(self, v: f64) -> u64 {
        let (inf, nan, sign) = match self {
            FloatKind::F16 => (0x7C00, 0x7E00, 0x8000),
            FloatKind::BF16 => (0x7F80, 0x7FC0, 0x8000),
            FloatKind::F32 => return (v as f32).to_bits() as u64,
            FloatKind::F64 => return v.to_bits(),
        };
        if v.is_nan() {
            nan
        } else if v.is_sign_negative() {
            inf | sign
        } else {
            inf
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

#[cfg(test)]
mod tests {
    use super::FloatKind;

    #[test]
    fn half_precision_bit_patterns() {
        assert_eq!(FloatKind::F16.from_bits(0x3C00), Some(1.0));
        assert_eq!(FloatKind::F16.from_bits(0xC000), Some(-2.0));
        assert_eq!(FloatKind::F16.from_bits(0x7BFF), Some(65504.0));
        assert_eq!(FloatKind::F16.from_bits(0x0001), Some(2f64.powi(-24)));
        assert_eq!(FloatKind::F16.from_bits(0x7C00), Some(f64::INFINITY));
        assert!(FloatKind::F16.from_bits(0x7E00).unwrap().is_nan());
        assert_eq!(FloatKind::F16.from_bits(0x1_0000), None);
        assert_eq!(FloatKind::BF16.from_bits(0x3F80), Some(1.0));
        assert_eq!(FloatKind::BF16.non_finite_bits(f64::NEG_INFINITY), 0xFF80);
        assert_eq!(FloatKind::F16.non_finite_bits(f64::NAN), 0x7E00);
        assert!(FloatKind::F32.holds(-3.4028235e38) && !FloatKind::F32.holds(3.41e38));
        assert!(FloatKind::F16.holds(65519.0) && !FloatKind::F16.holds(65520.0));
    }
}
