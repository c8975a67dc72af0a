//! `DataType`: the element types of ONNX tensors (`TensorProto.DataType`), with their protobuf
//! codes, ONNX names and bit widths, and `UnknownDataType` for a code that is none of them.

use std::fmt;

/// The element type of an ONNX tensor. The discriminant is the `TensorProto.DataType` code.
///
/// `UNDEFINED` (code 0) is not a variant: a tensor or value with it has no usable type, so
/// [`DataType::from_code`] rejects it like any unknown code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(i32)]
pub enum DataType {
    /// IEEE 754 binary32.
    Float = 1,
    /// Unsigned 8-bit integer.
    Uint8 = 2,
    /// Signed 8-bit integer.
    Int8 = 3,
    /// Unsigned 16-bit integer.
    Uint16 = 4,
    /// Signed 16-bit integer.
    Int16 = 5,
    /// Signed 32-bit integer.
    Int32 = 6,
    /// Signed 64-bit integer.
    Int64 = 7,
    /// Variable-length UTF-8 string (no fixed width).
    String = 8,
    /// Boolean, stored as one byte.
    Bool = 9,
    /// IEEE 754 binary16.
    Float16 = 10,
    /// IEEE 754 binary64.
    Double = 11,
    /// Unsigned 32-bit integer.
    Uint32 = 12,
    /// Unsigned 64-bit integer.
    Uint64 = 13,
    /// Complex number of two binary32 values.
    Complex64 = 14,
    /// Complex number of two binary64 values.
    Complex128 = 15,
    /// bfloat16: binary32 truncated to 16 bits.
    Bfloat16 = 16,
    /// 8-bit float, 4 exponent and 3 mantissa bits, finite with NaN.
    Float8E4M3Fn = 17,
    /// 8-bit float, 4 exponent and 3 mantissa bits, finite with NaN, no negative zero.
    Float8E4M3Fnuz = 18,
    /// 8-bit float, 5 exponent and 2 mantissa bits (IEEE-like).
    Float8E5M2 = 19,
    /// 8-bit float, 5 exponent and 2 mantissa bits, no infinities, no negative zero.
    Float8E5M2Fnuz = 20,
    /// Unsigned 4-bit integer, two per byte.
    Uint4 = 21,
    /// Signed 4-bit integer, two per byte.
    Int4 = 22,
    /// 4-bit float, 2 exponent and 1 mantissa bit.
    Float4E2M1 = 23,
    /// 8-bit exponent-only scale (microscaling formats).
    Float8E8M0 = 24,
    /// Unsigned 2-bit integer, four per byte.
    Uint2 = 25,
    /// Signed 2-bit integer, four per byte.
    Int2 = 26,
    /// 6-bit float, 2 exponent and 3 mantissa bits.
    Float6E2M3 = 27,
    /// 6-bit float, 3 exponent and 2 mantissa bits.
    Float6E3M2 = 28,
}

/// A `TensorProto.DataType` code that is not a known ONNX data type (or is 0, `UNDEFINED`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("{}", describe_unknown(*.0))]
pub struct UnknownDataType(pub i32);

fn describe_unknown(code: i32) -> String {
    if code == 0 {
        "data type is UNDEFINED (code 0)".to_string()
    } else {
        format!("unknown ONNX data type code {code}")
    }
}

impl DataType {
    /// Every data type, in code order.
    pub const ALL: [DataType; 28] = [
        DataType::Float,
        DataType::Uint8,
        DataType::Int8,
        DataType::Uint16,
        DataType::Int16,
        DataType::Int32,
        DataType::Int64,
        DataType::String,
        DataType::Bool,
        DataType::Float16,
        DataType::Double,
        DataType::Uint32,
        DataType::Uint64,
        DataType::Complex64,
        DataType::Complex128,
        DataType::Bfloat16,
        DataType::Float8E4M3Fn,
        DataType::Float8E4M3Fnuz,
        DataType::Float8E5M2,
        DataType::Float8E5M2Fnuz,
        DataType::Uint4,
        DataType::Int4,
        DataType::Float4E2M1,
        DataType::Float8E8M0,
        DataType::Uint2,
        DataType::Int2,
        DataType::Float6E2M3,
        DataType::Float6E3M2,
    ];

