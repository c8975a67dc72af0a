//! `allocate-resources`: the parallelism of every kernel under the board's budgets. Per block
//! of dataflow stages (a function body, or each `dataflow.region`), the design's stream model
//! ([`dnnc_dataflow::design::design_of`]) goes to `dnnc_stream::allocate_resources`, which
//! finds the shortest period (slowest stage's busy cycles) whose minimal lanes fit the DSP,
//! BRAM, URAM, LUT and HBM-bandwidth budgets — balancing the stages — and the answer is
//! written back: each kernel's `parallelism`, the `ii` and `latency` it implies and its
//! `resources`; each DMA engine's `bytes_per_cycle`. A block that does not fit even at one
//! lane per kernel is an error asking for `partition-dataflow` first.

use dnnc_dataflow::design::{DesignMap, dataflow_blocks, design_of};
use dnnc_dataflow::{DMA_LOAD, DMA_STORE, KERNEL, estimate};
use dnnc_ir::pass::PassOptions;
use dnnc_ir::{Attribute, Changed, Context, Diagnostic, Diagnostics, OpId, Pass, PassContext, PassInfo};
use dnnc_stream::Budgets;

use crate::dataflow_pipeline::{BOARD, FRACTION, budgets};

pub static INFO: PassInfo = PassInfo {
    argument: "allocate-resources",
    summary: "Choose each dataflow kernel's parallelism under the board's DSP, memory and HBM budgets",
    description: "Per function body or dataflow.region: the stream model's balanced allocation \
        (shortest slowest-stage period whose minimal lanes fit the budgets), written back as each \
        kernel's parallelism, ii, latency and resources, and each DMA's bytes_per_cycle.",
    anchor: None,
    options: &[BOARD, FRACTION],
    statistics: &[
        ("blocks", "designs allocated (function bodies or regions)"),
        ("period-cycles", "largest period over the designs (slowest stage's busy cycles)"),
        ("dsp", "DSP slices used, summed over designs"),
    ],
    create,
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(AllocateResources { budgets: budgets(opts)? }))
}

struct AllocateResources {
    budgets: Budgets,
}

/// Writes a design's parallelism back into the IR.
pub fn write_back(cx: &mut Context, map: &DesignMap) {
    for (k, &(op, synthetic)) in map.kernel_ops.iter().enumerate() {
        if synthetic.is_some() {
            continue;
        }
        let kern = &map.design.kernels[k];
        if cx.is(op, KERNEL) {
            let p = kern.parallelism;
            let (ii, latency) = estimate::timing(cx, op, p);
            cx.set_attr(op, "ii", Attribute::i64(ii as i64));
            cx.set_attr(op, "latency", Attribute::i64(latency as i64));
            cx.set_attr(op, "parallelism", Attribute::i64(p as i64));
            let r = kern.resources();
            let res = [("dsp", r.dsp), ("bram", r.bram36), ("uram", r.uram), ("lut", r.lut)];
            cx.set_attr(op, "resources", Attribute::dict(res.map(|(k, v)| (k.into(), Attribute::i64(v as i64)))));
        } else if cx.is(op, DMA_LOAD) || cx.is(op, DMA_STORE) {
            cx.set_attr(op, "bytes_per_cycle", Attribute::i64(kern.parallelism as i64));
        }
    }
}

/// A name for the design of a block: its function's or region's.
pub fn block_name(cx: &Context, block: dnnc_ir::BlockId) -> String {
    let Some(op) = cx.block_parent_op(block) else { return "design".into() };
    if let Some(p) = cx.attr(op, "partition").and_then(Attribute::as_int) {
        let f = cx.parent_op(op).and_then(|f| cx.attr(f, "sym_name")).and_then(Attribute::as_str).unwrap_or("design");
        return format!("{f}.region{p}");
    }
    cx.attr(op, "sym_name").and_then(Attribute::as_str).unwrap_or("design").to_string()
}

fn anchor_of(cx: &Context, block: dnnc_ir::BlockId) -> Option<OpId> {
    cx.block_parent_op(block)
}

impl Pass for AllocateResources {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut errors = Vec::new();
        let mut changed = false;
        for block in dataflow_blocks(cx, root) {
            let name = block_name(cx, block);
            let at = |cx: &Context, msg: String| match anchor_of(cx, block) {
                Some(op) => Diagnostic::at_op(cx, op, msg),
                None => Diagnostic::error(msg),
            };
            let mut map = match design_of(cx, block, &name) {
                Ok(m) => m,
                Err(e) => {
                    errors.push(at(cx, format!("cannot model the dataflow design: {e}")));
                    continue;
                }
            };
            match dnnc_stream::allocate_resources(&mut map.design, &self.budgets) {
                Ok(a) => {
                    write_back(cx, &map);
                    changed = true;
                    pcx.add_stat("blocks", 1);
                    pcx.add_stat("dsp", a.resources.dsp);
                    let prev = pcx.statistics().get("period-cycles").copied().unwrap_or(0);
                    if a.period > prev {
                        pcx.add_stat("period-cycles", a.period - prev);
                    }
                }
                Err(e) => errors.push(at(cx, e.to_string())),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(changed.into())
    }
}
