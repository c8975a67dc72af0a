//! `graph-canonicalize`: recognises the composite operators exporters decompose — GELU in its
//! Erf and Tanh forms, SiLU, RMSNorm with its scale, LayerNorm as pre-17 opsets export it — and
//! rebuilds them as single graph ops, then folds and erases what became dead, to a fixpoint.

use dnnc_ir::pass::PassOptions;
use dnnc_ir::{
    Changed, Context, Diagnostics, GreedyConfig, OpId, Pass, PassContext, PassInfo, PatternSet, apply_patterns_greedily,
};

pub static INFO: PassInfo = PassInfo {
    argument: "graph-canonicalize",
    summary: "Recognise GELU, SiLU, RMSNorm and LayerNorm from their decomposed forms",
    description: "Applies the graph dialect's recognition patterns (`dnnc_graph::patterns`) with the \
        greedy driver, together with every dialect's canonicalization patterns, folding and \
        dead-code elimination. A pattern fires only when every constant matches and every \
        intermediate value has no other user.",
    anchor: None,
    options: &[],
    statistics: &[("recognised", "composite ops rebuilt"), ("erased-dead", "ops erased after rewriting")],
    create,
};

fn create(_: &PassOptions) -> Result<Box<dyn Pass>, String> {
    Ok(Box::new(GraphCanonicalize))
}

struct GraphCanonicalize;

impl Pass for GraphCanonicalize {
    fn run(&mut self, cx: &mut Context, op: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let mut patterns = PatternSet::canonicalization(cx);
        dnnc_graph::patterns::add_recognition_patterns(&mut patterns);
        let stats = apply_patterns_greedily(cx, op, &patterns, GreedyConfig::default()).map_err(|d| vec![d])?;
        let recognised: usize =
            stats.patterns.iter().filter(|(name, _)| name.starts_with("graph-")).map(|(_, n)| n).sum();
        pcx.add_stat("recognised", recognised as u64);
        pcx.add_stat("erased-dead", stats.erased_dead as u64);
        Ok(stats.changed().into())
    }
}
