//! `Tensor`, a read-only view of a `TensorProto` (a graph initializer or a tensor attribute):
//! name, data type, dimensions, and where the data lives. For external data it parses the
//! `location` / `offset` / `length` / `checksum` entries into `ExternalData`; it never opens,
//! stats or reads the external file.

use bytes::Bytes;

use crate::dtype::DataType;
use crate::error::OnnxError;
use crate::proto::TensorProto;
use crate::proto::tensor_proto::DataLocation;

/// A view of one `TensorProto` of a model; `'a` borrows the model.
#[derive(Debug, Clone, Copy)]
pub struct Tensor<'a> {
    proto: &'a TensorProto,
    source_name: &'a str,
}

/// Where an external tensor's bytes are, as its `external_data` entries say.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExternalData {
    /// The file, relative to the directory of the model file (`location`).
    pub location: String,
    /// Byte offset of the data in that file (`offset`); `None` means 0.
    pub offset: Option<u64>,
    /// Number of bytes (`length`); `None` means up to the end of the file.
    pub length: Option<u64>,
    /// SHA-1 digest of the file, if given (`checksum`).
    pub checksum: Option<String>,
}

/// Where a tensor's elements are stored.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TensorStorage<'a> {
    /// In another file; see [`Tensor::external_data`].
    External,
    /// Inline in `raw_data`, little-endian; the bytes share the buffer the model was decoded from.
    Raw(&'a Bytes),
    /// Inline in one of the typed repeated fields (`float_data`, `int64_data`, `string_data`, ...).
    Typed,
    /// Nowhere: no data field is set (an empty tensor, or a producer that dropped the data).
    Empty,
}

impl<'a> Tensor<'a> {
    pub(crate) fn new(proto: &'a TensorProto, source_name: &'a str) -> Self {
        Tensor { proto, source_name }
    }

