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
//!   tensor, `spill` otherwise. A returned tensor no kernel writes (an argument returned as it
//!   is, a weight, a constant), or returned twice, is copied by a load and a store, so every
//!   output has a store.
//! - Spills (a converter replaced by a store to and a load from HBM; the load produces the
//!   consumer's layout directly): every converter that needs its whole input before its first
//!   output (a barrier: the stream crosses phases through HBM anyway), then, per phase of the
//!   stream model (`dnnc_stream::phases`: stages that run together), the largest converters
//!   while the phase's exceed the board's on-chip memory (BRAM + URAM, times
//!   `onchip-fraction`). Phases never run at the same time, so converters of different phases
//!   do not compete for memory ([`spill_per_phase`]).

use dnnc_dataflow::design::{dataflow_blocks, design_of};
use dnnc_dataflow::{CONVERTER, DMA_LOAD, DMA_STORE, ITensor, KERNEL};
use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_ir::{
    Attribute, BlockId, Changed, Context, Diagnostic, Diagnostics, OpId, OperationState, Pass, PassContext, PassInfo,
    TypeId, ValueDef, ValueId,
};

pub static INFO: PassInfo = PassInfo {
    argument: "insert-dma",
    summary: "Stream model inputs, weights and spilled tensors in and out of HBM with DMA engines",
    description: "A kernel operand in external memory that the kernel reads as a stream gets a \
        dataflow.dma_load producing exactly that stream (reason weight, input or spill); stores are \
        labelled output or spill; a returned tensor no kernel writes, or returned twice, is copied \
        by a load and a store. A converter that needs its whole input before its first output \
        (a barrier) becomes a spill through HBM; then, per phase (stages that run together), the \
        largest converters while the phase's exceed the board's on-chip memory (times onchip-fraction).",
    anchor: None,
    options: &[
        crate::dataflow_pipeline::BOARD,
        PassOptionDef {
            name: "onchip-fraction",
            kind: OptionKind::Float,
            default: "0.5",
            help: "share of BRAM+URAM the converters of one phase may take (the rest: FIFOs, kernels' tiles)",
        },
    ],
    statistics: &[
        ("loads", "dma_load ops inserted"),
        ("whole-tensor-reads", "operands kernels read whole from external memory"),
        ("spills", "converters replaced by a store and load through HBM"),
        (
            "copied-outputs",
            "returned tensors no kernel writes (arguments, weights) or returned twice, copied by a load and a store",
        ),
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

/// Per phase, its converters: (bytes, op), largest first.
type PhaseConverters = Vec<Vec<(i64, OpId)>>;

/// What the stream model of `block` says about its converters: per phase
/// ([`dnnc_stream::phases`]) its converters (bytes, op), largest first, and the converters
/// whose input is a barrier ([`dnnc_stream::is_barrier`]: the first output needs the whole
/// input).
fn converters_by_phase(cx: &Context, block: BlockId) -> Result<(PhaseConverters, Vec<OpId>), Diagnostics> {
    let map = design_of(cx, block, "design").map_err(|e| {
        let msg = format!("cannot model the dataflow design: {e}");
        vec![match cx.block_parent_op(block) {
            Some(op) => Diagnostic::at_op(cx, op, msg),
            None => Diagnostic::error(msg),
        }]
    })?;
    let d = &map.design;
    let phase = dnnc_stream::phases(d).map_err(|e| vec![Diagnostic::error(e.to_string())])?;
    let (ins, _) = d.ports();
    let mut by_phase: PhaseConverters = Vec::new();
    let mut barriers = Vec::new();
    for (k, &(op, synthetic)) in map.kernel_ops.iter().enumerate() {
        if synthetic.is_some() || !cx.is(op, CONVERTER) {
            continue;
        }
        if ins[k].iter().any(|&c| dnnc_stream::is_barrier(d, c)) {
            barriers.push(op);
            continue;
        }
        if by_phase.len() <= phase[k] {
            by_phase.resize(phase[k] + 1, Vec::new());
        }
        by_phase[phase[k]].push((cx.attr(op, "bytes").and_then(Attribute::as_int).unwrap_or(0), op));
    }
    for convs in &mut by_phase {
        convs.sort_by_key(|&(bytes, op)| (std::cmp::Reverse(bytes), op));
    }
    Ok((by_phase, barriers))
}

/// Spills converters of `block`; returns how many.
///
/// - A converter whose first output needs its whole input is a barrier: its producer and
///   consumer never run together, so `partition-dataflow` puts them in different phases and
///   the stream goes through HBM anyway. A DMA load can walk memory in the consumer's order,
///   so the converter only adds its fill (the whole tensor) and its buffer: it is spilled.
/// - Then, phase by phase, the largest converters while a phase's exceed `budget` bytes.
///   Stages of different phases never run at the same time (a phase waits for the previous
///   one's writes to HBM) and `partition-dataflow` gives each phase its own regions, so
///   converters compete for on-chip memory only with those of their own phase: a budget
///   against the whole function would spill converters of later phases (a softmax's row
///   panels in every layer of a transformer) that fit beside everything they run with.
///
/// A spill is itself a barrier, so the phases are recomputed after each round (they only split).
fn spill_per_phase(cx: &mut Context, block: BlockId, budget: i64) -> Result<u64, Diagnostics> {
    let mut spilled = 0;
    loop {
        let (by_phase, barriers) = converters_by_phase(cx, block)?;
        let mut round = barriers.len() as u64;
        for conv in barriers {
            spill_converter(cx, conv);
        }
        for convs in by_phase {
            let mut total: i64 = convs.iter().map(|c| c.0).sum();
            for (bytes, conv) in convs {
                if total <= budget {
                    break;
                }
                spill_converter(cx, conv);
                total -= bytes;
                round += 1;
            }
        }
        if round == 0 {
            return Ok(spilled);
        }
        spilled += round;
    }
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
        // Spill, phase by phase, the largest converters while a phase's do not fit.
        for block in dataflow_blocks(cx, root) {
            let spilled = spill_per_phase(cx, block, self.budget)?;
            if spilled > 0 {
                pcx.add_stat("spills", spilled);
                changed = true;
            }
        }
        // A returned tensor no kernel writes (an argument returned as it is, a weight, a
        // constant) or one returned a second time is copied by a DMA load and store, so the
        // design writes every output buffer (not a scalar's: the top function then refuses it).
        let returns: Vec<OpId> = cx.nested_ops(root).into_iter().filter(|&o| cx.is(o, "func.return")).collect();
        for r in returns {
            let mut returned = std::collections::HashSet::new();
            for i in 0..cx.operands(r).len() {
                let v = cx.operand(r, i);
                // Kernels write their results themselves (through a store, or whole), once.
                let reason = load_reason(cx, v);
                let Some((shape, elem)) = cx.tensor_shape(cx.value_type(v)).map(|(s, e)| (s.to_vec(), e)) else {
                    continue;
                };
                let again = !returned.insert(v);
                if (reason == "spill" && !again) || shape.is_empty() {
                    continue;
                }
                let bits = cx.type_data(elem).scalar_bits().unwrap_or(8);
                let order: Vec<usize> = (0..shape.len()).collect();
                let whole = ITensor::regular(&shape, elem, bits, &shape, &order).to_type(cx);
                let stream = dma_load(cx, v, whole, reason, r);
                let copy = dma_store(cx, stream, "output", r);
                cx.set_operand(r, i, copy);
                pcx.add_stat("copied-outputs", 1);
                changed = true;
            }
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
