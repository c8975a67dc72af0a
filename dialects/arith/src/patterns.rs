//! Canonicalization patterns: constants to the right of commutative ops, and reassociation of
//! constant chains (`(x + c1) + c2` → `x + (c1 + c2)`, which then folds) for exact integer ops.

use dnnc_ir::rewrite::constant_value;
use dnnc_ir::{OpId, OperationState, PatternSet, RewritePattern, Rewriter};

/// `op(c, x)` → `op(x, c)` for commutative `op`.
struct ConstantToRhs(&'static str);

impl RewritePattern for ConstantToRhs {
    fn name(&self) -> &'static str {
        "arith-constant-to-rhs"
    }

    fn root(&self) -> Option<&'static str> {
        Some(self.0)
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let (lhs, rhs) = (rw.operand(op, 0), rw.operand(op, 1));
        if constant_value(rw, lhs).is_none() || constant_value(rw, rhs).is_some() {
            return false;
        }
        rw.set_operand(op, 0, rhs);
        rw.set_operand(op, 1, lhs);
        true
    }
}

/// `op(op(x, c1), c2)` → `op(x, op(c1, c2))` for associative, commutative integer `op`, when
/// the inner op has no other use. The new inner op folds to a constant.
struct ReassociateConstants(&'static str);

impl RewritePattern for ReassociateConstants {
    fn name(&self) -> &'static str {
        "arith-reassociate-constants"
    }

    fn root(&self) -> Option<&'static str> {
        Some(self.0)
    }

    fn match_and_rewrite(&self, op: OpId, rw: &mut Rewriter<'_>) -> bool {
        let (inner_v, c2) = (rw.operand(op, 0), rw.operand(op, 1));
        let Some(inner) = rw.defining_op(inner_v) else {
            return false;
        };
        if rw.name(inner) != self.0 || rw.uses(inner_v).len() != 1 || constant_value(rw, c2).is_none() {
            return false;
        }
        let (x, c1) = (rw.operand(inner, 0), rw.operand(inner, 1));
        if constant_value(rw, c1).is_none() || constant_value(rw, x).is_some() {
            return false;
        }
        let ty = rw.value_type(c2);
        let name = rw.name_id(op);
        let combined = rw.create_before(op, OperationState::new(name).operands([c1, c2]).results([ty]));
        let combined = rw.result(combined, 0);
        rw.set_operand(op, 0, x);
        rw.set_operand(op, 1, combined);
        true
    }
}

pub(crate) fn add_addi(set: &mut PatternSet) {
    set.add(ConstantToRhs("arith.addi"));
    set.add(ReassociateConstants("arith.addi"));
}

pub(crate) fn add_muli(set: &mut PatternSet) {
    set.add(ConstantToRhs("arith.muli"));
    set.add(ReassociateConstants("arith.muli"));
}

pub(crate) fn add_andi(set: &mut PatternSet) {
    set.add(ConstantToRhs("arith.andi"));
    set.add(ReassociateConstants("arith.andi"));
}

pub(crate) fn add_ori(set: &mut PatternSet) {
    set.add(ConstantToRhs("arith.ori"));
    set.add(ReassociateConstants("arith.ori"));
}

pub(crate) fn add_xori(set: &mut PatternSet) {
    set.add(ConstantToRhs("arith.xori"));
    set.add(ReassociateConstants("arith.xori"));
}

pub(crate) fn add_addf(set: &mut PatternSet) {
    set.add(ConstantToRhs("arith.addf"));
}

pub(crate) fn add_mulf(set: &mut PatternSet) {
    set.add(ConstantToRhs("arith.mulf"));
}
