//! `dnnc-opt`: the mlir-opt of dnnc. Reads IR text (a path or `-`), optionally splits it into
//! cases at `// -----`, parses and verifies each case, runs a pass pipeline, and prints the IR.
//!
//! Exit codes: 0 success; 1 verification, pass or diagnostic-check failure; 2 usage, I/O or
//! parse errors. [`run`] is the whole tool behind an in-memory interface so the golden-test
//! runner can call it without spawning processes.

mod expected;

use clap::Parser;
use dnnc_ir::pass::Timing;
use dnnc_ir::{
    Context, Diagnostic, DialectRegistry, FileId, ParseOptions, PassManager, PassManagerOptions, PassRegistry,
    PrintOptions, parse_file, print_module, render_all, verify,
};
use std::io::{Read, Write};
use std::sync::Arc;
use std::time::Instant;

/// Exit code for verification, pass and diagnostic-check failures.
pub const EXIT_FAILURE: i32 = 1;
/// Exit code for usage, I/O and parse errors.
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(name = "dnnc-opt", version, about = "Run dnnc passes over IR text (mlir-opt style)")]
struct Args {
    /// IR file to read, or `-` for standard input.
    #[arg(default_value = "-")]
    input: String,
    /// Write output here instead of standard output.
    #[arg(short = 'o', value_name = "FILE")]
    output: Option<String>,
    /// Pass pipeline, e.g. `builtin.module(canonicalize,topological-sort)`.
    #[arg(long, value_name = "PIPELINE")]
    pass_pipeline: Option<String>,
    /// Accept ops, types and attributes of unknown dialects.
    #[arg(long)]
    allow_unregistered_dialect: bool,
    /// Check `// expected-error {{...}}` annotations instead of printing diagnostics.
    #[arg(long)]
    verify_diagnostics: bool,
    /// Treat `// -----` lines as separators between independent cases.
    #[arg(long)]
    split_input_file: bool,
    /// Verify the IR after every pass.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, value_name = "BOOL")]
    verify_each: bool,
    /// Print the IR after every pass (to standard error).
    #[arg(long)]
    print_ir_after_all: bool,
    /// Print the IR after the named pass (repeatable).
    #[arg(long, value_name = "PASS")]
    print_ir_after: Vec<String>,
    /// Print a per-pass wall-time table to standard error.
    #[arg(long)]
    timing: bool,
    /// Print pass statistics to standard error.
    #[arg(long)]
    pass_statistics: bool,
    /// Print every op in the generic form.
    #[arg(long, alias = "mlir-print-op-generic")]
    print_op_generic: bool,
    /// Do not print `loc(...)`.
    #[arg(long)]
    strip_locations: bool,
    /// Stop after this many pass executions (to bisect a failing pipeline).
    #[arg(long, value_name = "N")]
    max_passes: Option<usize>,
    /// Print the parsed pipeline and exit.
    #[arg(long)]
    dump_pass_pipeline: bool,
    /// Print the Markdown pass reference (docs/passes.md) and exit.
    #[arg(long)]
    dump_pass_docs: bool,
    /// Print the IRDL definition of the named dnnc dialect (e.g. `graph`) and exit.
    #[arg(long, value_name = "DIALECT")]
    dump_irdl: Option<String>,
}

/// Everything the tool needs besides its arguments.
pub struct Env<'a> {
    pub stdin: &'a mut dyn Read,
    pub stdout: &'a mut dyn Write,
    pub stderr: &'a mut dyn Write,
}

/// The registries dnnc-opt loads.
pub fn registries() -> (Arc<DialectRegistry>, PassRegistry) {
    (Arc::new(dnnc_passes::dialects()), dnnc_passes::registry())
}

/// Runs dnnc-opt with `args` (the first being the program name); returns the exit code.
pub fn run(args: &[String], env: Env<'_>) -> i32 {
    let (dialects, passes) = registries();
    let cmd = <Args as clap::CommandFactory>::command()
        .after_help(format!("Passes (use in --pass-pipeline, options in {{k=v}}):\n{}", passes.help()));
    let args = match cmd.try_get_matches_from(args).and_then(|m| <Args as clap::FromArgMatches>::from_arg_matches(&m)) {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { 0 };
            let text = e.render().to_string();
            let sink: &mut dyn Write = if e.use_stderr() { env.stderr } else { env.stdout };
            let _ = write!(sink, "{text}");
            return code;
        }
    };
    Tool { args, dialects, passes, env }.run()
}

