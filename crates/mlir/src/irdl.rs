//! The IRDL that MLIR loads for dnnc IR exported by this crate ("MLIR form").
//!
//! It is the dialects' own IRDL (`dnnc_ir::irdl::export_dialect`, the files under
//! `dialects/<name>/`) with one change: every variadic operand or result group is split into
//! [`SLOTS`] optional slots plus a variadic tail. MLIR 22's IRDL binds a constraint variable to
//! the first type it matches, so all values of one variadic group must share a type
//! (`crates/ir/src/irdl.rs`); an `einsum.op` multiplying a `tensor<128x768xf32>` by a
//! `tensor<768x2304xf32>`, or a `sched.group` with inputs of several shapes, would not verify.
//! Each slot has its own constraint variable, so the first [`SLOTS`] values of a group may all
//! differ; only values beyond them (the tail) must share a type. Ops with more than one
//! optional or variadic group then carry MLIR's `operandSegmentSizes` /
//! `resultSegmentSizes` (`array<i32: …>`), which the exporter writes and the importer drops.
//!
//! Dialect types (`!dataflow.itensor<…>`) are declared by the dialects' IRDL with one opaque
//! parameter; the exporter fills it with a string holding dnnc's parameter text
//! (`!dataflow.itensor<"2x4xf16, trips = [4, 2], …">` in MLIR), since dnnc's syntax is no list
//! of MLIR attributes.
//!
//! This module needs no LLVM: the generated file `crates/mlir/dnnc.irdl.mlir` is checked by a
//! test in the default build, and `mlir-opt-22 --irdl-file=crates/mlir/dnnc.irdl.mlir` reads
//! what `dnnc --emit=mlir` writes.

use dnnc_ir::dialect::{Arity, Dialect, ValueSpec};
use dnnc_ir::{DialectRegistry, irdl::MLIR_NATIVE};
use std::collections::HashMap;
use std::fmt::Write;

/// Optional slots a variadic group is split into (values beyond them share one type). 64: a
/// fused group of a whole ResNet-18 takes 27 differently shaped weights.
pub const SLOTS: usize = 64;

/// The MLIR-form IRDL of every dnnc dialect in `registry` that MLIR does not already know.
pub fn irdl_module(registry: &DialectRegistry) -> String {
    let mut out = String::from(
        "// IRDL of dnnc's dialects in the form dnnc-mlir exports (variadic groups split into\n\
         // optional slots, see crates/mlir/src/irdl.rs). Generated; a test keeps it in sync.\n",
    );
    for d in registry.dialects().filter(|d| !MLIR_NATIVE.contains(&d.name)) {
        out.push_str(&dialect_irdl(d));
    }
    out
}