    /// The generated protobuf message.
    pub fn proto(&self) -> &'a TensorProto {
        self.proto
    }

    /// The tensor's name (empty for an unnamed attribute tensor).
    pub fn name(&self) -> &'a str {
        self.proto.name()
    }

    /// The element type; an unknown or `UNDEFINED` code is an error naming the tensor and code.
    pub fn data_type(&self) -> Result<DataType, OnnxError> {
        DataType::from_code(self.proto.data_type()).map_err(|source| OnnxError::DataType {
            file: self.source_name.to_string(),
            what: format!("tensor {:?}", self.name()),
            source,
        })
    }

    /// The dimensions, outermost first (empty for a scalar).
    pub fn dims(&self) -> &'a [i64] {
        &self.proto.dims
    }

    /// The number of elements, or `None` if a dimension is negative or the product overflows.
    pub fn element_count(&self) -> Option<u64> {
        self.dims().iter().try_fold(1u64, |n, &d| n.checked_mul(u64::try_from(d).ok()?))
    }

    /// The size of the data in bytes implied by type and dimensions (sub-byte types packed), or
    /// `None` for strings, unknown types, negative dimensions or overflow.
    pub fn byte_size(&self) -> Option<u64> {
        let bits = u64::from(self.data_type().ok()?.bit_width()?);
        Some(self.element_count()?.checked_mul(bits)?.div_ceil(8))
    }

    /// Whether the data is stored in an external file (`data_location` is `EXTERNAL`, or
    /// `external_data` entries are present).
    pub fn is_external(&self) -> bool {
        self.proto.data_location == Some(DataLocation::External as i32) || !self.proto.external_data.is_empty()
    }

    /// Where the elements are stored.
    pub fn storage(&self) -> TensorStorage<'a> {
        let p = self.proto;
        if self.is_external() {
            TensorStorage::External
        } else if let Some(raw) = &p.raw_data {
            TensorStorage::Raw(raw)
        } else if !(p.float_data.is_empty()
            && p.int32_data.is_empty()
            && p.string_data.is_empty()
            && p.int64_data.is_empty()
            && p.double_data.is_empty()
            && p.uint64_data.is_empty())
        {
            TensorStorage::Typed
        } else {
            TensorStorage::Empty
        }
    }

    /// The inline `raw_data` bytes, if the tensor has them.
    pub fn raw_data(&self) -> Option<&'a Bytes> {
        self.proto.raw_data.as_ref()
    }

    /// The external-data reference, or `None` for a tensor stored inline. A reference without
    /// `location`, or with an `offset`/`length` that is not a non-negative integer, is an error.
    /// Only the entries are parsed: the external file is never opened.
    pub fn external_data(&self) -> Result<Option<ExternalData>, OnnxError> {
        if !self.is_external() {
            return Ok(None);
        }
        let bad = |detail: String| OnnxError::ExternalData {
            file: self.source_name.to_string(),
            tensor: self.name().to_string(),
            detail,
        };
        let number = |key: &str, value: &str| {
            value.trim().parse::<u64>().map_err(|_| bad(format!("{key} {value:?} is not a non-negative integer")))
        };
        let (mut location, mut offset, mut length, mut checksum) = (None, None, None, None);
        for entry in &self.proto.external_data {
            let value = entry.value();
            match entry.key() {
                "location" => location = Some(value.to_string()),
                "offset" => offset = Some(number("offset", value)?),
                "length" => length = Some(number("length", value)?),
                "checksum" => checksum = Some(value.to_string()),
                _ => {}
            }
        }
        match location {
            Some(location) if !location.is_empty() => Ok(Some(ExternalData { location, offset, length, checksum })),
            _ => Err(bad("no \"location\" entry".to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proto::StringStringEntryProto;

    fn entry(key: &str, value: &str) -> StringStringEntryProto {
        StringStringEntryProto { key: Some(key.into()), value: Some(value.into()) }
    }

    fn external(entries: Vec<StringStringEntryProto>) -> TensorProto {
        TensorProto {
            name: Some("w".into()),
            data_type: Some(DataType::Float.code()),
            dims: vec![2, 3],
            data_location: Some(DataLocation::External as i32),
            external_data: entries,
            ..Default::default()
        }
    }

    #[test]
    fn external_data_entries_are_parsed() {
        let p = external(vec![
            entry("location", "w.data"),
            entry("offset", "4096"),
            entry("length", "24"),
            entry("checksum", "abc"),
            entry("basepath", "ignored"),
        ]);
        let t = Tensor::new(&p, "m.onnx");
        assert!(t.is_external());
        assert_eq!(t.storage(), TensorStorage::External);
        assert_eq!(
            t.external_data().unwrap(),
            Some(ExternalData {
                location: "w.data".into(),
                offset: Some(4096),
                length: Some(24),
                checksum: Some("abc".into())
            })
        );
        assert_eq!((t.element_count(), t.byte_size()), (Some(6), Some(24)));
    }

    #[test]
    fn bad_external_data_is_an_error_naming_file_and_tensor() {
        let p = external(vec![entry("offset", "0")]);
        let err = Tensor::new(&p, "m.onnx").external_data().unwrap_err();
        assert_eq!(err.to_string(), r#"m.onnx: tensor "w": bad external data reference: no "location" entry"#);
        let p = external(vec![entry("location", "w.data"), entry("length", "-5")]);
        let err = Tensor::new(&p, "m.onnx").external_data().unwrap_err();
        assert!(err.to_string().contains(r#"length "-5" is not a non-negative integer"#), "{err}");
    }

    #[test]
    fn inline_storage_kinds() {
        let raw = TensorProto { raw_data: Some(Bytes::from_static(&[1, 2, 3, 4])), ..Default::default() };
        let t = Tensor::new(&raw, "m");
        assert_eq!(t.storage(), TensorStorage::Raw(&Bytes::from_static(&[1, 2, 3, 4])));
        assert_eq!(t.external_data().unwrap(), None);
        let typed = TensorProto { int64_data: vec![1, 2], ..Default::default() };
        assert_eq!(Tensor::new(&typed, "m").storage(), TensorStorage::Typed);
        assert_eq!(Tensor::new(&TensorProto::default(), "m").storage(), TensorStorage::Empty);
    }

    #[test]
    fn sizes_of_packed_and_degenerate_tensors() {
        let int4 = TensorProto { data_type: Some(DataType::Int4.code()), dims: vec![3], ..Default::default() };
        assert_eq!(Tensor::new(&int4, "m").byte_size(), Some(2));
        let scalar = TensorProto { data_type: Some(DataType::Double.code()), ..Default::default() };
        assert_eq!(Tensor::new(&scalar, "m").byte_size(), Some(8));
        let negative = TensorProto { data_type: Some(1), dims: vec![2, -1], ..Default::default() };
        assert_eq!(Tensor::new(&negative, "m").element_count(), None);
        let huge = TensorProto { data_type: Some(1), dims: vec![i64::MAX, i64::MAX], ..Default::default() };
        assert_eq!(Tensor::new(&huge, "m").byte_size(), None);
        let strings = TensorProto { data_type: Some(DataType::String.code()), dims: vec![2], ..Default::default() };
        assert_eq!(Tensor::new(&strings, "m").byte_size(), None);
        let unknown = TensorProto { name: Some("x".into()), data_type: Some(77), ..Default::default() };
        let err = Tensor::new(&unknown, "m.onnx").data_type().unwrap_err();
        assert_eq!(err.to_string(), r#"m.onnx: tensor "x": unknown ONNX data type code 77"#);
    }
}
