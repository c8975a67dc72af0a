//! Building the model's [`Layer`] from an `einsum.op` of kind `mac`.
//!
//! Each operand map result is classified: a lone loop index makes that dimension relevant; a
//! two-index sum whose terms overlap (`s·p + d·r − pad`, a convolution input row) becomes a
//! sliding [`Window`], its outer index the one the output also uses; a sum whose terms tile
//! without overlap (`64·h + c` after a folded reshape) and any other expression make every
//! index it uses relevant — exact for the bijective layout maps lowering produces.

use dnnc_arch::{Operand, Precision};
use dnnc_einsum::Einsum;
use dnnc_ir::{AffineExpr, Context, OpId};

use crate::problem::{Access, DimSet, Layer, MAX_DIMS, Window};

/// Why an einsum cannot be costed as a MAC layer.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EinsumError {
    #[error("not a well-formed einsum.op")]
    Malformed,
    #[error("einsum kind '{0}' runs on the vector unit, not the PE array")]
    NotMac(String),
    #[error("a MAC einsum needs two inputs, found {0}")]
    Inputs(usize),
    #[error("{0} loop dimensions (at most {MAX_DIMS})")]
    TooManyDims(usize),
}

/// `Σ coefficient·index + constant`, or `None` when the expression is not linear.
fn linear(e: &AffineExpr, terms: &mut Vec<(u32, i64)>, scale: i64) -> Option<()> {
    match e {
        AffineExpr::Dim(d) => {
            terms.push((*d, scale));
            Some(())
        }
        AffineExpr::Const(_) | AffineExpr::Symbol(_) => Some(()),
        AffineExpr::Add(a, b) => {
            linear(a, terms, scale)?;
            linear(b, terms, scale)
        }
        AffineExpr::Mul(a, b) => match (a.as_ref(), b.as_ref()) {
            (x, AffineExpr::Const(c)) | (AffineExpr::Const(c), x) => linear(x, terms, scale * c),
            _ => None,
        },
        _ => None,
    }
}

fn dims_used(e: &AffineExpr, set: &mut DimSet) {
    match e {
        AffineExpr::Dim(d) => *set |= 1 << d,
        AffineExpr::Const(_) | AffineExpr::Symbol(_) => {}
        AffineExpr::Add(a, b)
        | AffineExpr::Mul(a, b)
        | AffineExpr::FloorDiv(a, b)
        | AffineExpr::CeilDiv(a, b)
        | AffineExpr::Mod(a, b) => {
            dims_used(a, set);
            dims_used(b, set);
        }
    }
}

/// The access of one operand whose map results are `results` and whose shape is `shape`;
/// `output_dims` are the dimensions the result uses (they are a window's outer index).
fn access(results: &[AffineExpr], shape: &[i64], sizes: &[u64], output_dims: DimSet) -> Access {
    let mut a = Access::default();
    for (pos, e) in results.iter().enumerate() {
        let mut terms = Vec::new();
        if linear(e, &mut terms, 1).is_some() {
            terms.retain(|&(d, c)| c != 0 && sizes[d as usize] > 1);
            if let [(d0, c0), (d1, c1)] = terms[..]
                && c0 > 0
                && c1 > 0
            {
                let ((outer, so), (inner, si)) = if output_dims & (1 << d1) != 0 && output_dims & (1 << d0) == 0 {
                    ((d1, c1), (d0, c0))
                } else {
                    ((d0, c0), (d1, c1))
                };
                let (no, ni) = (sizes[outer as usize] as i64, sizes[inner as usize] as i64);
                // Terms tile without overlap when one stride covers the other's whole range.
                let disjoint = so >= si * ni || si >= so * no;
                if !disjoint {
                    a.windows.push(Window {
                        outer: outer as usize,
                        outer_stride: so as u64,
                        inner: inner as usize,
                        inner_stride: si as u64,
                        extent: shape.get(pos).copied().unwrap_or(1).max(1) as u64,
                    });
                    continue;
                }
            }
            for (d, _) in terms {
                a.relevant |= 1 << d;
            }
        } else {
            dims_used(e, &mut a.relevant);
        }
    }
    // A dimension indexing the operand directly elsewhere is relevant, not windowed.
    a.windows.retain(|w| a.relevant & ((1 << w.outer) | (1 << w.inner)) == 0);
    a
}

/// The layer a MAC einsum computes, at the accelerator's `precision`.
pub fn layer_of(cx: &Context, op: OpId, name: &str, precision: Precision) -> Result<Layer, EinsumError> {
    let e = Einsum::of(cx, op).ok_or(EinsumError::Malformed)?;
    if e.kind != "mac" {
        return Err(EinsumError::NotMac(e.kind.to_string()));
    }
    let inputs = cx.operands(op);
    if inputs.len() != 2 || e.maps.len() != 3 {
        return Err(EinsumError::Inputs(inputs.len()));
    }
    if e.dims.len() > MAX_DIMS {
        return Err(EinsumError::TooManyDims(e.dims.len()));
    }
    let sizes: Vec<u64> = e.sizes.iter().map(|&s| s.max(1) as u64).collect();
    let shape_of = |v| cx.tensor_shape(cx.value_type(v)).map(|(s, _)| s.to_vec()).unwrap_or_default();
    let mut out_dims = 0;
    for r in &e.maps[2].results {
        dims_used(r, &mut out_dims);
    }
    let result = cx.results(op).next().ok_or(EinsumError::Malformed)?;
    let acc = [
        access(&e.maps[0].results, &shape_of(inputs[0]), &sizes, out_dims),
        access(&e.maps[1].results, &shape_of(inputs[1]), &sizes, out_dims),
        access(&e.maps[2].results, &shape_of(result), &sizes, out_dims),
    ];
    // ZigZag lists a convolution's operands as O, W, I; the order breaks ties in its
    // double-buffering decisions, so keep it for layers with windows.
    let order = if acc[0].windows.is_empty() && acc[1].windows.is_empty() {
        [Operand::O, Operand::I, Operand::W]
    } else {
        [Operand::O, Operand::W, Operand::I]
    };
    let dims: Vec<(&str, u64)> = e.dims.iter().copied().zip(sizes.iter().copied()).collect();
    Ok(Layer::new(name, &dims, acc, order, precision))
}
