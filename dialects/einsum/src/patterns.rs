//! Folding layout-only einsums into their consumers' access maps: a reshape, flatten,
//! squeeze, unsqueeze or transpose moves no data a consumer could not read in place, so the
//! consumer reads the layout op's input through the composed map instead
//! (`consumer map ∘ layout input map`), and the layout einsum dies once nothing reads it.

use crate::{Einsum, OP};
use dnnc_ir::{Attribute, OpId, PatternSet, RewritePattern, Rewriter, ValueId};

/// Graph ops whose einsums only reinterpret or permute indices.
const LAYOUT_SOURCES: &[&str] =
    &["graph.reshape", "graph.flatten", "graph.squeeze", "graph.unsqueeze", "graph.transpose"];

/// Adds the layout-folding pattern.
pub fn add_layout_folding(set: &mut PatternSet) {
    set.add(FoldLayoutIntoAccess);
}

struct FoldLayoutIntoAccess;

/// If `v` is produced by a foldable layout einsum: that einsum's input and its input map.
fn layout_producer(rw: &Rewriter<'_>, v: ValueId) -> Option<(ValueId, dnnc_ir::AffineMap)> {
    let producer = rw.defining_op(v)?;
    let e = Einsum::of(rw, producer)?;
    let identity_out = e.maps.last().is_some_and(|m| **m == dnnc_ir::AffineMap::identity(m.num_dims));
    let foldable = e.kind == "data_movement"
        && LAYOUT_SOURCES.contains(&e.source)
        && rw.operands(producer).len() == 1
        && rw.attr(producer, "indirect").is_none()
        && identity_out;
    foldable.then(|| (rw.operand(producer, 0), e.maps[0].clone()))
}

impl RewritePattern for FoldLayoutIntoAccess {
    fn name(&self) -> &'static str {
        "einsum-fold-layout-into-access"
    }

    fn root(&self) -> Option<&'static str> {
        Some(OP)
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let Some(e) = Einsum::of(rw, op) else { return false };
        let mut maps: Vec<dnnc_ir::AffineMap> = e.maps.iter().map(|m| (*m).clone()).collect();
        let mut changes = Vec::new();
        let indirect = rw.attr(op, "indirect").and_then(Attribute::as_int_array).and_then(|i| i.first().copied());
        let operands = rw.operands(op).len();
        for (k, map) in maps.iter_mut().enumerate().take(operands) {
            // An indirect operand's map has a placeholder position; leave it alone.
            if indirect == Some(k as i64) {
                continue;
            }
            let Some((input, layout_map)) = layout_producer(rw, rw.operand(op, k)) else { continue };
            if let Some(composed) = layout_map.compose(map) {
                *map = composed;
                changes.push((k, input));
            }
        }
        if changes.is_empty() {
            return false;
        }
        for (k, input) in changes {
            rw.set_operand(op, k, input);
        }
        rw.set_attr(op, "maps", Attribute::array(maps.into_iter().map(Attribute::affine_map)));
        true
    }
}
