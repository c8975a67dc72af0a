//! IRDL export: a dialect's op tables written as an MLIR IRDL module, so `mlir-opt
//! --irdl-file=…` can parse and verify dnnc IR with the same operand/result constraints,
//! required attributes and region counts the Rust verifier checks.
//!
//! Only what IRDL can state is exported: traits, custom verifiers and optional attributes
//! (IRDL has no optional attributes; MLIR accepts undeclared ones) stay Rust-side.
//!
//! Known limit (MLIR 22): IRDL binds a constraint variable to the first type it matches, so all
//! values of a variadic group must have one type. Ops whose variadic operands differ in type
//! (`einsum.op`'s inputs, a `graph.concat` of different shapes) do not verify under IRDL even
//! though they are valid dnnc IR; exporting those needs another encoding (e.g.
//! `linalg.generic` for einsums).

use crate::dialect::{Arity, AttrKind, Dialect, TypeConstraint};

/// dnnc dialects that are subsets of MLIR's own (same op names and semantics): MLIR already
/// knows them, so they get no IRDL definition.
pub const MLIR_NATIVE: &[&str] = &["builtin", "func", "arith"];
use std::fmt::Write;

/// The IRDL constraint for a type constraint, as SSA definitions ending in the returned name.
fn type_constraint(out: &mut String, indent: &str, c: TypeConstraint, n: &mut usize) -> String {
    let mut def = |out: &mut String, body: &str| {
        *n += 1;
        let _ = writeln!(out, "{indent}%{} = {body}", *n);
        format!("%{}", *n)
    };
    let floats = |out: &mut String, def: &mut dyn FnMut(&mut String, &str) -> String| {
        ["f16", "bf16", "f32", "f64"].map(|t| def(out, &format!("irdl.is {t}")))
    };
    match c {
        TypeConstraint::Any => def(out, "irdl.any"),
        TypeConstraint::AnyTensor => def(out, "irdl.base \"!builtin.tensor\""),
        TypeConstraint::AnyInteger => def(out, "irdl.base \"!builtin.integer\""),
        TypeConstraint::Index => def(out, "irdl.is index"),
        TypeConstraint::Function => def(out, "irdl.base \"!builtin.function\""),
        // A dialect type is declared in its dialect's IRDL module: refer to it by symbol.
        TypeConstraint::Dialect(name) => match name.split_once('.') {
            Some((dialect, ty)) => def(out, &format!("irdl.base @{dialect}::@{ty}")),
            None => def(out, &format!("irdl.base \"!{name}\"")),
        },
        TypeConstraint::AnyFloat => {
            let f = floats(out, &mut def);
            def(out, &format!("irdl.any_of({})", f.join(", ")))
        }
        TypeConstraint::IntegerOrIndex => {
            let i = def(out, "irdl.base \"!builtin.integer\"");
            let x = def(out, "irdl.is index");
            def(out, &format!("irdl.any_of({i}, {x})"))
        }
        TypeConstraint::AnyScalar | TypeConstraint::TensorOrScalar => {
            let mut parts = vec![def(out, "irdl.base \"!builtin.integer\""), def(out, "irdl.is index")];
            parts.extend(floats(out, &mut def));
            if c == TypeConstraint::TensorOrScalar {
                parts.push(def(out, "irdl.base \"!builtin.tensor\""));
            }
            def(out, &format!("irdl.any_of({})", parts.join(", ")))
        }
    }
}

/// The IRDL constraint for a required attribute's kind.
fn attr_constraint(kind: AttrKind) -> String {
    let base = match kind {
        AttrKind::Any => return "irdl.any".into(),
        AttrKind::Unit => "#builtin.unit",
        AttrKind::Bool | AttrKind::Int => "#builtin.integer",
        AttrKind::Float => "#builtin.float",
        AttrKind::String => "#builtin.string",
        AttrKind::Array | AttrKind::IntArray => "#builtin.array",
        AttrKind::Dict => "#builtin.dictionary",
        AttrKind::AffineMap => "#builtin.affine_map",
        AttrKind::Type => "#builtin.type",
        AttrKind::SymbolRef => "#builtin.symbol_ref",
        AttrKind::Dialect(name) => return format!("irdl.base \"#{name}\""),
    };
    format!("irdl.base \"{base}\"")
}

/// The dialect as an IRDL module (`irdl.dialect @name { irdl.operation @op { … } … }`).
pub fn export_dialect(d: &Dialect) -> String {
    let mut out = format!(
        "// IRDL definition of the `{}` dialect, generated from its Rust op tables by\n// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.\nirdl.dialect @{} {{\n",
        d.name, d.name
    );
    // Dialect types and attributes: IRDL needs them declared so op constraints can name them.
    // Their bodies are dnnc's own syntax, which MLIR cannot check, so each takes one opaque
    // parameter (crates/mlir exports them that way: the body as a string).
    for (keyword, defs) in [("type", d.types), ("attribute", d.attrs)] {
        for def in defs {
            let short = def.name.split_once('.').map_or(def.name, |(_, s)| s);
            let _ =
                writeln!(out, "  irdl.{keyword} @{short} {{\n    %0 = irdl.any\n    irdl.parameters(body: %0)\n  }}");
        }
    }
    for op in d.ops {
        let _ = writeln!(out, "  irdl.operation @{} {{", op.short_name());
        let mut n = 0;
        for (keyword, values) in [("operands", op.operands), ("results", op.results)] {
            if values.is_empty() {
                continue;
            }
            let entries: Vec<String> = values
                .iter()
                .map(|v| {
                    let c = type_constraint(&mut out, "    ", v.constraint, &mut n);
                    let arity = match v.arity {
                        Arity::Single => "",
                        Arity::Optional => "optional ",
                        Arity::Variadic => "variadic ",
                    };
                    // IRDL names are lower case.
                    format!("{}: {arity}{c}", v.name.to_ascii_lowercase())
                })
                .collect();
            let _ = writeln!(out, "    irdl.{keyword}({})", entries.join(", "));
        }
        let required: Vec<String> = op
            .attrs
            .iter()
            .filter(|a| a.required)
            .map(|a| {
                n += 1;
                let _ = writeln!(out, "    %{n} = {}", attr_constraint(a.kind));
                format!("\"{}\" = %{n}", a.name)
            })
            .collect();
        if !required.is_empty() {
            let _ = writeln!(out, "    irdl.attributes {{{}}}", required.join(", "));
        }
        if op.regions > 0 {
            let regions: Vec<String> = (0..op.regions)
                .map(|r| {
                    n += 1;
                    let _ = writeln!(out, "    %{n} = irdl.region");
                    format!("region{r}: %{n}")
                })
                .collect();
            let _ = writeln!(out, "    irdl.regions({})", regions.join(", "));
        }
        out.push_str("  }\n");
    }
    out.push_str("}\n");
    out
}