    /// The data type with this `TensorProto.DataType` code.
    pub fn from_code(code: i32) -> Result<DataType, UnknownDataType> {
        usize::try_from(code)
            .ok()
            .and_then(|c| c.checked_sub(1))
            .and_then(|i| DataType::ALL.get(i).copied())
            .ok_or(UnknownDataType(code))
    }

    /// The `TensorProto.DataType` code.
    pub fn code(self) -> i32 {
        self as i32
    }

    /// The name ONNX uses, as in `onnx.proto`: `FLOAT`, `BFLOAT16`, `FLOAT8E4M3FN`, ...
    pub fn name(self) -> &'static str {
        match self {
            DataType::Float => "FLOAT",
            DataType::Uint8 => "UINT8",
            DataType::Int8 => "INT8",
            DataType::Uint16 => "UINT16",
            DataType::Int16 => "INT16",
            DataType::Int32 => "INT32",
            DataType::Int64 => "INT64",
            DataType::String => "STRING",
            DataType::Bool => "BOOL",
            DataType::Float16 => "FLOAT16",
            DataType::Double => "DOUBLE",
            DataType::Uint32 => "UINT32",
            DataType::Uint64 => "UINT64",
            DataType::Complex64 => "COMPLEX64",
            DataType::Complex128 => "COMPLEX128",
            DataType::Bfloat16 => "BFLOAT16",
            DataType::Float8E4M3Fn => "FLOAT8E4M3FN",
            DataType::Float8E4M3Fnuz => "FLOAT8E4M3FNUZ",
            DataType::Float8E5M2 => "FLOAT8E5M2",
            DataType::Float8E5M2Fnuz => "FLOAT8E5M2FNUZ",
            DataType::Uint4 => "UINT4",
            DataType::Int4 => "INT4",
            DataType::Float4E2M1 => "FLOAT4E2M1",
            DataType::Float8E8M0 => "FLOAT8E8M0",
            DataType::Uint2 => "UINT2",
            DataType::Int2 => "INT2",
            DataType::Float6E2M3 => "FLOAT6E2M3",
            DataType::Float6E3M2 => "FLOAT6E3M2",
        }
    }

    /// Bits per element (a complex number counts both parts); `None` for `STRING`.
    pub fn bit_width(self) -> Option<u32> {
        Some(match self {
            DataType::String => return None,
            DataType::Uint2 | DataType::Int2 => 2,
            DataType::Uint4 | DataType::Int4 | DataType::Float4E2M1 => 4,
            DataType::Float6E2M3 | DataType::Float6E3M2 => 6,
            DataType::Bool
            | DataType::Uint8
            | DataType::Int8
            | DataType::Float8E4M3Fn
            | DataType::Float8E4M3Fnuz
            | DataType::Float8E5M2
            | DataType::Float8E5M2Fnuz
            | DataType::Float8E8M0 => 8,
            DataType::Uint16 | DataType::Int16 | DataType::Float16 | DataType::Bfloat16 => 16,
            DataType::Uint32 | DataType::Int32 | DataType::Float => 32,
            DataType::Uint64 | DataType::Int64 | DataType::Double | DataType::Complex64 => 64,
            DataType::Complex128 => 128,
        })
    }

    /// Whether this is a real floating-point type (any width, including the 4-, 6- and 8-bit ones).
    pub fn is_float(self) -> bool {
        matches!(
            self,
            DataType::Float
                | DataType::Float16
                | DataType::Double
                | DataType::Bfloat16
                | DataType::Float8E4M3Fn
                | DataType::Float8E4M3Fnuz
                | DataType::Float8E5M2
                | DataType::Float8E5M2Fnuz
                | DataType::Float4E2M1
                | DataType::Float8E8M0
                | DataType::Float6E2M3
                | DataType::Float6E3M2
        )
    }

    /// Whether this is `COMPLEX64` or `COMPLEX128`.
    pub fn is_complex(self) -> bool {
        matches!(self, DataType::Complex64 | DataType::Complex128)
    }

    /// Whether this is an integer type, signed or unsigned (`BOOL` is not).
    pub fn is_integer(self) -> bool {
        self.is_signed_integer() || self.is_unsigned_integer()
    }

    /// Whether this is a signed integer type.
    pub fn is_signed_integer(self) -> bool {
        matches!(
            self,
            DataType::Int2 | DataType::Int4 | DataType::Int8 | DataType::Int16 | DataType::Int32 | DataType::Int64
        )
    }

    /// Whether this is an unsigned integer type.
    pub fn is_unsigned_integer(self) -> bool {
        matches!(
            self,
            DataType::Uint2
                | DataType::Uint4
                | DataType::Uint8
                | DataType::Uint16
                | DataType::Uint32
                | DataType::Uint64
        )
    }
}

