//! Reading models written in the ONNX textual syntax (`.onnxtxt`): the language of Python's
//! `onnx.parser.parse_model`, documented in ONNX's `docs/Syntax.md`.
//!
//! ```text
//! <ir_version: 8, opset_import: ["" : 17]>
//! mlp (float[N, 4] X) => (float[N, 2] Y)
//! <float[2, 4] W = ["location": "mlp.weights"], float[2] B = {0.5, -0.5}>
//! {
//!     [fc] Y = Gemm <transB = 1> (X, W, B)   # a comment
//! }
//! ```
//!
//! [`parse_model_text`] parses such text with a pest grammar (`onnx.pest`) into the same
//! [`ModelProto`](crate::proto::ModelProto) that `onnx.parser` builds, field for field (including
//! which optional fields are present), and wraps it as a [`Model`]; so a text model imports
//! exactly like the `.onnx` file `onnx.save` would write for it. [`read_model_any`] picks the
//! reader by file extension. `bench/onnx-text-crosscheck.sh` compares the result with
//! `onnx.parser` on every model in `test-suite/onnxtxt/`.
//!
//! Covered: the model header (`ir_version`, `opset_import`, `producer_name`, `producer_version`,
//! `domain`, `model_version`, `doc_string`, `metadata_props`); the graph name; inputs, outputs
//! and value infos typed by every element type name of `onnx.parser` (`float`, `float16`,
//! `bfloat16`, `double`, `int8`…`int64`, `uint8`…`uint64`, `bool`, `string`, the complex, 2-,
//! 4-, 6- and 8-bit types) with integer, symbolic (`N`) or unknown (`?`) dimensions, scalars
//! (`float X`, rank 0) and unranked tensors (`float[] X`), `seq(..)`, `map(..)`, `optional(..)`,
//! `sparse_tensor(..)` and `opaque(..)` types, and untyped names; initializers with inline data
//! (`float[2] w = {1.0, 2.0}`, in the input list or in the `<...>` list after the outputs) or
//! external data (`float[2] w = ["location": "w.bin"]`); nodes with optional `[label]`,
//! several or omitted outputs and inputs (`Op(X, , Z)`), domain-qualified operators
//! (`com.microsoft.Foo`), attributes before or after the inputs with int, float (including
//! `inf`/`nan`), string, list, typed tensor (`float[2] {1.0, 2.0}`), type (`float[3]`) and graph
//! values (`then_branch = then_graph () => (float y) { ... }`), lists of tensors, graphs and
//! types, and type annotations (`axes: ints = []`); quoted names (`"onnx::Conv_1"`) wherever a
//! name may be quoted; `#` comments.
//!
//! Like `onnx.parser`: values of `float16`, `bfloat16` and the other small float types are
//! written as integers (their bit patterns), stored in `int32_data`; a backslash in a string
//! makes the next character literal (`"\n"` is `n`); a list takes its element kind from its
//! first element (`[1.5, 2]` is FLOATS, `[1, 2.5]` is an error).
//!
//! Not covered, each reported as an error at its position: model-local functions after the main
//! graph, attribute references (`@name`, meaningful only inside functions) and sparse tensor
//! values. Stricter than `onnx.parser`, which accepts these and leaves them to `onnx.checker`:
//! a tensor whose number of values differs from its shape, a negative value for an unsigned
//! type, the same attribute twice in a node, the same header key or operator set twice, the
//! same name twice among a graph's inputs or among its initializers, and a named attribute
//! tensor without values (`float[2] t`). Where `onnx.parser` 1.23 silently drops the elements of
//! a list of tensors, graphs or types, dnnc keeps them; a graph attribute may have a quoted name.
//!
//! Errors are [`OnnxError::TextSyntax`] values holding a [`TextError`]: `file:line:col`, the
//! message, the offending line and a caret. No input makes the parser panic; nesting (types,
//! graphs in attributes) deeper than [`MAX_NESTING`] is an error.

mod build;

use std::path::Path;

use crate::error::OnnxError;
use crate::model::{Model, read_model};

pub use build::MAX_NESTING;

#[derive(pest_derive::Parser)]
#[grammar = "text/onnx.pest"]
struct OnnxTextGrammar;

