//! The text parser: a pest grammar (`ir.pest`) and a builder that turns its parse tree into IR.
//!
//! A file of bare operations is wrapped in an implicit `builtin.module`, as in MLIR. Every op
//! records where it stood in the text ([`crate::SourcePos`]) so that diagnostics — including
//! the verifier's — point into the file. Errors carry `file:line:col` and render with a snippet
//! and caret.

mod build;

use crate::context::Context;
use crate::diag::Diagnostic;
use crate::ids::OpId;
use crate::location::{FileId, SourcePos};
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "parse/ir.pest"]
pub(crate) struct IrGrammar;

/// How to parse.
#[derive(Copy, Clone, Debug, Default)]
pub struct ParseOptions {
    /// Lines before this text in its file (for `--split-input-file` chunks).
    pub line_offset: u32,
}

/// Parses IR text registered in the context's source map as `file`.
pub fn parse_file(cx: &mut Context, file: FileId, text: &str, opts: ParseOptions) -> Result<OpId, Diagnostic> {
    let pairs = IrGrammar::parse(Rule::file, text).map_err(|e| syntax_error(e, file, opts.line_offset))?;
    build::Builder::new(cx, text, file, opts).build_file(pairs)
}

/// Registers `text` under `name` and parses it into a module.
pub fn parse_source(cx: &mut Context, name: &str, text: &str, opts: ParseOptions) -> Result<OpId, Diagnostic> {
    let file = cx.add_source(name, text);
    parse_file(cx, file, text, opts)
}

fn syntax_error(e: pest::error::Error<Rule>, file: FileId, line_offset: u32) -> Diagnostic {
    let (line, col) = match e.line_col {
        pest::error::LineColLocation::Pos(p) | pest::error::LineColLocation::Span(p, _) => p,
    };
    let e = e.renamed_rules(|r| describe(*r).to_string());
    Diagnostic::error(e.variant.message().into_owned()).at(Some(SourcePos {
        file,
        line: line as u32 + line_offset,
        col: col as u32,
    }))
}

/// Names grammar rules as a user thinks of them, for "expected …" messages.
fn describe(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "end of input",
        Rule::operation | Rule::generic_op | Rule::custom_op => "an operation",
        Rule::op_results | Rule::op_result => "a result list",
        Rule::value_use | Rule::value_uses | Rule::value_name => "an SSA value (`%name`)",
        Rule::bare_op_name => "an operation name",
        Rule::string_lit => "a string literal",
        Rule::region_list | Rule::region => "a region",
        Rule::block | Rule::block_label | Rule::caret_id => "a block label (`^bb0`)",
        Rule::block_args | Rule::block_arg => "a block argument",
        Rule::attr_dict | Rule::dict_attr => "an attribute dictionary",
        Rule::attr_entry => "an attribute entry",
        Rule::attribute | Rule::params | Rule::param => "an attribute",
        Rule::r#type | Rule::type_list | Rule::result_types => "a type",
        Rule::int_type | Rule::float_type | Rule::index_type | Rule::none_type => "a type",
        Rule::tensor_type | Rule::scalar_tensor | Rule::shape => "a tensor type",
        Rule::function_type => "a function type (`(…) -> …`)",
        Rule::dialect_type => "a dialect type",
        Rule::location | Rule::loc_inner => "a location",
        Rule::uint | Rule::int_lit | Rule::int_attr => "an integer",
        Rule::float_lit | Rule::float_attr => "a float",
        Rule::affine_expr | Rule::affine_term | Rule::affine_factor => "an affine expression",
        Rule::affine_map_attr | Rule::affine_dims | Rule::affine_syms => "an affine map",
        Rule::bare_id => "an identifier",
        _ => "a token",
    }
}