impl TryFrom<i32> for DataType {
    type Error = UnknownDataType;

    fn try_from(code: i32) -> Result<Self, Self::Error> {
        DataType::from_code(code)
    }
}

impl fmt::Display for DataType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::tensor_proto::DataType as ProtoDataType;

    #[test]
    fn codes_round_trip_and_agree_with_onnx_proto() {
        for (i, dt) in DataType::ALL.iter().enumerate() {
            assert_eq!(dt.code(), i as i32 + 1);
            assert_eq!(DataType::from_code(dt.code()), Ok(*dt));
            let generated = ProtoDataType::try_from(dt.code()).unwrap();
            assert_eq!(generated.as_str_name(), dt.name(), "name of code {}", dt.code());
        }
    }

    #[test]
    fn every_code_of_the_vendored_proto_is_known() {
        for code in 1..200 {
            assert_eq!(ProtoDataType::try_from(code).is_ok(), DataType::from_code(code).is_ok(), "code {code}");
        }
    }

    #[test]
    fn unknown_and_undefined_codes_are_errors_naming_the_code() {
        assert_eq!(DataType::from_code(0), Err(UnknownDataType(0)));
        assert_eq!(DataType::from_code(29).unwrap_err().to_string(), "unknown ONNX data type code 29");
        assert_eq!(DataType::from_code(-3).unwrap_err().to_string(), "unknown ONNX data type code -3");
        assert_eq!(DataType::try_from(i32::MAX), Err(UnknownDataType(i32::MAX)));
        assert_eq!(UnknownDataType(0).to_string(), "data type is UNDEFINED (code 0)");
    }

    #[test]
    fn bit_widths() {
        assert_eq!(DataType::Float.bit_width(), Some(32));
        assert_eq!(DataType::Float16.bit_width(), Some(16));
        assert_eq!(DataType::Bfloat16.bit_width(), Some(16));
        assert_eq!(DataType::Double.bit_width(), Some(64));
        assert_eq!(DataType::Int8.bit_width(), Some(8));
        assert_eq!(DataType::Uint64.bit_width(), Some(64));
        assert_eq!(DataType::Bool.bit_width(), Some(8));
        assert_eq!(DataType::Complex64.bit_width(), Some(64));
        assert_eq!(DataType::Complex128.bit_width(), Some(128));
        assert_eq!(DataType::Int4.bit_width(), Some(4));
        assert_eq!(DataType::Uint2.bit_width(), Some(2));
        assert_eq!(DataType::Float6E3M2.bit_width(), Some(6));
        assert_eq!(DataType::Float8E5M2.bit_width(), Some(8));
        assert_eq!(DataType::String.bit_width(), None);
    }

    #[test]
    fn classification_is_exclusive() {
        for dt in DataType::ALL {
            let kinds = [dt.is_float(), dt.is_complex(), dt.is_integer(), dt == DataType::Bool, dt == DataType::String];
            assert_eq!(kinds.iter().filter(|k| **k).count(), 1, "{dt}");
            assert!(!(dt.is_signed_integer() && dt.is_unsigned_integer()));
        }
        assert!(DataType::Int64.is_signed_integer());
        assert!(DataType::Uint8.is_unsigned_integer());
        assert!(DataType::Bfloat16.is_float());
    }

    #[test]
    fn display_is_the_onnx_name() {
        assert_eq!(DataType::Float8E4M3Fnuz.to_string(), "FLOAT8E4M3FNUZ");
        assert_eq!(format!("{}", DataType::Int64), "INT64");
    }
}
