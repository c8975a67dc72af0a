//! The `mapping` attribute: how one MAC einsum runs on an accelerator, attached to the
//! `einsum.op` as a dictionary (so any MLIR tool can parse it) that names everything — the
//! accelerator, its array dimensions and memories, the einsum's loop dimensions — instead of
//! using the cost model's indices:
//!
//! ```text
//! mapping = {arch = "tpu_like",
//!            spatial = [["D1", "N", 32], ["D2", "K", 32]],      // [array dim, layer dim, factor]
//!            loops = [["M", 64], ["K", 2], ["N", 2]],           // [layer dim, trip count], innermost first
//!            I = {levels = ["sram_2MB", "dram"], cuts = [3]},
//!            W = {levels = ["rf_128B", "dram"], cuts = [1]},
//!            O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]},
//!            cost = {energy_pj = 1.2e6, latency_cycles = 8192, utilisation = 0.5}}   // optional
//! ```
//!
//! Per operand, `levels` are the memories it uses, innermost first: a subsequence of the
//! memories that may hold it, always ending at the top one (leaving one out bypasses it);
//! `cuts` has one entry per level but the top, the number of innermost loops at or below that
//! level. Factors and trip counts are integers, or floats for a relaxed (fractional) mapping.
//! `cost` is what the scheduler predicted, kept for reports.
//!
//! [`mapping_attr`] and [`mapping_from_attr`] convert between the attribute and the cost
//! model's [`Mapping`]; [`verify_mapping`] checks the attribute of an einsum against its loop
//! nest and, for a built-in preset accelerator, against the hardware; [`format_mapping`] prints
//! a mapping as a Timeloop-style loop nest.

use std::fmt::Write;
use std::sync::{Arc, OnceLock};

use dnnc_arch::{Accelerator, Operand, PRESET_NAMES};
use dnnc_cost::{Cost, Layer, Loop, Mapping, Unroll, op_index};
use dnnc_einsum::Einsum;
use dnnc_ir::{AttrDict, Attribute, Context, OpId};

/// The name of the attribute holding an einsum's mapping.
pub const MAPPING: &str = "mapping";

/// The fields of a mapping dictionary, in the order [`mapping_attr`] writes them.
pub const FIELDS: &[&str] = &["arch", "spatial", "loops", "I", "W", "O", "cost"];

/// The dictionary key of an operand's levels and cuts.
pub fn operand_key(op: Operand) -> &'static str {
    match op {
        Operand::I => "I",
        Operand::W => "W",
        Operand::O => "O",
    }
}

/// A built-in preset accelerator by name, loaded once: the verifier resolves a mapping's
/// `arch` against these (other accelerators come from files the IR does not name).
pub fn preset(name: &str) -> Option<&'static Accelerator> {
    static PRESETS: OnceLock<Vec<Accelerator>> = OnceLock::new();
    PRESETS
        .get_or_init(|| PRESET_NAMES.iter().filter_map(|n| Accelerator::preset(n).ok()).collect())
        .iter()
        .find(|a| a.name == name)
}

/// A trip count or factor: an integer attribute when it is one, else a float.
fn number(x: f64) -> Attribute {
    if x.fract() == 0.0 && x.abs() < 9.0e15 { Attribute::i64(x as i64) } else { Attribute::f64(x) }
}

fn as_number(a: &Attribute) -> Option<f64> {
    match a {
        Attribute::Int { value, .. } => Some(*value as f64),
        Attribute::Float { value, .. } => Some(*value),
        _ => None,
    }
}

fn entry(key: &str, value: Attribute) -> (Arc<str>, Attribute) {
    (Arc::from(key), value)
}

/// The `mapping` attribute of `mapping` (of `layer` on `arch`). Indices out of range (a
/// mapping of another layer or accelerator) are written as `#i`, which the reader rejects.
pub fn mapping_attr(arch: &Accelerator, layer: &Layer, mapping: &Mapping<f64>) -> Attribute {
    let array_dims: Vec<&str> = arch.array.dims.keys().map(String::as_str).collect();
    let name_of = |names: &[&str], i: usize| names.get(i).map_or_else(|| format!("#{i}"), |s| s.to_string());
    let dims: Vec<&str> = layer.dim_names.iter().map(String::as_str).collect();
    let memories: Vec<&str> = arch.memories.iter().map(|m| m.name.as_str()).collect();
    let spatial = mapping.spatial.iter().map(|u| {
        Attribute::array([
            Attribute::string(name_of(&array_dims, u.array_dim)),
            Attribute::string(name_of(&dims, u.dim)),
            number(u.factor),
        ])
    });
    let loops =
        mapping.loops.iter().map(|l| Attribute::array([Attribute::string(name_of(&dims, l.dim)), number(l.size)]));
    let mut entries = vec![
        entry("arch", Attribute::string(arch.name.as_str())),
        entry("spatial", Attribute::array(spatial)),
        entry("loops", Attribute::array(loops)),
    ];
    for op in Operand::ALL {
        let levels = mapping.levels(op).iter().map(|&m| Attribute::string(name_of(&memories, m)));
        let cuts = mapping.cuts(op).iter().map(|&c| Attribute::i64(c as i64));
        let d = Attribute::dict([entry("levels", Attribute::array(levels)), entry("cuts", Attribute::array(cuts))]);
        entries.push(entry(operand_key(op), d));
    }
    Attribute::dict(entries)
}

