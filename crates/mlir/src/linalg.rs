//! Einsums as `linalg.generic` (export option [`crate::ExportOptions::linalg`]).
//!
//! An einsum is a loop nest with one affine access map per operand, which is exactly what
//! `linalg.generic` states: `indexing_maps` are the einsum's maps, `iterator_types` say which
//! loops reduce (dimensions absent from the output map), and the body says what one point of
//! the iteration space computes. Only einsums whose body dnnc knows exactly are converted:
//! - `mac` with two inputs: `out + a * b` (`arith.mulf`/`addf`, `muli`/`addi`);
//! - `data_movement` with one input and no gather: a copy (`linalg.yield %in`);
//! - `elementwise` from `graph.add|sub|mul|div` with two inputs: that arithmetic op.
//!
//! all on one element type, and only when every map result is a loop dimension or a constant
//! (so MLIR reads the loop bounds straight off the operand shapes). Others, including windowed
//! accesses such as a convolution's `p + r`, stay `einsum.op`. The output operand is a `tensor.empty`
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
    match (kind, n) {
        ("mac", 2) => Some(Body::Mac),
        ("data_movement", 1) => Some(Body::Copy),
        ("elementwise", 2) => Some(Body::Binary(match source {
            "graph.add" => pick("arith.addf", "arith.addi")?,
            "graph.sub" => pick("arith.subf", "arith.subi")?,
            "graph.mul" => pick("arith.mulf", "arith.muli")?,
            "graph.div" if float => "arith.divf",
            _ => return None,
        })),
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
    // Loop bounds must come straight from operand shapes: every result a loop dimension or a
    // constant (broadcast), every loop dimension somewhere. (Windowed accesses such as a
    // convolution's `p + r` are valid linalg, but MLIR 22's shape inference rejected some of
    // dnnc's; they stay `einsum.op`.)
    let simple = maps.iter().all(|m| m.results.iter().all(|e| matches!(e, AffineExpr::Dim(_) | AffineExpr::Const(_))));
    let recoverable = simple && (0..loops).all(|d| maps.iter().any(|m| bare(m, d)));
    // linalg reads a loop's bound off every operand dimension it indexes: each must be the
    // loop's full size (an einsum may read a sub-range of a larger tensor).
    let sizes: Vec<i64> = cx
        .attr(op, "sizes")
        .and_then(Attribute::as_array)
        .map(|a| a.iter().filter_map(Attribute::as_int).collect())
        .unwrap_or_default();
    let exact = sizes.len() == loops as usize
        && maps.iter().zip(&tys).all(|(m, &t)| {
            let shape = cx.tensor_shape(t).map(|(s, _)| s.to_vec()).unwrap_or_default();
            m.results.iter().zip(&shape).all(|(e, &n)| match e {
                AffineExpr::Dim(d) => sizes[*d as usize] == n,
                _ => true,
            })
        });
    let recoverable = recoverable && exact;
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
    let binary = |name: &str, a: Value, b: Value| -> Result<Value<'c, '_>, Error> {
        let built = OperationBuilder::new(name, loc).add_operands(&[a, b]).add_results(&[scalar]).build();
        let built = block.append_operation(built.map_err(|e| Error::new(e.to_string()))?);
        let raw = built.result(0).map_err(|e| Error::new(e.to_string()))?.to_raw();
        // SAFETY: the result of an op just appended to `block`.
        Ok(unsafe { Value::from_raw(raw) })
    };
    let yielded = match body {
        Body::Copy => arg(0)?,
        Body::Binary(name) => binary(name, arg(0)?, arg(1)?)?,
        Body::Mac => {
            let float = matches!(cx.type_data(elem), TypeData::Float(_));
            let (mul, add) = if float { ("arith.mulf", "arith.addf") } else { ("arith.muli", "arith.addi") };
            let product = binary(mul, arg(0)?, arg(1)?)?;
            binary(add, arg(n_in)?, product)?
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
