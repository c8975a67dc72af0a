//! Passes: the [`Pass`] trait, static pass descriptions ([`PassInfo`]) with typed options and
//! statistics, the registry that a single table of passes feeds, textual pipelines and the
//! [`PassManager`] that runs them with verification, IR dumps, timing and tracing.

mod manager;
mod pipeline;

pub use manager::{PassManager, PassManagerOptions, PipelineError, RunReport, Timing};
pub use pipeline::{PipelineElement, PipelineSpec};

use crate::context::Context;
use crate::diag::Diagnostics;
use crate::ids::OpId;
use indexmap::IndexMap;
use std::fmt::Write;

/// Whether a pass changed the IR.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Changed {
    No,
    Yes,
}

impl From<bool> for Changed {
    fn from(b: bool) -> Self {
        if b { Changed::Yes } else { Changed::No }
    }
}

/// A transformation over the IR nested in one op.
pub trait Pass {
    /// Runs on `op` (an op of the pass's anchor kind). Fails with diagnostics, which abort the
    /// pipeline.
    fn run(&mut self, cx: &mut Context, op: OpId, pcx: &mut PassContext) -> Result<Changed, Diagnostics>;
}

/// What a running pass may report besides its result.
#[derive(Default, Debug)]
pub struct PassContext {
    statistics: IndexMap<&'static str, u64>,
}

impl PassContext {
    /// Adds `n` to statistic `name` (declared in the pass's [`PassInfo::statistics`]).
    pub fn add_stat(&mut self, name: &'static str, n: u64) {
        *self.statistics.entry(name).or_default() += n;
    }

    pub fn statistics(&self) -> &IndexMap<&'static str, u64> {
        &self.statistics
    }
}

/// The type of a pass option's value.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum OptionKind {
    Bool,
    Int,
    UInt,
    Float,
    String,
    /// One of the listed words.
    Enum(&'static [&'static str]),
}

/// A declared pass option: `tile{seed=7}`.
#[derive(Copy, Clone, Debug)]
pub struct PassOptionDef {
    pub name: &'static str,
    pub kind: OptionKind,
    /// Default value, in the option's text syntax.
    pub default: &'static str,
    pub help: &'static str,
}

/// A parsed option value.
#[derive(Clone, Debug, PartialEq)]
pub enum OptionValue {
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    String(String),
}

impl OptionValue {
    fn parse(kind: OptionKind, text: &str) -> Result<Self, String> {
        match kind {
            OptionKind::Bool => match text {
                "true" | "1" => Ok(OptionValue::Bool(true)),
                "false" | "0" => Ok(OptionValue::Bool(false)),
                _ => Err("expected true or false".into()),
            },
            OptionKind::Int => text.parse().map(OptionValue::Int).map_err(|_| "expected an integer".into()),
            OptionKind::UInt => {
                text.parse().map(OptionValue::UInt).map_err(|_| "expected a non-negative integer".into())
            }
            OptionKind::Float => text.parse().map(OptionValue::Float).map_err(|_| "expected a number".into()),
            OptionKind::String => Ok(OptionValue::String(text.to_string())),
            OptionKind::Enum(words) => {
                if words.contains(&text) {
                    Ok(OptionValue::String(text.to_string()))
                } else {
                    Err(format!("expected one of: {}", words.join(", ")))
                }
            }
        }
    }
}

/// The options of one pass instance, every declared option present (defaults filled in).
#[derive(Clone, Debug, Default)]
pub struct PassOptions {
    values: IndexMap<&'static str, OptionValue>,
    explicit: Vec<(String, String)>,
}

impl PassOptions {
    /// Checks `given` against the pass's declared options and fills in defaults.
    pub fn parse(info: &PassInfo, given: &[(String, String)]) -> Result<Self, String> {
        let mut values = IndexMap::new();
        for def in info.options {
            let v = OptionValue::parse(def.kind, def.default)
                .map_err(|e| format!("pass '{}': bad default for option '{}': {e}", info.argument, def.name))?;
            values.insert(def.name, v);
        }
        for (k, v) in given {
            let Some(def) = info.options.iter().find(|d| d.name == k) else {
                let valid: Vec<&str> = info.options.iter().map(|d| d.name).collect();
                let valid = if valid.is_empty() { "none".to_string() } else { valid.join(", ") };
                return Err(format!("pass '{}' has no option '{k}' (its options: {valid})", info.argument));
            };
            let value = OptionValue::parse(def.kind, v)
                .map_err(|e| format!("pass '{}': invalid value '{v}' for option '{k}': {e}", info.argument))?;
            values.insert(def.name, value);
        }
        Ok(PassOptions { values, explicit: given.to_vec() })
    }

    /// The options as they were written, for printing the pipeline back.
    pub fn explicit(&self) -> &[(String, String)] {
        &self.explicit
    }

    fn get(&self, name: &str) -> &OptionValue {
        self.values.get(name).unwrap_or_else(|| panic!("option '{name}' is not declared by this pass"))
    }

