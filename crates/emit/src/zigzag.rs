//! ZigZag mapping files: one entry per layer (matched by its ONNX node name) with dnnc's
//! spatial unrolling and full temporal ordering, so ZigZag 3.9.1 scores exactly dnnc's loop
//! nest (with a complete ordering ZigZag runs no search; it only places the loops in its
//! memories).
//!
//! ZigZag names loop dimensions by operator: a convolution's `B K C OY OX FY FX` (and `G`), a
//! matmul's `D K C` (rows, columns, reduction) with `B` (and `H`) for batched inputs. dnnc's
//! einsums name them `N K C P Q R S` and `[B0 B1] M N K`; [`zigzag_dim`] translates.

use std::collections::BTreeMap;

use dnnc_arch::Accelerator;
use dnnc_cost::{Layer, Mapping};
use serde::Serialize;

/// Why a layer cannot be written as a ZigZag mapping entry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ZigZagError {
    #[error("layer {layer}: dimension {dim} of a {source_op} has no ZigZag name")]
    UnknownDim { layer: String, dim: String, source_op: String },
    #[error("layer {layer}: ZigZag needs integer loop sizes, found {size} for {dim}")]
    Fractional { layer: String, dim: String, size: f64 },
    #[error("writing YAML: {0}")]
    Yaml(String),
}

/// Whether `dim` is one of a matmul einsum's batch dimensions (`B`, `B0`, `B1`, …).
fn is_batch(dim: &str) -> bool {
    dim.strip_prefix('B').is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
}

/// ZigZag's name for dnnc dimension `dim` of an einsum computing `source` (`graph.conv`,
/// `graph.matmul`, `graph.gemm`, …); `batch_index` is its position among the batch dimensions
/// (ZigZag calls the first `B` and, for 4-D inputs, the second `H`).
pub fn zigzag_dim(source: &str, dim: &str, batch_index: Option<usize>) -> Option<&'static str> {
    if source == "graph.conv" {
        return match dim {
            "N" => Some("B"),
            "G" => Some("G"),
            "K" => Some("K"),
            "C" => Some("C"),
            "P" => Some("OY"),
            "Q" => Some("OX"),
            "R" => Some("FY"),
            "S" => Some("FX"),
            _ => None,
        };
    }
    match (dim, batch_index) {
        ("M", _) => Some("D"),
        ("N", _) => Some("K"),
        ("K", _) => Some("C"),
        (_, Some(0)) => Some("B"),
        (_, Some(1)) => Some("H"),
        _ => None,
    }
}

/// One scheduled layer to write.
pub struct Entry<'a> {
    /// The ONNX node name ZigZag knows the layer by.
    pub name: &'a str,
    /// The graph op the einsum computes (`graph.conv`, `graph.matmul`, …).
    pub source: &'a str,
    pub layer: &'a Layer,
    pub mapping: &'a Mapping<f64>,
}

#[derive(Serialize)]
struct YamlEntry {
    name: String,
    spatial_mapping: BTreeMap<String, Vec<String>>,
    temporal_ordering: Vec<(String, u64)>,
    memory_operand_links: BTreeMap<&'static str, &'static str>,
}