/// A syntax error (or a value the syntax cannot mean) in ONNX text, at a line and column.
/// It displays as `file:line:col: message`, then the offending line and a caret under the
/// column, like the IR parser's diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{col}: {message}\n{}", snippet(.source_line, *.col))]
pub struct TextError {
    /// The file or source name.
    pub file: String,
    /// The line, from 1.
    pub line: usize,
    /// The column in characters, from 1.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// The text of the offending line, without its line break.
    pub source_line: String,
}

impl TextError {
    /// An error at byte offset `pos` of `text`.
    pub(crate) fn at(file: &str, text: &str, pos: usize, message: impl Into<String>) -> TextError {
        let pos = floor_char_boundary(text, pos.min(text.len()));
        let line_start = text[..pos].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = text[..pos].matches('\n').count() + 1;
        let col = text[line_start..pos].chars().count() + 1;
        let source_line = text[line_start..line_end].trim_end_matches('\r').to_string();
        TextError { file: file.to_string(), line, col, message: message.into(), source_line }
    }
}

impl From<TextError> for OnnxError {
    fn from(e: TextError) -> OnnxError {
        OnnxError::TextSyntax(Box::new(e))
    }
}

fn floor_char_boundary(text: &str, mut pos: usize) -> usize {
    while !text.is_char_boundary(pos) {
        pos -= 1;
    }
    pos
}

/// The offending line indented by two spaces, and a caret under column `col` (tabs before the
/// column are kept so the caret lines up).
fn snippet(line: &str, col: usize) -> String {
    let pad: String = line.chars().take(col.saturating_sub(1)).map(|c| if c == '\t' { '\t' } else { ' ' }).collect();
    format!("  {line}\n  {pad}^")
}

/// Parses a model in the ONNX textual syntax. `source_name` (usually the file name) starts
/// every error message.
///
/// ```
/// use dnnc_onnx::{Dim, OnnxError, parse_model_text};
///
/// let text = r#"<ir_version: 8, opset_import: ["" : 17]>
///     mlp (float[N, 4] X) => (float[N, 2] Y)
///     <float[2, 4] W = ["location": "mlp.weights"], float[2] B = {0.5, -0.5}>
///     { [fc] Y = Gemm <transB = 1> (X, W, B) }"#;
/// let model = parse_model_text(text, "mlp.onnxtxt")?;
/// assert_eq!(model.opset_version(""), Some(17));
/// let graph = model.graph();
/// assert_eq!(graph.inputs().next().unwrap().shape()?, Some(vec![Dim::Symbolic("N".into()), Dim::Static(4)]));
/// assert_eq!(graph.nodes().next().unwrap().attr_int("transB")?, 1);
///
/// let err = parse_model_text("g (floaty X) => () {}", "bad.onnxtxt").unwrap_err();
/// assert!(matches!(&err, OnnxError::TextSyntax(e) if (e.line, e.col) == (1, 11)));
/// assert!(err.to_string().starts_with("bad.onnxtxt:1:11: expected"));
/// # Ok::<(), OnnxError>(())
/// ```
pub fn parse_model_text(text: &str, source_name: &str) -> Result<Model, OnnxError> {
    let proto = build::parse(text, source_name)?;
    Model::from_proto(proto, source_name)
}

/// Reads a `.onnxtxt` file (ONNX textual syntax). A file that is not UTF-8 is an error at the
/// first bad byte.
pub fn read_model_text(path: impl AsRef<Path>) -> Result<Model, OnnxError> {
    let path = path.as_ref();
    let file = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|source| OnnxError::Io { file: file.clone(), source })?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let prefix = String::from_utf8_lossy(&e.as_bytes()[..valid]).into_owned();
            return Err(TextError::at(&file, &prefix, valid, "the file is not valid UTF-8").into());
        }
    };
    parse_model_text(&text, &file)
}

/// Reads a model file of either form: ONNX text if the extension is `.onnxtxt`, else protobuf
/// (see [`read_model`]).
pub fn read_model_any(path: impl AsRef<Path>) -> Result<Model, OnnxError> {
    let path = path.as_ref();
    if path.extension().is_some_and(|e| e == "onnxtxt") { read_model_text(path) } else { read_model(path) }
}
