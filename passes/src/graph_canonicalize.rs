//! `graph-canonicalize`: recognises the composite operators exporters decompose — GELU in its
//! Erf and Tanh forms, SiLU, RMSNorm with its scale, LayerNorm as pre-17 opsets export it,
//! scaled dot-product attention — and rebuilds them as single graph ops; folds inference-mode
//! batch normalisations into the convolution before them; decomposes a GatherND of index
//! tuples into one of single indices and the composite ONNX operators (`dnnc_graph::decompose`:
//! LogSoftmax, Mish, the L1/L2/sum-square/log-sum-exp reductions, instance and group
//! normalisation, DepthToSpace and SpaceToDepth) into graph ops; then folds and erases what
//! became dead, to a fixpoint.

use dnnc_graph::decompose::{PREFIX as DECOMPOSE, add_decomposition_patterns};
use dnnc_graph::patterns::{FOLD_BATCH_NORM, GATHER_ND_TUPLES};
use dnnc_ir::pass::PassOptions;
use dnnc_ir::{
    Changed, Context, Diagnostics, GreedyConfig, OpId, Pass, PassContext, PassInfo, PatternSet, apply_patterns_greedily,
};

pub static INFO: PassInfo = PassInfo {
    argument: "graph-canonicalize",
    summary: "Recognise GELU, SiLU, RMSNorm, LayerNorm and attention; fold BatchNorm into Conv",
    description: "Applies the graph dialect's recognition patterns (`dnnc_graph::patterns`) with the \
        greedy driver, together with every dialect's canonicalization patterns, folding and \
        dead-code elimination. A pattern fires only when every constant matches and every \
        intermediate value has no other user.\n\n\
        Scaled dot-product attention, `softmax(scale·Q·Kᵀ [+ mask | where(mask, ·, −∞)]) · V`, \
        becomes `graph.attention` when the scale — one factor on the scores or on Q and K \
        separately, as a Mul or a Div — is 1/√d for the head dimension d and the softmax is \
        over the last axis; transposes that made Kᵀ are absorbed when they only exchange the \
        last two dimensions (`k_transposed = 0`), otherwise K is taken as given \
        (`k_transposed = 1`), and torch's NaN guard after the softmax becomes `nan_to_zero`.\n\n\
        An inference-mode `graph.batch_normalization` whose input is a convolution used only \
        there, with every parameter a weight or constant of shape [K], folds into that \
        convolution: its weight and bias become new `graph.weight`s standing for \
        W·γ/√(σ²+ε) and (B−μ)·γ/√(σ²+ε)+β, named `<W>+<γ>` and `<B or W>+<β>`, whose \
        `fold`, `folded_from` and `epsilon` attributes tell a weight-preparation step how to \
        compute them. Training-mode normalisations are never folded.\n\n\
        A `graph.gather_nd` with index tuples longer than 1 becomes one with single indices into \
        the data reshaped to `[D0·…·D(t−1), rest…]`, at the linear index of each tuple (negative \
        components counted from the end), computed by less/add/where/mul/reduce_sum ops.\n\n\
        Composite ONNX operators become the graph ops they are made of (`dnnc_graph::decompose`): \
        log-softmax in its stable form `(x − max) − log Σ exp(x − max)`, Mish, ReduceL1/L2/SumSquare/\
        LogSumExp, instance and group normalisation as a layer normalisation from axis 2 (of the \
        `[N, G, rest]` view for groups) with the per-channel (or opset 18's per-group) scale and shift, \
        DepthToSpace (DCR, CRD) and SpaceToDepth as reshape-transpose-reshape.",
    anchor: None,
    options: &[],
    statistics: &[
        ("recognised", "composite ops rebuilt"),
        ("batch-norms-folded", "batch normalisations folded into convolutions"),
        ("gather-nd-tuples", "gather_nd ops of index tuples rewritten to single indices"),
        ("decomposed", "composite ONNX ops rewritten into graph ops (log-softmax, norms, pixel shuffles, …)"),
        ("erased-dead", "ops erased after rewriting"),
    ],
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
        add_decomposition_patterns(&mut patterns);
        let stats = apply_patterns_greedily(cx, op, &patterns, GreedyConfig::default()).map_err(|d| vec![d])?;
        let count = |keep: &dyn Fn(&str) -> bool| -> u64 {
            stats.patterns.iter().filter(|(name, _)| keep(name)).map(|(_, &n)| n as u64).sum()
        };
        let apart = [FOLD_BATCH_NORM, GATHER_ND_TUPLES];
        pcx.add_stat(
            "recognised",
            count(&|n| n.starts_with("graph-") && !apart.contains(&n) && !n.starts_with(DECOMPOSE)),
        );
        pcx.add_stat("batch-norms-folded", count(&|n| n == FOLD_BATCH_NORM));
        pcx.add_stat("gather-nd-tuples", count(&|n| n == GATHER_ND_TUPLES));
        pcx.add_stat("decomposed", count(&|n| n.starts_with(DECOMPOSE)));
        pcx.add_stat("erased-dead", stats.erased_dead as u64);
        Ok(stats.changed().into())
    }
}