    pub fn bool(&self, name: &str) -> bool {
        match self.get(name) {
            OptionValue::Bool(b) => *b,
            v => panic!("option '{name}' is not a bool: {v:?}"),
        }
    }

    pub fn int(&self, name: &str) -> i64 {
        match self.get(name) {
            OptionValue::Int(i) => *i,
            v => panic!("option '{name}' is not an int: {v:?}"),
        }
    }

    pub fn uint(&self, name: &str) -> u64 {
        match self.get(name) {
            OptionValue::UInt(i) => *i,
            v => panic!("option '{name}' is not a uint: {v:?}"),
        }
    }

    pub fn float(&self, name: &str) -> f64 {
        match self.get(name) {
            OptionValue::Float(f) => *f,
            v => panic!("option '{name}' is not a float: {v:?}"),
        }
    }

    /// A string or enum option.
    pub fn string(&self, name: &str) -> &str {
        match self.get(name) {
            OptionValue::String(s) => s,
            v => panic!("option '{name}' is not a string: {v:?}"),
        }
    }
}

/// Creates a pass instance from its options.
pub type PassConstructor = fn(&PassOptions) -> Result<Box<dyn Pass>, String>;

/// Everything about a pass the registry, `--help` and the docs need: declared once per pass.
#[derive(Clone, Copy, Debug)]
pub struct PassInfo {
    /// The pipeline name, e.g. `"canonicalize"`.
    pub argument: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    /// The op the pass runs on; `None` for any op.
    pub anchor: Option<&'static str>,
    pub options: &'static [PassOptionDef],
    /// `(name, description)` of the counters the pass reports.
    pub statistics: &'static [(&'static str, &'static str)],
    pub create: PassConstructor,
}

/// All passes, by pipeline name.
#[derive(Clone, Debug, Default)]
pub struct PassRegistry {
    passes: IndexMap<&'static str, &'static PassInfo>,
}

impl PassRegistry {
    pub fn new(passes: &[&'static PassInfo]) -> Self {
        let mut r = PassRegistry::default();
        for p in passes {
            let previous = r.passes.insert(p.argument, p);
            assert!(previous.is_none(), "pass '{}' registered twice", p.argument);
        }
        r
    }

    /// Looks a pass up; an unknown name is answered with the sorted list of valid ones.
    pub fn get(&self, name: &str) -> Result<&'static PassInfo, String> {
        self.passes.get(name).copied().ok_or_else(|| {
            let mut names: Vec<&str> = self.passes.keys().copied().collect();
            names.sort_unstable();
            format!("unknown pass '{name}'; valid passes are: {}", names.join(", "))
        })
    }

    /// Passes sorted by name.
    pub fn passes(&self) -> Vec<&'static PassInfo> {
        let mut v: Vec<&'static PassInfo> = self.passes.values().copied().collect();
        v.sort_by_key(|p| p.argument);
        v
    }

    /// A short listing for `--help`.
    pub fn help(&self) -> String {
        let mut out = String::new();
        for p in self.passes() {
            let _ = writeln!(out, "  {:<24} {}", p.argument, p.summary);
            for o in p.options {
                let _ = writeln!(
                    out,
                    "      {}={:<16} {} (default: {})",
                    o.name,
                    kind_word(o.kind, "|"),
                    o.help,
                    o.default
                );
            }
        }
        out
    }

    /// The pass reference in Markdown (`docs/passes.md`).
    pub fn markdown(&self) -> String {
        let mut out = String::from(
            "# Passes\n\n<!-- Generated by `dnnc-opt --dump-pass-docs`; a test keeps it in sync. Do not edit. -->\n\n",
        );
        for p in self.passes() {
            let _ = writeln!(out, "## `{}`\n\n{}\n", p.argument, p.summary);
            if !p.description.is_empty() {
                let _ = writeln!(out, "{}\n", p.description.trim());
            }
            let _ = writeln!(out, "Runs on: `{}`\n", p.anchor.unwrap_or("any op"));
            if !p.options.is_empty() {
                out.push_str("| option | type | default | meaning |\n| --- | --- | --- | --- |\n");
                for o in p.options {
                    let _ =
                        writeln!(out, "| `{}` | {} | `{}` | {} |", o.name, kind_word(o.kind, "\\|"), o.default, o.help);
                }
                out.push('\n');
            }
            if !p.statistics.is_empty() {
                out.push_str("| statistic | meaning |\n| --- | --- |\n");
                for (name, help) in p.statistics {
                    let _ = writeln!(out, "| `{name}` | {help} |");
                }
                out.push('\n');
            }
        }
        out
    }
}

fn kind_word(kind: OptionKind, bar: &str) -> String {
    match kind {
        OptionKind::Bool => "bool".into(),
        OptionKind::Int => "int".into(),
        OptionKind::UInt => "uint".into(),
        OptionKind::Float => "float".into(),
        OptionKind::String => "string".into(),
        OptionKind::Enum(words) => words.join(bar),
    }
}