/// One dialect's MLIR-form IRDL: its IRDL with variadic groups split into slots.
pub fn dialect_irdl(d: &Dialect) -> String {
    let text = dnnc_ir::irdl::export_dialect(d);
    let mut out = String::with_capacity(text.len() * 2);
    // Constraint definitions of the current operation: SSA name -> right-hand side.
    let mut defs: HashMap<String, String> = HashMap::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if trimmed.starts_with("irdl.operation") {
            defs.clear();
        } else if let Some((name, rhs)) = trimmed.split_once(" = ")
            && name.starts_with('%')
        {
            defs.insert(name.to_string(), rhs.to_string());
        } else if let Some(rewritten) = split_groups(trimmed, indent, &defs, &mut out) {
            let _ = writeln!(out, "{indent}{rewritten}");
            continue;
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// Rewrites an `irdl.operands(…)` / `irdl.results(…)` line that has a variadic group, writing
/// the slot constraints (fresh copies of the group's constraint) to `out` first.
fn split_groups(line: &str, indent: &str, defs: &HashMap<String, String>, out: &mut String) -> Option<String> {
    let (keyword, rest) = ["irdl.operands(", "irdl.results("].iter().find_map(|k| Some((*k, line.strip_prefix(k)?)))?;
    let entries = rest.strip_suffix(')')?;
    if !entries.contains(": variadic ") {
        return None;
    }
    let tag = if keyword == "irdl.operands(" { 'o' } else { 'r' };
    let mut groups = Vec::new();
    for entry in entries.split(", ") {
        let (name, spec) = entry.split_once(": ")?;
        let Some(var) = spec.strip_prefix("variadic ") else {
            groups.push(entry.to_string());
            continue;
        };
        for slot in 0..SLOTS {
            let prefix = format!("%{tag}{slot}_");
            let copy = copy_constraint(var, &prefix, defs, indent, out);
            groups.push(format!("{name}_{slot}: optional {copy}"));
        }
        groups.push(entry.to_string());
    }
    Some(format!("{keyword}{})", groups.join(", ")))
}

/// Writes a copy of constraint `var` (and the constraints it refers to) under fresh names
/// (`%1` becomes `{prefix}1`) and returns the copy's name.
fn copy_constraint(var: &str, prefix: &str, defs: &HashMap<String, String>, indent: &str, out: &mut String) -> String {
    let fresh = |v: &str| format!("{prefix}{}", v.trim_start_matches('%'));
    let rhs = defs.get(var).cloned().unwrap_or_default();
    let mut body = rhs.clone();
    for referenced in
        rhs.split(|c: char| !(c == '%' || c.is_ascii_alphanumeric() || c == '_')).filter(|t| t.starts_with('%'))
    {
        let copy = copy_constraint(referenced, prefix, defs, indent, out);
        body = body
            .replace(&format!("{referenced},"), &format!("{copy},"))
            .replace(&format!("{referenced})"), &format!("{copy})"));
    }
    let name = fresh(var);
    let _ = writeln!(out, "{indent}{name} = {body}");
    name
}

/// How many values each of an op definition's groups holds when the op has `n` values: single
/// groups one, optional groups one while values remain beyond the singles (left to right),
/// a variadic group the rest. `None` when `n` does not fit the groups.
pub fn group_sizes(specs: &[ValueSpec], n: usize) -> Option<Vec<usize>> {
    let singles = specs.iter().filter(|s| s.arity == Arity::Single).count();
    let mut extra = n.checked_sub(singles)?;
    let mut sizes: Vec<usize> = specs
        .iter()
        .map(|s| match s.arity {
            Arity::Single => 1,
            Arity::Optional => {
                let take = extra.min(1);
                extra -= take;
                take
            }
            Arity::Variadic => 0,
        })
        .collect();
    match specs.iter().position(|s| s.arity == Arity::Variadic) {
        Some(v) => sizes[v] = extra,
        None if extra > 0 => return None,
        None => {}
    }
    Some(sizes)
}

/// The segment sizes of the MLIR form (a variadic group of `m` values as [`SLOTS`] slots of
/// `min(1, …)` and a tail of `m - SLOTS`), or `None` when the MLIR form of these groups has at
/// most one non-single group and so needs no segment attribute.
pub fn mlir_segments(specs: &[ValueSpec], sizes: &[usize]) -> Option<Vec<i32>> {
    let non_single: usize = specs
        .iter()
        .map(|s| match s.arity {
            Arity::Single => 0,
            Arity::Optional => 1,
            Arity::Variadic => SLOTS + 1,
        })
        .sum();
    if non_single <= 1 {
        return None;
    }
    let mut out = Vec::new();
    for (spec, &m) in specs.iter().zip(sizes) {
        if spec.arity == Arity::Variadic {
            out.extend((0..SLOTS).map(|slot| i32::from(m > slot)));
            out.push(m.saturating_sub(SLOTS) as i32);
        } else {
            out.push(m as i32);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dnnc_ir::dialect::TypeConstraint;
    use std::path::Path;

    /// `crates/mlir/dnnc.irdl.mlir` is what `mlir-opt --irdl-file` reads; regenerate it with
    /// `DNNC_BLESS=1 cargo test -p dnnc-mlir`.
    #[test]
    fn checked_in_irdl_is_up_to_date() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("dnnc.irdl.mlir");
        let generated = irdl_module(&dnnc_passes::dialects());
        if std::env::var_os("DNNC_BLESS").is_some() {
            std::fs::write(&path, &generated).expect("write dnnc.irdl.mlir");
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            current == generated,
            "{} is stale; regenerate it with `DNNC_BLESS=1 cargo test -p dnnc-mlir --lib`",
            path.display()
        );
    }

    #[test]
    fn variadic_groups_become_slots_with_their_own_constraints() {
        let text = dialect_irdl(&dnnc_einsum::DIALECT);
        let line = text.lines().find(|l| l.contains("irdl.operands(")).unwrap();
        assert!(line.contains("inputs_0: optional %o0_1, inputs_1: optional %o1_1"), "{line}");
        let last = SLOTS - 1;
        assert!(line.ends_with(&format!("inputs_{last}: optional %o{last}_1, inputs: variadic %1)")), "{line}");
        assert!(text.contains(&format!("%o{last}_1 = irdl.base \"!builtin.tensor\"")));
        // Single results are untouched.
        assert!(text.contains("irdl.results(output: %2)"));
    }

    #[test]
    fn segments_follow_the_groups() {
        let specs =
            [ValueSpec::one("a", TypeConstraint::AnyTensor), ValueSpec::variadic("xs", TypeConstraint::AnyTensor)];
        let sizes = group_sizes(&specs, 3).unwrap();
        assert_eq!(sizes, vec![1, 2]);
        let seg = mlir_segments(&specs, &sizes).unwrap();
        assert_eq!(seg.len(), 1 + SLOTS + 1);
        assert_eq!(&seg[..4], &[1, 1, 1, 0]);
        let many = mlir_segments(&specs, &group_sizes(&specs, SLOTS + 4).unwrap()).unwrap();
        assert_eq!(many[SLOTS + 1], 3, "values beyond the slots go to the tail");
        let opt = [ValueSpec::one("a", TypeConstraint::AnyTensor), ValueSpec::optional("b", TypeConstraint::AnyTensor)];
        assert_eq!(mlir_segments(&opt, &group_sizes(&opt, 1).unwrap()), None, "one optional group needs no segments");
        assert_eq!(group_sizes(&opt, 3), None);
    }
}