struct Tool<'a> {
    args: Args,
    dialects: Arc<DialectRegistry>,
    passes: PassRegistry,
    env: Env<'a>,
}

/// The outcome of one input case.
struct CaseResult {
    output: Option<String>,
    diagnostics: Vec<Diagnostic>,
    /// Extra lines printed after the diagnostics (e.g. which pass failed).
    trailer: Option<String>,
    code: i32,
}

impl Tool<'_> {
    fn run(mut self) -> i32 {
        if self.args.dump_pass_docs {
            let _ = write!(self.env.stdout, "{}", self.passes.markdown());
            return 0;
        }
        if let Some(name) = &self.args.dump_irdl {
            return match self.dialects.dialect(name).filter(|d| !dnnc_ir::irdl::MLIR_NATIVE.contains(&d.name)) {
                Some(d) => {
                    let _ = write!(self.env.stdout, "{}", dnnc_ir::irdl::export_dialect(d));
                    0
                }
                None => {
                    let own: Vec<&str> = self
                        .dialects
                        .dialects()
                        .map(|d| d.name)
                        .filter(|n| !dnnc_ir::irdl::MLIR_NATIVE.contains(n))
                        .collect();
                    self.usage_error(&format!("no IRDL for dialect '{name}' (dnnc's own dialects: {})", own.join(", ")))
                }
            };
        }
        let mut timing = Timing::default();
        let pipeline = match &self.args.pass_pipeline {
            Some(text) => match PassManager::parse(text, &self.passes, self.manager_options()) {
                Ok(pm) => Some(pm),
                Err(e) => return self.usage_error(&e),
            },
            None => None,
        };
        if self.args.dump_pass_pipeline {
            let text = pipeline.as_ref().map_or("builtin.module()".to_string(), |p| p.spec().to_string());
            let _ = writeln!(self.env.stdout, "{text}");
            return 0;
        }
        let name = if self.args.input == "-" { "<stdin>".to_string() } else { self.args.input.clone() };
        let text = match self.read_input() {
            Ok(t) => t,
            Err(e) => return self.usage_error(&format!("cannot read '{name}': {e}")),
        };
        let text: Arc<str> = text.into();
        let mut pipeline = pipeline;
        let mut outputs = Vec::new();
        let mut code = 0;
        for (chunk, offset) in split_cases(&text, self.args.split_input_file) {
            let (output, case_code) = self.run_case(&name, &text, chunk, offset, pipeline.as_mut(), &mut timing);
            code = code.max(case_code);
            outputs.extend(output);
        }
        let start = Instant::now();
        let joined = outputs.join("// -----\n");
        let written = match &self.args.output {
            Some(path) => std::fs::write(path, &joined).map_err(|e| format!("cannot write '{path}': {e}")),
            None => self.env.stdout.write_all(joined.as_bytes()).map_err(|e| format!("cannot write output: {e}")),
        };
        timing.add("output", start.elapsed());
        if let Err(e) = written {
            return self.usage_error(&e);
        }
        if self.args.timing {
            let _ = write!(self.env.stderr, "{}", timing.render());
        }
        code
    }

    fn manager_options(&self) -> PassManagerOptions {
        PassManagerOptions {
            verify_each: self.args.verify_each,
            print_ir_after_all: self.args.print_ir_after_all,
            print_ir_after: self.args.print_ir_after.clone(),
            max_passes: self.args.max_passes,
            print: self.print_options(),
        }
    }

    fn print_options(&self) -> PrintOptions {
        PrintOptions { generic: self.args.print_op_generic, locations: !self.args.strip_locations }
    }

    fn usage_error(&mut self, msg: &str) -> i32 {
        let _ = writeln!(self.env.stderr, "dnnc-opt: error: {msg}");
        EXIT_USAGE
    }

    fn read_input(&mut self) -> std::io::Result<String> {
        if self.args.input == "-" {
            let mut s = String::new();
            self.env.stdin.read_to_string(&mut s)?;
            Ok(s)
        } else {
            std::fs::read_to_string(&self.args.input)
        }
    }

    /// Runs one case and reports its diagnostics (or checks them against annotations);
    /// returns the printed IR, if the case got that far, and the exit code.
    fn run_case(
        &mut self,
        name: &str,
        full: &Arc<str>,
        chunk: &str,
        line_offset: u32,
        pipeline: Option<&mut PassManager>,
        timing: &mut Timing,
    ) -> (Option<String>, i32) {
        let mut cx = Context::new(self.dialects.clone());
        cx.set_allow_unregistered(self.args.allow_unregistered_dialect);
        let file = cx.add_source(name, full.clone());
        let result = self.process(&mut cx, file, chunk, line_offset, pipeline, timing);
        if !self.args.verify_diagnostics {
            let _ = write!(self.env.stderr, "{}", render_all(&result.diagnostics, &cx.sources));
            if let Some(t) = &result.trailer {
                let _ = writeln!(self.env.stderr, "{name}: error: {t}");
            }
            return (result.output, result.code);
        }
        let mut expected = match expected::collect(chunk, line_offset + 1) {
            Ok(e) => e,
            Err(e) => return (None, self.usage_error(&format!("{name}: {e}"))),
        };
        let problems = expected::check(&mut expected, &result.diagnostics, file, name);
        for p in &problems {
            let _ = writeln!(self.env.stderr, "{p}");
        }
        (result.output, if problems.is_empty() { 0 } else { EXIT_FAILURE })
    }

    /// Parse, verify, run the pipeline, print.
    fn process(
        &mut self,
        cx: &mut Context,
        file: FileId,
        chunk: &str,
        line_offset: u32,
        pipeline: Option<&mut PassManager>,
        timing: &mut Timing,
    ) -> CaseResult {
        let fail = |diagnostics, trailer, code| CaseResult { output: None, diagnostics, trailer, code };
        let parsed = timing.time("parse", || parse_file(cx, file, chunk, ParseOptions { line_offset }));
        let module = match parsed {
            Ok(m) => m,
            Err(d) => return fail(vec![d], None, EXIT_USAGE),
        };
        if let Err(diags) = timing.time("verify input", || verify(cx, module)) {
            return fail(diags, None, EXIT_FAILURE);
        }
        if let Some(pm) = pipeline {
            match pm.run(cx, module, self.env.stderr) {
                Ok(report) => {
                    timing.merge(&report.timing);
                    if self.args.pass_statistics {
                        let _ = write!(self.env.stderr, "{}", report.render_statistics(&self.passes));
                    }
                }
                Err(e) => return fail(e.diagnostics.clone(), Some(e.to_string()), EXIT_FAILURE),
            }
        }
        let output = timing.time("print", || print_module(cx, module, self.print_options()));
        CaseResult { output: Some(output), diagnostics: Vec::new(), trailer: None, code: 0 }
    }
}

/// Splits the input at lines that start with `// -----`, returning each case with the number
/// of lines before it. Without splitting, the whole text is one case.
fn split_cases(text: &str, split: bool) -> Vec<(&str, u32)> {
    if !split {
        return vec![(text, 0)];
    }
    let mut cases = Vec::new();
    let (mut start, mut start_line, mut line, mut offset) = (0usize, 0u32, 0u32, 0usize);
    for l in text.split_inclusive('\n') {
        if l.trim_start().starts_with("// -----") {
            cases.push((&text[start..offset], start_line));
            start = offset + l.len();
            start_line = line + 1;
        }
        offset += l.len();
        line += 1;
    }
    cases.push((&text[start..], start_line));
    cases
}

#[cfg(test)]
mod tests {
    use super::split_cases;

    #[test]
    fn splits_keep_line_numbers() {
        let text = "a\n// -----\nb\nc\n// -----\nd";
        let cases = split_cases(text, true);
        assert_eq!(cases, vec![("a\n", 0), ("b\nc\n", 2), ("d", 5)]);
        assert_eq!(split_cases(text, false).len(), 1);
    }
}
