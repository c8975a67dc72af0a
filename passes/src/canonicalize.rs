//! `canonicalize`: dead-code elimination, folding through each op's fold hook, and every
//! canonicalization pattern the loaded dialects declare, applied greedily to a fixpoint.

use dnnc_ir::pass::{OptionKind, PassOptionDef, PassOptions};
use dnnc_ir::{
    Changed, Context, Diagnostics, GreedyConfig, OpId, Pass, PassContext, PassInfo, PatternSet, apply_patterns_greedily,
};

pub static INFO: PassInfo = PassInfo {
    argument: "canonicalize",
    summary: "Fold, erase dead ops and apply canonicalization patterns to a fixpoint",
    description: "Runs the greedy rewrite driver over everything nested in the op: pure ops \
        whose results are unused are erased, ops whose dialect provides a folder are folded \
        (constants are materialized by the dialect), and the canonicalization patterns of all \
        loaded dialects are applied until nothing changes.",
    anchor: None,
    options: &[
        PassOptionDef { name: "fold", kind: OptionKind::Bool, default: "true", help: "call op folders" },
        PassOptionDef { name: "dce", kind: OptionKind::Bool, default: "true", help: "erase unused pure ops" },
        PassOptionDef {
            name: "max-rewrites",
            kind: OptionKind::UInt,
            default: "0",
            help: "fail after this many rewrites (0: 10 x ops + 1000)",
        },
    ],
    statistics: &[
        ("folded", "ops replaced by their folded values"),
        ("constants", "constants merged into an equal one or gathered at the top of their block"),
        ("erased-dead", "unused pure ops erased"),
        ("patterns", "canonicalization patterns applied"),
    ],
    create,
};

fn create(opts: &PassOptions) -> Result<Box<dyn Pass>, String> {
    let max = opts.uint("max-rewrites");
    Ok(Box::new(Canonicalize {
        config: GreedyConfig {
            fold: opts.bool("fold"),
            dce: opts.bool("dce"),
            max_rewrites: (max > 0).then_some(max as usize),
        },
    }))
}

struct Canonicalize {
    config: GreedyConfig,
}

impl Pass for Canonicalize {
    fn run(&mut self, cx: &mut Context, op: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics> {
        let patterns = PatternSet::canonicalization(cx);
        let stats = apply_patterns_greedily(cx, op, &patterns, self.config).map_err(|d| vec![d])?;
        pcx.add_stat("folded", stats.folded as u64);
        pcx.add_stat("constants", stats.constants as u64);
        pcx.add_stat("erased-dead", stats.erased_dead as u64);
        pcx.add_stat("patterns", stats.patterns.values().sum::<usize>() as u64);
        Ok(stats.changed().into())
    }
}
