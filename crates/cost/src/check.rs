//! The validity checker: is a mapping something the accelerator can run, and if not, what
//! exactly is wrong. The cost model prices any mapping it is given (so the optimiser can
//! move through invalid regions with penalties); passes call [`check`] before committing one.

use dnnc_arch::{Accelerator, Operand};

use crate::layer_model::{MAX_UNROLLS, footprints};
use crate::mapping::Mapping;
use crate::problem::Layer;

/// Checks `mapping` of `layer` on `arch`; every violation is described in one line.
pub fn check(arch: &Accelerator, layer: &Layer, mapping: &Mapping<f64>) -> Result<(), Vec<String>> {
    let mut errors = Vec::new();
    let array: Vec<(&String, u32)> = arch.array.dims.iter().map(|(n, &s)| (n, s)).collect();
    let dim_name = |d: usize| layer.dim_names.get(d).map_or("?", String::as_str);

    // Spatial unrolling.
    if mapping.spatial.len() > MAX_UNROLLS {
        errors.push(format!(
            "{} spatial unrolls (the model takes at most {MAX_UNROLLS}; merge unrolls of one dimension on one array dimension)",
            mapping.spatial.len()
        ));
    }
    let mut spatial_int = vec![1u64; layer.rank()];
    let mut per_array = vec![1.0f64; array.len()];
    for u in &mapping.spatial {
        if u.array_dim >= array.len() {
            errors.push(format!("spatial unroll on array dimension #{} (the array has {})", u.array_dim, array.len()));
            continue;
        }
        if u.dim >= layer.rank() {
            errors.push(format!("spatial unroll of dimension #{} (the layer has {})", u.dim, layer.rank()));
            continue;
        }
        if u.factor < 1.0 || u.factor.fract() != 0.0 {
            errors.push(format!("spatial factor {} of {} must be a positive integer", u.factor, dim_name(u.dim)));
            continue;
        }
        per_array[u.array_dim] *= u.factor;
        spatial_int[u.dim] *= u.factor as u64;
    }
    for (a, &(name, size)) in array.iter().enumerate() {
        if per_array[a] > size as f64 {
            errors
                .push(format!("array dimension {name} has {size} PEs but the mapping unrolls {} on it", per_array[a]));
        }
    }
    // Temporal loops: each dimension's loops cover what the unrolling leaves.
    let mut temporal = vec![1u64; layer.rank()];
    for (i, l) in mapping.loops.iter().enumerate() {
        if l.dim >= layer.rank() {
            errors.push(format!("loop #{i} iterates dimension #{} (the layer has {})", l.dim, layer.rank()));
        } else if l.size < 1.0 || l.size.fract() != 0.0 {
            errors.push(format!(
                "loop #{i} over {} has trip count {} (must be a positive integer)",
                dim_name(l.dim),
                l.size
            ));
        } else {
            temporal[l.dim] = temporal[l.dim].saturating_mul(l.size as u64);
        }
    }
    for d in 0..layer.rank() {
        let size = layer.sizes[d];
        let need = size.div_ceil(spatial_int[d].clamp(1, size));
        if temporal[d] != need {
            errors.push(format!(
                "dimension {} of size {size}: unrolled {}x, so its temporal loops must multiply to {need}, not {}",
                dim_name(d),
                spatial_int[d],
                temporal[d]
            ));
        }
    }
    // Memory levels and cuts.
    let mut levels_ok = true;
    for op in Operand::ALL {
        let possible = arch.levels(op);
        let used = mapping.levels(op);
        let mut it = possible.iter();
        if used.is_empty() || !used.iter().all(|m| it.any(|p| p == m)) {
            errors
                .push(format!("{op:?}: levels {used:?} are not a subsequence of the memories holding it {possible:?}"));
            levels_ok = false;
        } else if used.last() != possible.last() {
            errors.push(format!(
                "{op:?}: its top level {} cannot be bypassed",
                arch.memories[*possible.last().unwrap_or(&0)].name
            ));
            levels_ok = false;
        }
        let cuts = mapping.cuts(op);
        if cuts.len() + 1 != used.len() {
            errors.push(format!(
                "{op:?}: {} cuts for {} levels (need one per level but the top)",
                cuts.len(),
                used.len()
            ));
            levels_ok = false;
        } else if cuts.windows(2).any(|w| w[0] > w[1]) || cuts.last().is_some_and(|&c| c > mapping.loops.len()) {
            errors.push(format!("{op:?}: cuts {cuts:?} must be non-decreasing and at most {}", mapping.loops.len()));
            levels_ok = false;
        }
    }
    // Capacity (only meaningful once the structure is sound).
    if levels_ok && errors.is_empty() {
        let mut used = vec![0.0f64; arch.memories.len()];
        for f in footprints(arch, layer, mapping) {
            let mem = &arch.memories[f.memory];
            let is_top = arch.levels(f.operand).last() == Some(&f.memory);
            // A double-buffered memory keeps a second copy of every tile that changes.
            let copies = if mem.double_buffered && !is_top { 2.0 } else { 1.0 };
            used[f.memory] += f.bits * copies;
        }
        for (m, mem) in arch.memories.iter().enumerate() {
            if used[m] > mem.size_bits as f64 {
                errors.push(format!(
                    "memory {} holds {} bits per instance but the mapping keeps {} bits in it",
                    mem.name, mem.size_bits, used[m]
                ));
            }
        }
    }
    if errors.is_empty() { Ok(()) } else { Err(errors) }
}
