//! `--emit=summary`: a per-layer table of the lowered network — each einsum's source layer,
//! kind, loop nest, work (MACs for `mac` einsums, iteration points otherwise) and the bytes of
//! every operand and of the result — with totals per kind.

use dnnc_einsum::{Einsum, KINDS, layer_name, operand_bits};
use dnnc_ir::{Context, OpId};
use std::fmt::Write;

/// Bytes of a tensor value (elements × element bits / 8, rounded up).
fn bytes(cx: &Context, v: dnnc_ir::ValueId, bits: u32) -> i64 {
    let elements = cx.tensor_shape(cx.value_type(v)).map_or(1, |(s, _)| s.iter().product::<i64>());
    (elements * bits as i64 + 7) / 8
}

/// Renders the table for every einsum nested in `module`.
pub fn render(cx: &Context, module: OpId, model: &str) -> String {
    let einsums: Vec<OpId> = cx.nested_ops(module).into_iter().filter(|&o| Einsum::of(cx, o).is_some()).collect();
    let mut out = String::new();
    let _ = writeln!(out, "model: {model} ({} einsums)", einsums.len());
    let _ = writeln!(
        out,
        "{:>4}  {:<40} {:<14} {:<44} {:>16}  bytes (operands -> result)",
        "#", "layer", "kind", "loop nest", "MACs / points"
    );
    let mut work = vec![0i64; KINDS.len()];
    let mut total_bytes = 0i64;
    for (i, &op) in einsums.iter().enumerate() {
        let e = Einsum::of(cx, op).expect("filtered to einsums");
        let nest: Vec<String> = e.dims.iter().zip(&e.sizes).map(|(d, s)| format!("{d}={s}")).collect();
        let bits = operand_bits(cx, op);
        let values: Vec<_> = cx.operands(op).iter().copied().chain(cx.results(op)).collect();
        let sizes: Vec<i64> = values.iter().zip(&bits).map(|(&v, &b)| bytes(cx, v, b)).collect();
        total_bytes += sizes.iter().sum::<i64>();
        let (inputs, result) = sizes.split_at(sizes.len() - 1);
        let inputs: Vec<String> = inputs.iter().map(i64::to_string).collect();
        if let Some(k) = KINDS.iter().position(|&k| k == e.kind) {
            work[k] += e.points();
        }
        let mut layer = layer_name(cx.loc(op));
        if layer.len() > 40 {
            layer = format!("…{}", &layer[layer.len() - 39..]);
        }
        let _ = writeln!(
            out,
            "{i:>4}  {layer:<40} {:<14} {:<44} {:>16}  {} -> {}",
            e.kind,
            nest.join(" "),
            e.points(),
            inputs.join(" + "),
            result[0]
        );
    }
    let per_kind: Vec<String> = KINDS.iter().zip(&work).map(|(k, w)| format!("{k}={w}")).collect();
    let _ = writeln!(out, "totals: {} operand_bytes={total_bytes}", per_kind.join(" "));
    out
}