/// The `cost` entry for a mapping: energy, latency, PE utilisation (ideal over actual cycles)
/// and the parts reports break them into.
pub fn cost_attr(cost: &Cost<f64>) -> Attribute {
    let utilisation = if cost.latency > 0.0 { cost.ideal_cycles / cost.latency } else { 0.0 };
    Attribute::dict([
        entry("energy_pj", Attribute::f64(cost.energy)),
        entry("latency_cycles", number(cost.latency)),
        entry("utilisation", Attribute::f64(utilisation)),
        entry("mac_energy_pj", Attribute::f64(cost.mac_energy)),
        entry("memory_energy_pj", Attribute::f64(cost.memory_energy)),
        entry("stall_cycles", number(cost.stall_cycles)),
    ])
}

/// [`mapping_attr`] with the scheduler's predicted `cost` recorded for reports.
pub fn mapping_attr_with_cost(
    arch: &Accelerator,
    layer: &Layer,
    mapping: &Mapping<f64>,
    cost: &Cost<f64>,
) -> Attribute {
    let Attribute::Dict(d) = mapping_attr(arch, layer, mapping) else { unreachable!("mapping_attr builds a dict") };
    let mut d = (*d).clone();
    d.insert(Arc::from("cost"), cost_attr(cost));
    Attribute::Dict(Arc::new(d))
}

/// A mapping attribute read but not yet resolved: every name as written.
struct Raw<'a> {
    arch: &'a str,
    /// (array dim, layer dim, factor)
    spatial: Vec<(&'a str, &'a str, f64)>,
    /// (layer dim, trip count), innermost first
    loops: Vec<(&'a str, f64)>,
    /// Per operand (I, W, O): memory names and cuts.
    operands: [(Vec<&'a str>, Vec<usize>); 3],
}

fn field<'a>(d: &'a AttrDict, path: &str, key: &str) -> Result<&'a Attribute, String> {
    d.get(key).ok_or_else(|| format!("{path}: missing field '{key}'"))
}

fn array<'a>(a: &'a Attribute, path: &str, what: &str) -> Result<&'a [Attribute], String> {
    a.as_array().ok_or_else(|| format!("{path} must be {what}, but is {}", a.kind_name()))
}

fn string<'a>(a: &'a Attribute, path: &str) -> Result<&'a str, String> {
    a.as_str().ok_or_else(|| format!("{path} must be a string, but is {}", a.kind_name()))
}

fn positive(a: &Attribute, path: &str) -> Result<f64, String> {
    match as_number(a) {
        Some(x) if x.is_finite() && x > 0.0 => Ok(x),
        Some(x) => Err(format!("{path} must be positive, but is {x}")),
        None => Err(format!("{path} must be a number, but is {}", a.kind_name())),
    }
}

