//! Folders for the binary ops: constant evaluation with the result type's width and wrapping,
//! and algebraic identities (`x + 0`, `x * 1`, `x - x`, …). Constants are expected on the right;
//! the canonicalization patterns move them there for commutative ops.

use dnnc_ir::dialect::{FoldInput, FoldResult};
use dnnc_ir::{Attribute, Context, TypeData, TypeId};

/// Sign-extends the low `width` bits of `v`, giving the value an `iN` register holds.
pub fn wrap(v: i64, width: u32) -> i64 {
    if width >= 64 {
        v
    } else {
        let shift = 64 - width;
        (v << shift) >> shift
    }
}

fn int_width(cx: &Context, ty: TypeId) -> Option<u32> {
    match cx.type_data(ty) {
        TypeData::Integer { width, .. } => Some(*width),
        TypeData::Index => Some(64),
        _ => None,
    }
}

/// Evaluates integer op `op` (short name) on constants, or `None` when undefined.
pub fn eval_int(op: &str, a: i64, b: i64, width: u32) -> Option<i64> {
    let v = match op {
        "addi" => a.wrapping_add(b),
        "subi" => a.wrapping_sub(b),
        "muli" => a.wrapping_mul(b),
        "divsi" if b != 0 => a.wrapping_div(b),
        "remsi" if b != 0 => a.wrapping_rem(b),
        "andi" => a & b,
        "ori" => a | b,
        "xori" => a ^ b,
        "maxsi" => a.max(b),
        "minsi" => a.min(b),
        _ => return None,
    };
    Some(wrap(v, width))
}

/// Evaluates float op `op` on constants, rounding to `ty` (only f32 and f64 are folded).
fn eval_float(op: &str, a: f64, b: f64, ty: TypeId) -> Option<f64> {
    let v = match op {
        "addf" => a + b,
        "subf" => a - b,
        "mulf" => a * b,
        "divf" => a / b,
        "maximumf" => {
            if a.is_nan() || b.is_nan() {
                f64::NAN
            } else if a == b {
                // maximum(-0, +0) is +0.
                if a.is_sign_negative() { b } else { a }
            } else {
                a.max(b)
            }
        }
        _ => return None,
    };
    match ty {
        TypeId::F64 => Some(v),
        TypeId::F32 => Some(v as f32 as f64),
        _ => None,
    }
}

pub(crate) fn binary(input: &FoldInput<'_>) -> Option<Vec<FoldResult>> {
    let cx = input.cx;
    let op = input.op;
    let short = cx.name(op).strip_prefix("arith.")?;
    let (lhs, rhs) = (cx.operand(op, 0), cx.operand(op, 1));
    let ty = cx.value_type(cx.result(op, 0));
    let value = |v| Some(vec![FoldResult::Value(v)]);
    let int = |v| Some(vec![FoldResult::Attr(Attribute::Int { value: v, ty })]);

    if let Some(width) = int_width(cx, ty) {
        // Constants may be written unsigned (`200 : i8`); read them as the register holds them.
        let c = |i: usize| input.constants[i].and_then(Attribute::as_int).map(|v| wrap(v, width));
        if let (Some(a), Some(b)) = (c(0), c(1)) {
            return eval_int(short, a, b, width).and_then(int);
        }
        let same = lhs == rhs;
        return match (short, c(1)) {
            ("addi" | "subi" | "ori" | "xori", Some(0)) => value(lhs),
            ("muli" | "divsi", Some(1)) => value(lhs),
            ("muli" | "andi", Some(0)) => int(0),
            ("remsi", Some(1)) => int(0),
            ("andi", Some(b)) if b == wrap(-1, width) => value(lhs),
            ("subi" | "xori", _) if same => int(0),
            ("andi" | "ori" | "maxsi" | "minsi", _) if same => value(lhs),
            _ => None,
        };
    }

    let c = |i: usize| input.constants[i].and_then(Attribute::as_float);
    if let (Some(a), Some(b)) = (c(0), c(1)) {
        let v = eval_float(short, a, b, ty)?;
        return Some(vec![FoldResult::Attr(Attribute::Float { value: v, ty })]);
    }
    match (short, c(1)) {
        // Only -0.0 is an exact additive identity (x + +0.0 turns -0.0 into +0.0).
        ("addf", Some(b)) if b == 0.0 && b.is_sign_negative() => value(lhs),
        ("subf", Some(b)) if b == 0.0 && b.is_sign_positive() => value(lhs),
        ("mulf" | "divf", Some(1.0)) => value(lhs),
        ("maximumf", _) if lhs == rhs => value(lhs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_to_width() {
        assert_eq!(wrap(255, 8), -1);
        assert_eq!(wrap(128, 8), -128);
        assert_eq!(wrap(127, 8), 127);
        assert_eq!(eval_int("addi", 100, 100, 8), Some(-56));
        assert_eq!(eval_int("divsi", i64::MIN, -1, 64), Some(i64::MIN));
        assert_eq!(eval_int("divsi", 1, 0, 32), None);
        assert_eq!(eval_int("remsi", -7, 2, 32), Some(-1));
    }

    #[test]
    fn floats_round_to_their_type() {
        let third = eval_float("divf", 1.0, 3.0, TypeId::F32).unwrap();
        assert_eq!(third, (1.0f32 / 3.0) as f64);
        assert_eq!(eval_float("addf", 1.0, 2.0, TypeId::F16), None);
        assert!(eval_float("maximumf", f64::NAN, 1.0, TypeId::F64).unwrap().is_nan());
        assert!(eval_float("maximumf", -0.0, 0.0, TypeId::F64).unwrap().is_sign_positive());
    }
}
