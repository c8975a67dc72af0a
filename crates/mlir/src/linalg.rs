//! Einsums as `linalg.generic` (export option [`crate::ExportOptions::linalg`]).
//!
//! An einsum is a loop nest with one affine access map per operand, which is exactly what
//! `linalg.generic` states: `indexing_maps` are the einsum's maps, `iterator_types` say which
//! loops reduce (dimensions absent from the output map), and the body says what one point of
//! the iteration space computes. Only einsums whose body dnnc knows exactly are converted:
//! - `mac` with two inputs: `out + a * b` (`arith.mulf`/`addf`, `muli`/`addi`);
//! - `data_movement` with one input and no gather: a copy (`linalg.yield %in`);
//! - `elementwise` with two inputs from `graph.add|sub|mul|div|max|min` (and `and|or` on
//!   integers): that arithmetic op; with one input from `graph.relu|silu|neg|exp|tanh|sqrt|
//!   sin|cos`: `max(x, 0)`, `x / (1 + exp(-x))`, or the `arith`/`math` op.
//!
//! all on one element type, and only when MLIR can read every loop's bound off the operand
//! shapes (each loop indexes some operand dimension alone, and that dimension is exactly the
//! loop's size) and windowed accesses such as a convolution's `p + r` stay in bounds at the
//! first and last iteration, which is what MLIR's structured-op verifier checks. Others stay
//! `einsum.op`. The output operand is a `tensor.empty`
//! marked `dnnc.init`; the einsum's other attributes ride along as `einsum.<name>`
//! discardable attributes, so the importer rebuilds the same `einsum.op`.

use crate::export::Exporter;
use crate::{Error, order};
use dnnc_ir::{AffineExpr, Attribute, OpId, TypeData, TypeId};
use melior::ir::ValueLike;
use melior::ir::block::BlockLike;
use melior::ir::operation::OperationBuilder;
use melior::ir::{Block, Identifier, Location, Region, RegionLike, Type, Value};

/// Marks the `tensor.empty` that provides a converted einsum's output operand.
pub const INIT: &str = "dnnc.init";
/// Prefix of the einsum attributes carried on a `linalg.generic`.
pub const PREFIX: &str = "einsum.";