impl<'a> Raw<'a> {
    /// Reads the attribute's structure; checks what needs no accelerator or layer (field
    /// kinds, one cut per level but the top, cuts non-decreasing and within the loop nest).
    fn parse(attr: &'a Attribute) -> Result<Self, String> {
        let d = attr.as_dict().ok_or_else(|| format!("{MAPPING} must be a dictionary, but is {}", attr.kind_name()))?;
        if let Some(k) = d.keys().find(|k| !FIELDS.contains(&&***k)) {
            return Err(format!("{MAPPING}: unknown field '{k}' (fields are {})", FIELDS.join(", ")));
        }
        let arch = string(field(d, MAPPING, "arch")?, "mapping.arch")?;
        let mut spatial = Vec::new();
        let list = array(field(d, MAPPING, "spatial")?, "mapping.spatial", "an array")?;
        for (i, u) in list.iter().enumerate() {
            let path = format!("mapping.spatial[{i}]");
            match array(u, &path, "[array dim, layer dim, factor]")? {
                [a, b, f] => {
                    spatial.push((string(a, &path)?, string(b, &path)?, positive(f, &format!("{path} factor"))?))
                }
                other => {
                    return Err(format!(
                        "{path} must be [array dim, layer dim, factor], but has {} entries",
                        other.len()
                    ));
                }
            }
        }
        let mut loops = Vec::new();
        let list = array(field(d, MAPPING, "loops")?, "mapping.loops", "an array")?;
        for (i, l) in list.iter().enumerate() {
            let path = format!("mapping.loops[{i}]");
            match array(l, &path, "[layer dim, trip count]")? {
                [a, n] => loops.push((string(a, &path)?, positive(n, &format!("{path} trip count"))?)),
                other => {
                    return Err(format!("{path} must be [layer dim, trip count], but has {} entries", other.len()));
                }
            }
        }
        let mut operands: [(Vec<&str>, Vec<usize>); 3] = Default::default();
        for op in Operand::ALL {
            let key = operand_key(op);
            let path = format!("mapping.{key}");
            let od = field(d, MAPPING, key)?;
            let od = od.as_dict().ok_or_else(|| format!("{path} must be a dictionary, but is {}", od.kind_name()))?;
            if let Some(k) = od.keys().find(|k| !matches!(&***k, "levels" | "cuts")) {
                return Err(format!("{path}: unknown field '{k}' (fields are levels, cuts)"));
            }
            let lpath = format!("{path}.levels");
            let levels = array(field(od, &path, "levels")?, &lpath, "an array of memory names")?
                .iter()
                .map(|m| string(m, &lpath))
                .collect::<Result<Vec<_>, _>>()?;
            let cpath = format!("{path}.cuts");
            let cuts = array(field(od, &path, "cuts")?, &cpath, "an array of loop counts")?
                .iter()
                .map(|c| match c.as_int() {
                    Some(c) if c >= 0 => Ok(c as usize),
                    _ => Err(format!("{cpath} must hold non-negative integers")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            if levels.is_empty() {
                return Err(format!("{lpath} is empty (it must end at the top memory holding {key})"));
            }
            if cuts.len() + 1 != levels.len() {
                return Err(format!(
                    "{cpath}: {} cuts for {} levels (need one per level but the top, {})",
                    cuts.len(),
                    levels.len(),
                    levels.len() - 1
                ));
            }
            if cuts.windows(2).any(|w| w[0] > w[1]) {
                return Err(format!("{cpath} {cuts:?} must be non-decreasing"));
            }
            if let Some(&c) = cuts.last().filter(|&&c| c > loops.len()) {
                return Err(format!("{cpath}: cut {c} is past the {} loops", loops.len()));
            }
            operands[op_index(op)] = (levels, cuts);
        }
        Ok(Raw { arch, spatial, loops, operands })
    }

    /// Checks the layer dimension names against `dims` (when no accelerator is known).
    fn check_dims(&self, dims: &[&str]) -> Result<(), String> {
        let known = |path: String, d: &str| {
            if dims.contains(&d) {
                Ok(())
            } else {
                Err(format!("{path}: unknown dimension '{d}' (the einsum's are {})", dims.join(", ")))
            }
        };
        for (i, (_, d, _)) in self.spatial.iter().enumerate() {
            known(format!("mapping.spatial[{i}]"), d)?;
        }
        for (i, (d, _)) in self.loops.iter().enumerate() {
            known(format!("mapping.loops[{i}]"), d)?;
        }
        Ok(())
    }

    /// Resolves every name against `arch` and `layer`.
    fn resolve(&self, arch: &Accelerator, layer: &Layer) -> Result<Mapping<f64>, String> {
        if self.arch != arch.name {
            return Err(format!("mapping.arch: the mapping is for '{}' but is read for '{}'", self.arch, arch.name));
        }
        let dim = |path: String, d: &str| {
            layer.dim(d).ok_or_else(|| {
                format!("{path}: unknown dimension '{d}' (the einsum's are {})", layer.dim_names.join(", "))
            })
        };
        let array_dims: Vec<&str> = arch.array.dims.keys().map(String::as_str).collect();
        let mut spatial = Vec::new();
        for (i, &(a, d, factor)) in self.spatial.iter().enumerate() {
            let path = format!("mapping.spatial[{i}]");
            let array_dim = array_dims.iter().position(|&n| n == a).ok_or_else(|| {
                format!("{path}: unknown array dimension '{a}' ({} has {})", arch.name, array_dims.join(", "))
            })?;
            spatial.push(Unroll { array_dim, dim: dim(path, d)?, factor });
        }
        let mut loops = Vec::new();
        for (i, &(d, size)) in self.loops.iter().enumerate() {
            loops.push(Loop { dim: dim(format!("mapping.loops[{i}]"), d)?, size });
        }
        let mut levels: [Vec<usize>; 3] = Default::default();
        for op in Operand::ALL {
            let key = operand_key(op);
            let path = format!("mapping.{key}.levels");
            let possible = arch.levels(op);
            let mut used: Vec<usize> = Vec::new();
            for &name in &self.operands[op_index(op)].0 {
                let Some((m, mem)) = arch.memory(name) else {
                    let names: Vec<&str> = arch.memories.iter().map(|m| m.name.as_str()).collect();
                    return Err(format!("{path}: unknown memory '{name}' ({} has {})", arch.name, names.join(", ")));
                };
                if !mem.holds(op) {
                    return Err(format!("{path}: memory '{name}' does not hold {key}"));
                }
                if let Some(&prev) = used.last()
                    && prev >= m
                {
                    return Err(format!(
                        "{path}: '{name}' must come before '{}' (levels are innermost first, each once)",
                        arch.memories[prev].name
                    ));
                }
                used.push(m);
            }
            let top = possible.last().copied();
            if used.last().copied() != top {
                let top = top.map_or("?", |t| arch.memories[t].name.as_str());
                return Err(format!(
                    "{path} must end at '{top}', the top memory holding {key} (it cannot be bypassed)"
                ));
            }
            levels[op_index(op)] = used;
        }
        let cuts = Operand::ALL.map(|op| self.operands[op_index(op)].1.clone());
        Ok(Mapping { spatial, loops, levels, cuts })
    }
}

/// Reads a `mapping` attribute of `layer` on `arch`, resolving every name; errors name the
/// field (`mapping.O.cuts: …`).
pub fn mapping_from_attr(attr: &Attribute, arch: &Accelerator, layer: &Layer) -> Result<Mapping<f64>, String> {
    Raw::parse(attr)?.resolve(arch, layer)
}

/// The accelerator name a `mapping` attribute is for, if it has one.
pub fn mapping_arch(attr: &Attribute) -> Option<&str> {
    attr.as_dict()?.get("arch")?.as_str()
}

/// Checks the `mapping` attribute of an einsum op, if it has one: its structure, its names
/// against the einsum's dimensions and, when `arch` names a built-in preset, against that
/// accelerator, and then that the mapping covers the loop nest and fits the memories
/// ([`dnnc_cost::check`]). One message per problem, each naming the field.
pub fn verify_mapping(cx: &Context, op: OpId) -> Vec<String> {
    let Some(attr) = cx.attr(op, MAPPING) else { return Vec::new() };
    let raw = match Raw::parse(attr) {
        Ok(raw) => raw,
        Err(e) => return vec![e],
    };
    // A malformed einsum is reported by its own verifier (and cannot be made a layer).
    let Some(einsum) = Einsum::of(cx, op).filter(|e| well_formed(cx, op, e)) else { return Vec::new() };
    if einsum.kind != "mac" {
        return vec![format!(
            "{MAPPING}: a '{}' einsum runs on the vector unit; only 'mac' einsums are mapped onto the PE array",
            einsum.kind
        )];
    }
    let Some(arch) = preset(raw.arch) else {
        // Not a preset: the accelerator came from a file, so only the layer side is checked.
        return raw.check_dims(&einsum.dims).err().into_iter().collect();
    };
    let name = dnnc_einsum::layer_name(cx.loc(op));
    let layer = match dnnc_cost::layer_of(cx, op, &name, arch.array.precision) {
        Ok(layer) => layer,
        Err(dnnc_cost::EinsumError::Malformed) => return Vec::new(),
        Err(e) => return vec![format!("{MAPPING}: {e}")],
    };
    let mapping = match raw.resolve(arch, &layer) {
        Ok(m) => m,
        Err(e) => return vec![e],
    };
    match dnnc_cost::check(arch, &layer, &mapping) {
        Ok(()) => Vec::new(),
        Err(errors) => errors.into_iter().map(|e| format!("{MAPPING} on {}: {e}", arch.name)).collect(),
    }
}

/// What the cost model's layer needs of an einsum, which its own verifier reports otherwise:
/// one size per dimension, one map per operand and the result, each over every dimension.
fn well_formed(cx: &Context, op: OpId, e: &Einsum<'_>) -> bool {
    e.dims.len() == e.sizes.len()
        && e.sizes.iter().all(|&s| s >= 1)
        && e.maps.len() == cx.operands(op).len() + 1
        && e.maps.iter().all(|m| m.num_dims as usize == e.dims.len() && m.num_symbols == 0)
}

fn fmt_num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 9.0e15 { format!("{}", x as i64) } else { format!("{x}") }
}

/// The memory (index into `arch.memories`) `op` runs loop `i` out of.
fn memory_at(mapping: &Mapping<f64>, op: Operand, i: usize) -> usize {
    let level = mapping.cuts(op).iter().take_while(|&&c| c <= i).count();
    mapping.levels(op)[level.min(mapping.levels(op).len() - 1)]
}

/// `mapping` as a Timeloop-style loop nest: one line per memory level in use, from the top
/// down, with the operands it holds and the loops that run out of it (outermost first), then
/// the spatial unrolls per array dimension:
///
/// ```text
/// dram      [I W O]
/// sram_2MB  [I O]    for N in [0:2) for K in [0:2)
/// rf_2B     [O]
/// rf_128B   [W]      for M in [0:64) <O@rf_2B>
/// spatial            D1: N×32  D2: K×32
/// ```
///
/// A loop sits on the line of the innermost memory any operand runs it out of. An operand's
/// tile at a level is then normally everything on that line and below; where an operand's
/// own cut falls elsewhere (each operand has its own cuts), a marker `<X@mem>` after a loop
/// says that operand `X`'s tile in `mem` is the loops from there inwards.
pub fn format_mapping(arch: &Accelerator, layer: &Layer, mapping: &Mapping<f64>) -> String {
    let mem_name = |m: usize| arch.memories.get(m).map_or("?", |m| m.name.as_str());
    let dim_name = |d: usize| layer.dim_names.get(d).map_or("?", String::as_str);
    let n = mapping.loops.len();
    let valid = Operand::ALL.iter().all(|&op| {
        let (levels, cuts) = (mapping.levels(op), mapping.cuts(op));
        !levels.is_empty() && cuts.len() + 1 == levels.len() && cuts.iter().all(|&c| c <= n)
    });
    // The line of each loop: the innermost memory any operand runs it out of.
    let line: Vec<usize> = if valid {
        (0..n).map(|i| Operand::ALL.iter().map(|&op| memory_at(mapping, op, i)).min().unwrap_or(0)).collect()
    } else {
        vec![usize::MAX; n]
    };
    let mut shown: Vec<usize> = Operand::ALL.iter().flat_map(|&op| mapping.levels(op).iter().copied()).collect();
    shown.sort_unstable();
    shown.dedup();
    shown.reverse();
    // Markers: cuts that are not where the lines put the boundary.
    let mut markers: Vec<Vec<String>> = vec![Vec::new(); n];
    if valid {
        for op in Operand::ALL {
            for (m, &c) in mapping.cuts(op).iter().enumerate() {
                let mem = mapping.levels(op)[m];
                let end = line.iter().filter(|&&l| l <= mem).count();
                if c < end {
                    markers[c].push(format!("<{}@{}>", operand_key(op), mem_name(mem)));
                }
            }
        }
    }
    let mut rows: Vec<(String, String, String)> = Vec::new();
    for &mem in &shown {
        let held: Vec<&str> =
            Operand::ALL.iter().filter(|&&op| mapping.levels(op).contains(&mem)).map(|&op| operand_key(op)).collect();
        let mut loops = Vec::new();
        for i in (0..n).rev().filter(|&i| line[i] == mem) {
            let l = &mapping.loops[i];
            loops.push(format!("for {} in [0:{})", dim_name(l.dim), fmt_num(l.size)));
            loops.extend(markers[i].iter().cloned());
        }
        rows.push((mem_name(mem).to_string(), format!("[{}]", held.join(" ")), loops.join(" ")));
    }
    if !valid {
        // Not a well-formed mapping: list the loops on their own line so nothing is hidden.
        let loops: Vec<String> = (0..n)
            .rev()
            .map(|i| format!("for {} in [0:{})", dim_name(mapping.loops[i].dim), fmt_num(mapping.loops[i].size)))
            .collect();
        rows.push(("loops".into(), "(levels and cuts malformed)".into(), loops.join(" ")));
    }
    let array_dims: Vec<&str> = arch.array.dims.keys().map(String::as_str).collect();
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for u in &mapping.spatial {
        let a = array_dims.get(u.array_dim).map_or_else(|| format!("#{}", u.array_dim), |s| s.to_string());
        let item = format!("{}×{}", dim_name(u.dim), fmt_num(u.factor));
        match groups.iter_mut().find(|(g, _)| *g == a) {
            Some((_, items)) => items.push(item),
            None => groups.push((a, vec![item])),
        }
    }
    // Array dimensions in the accelerator's order.
    groups.sort_by_key(|(a, _)| array_dims.iter().position(|d| d == a).unwrap_or(usize::MAX));
    let spatial: Vec<String> = groups.iter().map(|(a, items)| format!("{a}: {}", items.join(" "))).collect();
    rows.push(("spatial".into(), String::new(), if spatial.is_empty() { "-".into() } else { spatial.join("  ") }));
    let w0 = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0) + 2;
    let w1 = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0) + 2;
    let mut out = String::new();
    for (a, b, c) in rows {
        let line = format!("{a:<w0$}{b:<w1$}{c}");
        let _ = writeln!(out, "{}", line.trim_end());
    }
    out
}

