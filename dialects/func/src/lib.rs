//! The `func` dialect: functions, returns and calls — the container a network's graph lives in
//! (`func.func @main(%input: tensor<…>) -> tensor<…>`), with MLIR's op names and attributes so
//! exported IR means the same thing to MLIR tools.

use dnnc_ir::dialect::{AttrKind, AttrSpec, Dialect, OpDef, Traits, TypeConstraint, ValueSpec};
use dnnc_ir::{Context, OpId, TypeData, TypeId};

pub const FUNC: &str = "func.func";
pub const RETURN: &str = "func.return";
pub const CALL: &str = "func.call";

static OPS: [OpDef; 3] = [
    OpDef {
        attrs: &[
            AttrSpec::required("sym_name", AttrKind::String, "the function's symbol name"),
            AttrSpec::required("function_type", AttrKind::Type, "the function's signature"),
        ],
        regions: 1,
        traits: Traits::ISOLATED_FROM_ABOVE,
        verify: Some(verify_func),
        ..OpDef::new(FUNC, "A function: a signature and a body region (empty for a declaration)")
    },
    OpDef {
        operands: &[ValueSpec::variadic("operands", TypeConstraint::Any)],
        traits: Traits::TERMINATOR,
        verify: Some(verify_return),
        ..OpDef::new(RETURN, "Returns values from the enclosing function")
    },
    OpDef {
        operands: &[ValueSpec::variadic("operands", TypeConstraint::Any)],
        results: &[ValueSpec::variadic("results", TypeConstraint::Any)],
        attrs: &[AttrSpec::required("callee", AttrKind::SymbolRef, "the function called")],
        verify: Some(verify_call),
        ..OpDef::new(CALL, "Calls a function defined in the same module")
    },
];

pub static DIALECT: Dialect = Dialect {
    name: "func",
    summary: "Functions, returns and calls",
    ops: &OPS,
    types: &[],
    attrs: &[],
    materialize_constant: None,
};

/// The `(inputs, results)` of a function op's `function_type`, if well-formed.
pub fn signature(cx: &Context, func: OpId) -> Option<(&[TypeId], &[TypeId])> {
    match cx.type_data(cx.attr(func, "function_type")?.as_type()?) {
        TypeData::Function { inputs, results } => Some((inputs, results)),
        _ => None,
    }
}

fn verify_func(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some((inputs, _)) = signature(cx, op) else {
        errors.push("attribute 'function_type' must be a function type".into());
        return;
    };
    if let Some(entry) = cx.body(op, 0) {
        let args: Vec<TypeId> = cx.block_args(entry).iter().map(|&a| cx.value_type(a)).collect();
        if args != inputs {
            errors.push(format!(
                "entry block has {} arguments that do not match the {} inputs of 'function_type'",
                args.len(),
                inputs.len()
            ));
        }
    }
}

fn verify_return(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some(parent) = cx.parent_op(op).filter(|&p| cx.is(p, FUNC)) else {
        errors.push(format!("must be nested in a '{FUNC}'"));
        return;
    };
    let Some((_, results)) = signature(cx, parent) else {
        return;
    };
    let returned: Vec<TypeId> = cx.operands(op).iter().map(|&v| cx.value_type(v)).collect();
    if returned != results {
        let show = |ts: &[TypeId]| ts.iter().map(|&t| cx.show_type(t).to_string()).collect::<Vec<_>>().join(", ");
        errors.push(format!("returns ({}) but the function's results are ({})", show(&returned), show(results)));
    }
}

fn verify_call(cx: &Context, op: OpId, errors: &mut Vec<String>) {
    let Some(callee) = cx.attr(op, "callee").and_then(|a| a.as_symbol()) else {
        return;
    };
    // The callee is a sibling of the function containing the call.
    let scope = cx.parent_op(op).and_then(|f| cx.parent_block(f));
    let Some(scope) = scope else { return };
    let target = cx
        .block_ops(scope)
        .find(|&f| cx.is(f, FUNC) && cx.attr(f, "sym_name").and_then(|a| a.as_str()) == Some(callee));
    let Some(target) = target else {
        errors.push(format!("calls '@{callee}', which is not defined in this module"));
        return;
    };
    let Some((inputs, results)) = signature(cx, target) else {
        return;
    };
    let args: Vec<TypeId> = cx.operands(op).iter().map(|&v| cx.value_type(v)).collect();
    let res: Vec<TypeId> = cx.results(op).map(|v| cx.value_type(v)).collect();
    if args != inputs || res != results {
        errors.push(format!("does not match the signature of '@{callee}'"));
    }
}