#[derive(Clone, Copy)]
enum Body {
    Mac,
    Copy,
    Binary(&'static str),
    Unary(&'static str),
    /// `max(x, 0)`.
    Relu,
    /// `x / (1 + exp(-x))`.
    Silu,
}

/// What an einsum computes per point, if it is one of the converted cases.
fn body_of(ex: &Exporter, op: OpId, elem: TypeId) -> Option<Body> {
    let cx = ex.cx;
    let float = matches!(cx.type_data(elem), TypeData::Float(_));
    let int = matches!(cx.type_data(elem), TypeData::Integer { .. });
    if !(float || int) || cx.attr(op, "indirect").is_some() {
        return None;
    }
    let n = cx.operands(op).len();
    let kind = cx.attr(op, "kind")?.as_str()?;
    let source = cx.attr(op, "source").and_then(Attribute::as_str).unwrap_or("");
    let pick = |f: &'static str, i: &'static str| Some(if float { f } else { i });
    let float_only = |f: &'static str| float.then_some(f);
    match (kind, n) {
        ("mac", 2) => Some(Body::Mac),
        ("data_movement", 1) => Some(Body::Copy),
        ("elementwise", 2) => Some(Body::Binary(match source {
            "graph.add" => pick("arith.addf", "arith.addi")?,
            "graph.sub" => pick("arith.subf", "arith.subi")?,
            "graph.mul" => pick("arith.mulf", "arith.muli")?,
            "graph.div" => float_only("arith.divf")?,
            "graph.max" => float_only("arith.maximumf")?,
            "graph.min" => float_only("arith.minimumf")?,
            "graph.and" if !float => "arith.andi",
            "graph.or" if !float => "arith.ori",
            _ => return None,
        })),
        ("elementwise", 1) if float => match source {
            "graph.relu" => Some(Body::Relu),
            "graph.silu" => Some(Body::Silu),
            "graph.neg" => Some(Body::Unary("arith.negf")),
            "graph.exp" => Some(Body::Unary("math.exp")),
            "graph.tanh" => Some(Body::Unary("math.tanh")),
            "graph.sqrt" => Some(Body::Unary("math.sqrt")),
            "graph.sin" => Some(Body::Unary("math.sin")),
            "graph.cos" => Some(Body::Unary("math.cos")),
            _ => None,
        },
        _ => None,
    }
}

/// Writes `op` as `tensor.empty` + `linalg.generic` into `into` when it is a convertible
/// einsum; `Ok(false)` leaves it to the generic exporter.
pub(crate) fn export<'c>(ex: &mut Exporter<'c, '_>, op: OpId, into: &Block<'c>) -> Result<bool, Error> {
    let cx = ex.cx;
    if !cx.is(op, dnnc_einsum::OP) || cx.num_results(op) != 1 {
        return Ok(false);
    }
    let Some(maps) = cx.attr(op, "maps").and_then(Attribute::as_array) else { return Ok(false) };
    let Some(maps) = maps.iter().map(Attribute::as_affine_map).collect::<Option<Vec<_>>>() else { return Ok(false) };
    let out_ty = cx.value_type(cx.result(op, 0));
    let tys: Vec<TypeId> = cx.operands(op).iter().map(|&v| cx.value_type(v)).chain([out_ty]).collect();
    let Some(elems) = tys.iter().map(|&t| cx.tensor_shape(t).map(|(s, e)| (s.len(), e))).collect::<Option<Vec<_>>>()
    else {
        return Ok(false);
    };
    let elem = elems[0].1;
    if elems.iter().any(|&(_, e)| e != elem) || maps.len() != tys.len() {
        return Ok(false);
    }
    let Some(body) = body_of(ex, op, elem) else { return Ok(false) };
    let loops = maps[0].num_dims;
    let bare = |m: &dnnc_ir::AffineMap, d: u32| m.results.contains(&AffineExpr::Dim(d));
    let mentions = |m: &dnnc_ir::AffineMap, d: u32| m.results.iter().any(|e| mentions_dim(e, d));
    let out_map = maps.last().expect("maps hold the output");
    let well_formed = maps
        .iter()
        .zip(&elems)
        .all(|(m, &(rank, _))| m.num_dims == loops && m.num_symbols == 0 && m.results.len() == rank);
    // MLIR infers each loop's bound from the first operand dimension it indexes alone, then
    // checks every operand dimension against the index range at the first and the last
    // iteration: a dimension indexed by a bare loop must be exactly the loop's size (an einsum
    // may read a sub-range of a larger tensor; that stays einsum.op), and a windowed one
    // (`p + r`) must stay within the dimension at both corners.
    let sizes: Vec<i64> = cx
        .attr(op, "sizes")
        .and_then(Attribute::as_array)
        .map(|a| a.iter().filter_map(Attribute::as_int).collect())
        .unwrap_or_default();
    let first = vec![0; loops as usize];
    let last: Vec<i64> = sizes.iter().map(|s| s - 1).collect();
    let in_bounds = sizes.len() == loops as usize
        && maps.iter().zip(&tys).all(|(m, &t)| {
            let shape = cx.tensor_shape(t).map(|(s, _)| s.to_vec()).unwrap_or_default();
            m.results.iter().zip(&shape).all(|(e, &n)| match e {
                AffineExpr::Dim(d) => sizes[*d as usize] == n,
                _ => match (e.eval(&first, &[]), e.eval(&last, &[])) {
                    (Some(a), Some(b)) => a.min(b) >= 0 && a.max(b) < n,
                    _ => false,
                },
            })
        });
    let recoverable = in_bounds && (0..loops).all(|d| maps.iter().any(|m| bare(m, d)));
    let reductions: Vec<bool> = (0..loops).map(|d| !mentions(out_map, d)).collect();
    if !well_formed || !recoverable || (!matches!(body, Body::Mac) && reductions.iter().any(|&r| r)) {
        return Ok(false);
    }

    let context = ex.context();
    let loc = Exporter::location(ex.context(), cx.loc(op));
    let out = ex.ty(out_ty, op)?;
    let unit = melior::ir::Attribute::unit(context);
    let init = OperationBuilder::new("tensor.empty", loc)
        .add_results(&[out])
        .add_attributes(&[(Identifier::new(context, INIT), unit)])
        .build()
        .map_err(|e| ex.op_error(op, &format!("MLIR could not build tensor.empty: {e}")))?;
    let init = into.append_operation(init);
    let init: Value = init.result(0).map_err(|e| Error::new(e.to_string()))?.into();

    let mut attrs = Vec::new();
    let iterators: Vec<&str> = reductions
        .iter()
        .map(|&r| if r { "#linalg.iterator_type<reduction>" } else { "#linalg.iterator_type<parallel>" })
        .collect();
    let n_in = cx.operands(op).len();
    for (key, text) in [
        ("indexing_maps", cx.show_attr(cx.attr(op, "maps").expect("checked above")).to_string()),
        ("iterator_types", format!("[{}]", iterators.join(", "))),
        ("operandSegmentSizes", format!("array<i32: {n_in}, 1>")),
    ] {
        attrs.push((Identifier::new(context, key), ex.parse_attr(&text, op)?));
    }
    for (key, value) in cx.attrs(op).iter().filter(|(k, _)| &***k != "maps") {
        attrs.push((Identifier::new(context, &format!("{PREFIX}{key}")), ex.attr(value, op)?));
    }
    if let Some(ord) = order::order_of_dict(cx.attrs(op)) {
        attrs.push((Identifier::new(context, order::ATTR_ORDER), ex.attr(&ord, op)?));
    }
    if let Some(exact) = ex.exact(op, &attrs)? {
        attrs.push((Identifier::new(context, crate::export::EXACT), exact));
    }

    let scalar = ex.ty(elem, op)?;
    let args: Vec<(Type, Location)> = (0..=n_in).map(|_| (scalar, loc)).collect();
    let block = Block::new(&args);
    let arg =
        |i: usize| -> Result<Value, Error> { Ok(block.argument(i).map_err(|e| Error::new(e.to_string()))?.into()) };
    let emit = |name: &str,
                operands: &[Value],
                attrs: &[(Identifier<'c>, melior::ir::Attribute<'c>)]|
     -> Result<Value<'c, '_>, Error> {
        let built = OperationBuilder::new(name, loc)
            .add_operands(operands)
            .add_attributes(attrs)
            .add_results(&[scalar])
            .build();
        let built = block.append_operation(built.map_err(|e| Error::new(e.to_string()))?);
        let raw = built.result(0).map_err(|e| Error::new(e.to_string()))?.to_raw();
        // SAFETY: the result of an op just appended to `block`.
        Ok(unsafe { Value::from_raw(raw) })
    };
    let elem_text = cx.show_type(elem).to_string();
    let constant = |v: &str| -> Result<Value<'c, '_>, Error> {
        let value = ex.parse_attr(&format!("{v} : {elem_text}"), op)?;
        emit("arith.constant", &[], &[(Identifier::new(context, "value"), value)])
    };
    let yielded = match body {
        Body::Copy => arg(0)?,
        Body::Binary(name) => emit(name, &[arg(0)?, arg(1)?], &[])?,
        Body::Unary(name) => emit(name, &[arg(0)?], &[])?,
        Body::Relu => {
            let zero = constant("0.0")?;
            emit("arith.maximumf", &[arg(0)?, zero], &[])?
        }
        Body::Silu => {
            let x = arg(0)?;
            let neg = emit("arith.negf", &[x], &[])?;
            let exp = emit("math.exp", &[neg], &[])?;
            let one = constant("1.0")?;
            let den = emit("arith.addf", &[one, exp], &[])?;
            emit("arith.divf", &[x, den], &[])?
        }
        Body::Mac => {
            let float = matches!(cx.type_data(elem), TypeData::Float(_));
            let (mul, add) = if float { ("arith.mulf", "arith.addf") } else { ("arith.muli", "arith.addi") };
            let product = emit(mul, &[arg(0)?, arg(1)?], &[])?;
            emit(add, &[arg(n_in)?, product], &[])?
        }
    };
    let yield_op = OperationBuilder::new("linalg.yield", loc)
        .add_operands(&[yielded])
        .build()
        .map_err(|e| Error::new(e.to_string()))?;
    block.append_operation(yield_op);
    let region = Region::new();
    region.append_block(block);

    let mut operands = ex.operands(op)?;
    operands.push(init);
    let generic = OperationBuilder::new("linalg.generic", loc)
        .add_operands(&operands)
        .add_results(&[out])
        .add_attributes(&attrs)
        .add_regions([region])
        .build()
        .map_err(|e| ex.op_error(op, &format!("MLIR could not build linalg.generic: {e}")))?;
    let generic = into.append_operation(generic);
    let result = generic.result(0).map_err(|e| Error::new(e.to_string()))?.to_raw();
    ex.map_result(cx.result(op, 0), result);
    Ok(true)
}

fn mentions_dim(e: &AffineExpr, d: u32) -> bool {
    match e {
        AffineExpr::Dim(x) => *x == d,
        AffineExpr::Symbol(_) | AffineExpr::Const(_) => false,
        AffineExpr::Add(a, b)
        | AffineExpr::Mul(a, b)
        | AffineExpr::FloorDiv(a, b)
        | AffineExpr::CeilDiv(a, b)
        | AffineExpr::Mod(a, b) => mentions_dim(a, d) || mentions_dim(b, d),
    }
}
