//! `fold-layout-into-access`: folds layout-only einsums (reshape, flatten, squeeze, unsqueeze,
//! transpose) into the access maps of the einsums that read them, then erases the ones nothing
//! reads any more. The work left is the work that moves data.

use dnnc_ir::pass::PassOptions;
use dnnc_ir::{
    Changed, Context, Diagnostics, GreedyConfig, OpId, Pass, PassContext, PassInfo, PatternSet, apply_patterns_greedily,
};

pub static INFO: PassInfo = PassInfo {
    argument: "fold-layout-into-access",
    summary: "Fold reshape/transpose einsums into their consumers' access maps",
    description: "A consumer einsum reading the result of a layout-only einsum reads that \
        einsum's input through the composed map instead; layout einsums left without readers \
        are erased. Layout einsums whose result leaves the function (or feeds a non-einsum op) \
        stay.",
    anchor: None,
    options: &[],
    statistics: &[("folded", "consumers rewritten to read through a layout"), ("erased", "layout einsums erased")],
    create,
};

fn create(_: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(FoldLayoutIntoAccess))
}

struct FoldLayoutIntoAccess;

impl Pass for FoldLayoutIntoAccess {
    fn run(&mut self, cx: &mut Context, op: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut patterns = PatternSet::default();
        dnnc_einsum::patterns::add_layout_folding(&mut patterns);
        let config = GreedyConfig { fold: false, dce: true, max_rewrites: None };
        let stats = apply_patterns_greedily(cx, op, &patterns, config).map_err(|d| vec![d])?;
        pcx.add_stat("folded", stats.patterns.values().sum::<usize>() as u64);
        pcx.add_stat("erased", stats.erased_dead as u64);
        Ok(stats.changed().into())
    }
}
