//! The `arith` dialect: scalar constants and integer/float arithmetic, with constant folding,
//! algebraic identities and reassociation patterns. It gives `canonicalize` real work to do and
//! later layers a place for index arithmetic (tile sizes, trip counts).

mod fold;
mod patterns;

use dnnc_ir::dialect::{
    AsmFormat, AttrKind, AttrSpec, Dialect, FoldFn, OpDef, PatternsFn, Traits, TypeConstraint, ValueSpec,
};
use dnnc_ir::{Attribute, Context, OpId, OperationState, TypeId};

pub const CONSTANT: &str = "arith.constant";

const PURE_BINARY: Traits = Traits::PURE.union(Traits::SAME_OPERANDS_AND_RESULT_TYPE);
const COMMUTATIVE: Traits = PURE_BINARY.union(Traits::COMMUTATIVE);

const INT_OPERANDS: &[ValueSpec] =
    &[ValueSpec::one("lhs", TypeConstraint::IntegerOrIndex), ValueSpec::one("rhs", TypeConstraint::IntegerOrIndex)];
const INT_RESULT: &[ValueSpec] = &[ValueSpec::one("result", TypeConstraint::IntegerOrIndex)];
const FLOAT_OPERANDS: &[ValueSpec] =
    &[ValueSpec::one("lhs", TypeConstraint::AnyFloat), ValueSpec::one("rhs", TypeConstraint::AnyFloat)];
const FLOAT_RESULT: &[ValueSpec] = &[ValueSpec::one("result", TypeConstraint::AnyFloat)];

const fn binary(
    name: &'static str,
    summary: &'static str,
    float: bool,
    traits: Traits,
    canonicalize: Option<PatternsFn>,
) -> OpDef {
    OpDef {
        operands: if float { FLOAT_OPERANDS } else { INT_OPERANDS },
        results: if float { FLOAT_RESULT } else { INT_RESULT },
        traits,
        format: AsmFormat::SameType,
        fold: Some(fold::binary as FoldFn),
        canonicalize,
        ..OpDef::new(name, summary)
    }
}

static OPS: [OpDef; 16] = [
    OpDef {
        results: &[ValueSpec::one("result", TypeConstraint::AnyScalar)],
        attrs: &[AttrSpec::required("value", AttrKind::Any, "the constant, typed like the result")],
        traits: Traits::PURE.union(Traits::CONSTANT_LIKE),
        verify: Some(verify_constant),
        ..OpDef::new(CONSTANT, "A scalar constant")
    },
    binary("arith.addi", "Integer addition (wrapping)", false, COMMUTATIVE, Some(patterns::add_addi)),
    binary("arith.subi", "Integer subtraction (wrapping)", false, PURE_BINARY, None),
    binary("arith.muli", "Integer multiplication (wrapping)", false, COMMUTATIVE, Some(patterns::add_muli)),
    binary("arith.divsi", "Signed integer division, rounding toward zero", false, PURE_BINARY, None),
    binary("arith.remsi", "Signed integer remainder", false, PURE_BINARY, None),
    binary("arith.andi", "Bitwise and", false, COMMUTATIVE, Some(patterns::add_andi)),
    binary("arith.ori", "Bitwise or", false, COMMUTATIVE, Some(patterns::add_ori)),
    binary("arith.xori", "Bitwise exclusive or", false, COMMUTATIVE, Some(patterns::add_xori)),
    binary("arith.maxsi", "Signed integer maximum", false, COMMUTATIVE, None),
    binary("arith.minsi", "Signed integer minimum", false, COMMUTATIVE, None),
    binary("arith.addf", "Floating-point addition", true, COMMUTATIVE, Some(patterns::add_addf)),
    binary("arith.subf", "Floating-point subtraction", true, PURE_BINARY, None),
    binary("arith.mulf", "Floating-point multiplication", true, COMMUTATIVE, Some(patterns::add_mulf)),
    binary("arith.divf", "Floating-point division", true, PURE_BINARY, None),
    binary("arith.maximumf", "Floating-point maximum (NaN-propagating)", true, COMMUTATIVE, None),
];

pub static DIALECT: Dialect = Dialect {
    name: "arith",
    summary: "Scalar constants and arithmetic",
    ops: &OPS,
    types: &[],
    attrs: &[],
    materialize_constant: Some(materialize_constant),
};

fn verify_constant(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some(value) = cx.attr(op, "value") else {
        return;
    };
    let result = cx.value_type(cx.result(op, 0));
    let attr_ty = match value {
        Attribute::Int { ty, .. } | Attribute::Float { ty, .. } => *ty,
        other => {
            errors.push(format!("attribute 'value' must be an integer or float, but is {}", other.kind_name()));
            return;
        }
    };
    if attr_ty != result {
        errors.push(format!(
            "attribute 'value' has type '{}' but the result has type '{}'",
            cx.show_type(attr_ty),
            cx.show_type(result)
        ));
    }
}

/// Builds `arith.constant` for a folded value (detached; the caller inserts it).
fn materialize_constant(cx: &mut Context, attr: &Attribute, ty: TypeId) -> Option<OpId> {
    let value = match *attr {
        Attribute::Int { value, .. } if cx.type_data(ty).is_integer() || ty == TypeId::INDEX => {
            Attribute::Int { value, ty }
        }
        Attribute::Float { value, .. } if cx.type_data(ty).is_float() => Attribute::Float { value, ty },
        _ => return None,
    };
    let name = cx.op_name(CONSTANT);
    Some(cx.create_op(OperationState::new(name).results([ty]).attr("value", value)))
}

/// Creates (detached) `arith.constant` of `value`, typed `ty`.
pub fn constant(cx: &mut Context, value: Attribute, ty: TypeId) -> Option<OpId> {
    materialize_constant(cx, &value, ty)
}
