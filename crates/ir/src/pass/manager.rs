//! The pass manager: builds pass instances from a [`PipelineSpec`], runs them on the ops their
//! anchors select, verifies after every pass, dumps IR on request, times each pass, collects
//! statistics, opens a tracing span per pass, and can stop after N passes (bisecting).

use super::{Changed, Pass, PassContext, PassInfo, PassOptions, PassRegistry, PipelineElement, PipelineSpec};
use crate::context::Context;
use crate::diag::{Diagnostic, Diagnostics};
use crate::ids::OpId;
use crate::print::{PrintOptions, print_op};
use crate::verify::verify;
use indexmap::IndexMap;
use std::fmt::Write as _;
use std::io::Write;
use std::time::{Duration, Instant};

/// Instrumentation switches (the `dnnc-opt` flags of the same names).
#[derive(Clone, Debug)]
pub struct PassManagerOptions {
    /// Verify the IR after every pass (on by default).
    pub verify_each: bool,
    /// Dump the IR after every pass.
    pub print_ir_after_all: bool,
    /// Dump the IR after the passes with these names.
    pub print_ir_after: Vec<String>,
    /// Stop after this many pass executions (for bisecting a pipeline).
    pub max_passes: Option<usize>,
    /// How dumps are printed.
    pub print: PrintOptions,
}

impl Default for PassManagerOptions {
    fn default() -> Self {
        PassManagerOptions {
            verify_each: true,
            print_ir_after_all: false,
            print_ir_after: Vec::new(),
            max_passes: None,
            print: PrintOptions::default(),
        }
    }
}

/// Wall time per named phase, in the order phases first ran.
#[derive(Clone, Debug, Default)]
pub struct Timing {
    rows: IndexMap<String, Duration>,
}

impl Timing {
    pub fn add(&mut self, name: &str, d: Duration) {
        *self.rows.entry(name.to_string()).or_default() += d;
    }

    /// Times `f` under `name`.
    pub fn time<T>(&mut self, name: &str, f: impl FnOnce() -> T) -> T {
        let start = Instant::now();
        let out = f();
        self.add(name, start.elapsed());
        out
    }

    pub fn merge(&mut self, other: &Timing) {
        for (k, v) in &other.rows {
            self.add(k, *v);
        }
    }

    /// A table like MLIR's `--mlir-timing` report.
    pub fn render(&self) -> String {
        let total: Duration = self.rows.values().sum();
        let total_s = total.as_secs_f64();
        let mut out = String::new();
        let rule = "===-------------------------------------------------------------------------===";
        let _ = writeln!(out, "{rule}\n{:^79}\n{rule}", "... Execution time report ...");
        let _ = writeln!(out, "  Total Execution Time: {total_s:.4} seconds\n");
        let _ = writeln!(out, "  ----Wall Time----  ----Name----");
        for (name, d) in &self.rows {
            let s = d.as_secs_f64();
            let pct = if total_s > 0.0 { 100.0 * s / total_s } else { 0.0 };
            let _ = writeln!(out, "  {s:>8.4} ({pct:>5.1}%)  {name}");
        }
        let _ = writeln!(out, "  {total_s:>8.4} (100.0%)  Total");
        out
    }
}

/// What a run produced besides the IR changes.
#[derive(Debug, Default)]
pub struct RunReport {
    pub timing: Timing,
    /// Statistics per pass argument, in pipeline order.
    pub statistics: IndexMap<&'static str, IndexMap<&'static str, u64>>,
    pub changed: bool,
    /// Pass executions performed.
    pub passes_run: usize,
}

impl RunReport {
    /// A table like MLIR's `--mlir-pass-statistics` report.
    pub fn render_statistics(&self, registry: &PassRegistry) -> String {
        let rule = "===-------------------------------------------------------------------------===";
        let mut out = format!("{rule}\n{:^79}\n{rule}\n", "... Pass statistics report ...");
        for (pass, stats) in &self.statistics {
            let _ = writeln!(out, "'{pass}'");
            let descriptions = registry.get(pass).map(|i| i.statistics).unwrap_or(&[]);
            for (name, value) in stats {
                let help = descriptions.iter().find(|(n, _)| n == name).map_or("", |(_, h)| h);
                let _ = writeln!(out, "  ({name}) {value} : {help}");
            }
        }
        out
    }
}

enum Item {
    Pass { info: &'static PassInfo, pass: Box<dyn Pass> },
    Nested(Pipeline),
}

struct Pipeline {
    anchor: String,
    items: Vec<Item>,
}

/// Why a pipeline stopped.
#[derive(Debug)]
pub struct PipelineError {
    /// The pass that failed or after which verification failed; `None` if the pipeline could
    /// not start (e.g. wrong anchor).
    pub pass: Option<&'static str>,
    /// True when the pass succeeded but left IR that does not verify.
    pub verification: bool,
    pub diagnostics: Diagnostics,
}

impl std::fmt::Display for PipelineError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (self.pass, self.verification) {
            (Some(p), true) => write!(f, "verification failed after pass '{p}'"),
            (Some(p), false) => write!(f, "pass '{p}' failed"),
            (None, _) => f.write_str("the pipeline could not run"),
        }
    }
}

/// Runs a pipeline of passes over an op.
pub struct PassManager {
    root: Pipeline,
    spec: PipelineSpec,
    opts: PassManagerOptions,
}