/// Field `key` (pJ, cycles, …) of the cost recorded on einsum `op`: its `cost` attribute
/// (vector work) or its mapping's `cost` (PE-array work); 0 when absent.
pub fn recorded_cost(cx: &Context, op: OpId, key: &str) -> f64 {
    let dict = cx.attr(op, "cost").or_else(|| cx.attr(op, "mapping").and_then(|m| m.as_dict()?.get("cost")));
    dict.and_then(|d| d.as_dict()?.get(key))
        .and_then(|a| a.as_float().or_else(|| a.as_int().map(|i| i as f64)))
        .unwrap_or(0.0)
}

/// The on-chip cost `tile` recorded on vector einsum `op` (0 where it recorded none).
pub fn recorded_vector_cost(cx: &Context, op: OpId) -> dnnc_cost::VectorCost {
    let field = |key| recorded_cost(cx, op, key);
    dnnc_cost::VectorCost {
        energy: field("energy_pj"),
        latency: field("latency_cycles"),
        compute_cycles: field("compute_cycles"),
        memory_cycles: field("memory_cycles"),
    }
}

/// Vector einsum `op`'s cost as a layer of its own: its recorded on-chip cost with every
/// operand read from, and its result written to, off-chip memory.
pub fn vector_cost_alone(cx: &Context, arch: &Accelerator, op: OpId) -> dnnc_cost::VectorCost {
    let operands = dnnc_einsum::operand_traffic_elements(cx, op).iter().map(|&(_, n)| n).sum::<f64>();
    let result = cx.results(op).map(|v| dnnc_einsum::elements(cx, v)).sum::<f64>();
    dnnc_cost::vector::with_offchip(arch, recorded_vector_cost(cx, op), operands, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dnnc_ir::{DialectRegistry, ParseOptions, parse_source};

    const GEMM: &str = r#"
"func.func"() ({
^bb0(%a: tensor<64x64xi8>, %b: tensor<64x64xi8>):
  %0 = "einsum.op"(%a, %b) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"(%0) : (tensor<64x64xi8>) -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>, sym_name = "gemm"} : () -> ()
"#;

    fn context() -> Context {
        Context::new(Arc::new(
            DialectRegistry::new().with(&dnnc_func::DIALECT).with(&dnnc_einsum::DIALECT).with(&crate::DIALECT),
        ))
    }

    /// The GEMM einsum of [`GEMM`], parsed.
    fn gemm(cx: &mut Context) -> OpId {
        let module = parse_source(cx, "gemm.mlir", GEMM, ParseOptions::default()).unwrap();
        cx.nested_ops(module).into_iter().find(|&o| cx.is(o, dnnc_einsum::OP)).unwrap()
    }

    /// The example mapping of the module docs: weights stationary in the PE registers while
    /// `M` runs, inputs and partial sums kept whole in the SRAM.
    fn example(arch: &Accelerator) -> Mapping<f64> {
        let (m, n, k) = (0, 1, 2);
        let mem = |name: &str| arch.memory(name).unwrap().0;
        Mapping {
            spatial: vec![Unroll { array_dim: 0, dim: n, factor: 32.0 }, Unroll { array_dim: 1, dim: k, factor: 32.0 }],
            loops: vec![Loop { dim: m, size: 64.0 }, Loop { dim: k, size: 2.0 }, Loop { dim: n, size: 2.0 }],
            levels: [
                vec![mem("sram_2MB"), mem("dram")],
                vec![mem("rf_128B"), mem("dram")],
                vec![mem("rf_2B"), mem("sram_2MB"), mem("dram")],
            ],
            cuts: [vec![3], vec![1], vec![0, 3]],
        }
    }

    fn setup() -> (Context, OpId, &'static Accelerator, Layer) {
        let mut cx = context();
        let op = gemm(&mut cx);
        let arch = preset("tpu_like").unwrap();
        let layer = dnnc_cost::layer_of(&cx, op, "gemm", arch.array.precision).unwrap();
        (cx, op, arch, layer)
    }

    /// `attr` with `path` (keys, then an array index for the last step if given) replaced.
    fn edit(attr: &Attribute, keys: &[&str], value: Attribute) -> Attribute {
        let mut d = attr.as_dict().unwrap().clone();
        if keys.len() == 1 {
            d.insert(Arc::from(keys[0]), value);
        } else {
            let inner = edit(&d[keys[0]], &keys[1..], value);
            d.insert(Arc::from(keys[0]), inner);
        }
        Attribute::Dict(Arc::new(d))
    }

    fn loops(items: &[(&str, i64)]) -> Attribute {
        Attribute::array(items.iter().map(|&(d, n)| Attribute::array([Attribute::string(d), Attribute::i64(n)])))
    }

    fn strings(items: &[&str]) -> Attribute {
        Attribute::array(items.iter().map(|&s| Attribute::string(s)))
    }

    #[test]
    fn the_example_mapping_is_valid_and_round_trips_through_the_attribute_and_the_text() {
        let (mut cx, op, arch, layer) = setup();
        let mapping = example(arch);
        assert_eq!(dnnc_cost::check(arch, &layer, &mapping), Ok(()));
        let attr = mapping_attr(arch, &layer, &mapping);
        assert_eq!(mapping_from_attr(&attr, arch, &layer).unwrap(), mapping);
        assert_eq!(mapping_arch(&attr), Some("tpu_like"));

        // Through the IR text: print, parse, read back.
        let cost = dnnc_cost::evaluate(arch, &layer, &mapping);
        cx.set_attr(op, MAPPING, mapping_attr_with_cost(arch, &layer, &mapping, &cost));
        let module = cx.parent_op(cx.parent_op(op).unwrap()).unwrap();
        let text = dnnc_ir::print_module(&cx, module, Default::default());
        assert!(
            text.contains(r#"mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}, cost = {energy_pj = "#),
            "{text}"
        );
        let mut cx2 = context();
        let module2 = parse_source(&mut cx2, "printed.mlir", &text, ParseOptions::default()).unwrap();
        dnnc_ir::verify(&cx2, module2).unwrap();
        let op2 = cx2.nested_ops(module2).into_iter().find(|&o| cx2.is(o, dnnc_einsum::OP)).unwrap();
        let attr2 = cx2.attr(op2, MAPPING).unwrap();
        assert_eq!(attr2, cx.attr(op, MAPPING).unwrap());
        assert_eq!(mapping_from_attr(attr2, arch, &layer).unwrap(), mapping);
        let c = attr2.as_dict().unwrap()["cost"].as_dict().unwrap();
        assert_eq!(c["energy_pj"].as_float(), Some(cost.energy));
        assert_eq!(c["utilisation"].as_float(), Some(cost.ideal_cycles / cost.latency));
        assert!(verify_mapping(&cx2, op2).is_empty());
    }

    #[test]
    fn every_preset_level_choice_and_fractional_factors_round_trip() {
        let (_, _, _, layer) = setup();
        for name in PRESET_NAMES {
            let arch = preset(name).unwrap();
            let loops = vec![
                Loop { dim: 0, size: 4.0 },
                Loop { dim: 2, size: 2.5 },
                Loop { dim: 1, size: 64.0 },
                Loop { dim: 0, size: 16.0 },
            ];
            let spatial = vec![Unroll { array_dim: arch.array.dims.len() - 1, dim: 2, factor: 25.6 }];
            for bypass in [false, true] {
                let levels = Operand::ALL.map(|op| {
                    let all = arch.levels(op);
                    // Bypassing keeps the innermost and the top level only.
                    if bypass && all.len() > 2 { vec![all[0], *all.last().unwrap()] } else { all }
                });
                let cuts = levels.clone().map(|l| (1..l.len()).map(|i| i.min(loops.len())).collect());
                let mapping = Mapping { spatial: spatial.clone(), loops: loops.clone(), levels, cuts };
                let attr = mapping_attr(arch, &layer, &mapping);
                assert_eq!(mapping_from_attr(&attr, arch, &layer).unwrap(), mapping, "{name}, bypass {bypass}");
            }
        }
    }

    #[test]
    fn reading_reports_the_field_at_fault() {
        let (_, _, arch, layer) = setup();
        let good = mapping_attr(arch, &layer, &example(arch));
        let err = |a: &Attribute| mapping_from_attr(a, arch, &layer).unwrap_err();
        let cases: Vec<(Attribute, &str)> = vec![
            (
                edit(&good, &["O", "levels"], strings(&["rf_2B", "sram_1MB", "dram"])),
                "mapping.O.levels: unknown memory 'sram_1MB' (tpu_like has rf_128B, rf_2B, sram_2MB, dram)",
            ),
            (
                edit(&good, &["O", "cuts"], Attribute::i64_array(&[2])),
                "mapping.O.cuts: 1 cuts for 3 levels (need one per level but the top, 2)",
            ),
            (
                edit(&good, &["O", "cuts"], Attribute::i64_array(&[2, 1])),
                "mapping.O.cuts [2, 1] must be non-decreasing",
            ),
            (edit(&good, &["I", "cuts"], Attribute::i64_array(&[4])), "mapping.I.cuts: cut 4 is past the 3 loops"),
            (
                edit(&good, &["W", "levels"], strings(&["rf_128B"])),
                "mapping.W.cuts: 1 cuts for 1 levels (need one per level but the top, 0)",
            ),
            (
                edit(
                    &edit(&good, &["W", "levels"], strings(&["rf_128B", "sram_2MB"])),
                    &["W", "cuts"],
                    Attribute::i64_array(&[1]),
                ),
                "mapping.W.levels: memory 'sram_2MB' does not hold W",
            ),
            (
                edit(&edit(&good, &["I", "levels"], strings(&["sram_2MB"])), &["I", "cuts"], Attribute::i64_array(&[])),
                "mapping.I.levels must end at 'dram', the top memory holding I (it cannot be bypassed)",
            ),
            (
                edit(&good, &["O", "levels"], strings(&["sram_2MB", "rf_2B", "dram"])),
                "mapping.O.levels: 'rf_2B' must come before 'sram_2MB' (levels are innermost first, each once)",
            ),
            (
                edit(&good, &["loops"], loops(&[("Q", 64), ("K", 2), ("N", 2)])),
                "mapping.loops[0]: unknown dimension 'Q' (the einsum's are M, N, K)",
            ),
            (
                edit(&good, &["loops"], loops(&[("M", 64), ("K", 0), ("N", 2)])),
                "mapping.loops[1] trip count must be positive, but is 0",
            ),
            (
                edit(&good, &["spatial"], Attribute::array([strings(&["D3", "K"])])),
                "mapping.spatial[0] must be [array dim, layer dim, factor], but has 2 entries",
            ),
            (
                edit(
                    &good,
                    &["spatial"],
                    Attribute::array([Attribute::array([
                        Attribute::string("D3"),
                        Attribute::string("K"),
                        Attribute::i64(2),
                    ])]),
                ),
                "mapping.spatial[0]: unknown array dimension 'D3' (tpu_like has D1, D2)",
            ),
            (
                edit(&good, &["arch"], Attribute::string("gemmini")),
                "mapping.arch: the mapping is for 'gemmini' but is read for 'tpu_like'",
            ),
            (
                edit(&good, &["tiling"], Attribute::Unit),
                "mapping: unknown field 'tiling' (fields are arch, spatial, loops, I, W, O, cost)",
            ),
            (Attribute::i64(3), "mapping must be a dictionary, but is integer"),
        ];
        for (attr, expected) in cases {
            assert_eq!(err(&attr), expected);
        }
        let mut d = good.as_dict().unwrap().clone();
        d.shift_remove("W");
        assert_eq!(err(&Attribute::Dict(Arc::new(d))), "mapping: missing field 'W'");
    }

    #[test]
    fn the_verifier_checks_coverage_capacity_and_the_einsum_kind() {
        let (mut cx, op, arch, layer) = setup();
        let good = mapping_attr(arch, &layer, &example(arch));
        cx.set_attr(op, MAPPING, good.clone());
        assert!(verify_mapping(&cx, op).is_empty());

        // The N loops no longer cover N (64 = 32 × 2).
        cx.set_attr(op, MAPPING, edit(&good, &["loops"], loops(&[("M", 64), ("K", 2), ("N", 4)])));
        assert_eq!(
            verify_mapping(&cx, op),
            [
                "mapping on tpu_like: dimension N of size 64: unrolled 32x, so its temporal loops must multiply to 2, not 4"
            ]
        );

        // Two partial sums do not fit the 16-bit register: O's rf_2B tile takes the K loop.
        cx.set_attr(
            op,
            MAPPING,
            edit(
                &edit(&good, &["O", "cuts"], Attribute::i64_array(&[2, 3])),
                &["loops"],
                loops(&[("M", 64), ("N", 2), ("K", 2)]),
            ),
        );
        let errors = verify_mapping(&cx, op);
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("mapping on tpu_like: memory rf_2B holds 16 bits per instance"), "{errors:?}");

        // A structural error is reported alone, naming the field.
        cx.set_attr(op, MAPPING, edit(&good, &["W", "cuts"], Attribute::i64_array(&[])));
        assert_eq!(
            verify_mapping(&cx, op),
            ["mapping.W.cuts: 0 cuts for 2 levels (need one per level but the top, 1)"]
        );

        // An accelerator that is not a preset: only the layer side can be checked.
        cx.set_attr(op, MAPPING, edit(&good, &["arch"], Attribute::string("my_chip")));
        assert!(verify_mapping(&cx, op).is_empty());
        let bad_dim = loops(&[("M", 64), ("P", 2), ("N", 2)]);
        cx.set_attr(op, MAPPING, edit(&edit(&good, &["arch"], Attribute::string("my_chip")), &["loops"], bad_dim));
        assert_eq!(verify_mapping(&cx, op), ["mapping.loops[1]: unknown dimension 'P' (the einsum's are M, N, K)"]);

        // Only MAC einsums are mapped.
        cx.set_attr(op, "kind", Attribute::string("elementwise"));
        cx.set_attr(op, MAPPING, good);
        assert_eq!(
            verify_mapping(&cx, op),
            [
                "mapping: a 'elementwise' einsum runs on the vector unit; only 'mac' einsums are mapped onto the PE array"
            ]
        );
    }

    #[test]
    fn format_mapping_prints_the_nest_from_the_top_down() {
        let (_, _, arch, layer) = setup();
        let text = format_mapping(arch, &layer, &example(arch));
        assert_eq!(
            text,
            "dram      [I W O]\n\
             sram_2MB  [I O]    for N in [0:2) for K in [0:2)\n\
             rf_2B     [O]\n\
             rf_128B   [W]      for M in [0:64) <O@rf_2B>\n\
             spatial            D1: N×32  D2: K×32\n"
        );
        // Partial sums accumulating in the register across K: the K loop sits on rf_2B's line
        // with no marker, since every cut falls on a line boundary.
        let mut m = example(arch);
        m.loops = vec![Loop { dim: 2, size: 2.0 }, Loop { dim: 0, size: 64.0 }, Loop { dim: 1, size: 2.0 }];
        m.cuts = [vec![3], vec![0], vec![1, 3]];
        m.spatial.push(Unroll { array_dim: 0, dim: 0, factor: 1.0 });
        assert_eq!(
            format_mapping(arch, &layer, &m),
            "dram      [I W O]\n\
             sram_2MB  [I O]    for N in [0:2) for M in [0:64)\n\
             rf_2B     [O]      for K in [0:2)\n\
             rf_128B   [W]\n\
             spatial            D1: N×32 M×1  D2: K×32\n"
        );
        // A malformed mapping still prints every loop.
        m.cuts[2].clear();
        assert!(
            format_mapping(arch, &layer, &m)
                .contains("loops     (levels and cuts malformed)  for N in [0:2) for M in [0:64) for K in [0:2)")
        );
    }
}
