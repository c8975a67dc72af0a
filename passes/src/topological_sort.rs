//! `topological-sort`: reorders the ops of every block nested in the op so that each value is
//! defined before its uses, keeping program order wherever dependences allow. Graph regions
//! (such as a module body) may list ops in any order; later passes that walk a network in
//! dataflow order run this first. A dependence cycle is an error naming an op on it.

use dnnc_ir::graph::sort_topologically;
use dnnc_ir::pass::PassOptions;
use dnnc_ir::{Changed, Context, Diagnostic, Diagnostics, OpId, Pass, PassContext, PassInfo};

pub static INFO: PassInfo = PassInfo {
    argument: "topological-sort",
    summary: "Order the ops of every block so definitions precede uses",
    description: "Stable: independent ops keep their relative order. Fails on a dependence \
        cycle, naming an op on it.",
    anchor: None,
    options: &[],
    statistics: &[("blocks-reordered", "blocks whose op order changed")],
    create,
};

fn create(_: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(TopologicalSort))
}

struct TopologicalSort;

impl Pass for TopologicalSort {
    fn run(&mut self, cx: &mut Context, op: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut blocks = Vec::new();
        cx.walk(op, &mut |cx, o| {
            for &r in cx.regions(o) {
                blocks.extend_from_slice(cx.region_blocks(r));
            }
        });
        let mut reordered = 0;
        for b in blocks {
            match sort_topologically(cx, b) {
                Ok(true) => reordered += 1,
                Ok(false) => {}
                Err(on_cycle) => {
                    return Err(vec![Diagnostic::at_op(
                        cx,
                        on_cycle,
                        "op is on a dependence cycle; cannot order the block",
                    )]);
                }
            }
        }
        pcx.add_stat("blocks-reordered", reordered);
        Ok((reordered > 0).into())
    }
}