/// The mapping file for `entries` on `arch`, with a `default` entry ZigZag requires (used by
/// layers dnnc did not schedule: none of the costed ones).
pub fn mapping_yaml(arch: &Accelerator, entries: &[Entry<'_>]) -> Result<String, ZigZagError> {
    let array_dims: Vec<&String> = arch.array.dims.keys().collect();
    let links = BTreeMap::from([("O", "O"), ("I", "I1"), ("W", "I2")]);
    let mut out = Vec::new();
    for e in entries {
        let batch: Vec<usize> = (0..e.layer.rank()).filter(|&d| is_batch(&e.layer.dim_names[d])).collect();
        let name_of = |d: usize| -> Result<String, ZigZagError> {
            let ours = &e.layer.dim_names[d];
            let batch_index = batch.iter().position(|&b| b == d);
            zigzag_dim(e.source, ours, batch_index).map(str::to_string).ok_or_else(|| ZigZagError::UnknownDim {
                layer: e.name.to_string(),
                dim: ours.clone(),
                source_op: e.source.to_string(),
            })
        };
        let mut spatial: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for u in &e.mapping.spatial {
            spatial.entry(array_dims[u.array_dim].clone()).or_default().push(format!(
                "{}, {}",
                name_of(u.dim)?,
                u.factor
            ));
        }
        let mut temporal = Vec::new();
        for l in &e.mapping.loops {
            if l.size.fract() != 0.0 {
                return Err(ZigZagError::Fractional { layer: e.name.to_string(), dim: name_of(l.dim)?, size: l.size });
            }
            if l.size > 1.0 {
                temporal.push((name_of(l.dim)?, l.size as u64));
            }
        }
        out.push(YamlEntry {
            name: e.name.to_string(),
            spatial_mapping: spatial,
            temporal_ordering: temporal,
            memory_operand_links: links.clone(),
        });
    }
    // ZigZag requires a default entry; give it the first layer's unrolling without an ordering.
    let default_spatial = out.first().map(|e| e.spatial_mapping.clone()).unwrap_or_default();
    let mut text =
        String::from("# ZigZag 3.9.1 mapping written by dnnc: spatial unrolling and full temporal ordering\n");
    text.push_str("# (innermost first) per layer, matched by ONNX node name.\n");
    #[derive(Serialize)]
    struct Default {
        name: &'static str,
        spatial_mapping: BTreeMap<String, Vec<String>>,
        memory_operand_links: BTreeMap<&'static str, &'static str>,
    }
    let default = Default { name: "default", spatial_mapping: default_spatial, memory_operand_links: links };
    text.push_str(&serde_norway::to_string(&vec![default]).map_err(|e| ZigZagError::Yaml(e.to_string()))?);
    if !out.is_empty() {
        text.push_str(&serde_norway::to_string(&out).map_err(|e| ZigZagError::Yaml(e.to_string()))?);
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dnnc_arch::{Operand, Precision};
    use dnnc_cost::{Access, Loop, Unroll};

    #[test]
    fn gemm_entry_uses_zigzag_names_and_the_full_ordering() {
        let arch = Accelerator::preset("tpu_like").unwrap();
        let rel = |dims: &[usize]| Access { relevant: dims.iter().fold(0, |s, &x| s | (1 << x)), windows: vec![] };
        // dnnc's gemm einsum: M rows, N columns, K reduction.
        let layer = Layer::new(
            "g",
            &[("M", 512), ("N", 768), ("K", 768)],
            [rel(&[0, 2]), rel(&[2, 1]), rel(&[0, 1])],
            [Operand::O, Operand::I, Operand::W],
            Precision::default(),
        );
        let l = |dim, size| Loop { dim, size };
        let mapping = Mapping::new(
            &arch,
            vec![Unroll { array_dim: 0, dim: 1, factor: 32.0 }, Unroll { array_dim: 1, dim: 2, factor: 32.0 }],
            vec![l(2, 24.0), l(0, 512.0), l(1, 24.0)],
            [vec![3], vec![1], vec![1, 3]],
        );
        let text = mapping_yaml(
            &arch,
            &[Entry { name: "/gemm/MatMul", source: "graph.matmul", layer: &layer, mapping: &mapping }],
        )
        .unwrap();
        let entries: Vec<serde_norway::Value> = serde_norway::from_str(&text).unwrap();
        assert_eq!(entries.len(), 2, "default + one layer:\n{text}");
        assert_eq!(entries[0]["name"].as_str(), Some("default"));
        let e = &entries[1];
        assert_eq!(e["name"].as_str(), Some("/gemm/MatMul"));
        assert_eq!(e["spatial_mapping"]["D1"][0].as_str(), Some("K, 32"));
        assert_eq!(e["spatial_mapping"]["D2"][0].as_str(), Some("C, 32"));
        let ordering: Vec<(String, u64)> = serde_norway::from_value(e["temporal_ordering"].clone()).unwrap();
        assert_eq!(ordering, vec![("C".to_string(), 24), ("D".to_string(), 512), ("K".to_string(), 24)]);
        assert_eq!(e["memory_operand_links"]["W"].as_str(), Some("I2"));
    }

    #[test]
    fn unknown_dimensions_are_errors() {
        assert_eq!(zigzag_dim("graph.conv", "P", None), Some("OY"));
        assert_eq!(zigzag_dim("graph.matmul", "B", Some(0)), Some("B"));
        assert_eq!(zigzag_dim("graph.matmul", "B1", Some(1)), Some("H"));
        assert_eq!(zigzag_dim("graph.matmul", "X", None), None);
        assert!(is_batch("B") && is_batch("B0") && !is_batch("BN"));
    }
}
