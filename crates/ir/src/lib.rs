//! # dnnc-ir — the IR core every dnnc layer is built on
//!
//! An MLIR-style IR in Rust: operations with dialect-qualified names, operands, results,
//! ordered attributes, regions of blocks with arguments, and a location; interned types;
//! a lossless text form compatible with MLIR's generic syntax; a verifier; a rewriter with a
//! greedy pattern driver; petgraph views; and a pass manager with MLIR's textual pipelines.
//!
//! ```
//! use dnnc_ir::{Context, ParseOptions, parse_source, print_module, verify, PrintOptions};
//!
//! let mut cx = Context::default();
//! cx.set_allow_unregistered(true);
//! let text = "%0 = \"test.op\"() {value = 3 : i32} : () -> tensor<4x8xf32> loc(\"model.onnx\":3:1)\n";
//! let module = parse_source(&mut cx, "example.mlir", text, ParseOptions::default()).unwrap();
//! verify(&cx, module).unwrap();
//! assert_eq!(print_module(&cx, module, PrintOptions::default()), text);
//! ```
//!
//! Layout: [`context`] owns the arenas; [`types`], [`attrs`], [`affine`] and [`location`]
//! define the values the IR talks about; [`dialect`] declares ops; [`parse`] and [`print`] are
//! the text form; [`verify`](mod@verify) checks invariants; [`rewrite`] and [`graph`] serve
//! passes; [`pass`] runs them. See `docs/ir.md` for the text reference.

pub mod affine;
pub mod attrs;
pub mod builtin;
pub mod context;
pub mod diag;
pub mod dialect;
pub mod graph;
mod ids;
pub mod irdl;
pub mod location;
pub mod parse;
pub mod pass;
pub mod print;
pub mod rewrite;
pub mod types;
pub mod verify;

pub use affine::{AffineBinOp, AffineExpr, AffineMap};
pub use attrs::{AttrDict, Attribute};
pub use context::{BlockOps, Context, OperationState, Use, ValueDef};
pub use diag::{Diagnostic, Diagnostics, Severity, render_all};
pub use dialect::{Dialect, DialectRegistry, OpDef, Traits};
pub use ids::{BlockId, OpId, OpNameId, RegionId, TypeId, ValueId};
pub use location::{FileId, Location, SourceMap, SourcePos};
pub use parse::{ParseOptions, parse_file, parse_source};
pub use pass::{Changed, Pass, PassContext, PassInfo, PassManager, PassManagerOptions, PassRegistry, PipelineSpec};
pub use print::{PrintOptions, print_module, print_op};
pub use rewrite::{GreedyConfig, PatternSet, RewritePattern, Rewriter, apply_patterns_greedily};
pub use types::{FloatKind, Signedness, TypeData, TypeParam};
pub use verify::verify;
