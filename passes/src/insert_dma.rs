//! `insert-dma`: DMA engines wherever data crosses between the chip and external memory (HBM).
//!
//! - A kernel operand that is a tensor in external memory but that the kernel reads as a
//!   stream (its `reads` entry is an itensor) gets a `dataflow.dma_load` producing exactly that
//!   stream — a DMA engine can walk memory in any order, so no converter is ever needed after
//!   one. Its `reason`: `weight` (a `graph.weight` or `graph.constant`), `input` (a function argument) or `spill`
//!   (a tensor an earlier kernel stored).
//! - Operands read as whole tensors (gathers, windows, reshaped accesses; `reads` entry `unit`)
//!   stay tensors: the kernel's own memory port reads them.
//! - Every `dataflow.dma_store` gets its `reason`: `output` when the function returns the
//!   tensor, `spill` otherwise.
//! - Spills when the design does not fit: while the converters' buffers exceed the board's
//!   on-chip memory (BRAM + URAM, times `onchip-fraction`), the largest converter is replaced
//!   by a store to and a load from HBM (the load produces the consumer's layout directly).

use dnnc_dataflow::{CONVERTER, DMA_LOAD, DMA_STORE, ITensor, KERNEL};
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_ir::{
    Attribute, Changed, Context, Diagnostics, OpId, OperationState, Pass, PassContext, PassInfo, TypeId, ValueDef,
    ValueId,
};

pub static INFO: PassInfo = PassInfo {
    argument: "insert-dma",
    summary: "Stream model inputs, weights and spilled tensors in and out of HBM with DMA engines",
    description: "A kernel operand in external memory that the kernel reads as a stream gets a \
        dataflow.dma_load producing exactly that stream (reason weight, input or spill); stores are \
        labelled output or spill. While the converters' buffers exceed the board's on-chip memory \
        (times onchip-fraction), the largest converter becomes a spill through HBM.",
    anchor: None,
    options: &[
        crate::dataflow_pipeline::BOARD,
        PassOptionDef {
            name: "onchip-fraction",
            kind: OptionKind::Float,
            default: "0.5",
            help: "share of BRAM+URAM the converters may take (the rest: FIFOs, kernels' tiles)",
        },
    ],
    statistics: &[
        ("loads", "dma_load ops inserted"),
        ("whole-tensor-reads", "operands kernels read whole from external memory"),
        ("spills", "converters replaced by a store and load through HBM"),
    ],
    create,
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    let board = crate::dataflow_pipeline::board(opts)?;
    let fraction = opts.float("onchip-fraction");
    if !(0.0..=1.0).contains(&fraction) {
        return Err(format!("onchip-fraction must be within [0, 1], but is {fraction}"));
    }
    Ok(Box::new(InsertDma { budget: (board.onchip_data_bytes() as f64 * fraction) as i64 }))
}

struct InsertDma {
    budget: i64,
}

/// Why a tensor is in external memory, for a load's `reason`.
fn load_reason(cx: &Context, v: ValueId) -> &'static str {
    match cx.value_def(v) {
        ValueDef::BlockArg { .. } => "input",
        ValueDef::OpResult { op, .. } if cx.is(op, "graph.weight") || cx.is(op, "graph.constant") => "weight",
        _ => "spill",
    }
}

/// Inserts `dataflow.dma_load` of `tensor` as stream `ty` before `before`.
pub fn dma_load(cx: &mut Context, tensor: ValueId, ty: TypeId, reason: &str, before: OpId) -> ValueId {
    let name = cx.op_name(DMA_LOAD);
    let loc = cx.loc(before).clone();
    let op = cx.create_op(
        OperationState::new(name).operands([tensor]).results([ty]).attr("reason", Attribute::string(reason)).loc(loc),
    );
    cx.insert_op_before(before, op);
    cx.result(op, 0)
}

/// Inserts `dataflow.dma_store` of `stream` before `before`; returns the tensor.
pub fn dma_store(cx: &mut Context, stream: ValueId, reason: &str, before: OpId) -> ValueId {
    let ty = ITensor::of(cx, cx.value_type(stream)).expect("a stream").tensor_type(cx);
    let name = cx.op_name(DMA_STORE);
    let loc = cx.loc(before).clone();
    let op = cx.create_op(
        OperationState::new(name).operands([stream]).results([ty]).attr("reason", Attribute::string(reason)).loc(loc),
    );
    cx.insert_op_before(before, op);
    cx.result(op, 0)
}

/// Replaces a converter by a spill: its input stored to HBM, then loaded in its output layout.
pub fn spill_converter(cx: &mut Context, conv: OpId) {
    let input = cx.operand(conv, 0);
    let out_ty = cx.value_type(cx.result(conv, 0));
    let tensor = dma_store(cx, input, "spill", conv);
    let loaded = dma_load(cx, tensor, out_ty, "spill", conv);
    cx.replace_all_uses(cx.result(conv, 0), loaded);
    cx.erase_op(conv);
}

impl Pass for InsertDma {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut changed = false;
        let kernels: Vec<OpId> = cx.nested_ops(root).into_iter().filter(|&o| cx.is(o, KERNEL)).collect();
        for k in kernels {
            let reads: Vec<Attribute> =
                cx.attr(k, "reads").and_then(Attribute::as_array).map(<[Attribute]>::to_vec).unwrap_or_default();
            for (i, r) in reads.iter().enumerate() {
                let v = cx.operand(k, i);
                if !cx.type_data(cx.value_type(v)).is_tensor() {
                    continue;
                }
                match r {
                    Attribute::Type(want) => {
                        let reason = load_reason(cx, v);
                        let s = dma_load(cx, v, *want, reason, k);
                        cx.set_operand(k, i, s);
                        pcx.add_stat("loads", 1);
                        changed = true;
                    }
                    _ => pcx.add_stat("whole-tensor-reads", 1),
                }
            }
        }
        // Spill the largest converters while they do not fit.
        let mut convs: Vec<(i64, OpId)> = cx
            .nested_ops(root)
            .into_iter()
            .filter(|&o| cx.is(o, CONVERTER))
            .map(|o| (cx.attr(o, "bytes").and_then(Attribute::as_int).unwrap_or(0), o))
            .collect();
        let mut total: i64 = convs.iter().map(|c| c.0).sum();
        convs.sort_by_key(|c| std::cmp::Reverse(c.0));
        for (bytes, conv) in convs {
            if total <= self.budget {
                break;
            }
            spill_converter(cx, conv);
            total -= bytes;
            pcx.add_stat("spills", 1);
            changed = true;
        }
        // Label the stores.
        let stores: Vec<OpId> = cx.nested_ops(root).into_iter().filter(|&o| cx.is(o, DMA_STORE)).collect();
        for s in stores {
            let returned = cx.uses(cx.result(s, 0)).iter().any(|u| cx.is(u.op, "func.return"));
            let reason = if returned { "output" } else { "spill" };
            if cx.attr(s, "reason").and_then(Attribute::as_str) != Some(reason) {
                cx.set_attr(s, "reason", Attribute::string(reason));
                changed = true;
            }
        }
        Ok(changed.into())
    }
}
