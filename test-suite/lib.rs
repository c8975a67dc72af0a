//! The golden-test runner. Every file under `test-suite/` with a known extension is a test:
//! its `// RUN:` lines name a tool (`dnnc-opt`, `dnnc`) and its flags, `%s` standing for the
//! file itself. The runner executes each RUN line in-process and renders exit code, standard
//! output and standard error into one text that the tests keep as an insta snapshot.
//!
//! Adding a test is adding a file; `INSTA_UPDATE=always cargo test -p dnnc-test-suite` (or
//! `cargo insta review`) records its snapshot.

use std::path::{Path, PathBuf};

/// File extensions the runner treats as test inputs.
pub const EXTENSIONS: &[&str] = &["mlir"];

/// One `// RUN:` line, split into a tool and its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunLine {
    pub tool: String,
    pub args: Vec<String>,
    /// The line as written, for the snapshot header.
    pub text: String,
}

/// Extracts the RUN lines of a test file, substituting `%s` with `path`.
pub fn run_lines(text: &str, path: &str) -> Result<Vec<RunLine>, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(cmd) = line.trim_start().strip_prefix("// RUN:") else {
            continue;
        };
        let cmd = cmd.trim();
        let words = shlex::split(cmd).ok_or_else(|| format!("line {}: unbalanced quotes in RUN line", i + 1))?;
        let mut words = words.into_iter().map(|w| w.replace("%s", path));
        let tool = words.next().ok_or_else(|| format!("line {}: empty RUN line", i + 1))?;
        out.push(RunLine { tool, args: words.collect(), text: cmd.to_string() });
    }
    if out.is_empty() {
        return Err("no `// RUN:` line".into());
    }
    Ok(out)
}

/// The result of running one tool invocation.
#[derive(Debug)]
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs a RUN line in-process.
pub fn execute(run: &RunLine) -> Result<Outcome, String> {
    let mut argv = vec![run.tool.clone()];
    argv.extend(run.args.iter().cloned());
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = match run.tool.as_str() {
        "dnnc-opt" => dnnc_opt::run(
            &argv,
            dnnc_opt::Env { stdin: &mut std::io::empty(), stdout: &mut stdout, stderr: &mut stderr },
        ),
        "dnnc" => dnnc::run(&argv, &mut stdout, &mut stderr),
        other => {
            return Err(format!("unknown tool '{other}' in RUN line (known: dnnc, dnnc-opt)"));
        }
    };
    let text = |b: Vec<u8>| String::from_utf8_lossy(&b).into_owned();
    Ok(Outcome { code, stdout: text(stdout), stderr: text(stderr) })
}

/// Runs every RUN line of the test at `path` (relative to the test-suite directory, which is
/// the working directory of cargo's tests) and renders the snapshot text.
pub fn run_test(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let mut out = String::new();
    for run in run_lines(&text, path)? {
        let o = execute(&run)?;
        out.push_str(&format!("$ {}\nexit: {}\n", run.text, o.code));
        if !o.stdout.is_empty() {
            out.push_str("--- stdout\n");
            out.push_str(&o.stdout);
            if !o.stdout.ends_with('\n') {
                out.push('\n');
            }
        }
        if !o.stderr.is_empty() {
            out.push_str("--- stderr\n");
            out.push_str(&mask_timings(&o.stderr));
            if !o.stderr.ends_with('\n') {
                out.push('\n');
            }
        }
    }
    Ok(out)
}

/// Replaces wall-clock numbers in `--timing` tables so snapshots are deterministic.
fn mask_timings(stderr: &str) -> String {
    let mut out = String::with_capacity(stderr.len());
    let mut in_table = false;
    for line in stderr.lines() {
        if line.contains("Execution time report") {
            in_table = true;
        }
        if in_table && line.contains("Total Execution Time:") {
            out.push_str("  Total Execution Time: <masked> seconds\n");
            continue;
        }
        if in_table && let Some(rest) = line.strip_prefix("  ").and_then(|l| l.split_once("%)  ")) {
            out.push_str(&format!("  <time>  {}\n", rest.1));
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Every test file below `dir`, sorted, as paths relative to `dir`.
pub fn discover(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(dir.join(&rel)) else {
            continue;
        };
        for e in entries.flatten() {
            let p = rel.join(e.file_name());
            if e.file_type().is_ok_and(|t| t.is_dir()) {
                if !matches!(e.file_name().to_str(), Some("target" | "snapshots" | "tests")) {
                    stack.push(p);
                }
            } else if p.extension().and_then(|x| x.to_str()).is_some_and(|x| EXTENSIONS.contains(&x)) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn run_lines_substitute_the_path_and_honour_quotes() {
        let text = "// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize{fold=false})'\nx\n";
        let runs = run_lines(text, "a/b.mlir").unwrap();
        assert_eq!(runs[0].tool, "dnnc-opt");
        assert_eq!(runs[0].args, vec!["a/b.mlir", "--pass-pipeline=builtin.module(canonicalize{fold=false})"]);
        assert!(run_lines("no run line", "x").is_err());
    }

    #[test]
    fn timing_numbers_are_masked() {
        let table =
            "... Execution time report ...\n  Total Execution Time: 0.0012 seconds\n    0.0003 ( 25.0%)  parse\n";
        let masked = mask_timings(table);
        assert!(masked.contains("<masked>") && masked.contains("<time>  parse") && !masked.contains("0.0003"));
    }
}
