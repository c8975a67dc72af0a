//! `size-fifos`: a `dataflow.fifo` of the right depth on every stream between two stages. Per
//! block of dataflow stages (a function body, or each `dataflow.region`), the design's stream
//! model goes to `dnnc_stream::size_fifos`, a linear program (solved with `good_lp`'s microlp)
//! over the stages' start times and the FIFO depths: every consumer finds its tokens when the
//! paced schedule fires it, every FIFO holds the tokens in flight between producer and consumer
//! — so reconvergent paths (residual adds, attention's two branches) buffer the latency
//! difference and never deadlock or stall — the design keeps its analytic latency, and the
//! total FIFO bytes (depth × token width) are minimal. Depths are written to existing FIFOs;
//! a stream without one gets one (width = its tile's bits).

use dnnc_dataflow::design::{dataflow_blocks, design_of};
use dnnc_dataflow::{FIFO, ITensor};
use dnnc_ir::pass::PassOptions;
use dnnc_ir::{
    Attribute, Changed, Context, Diagnostic, Diagnostics, OpId, OperationState, Pass, PassContext, PassInfo,
};

use crate::allocate_resources::block_name;

pub static INFO: PassInfo = PassInfo {
    argument: "size-fifos",
    summary: "Give every dataflow stream a FIFO whose depth a linear program sizes",
    description: "Per function body or dataflow.region: the stream model's FIFO LP (no deadlock, \
        no stall on reconvergent paths, the analytic latency kept, minimum FIFO bytes); depths are \
        written to existing dataflow.fifo ops and a FIFO is inserted on every stream without one.",
    anchor: None,
    options: &[],
    statistics: &[
        ("fifos", "FIFOs sized"),
        ("fifos-inserted", "FIFOs inserted"),
        ("fifo-bytes", "on-chip bytes of the FIFOs"),
        ("latency-cycles", "analytic latency of the slowest design, cycles"),
    ],
    create,
};

fn create(_: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(SizeFifos))
}

struct SizeFifos;

/// Inserts a FIFO on operand `index` of `consumer`; returns it.
pub fn insert_fifo(cx: &mut Context, consumer: OpId, index: usize, depth: u64) -> OpId {
    let v = cx.operand(consumer, index);
    let ty = cx.value_type(v);
    let width = ITensor::of(cx, ty).map_or(1, |t| t.tile_bits());
    let name = cx.op_name(FIFO);
    let loc = cx.loc(consumer).clone();
    let f = cx.create_op(
        OperationState::new(name)
            .operands([v])
            .results([ty])
            .attr("depth", Attribute::i64(depth as i64))
            .attr("width", Attribute::i64(width))
            .loc(loc),
    );
    cx.insert_op_before(consumer, f);
    let out = cx.result(f, 0);
    cx.set_operand(consumer, index, out);
    f
}

impl Pass for SizeFifos {
    fn run(&mut self, cx: &mut Context, root: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut errors = Vec::new();
        let mut changed = false;
        let mut worst = 0u64;
        for block in dataflow_blocks(cx, root) {
            let name = block_name(cx, block);
            let fail = |cx: &Context, msg: String| match cx.block_parent_op(block) {
                Some(op) => Diagnostic::at_op(cx, op, msg),
                None => Diagnostic::error(msg),
            };
            let map = match design_of(cx, block, &name) {
                Ok(m) => m,
                Err(e) => {
                    errors.push(fail(cx, format!("cannot model the dataflow design: {e}")));
                    continue;
                }
            };
            let sizing = match dnnc_stream::size_fifos(&map.design) {
                Ok(s) => s,
                Err(e) => {
                    errors.push(fail(cx, e.to_string()));
                    continue;
                }
            };
            worst = worst.max(sizing.latency_cycles.ceil() as u64);
            pcx.add_stat("fifo-bytes", sizing.bytes);
            for (c, edge) in map.edges.iter().enumerate() {
                let Some(edge) = edge else { continue };
                let depth = sizing.depths[c];
                match edge.fifo {
                    Some(f) => cx.set_attr(f, "depth", Attribute::i64(depth as i64)),
                    None => {
                        insert_fifo(cx, edge.consumer, edge.index, depth);
                        pcx.add_stat("fifos-inserted", 1);
                    }
                }
                pcx.add_stat("fifos", 1);
                changed = true;
            }
        }
        pcx.add_stat("latency-cycles", worst);
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(changed.into())
    }
}
