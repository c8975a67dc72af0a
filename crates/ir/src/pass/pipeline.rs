//! Textual pass pipelines, MLIR's grammar: `anchor(pass{key=value ...},nested.op(pass))`.
//! Parsed into a [`PipelineSpec`] that prints back to the same text (normalised spacing).

use pest::Parser as _;
use pest::iterators::Pair;
use std::fmt;

#[derive(pest_derive::Parser)]
#[grammar = "pass/pipeline.pest"]
struct PipelineGrammar;

/// A pipeline anchored on an op name, e.g. `builtin.module(...)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PipelineSpec {
    pub anchor: String,
    pub elements: Vec<PipelineElement>,
}

/// One element of a pipeline: a pass with options, or a nested op-anchored pipeline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PipelineElement {
    Pass { name: String, options: Vec<(String, String)> },
    Nested(PipelineSpec),
}

impl PipelineSpec {
    /// Parses a pipeline. A bare element list (`canonicalize,cse`) is anchored on
    /// `builtin.module`.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut pairs = PipelineGrammar::parse(Rule::pipeline, text).map_err(|e| {
            let col = match e.line_col {
                pest::error::LineColLocation::Pos((_, c)) | pest::error::LineColLocation::Span((_, c), _) => c,
            };
            let e = e.renamed_rules(|r| {
                match r {
                    Rule::options => "pass options `{key=value}`",
                    Rule::element_list | Rule::element | Rule::pass_ref | Rule::pass_name => "a pass name",
                    Rule::anchored | Rule::op_anchor => "an op anchor such as `builtin.module(...)`",
                    Rule::option | Rule::option_key => "an option name",
                    Rule::option_value => "an option value",
                    Rule::EOI => "end of pipeline",
                    _ => "a token",
                }
                .to_string()
            });
            format!("invalid pass pipeline '{text}' at column {col}: {}", e.variant.message())
        })?;
        let top = pairs.next().expect("pipeline").into_inner().next().expect("pipeline body");
        Ok(match top.as_rule() {
            Rule::anchored => anchored(top),
            _ => PipelineSpec { anchor: crate::builtin::MODULE.to_string(), elements: elements(top) },
        })
    }
}

fn anchored(pair: Pair<'_, Rule>) -> PipelineSpec {
    let mut inner = pair.into_inner();
    let anchor = inner.next().expect("anchor").as_str().to_string();
    let elements = inner.next().map(elements).unwrap_or_default();
    PipelineSpec { anchor, elements }
}

fn elements(pair: Pair<'_, Rule>) -> Vec<PipelineElement> {
    pair.into_inner()
        .map(|e| {
            let e = e.into_inner().next().expect("element body");
            match e.as_rule() {
                Rule::anchored => PipelineElement::Nested(anchored(e)),
                _ => {
                    let mut inner = e.into_inner();
                    let name = inner.next().expect("pass name").as_str().to_string();
                    let options = inner
                        .next()
                        .map(|opts| {
                            opts.into_inner()
                                .map(|o| {
                                    let mut kv = o.into_inner();
                                    let key = kv.next().expect("key").as_str().to_string();
                                    let value = kv.next().map_or("true".to_string(), |v| unquote(v.as_str()));
                                    (key, value)
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    PipelineElement::Pass { name, options }
                }
            }
        })
        .collect()
}

fn unquote(s: &str) -> String {
    s.strip_prefix('"').and_then(|s| s.strip_suffix('"')).unwrap_or(s).to_string()
}

fn quote_if_needed(s: &str) -> String {
    if s.is_empty() || s.contains([' ', '\t', '\n', '}', '{']) && !s.starts_with('{') {
        format!("\"{s}\"")
    } else {
        s.to_string()
    }
}

impl fmt::Display for PipelineSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}(", self.anchor)?;
        for (i, e) in self.elements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{e}")?;
        }
        f.write_str(")")
    }
}

impl fmt::Display for PipelineElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PipelineElement::Nested(p) => write!(f, "{p}"),
            PipelineElement::Pass { name, options } => {
                f.write_str(name)?;
                if !options.is_empty() {
                    f.write_str("{")?;
                    for (i, (k, v)) in options.iter().enumerate() {
                        if i > 0 {
                            f.write_str(" ")?;
                        }
                        write!(f, "{k}={}", quote_if_needed(v))?;
                    }
                    f.write_str("}")?;
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "builtin.module(canonicalize,tile{objective=edp seed=7})",
            "builtin.module(func.func(canonicalize),canonicalize)",
            "builtin.module()",
            "builtin.module(p{s=\"a b\" nested={x=1 y=2}})",
        ] {
            let spec = PipelineSpec::parse(text).unwrap();
            assert_eq!(spec.to_string(), text);
            assert_eq!(PipelineSpec::parse(&spec.to_string()).unwrap(), spec);
        }
    }

    #[test]
    fn bare_lists_anchor_on_module_and_flags_default_true() {
        let spec = PipelineSpec::parse(" canonicalize , tile{verbose}").unwrap();
        assert_eq!(spec.to_string(), "builtin.module(canonicalize,tile{verbose=true})");
    }

    #[test]
    fn errors_name_the_column() {
        let err = PipelineSpec::parse("builtin.module(canonicalize").unwrap_err();
        assert!(err.contains("column 28"), "{err}");
    }
}