impl PassManager {
    /// Instantiates every pass of `spec`; fails on unknown passes or bad options.
    pub fn new(spec: &PipelineSpec, registry: &PassRegistry, opts: PassManagerOptions) -> Result<Self, String> {
        Ok(PassManager { root: build(spec, registry)?, spec: spec.clone(), opts })
    }

    /// Parses and instantiates a textual pipeline.
    pub fn parse(text: &str, registry: &PassRegistry, opts: PassManagerOptions) -> Result<Self, String> {
        Self::new(&PipelineSpec::parse(text)?, registry, opts)
    }

    /// The pipeline this manager runs.
    pub fn spec(&self) -> &PipelineSpec {
        &self.spec
    }

    /// Runs the pipeline on `root`. IR dumps go to `dump`. On failure, the diagnostics say which
    /// pass failed or after which pass verification failed.
    pub fn run(&mut self, cx: &mut Context, root: OpId, dump: &mut dyn Write) -> Result<RunReport, PipelineError> {
        if cx.name(root) != self.root.anchor {
            let msg = format!(
                "pipeline is anchored on '{}' but the input's top-level op is '{}'",
                self.root.anchor,
                cx.name(root)
            );
            return Err(PipelineError {
                pass: None,
                verification: false,
                diagnostics: vec![Diagnostic::at_op(cx, root, msg)],
            });
        }
        let mut report = RunReport::default();
        let mut runner = Runner { opts: &self.opts, report: &mut report, top: root };
        runner.pipeline(&mut self.root, cx, root, dump)?;
        Ok(report)
    }
}

fn build(spec: &PipelineSpec, registry: &PassRegistry) -> Result<Pipeline, String> {
    let mut items = Vec::new();
    for e in &spec.elements {
        items.push(match e {
            PipelineElement::Nested(p) => Item::Nested(build(p, registry)?),
            PipelineElement::Pass { name, options } => {
                let info = registry.get(name)?;
                if let Some(anchor) = info.anchor
                    && anchor != spec.anchor
                {
                    return Err(format!(
                        "pass '{name}' runs on '{anchor}' ops and cannot be scheduled in a '{}' pipeline; nest it: {}({anchor}({name}))",
                        spec.anchor, spec.anchor
                    ));
                }
                let opts = PassOptions::parse(info, options)?;
                Item::Pass { info, pass: (info.create)(&opts)? }
            }
        });
    }
    Ok(Pipeline { anchor: spec.anchor.clone(), items })
}

struct Runner<'a> {
    opts: &'a PassManagerOptions,
    report: &'a mut RunReport,
    top: OpId,
}

impl Runner<'_> {
    fn pipeline(
        &mut self,
        p: &mut Pipeline,
        cx: &mut Context,
        op: OpId,
        dump: &mut dyn Write,
    ) -> Result<(), PipelineError> {
        for item in &mut p.items {
            if self.opts.max_passes.is_some_and(|m| self.report.passes_run >= m) {
                return Ok(());
            }
            match item {
                Item::Pass { info, pass } => self.pass(info, pass.as_mut(), cx, op, dump)?,
                Item::Nested(nested) => {
                    let targets: Vec<OpId> = cx
                        .regions(op)
                        .iter()
                        .flat_map(|&r| cx.region_blocks(r).iter().flat_map(|&b| cx.block_ops(b)))
                        .filter(|&o| cx.name(o) == nested.anchor)
                        .collect();
                    for t in targets {
                        self.pipeline(nested, cx, t, dump)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn pass(
        &mut self,
        info: &'static PassInfo,
        pass: &mut dyn Pass,
        cx: &mut Context,
        op: OpId,
        dump: &mut dyn Write,
    ) -> Result<(), PipelineError> {
        let span = tracing::info_span!("pass", name = info.argument, op = cx.name(op));
        let _entered = span.enter();
        let mut pcx = PassContext::default();
        let start = Instant::now();
        let result = pass.run(cx, op, &mut pcx);
        self.report.timing.add(info.argument, start.elapsed());
        self.report.passes_run += 1;
        let stats = self.report.statistics.entry(info.argument).or_default();
        for (k, v) in pcx.statistics() {
            *stats.entry(k).or_default() += v;
        }
        match result {
            Ok(Changed::Yes) => self.report.changed = true,
            Ok(Changed::No) => {}
            Err(diagnostics) => {
                return Err(PipelineError { pass: Some(info.argument), verification: false, diagnostics });
            }
        }
        tracing::debug!(changed = ?result.as_ref().ok(), "pass finished");
        if self.opts.verify_each {
            let start = Instant::now();
            let verified = verify(cx, op);
            self.report.timing.add("(verifier)", start.elapsed());
            if let Err(diagnostics) = verified {
                return Err(PipelineError { pass: Some(info.argument), verification: true, diagnostics });
            }
        }
        if self.opts.print_ir_after_all || self.opts.print_ir_after.iter().any(|n| n == info.argument) {
            let _ = writeln!(dump, "// -----// IR Dump After {} //----- //", info.argument);
            let text = if op == self.top {
                crate::print::print_module(cx, op, self.opts.print)
            } else {
                print_op(cx, op, self.opts.print)
            };
            let _ = write!(dump, "{text}");
            let _ = writeln!(dump);
        }
        Ok(())
    }
}
