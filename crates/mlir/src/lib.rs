//! MLIR interop for dnnc, through [melior](https://docs.rs/melior) (cargo feature `mlir`).
//!
//! - [`export`]: any stage's dnnc IR as an MLIR module in a melior context, verified by MLIR
//!   (dnnc's dialects are loaded from IRDL, [`irdl`]); optionally einsums as `linalg.generic`.
//! - [`import`]: MLIR (a module or text) back into dnnc IR; `dnnc -> MLIR -> dnnc` prints the
//!   same text.
//! - [`pass`]: dnnc passes as MLIR external passes in a melior `PassManager`, and
//!   [`pass::run_pipeline`], what the C ABI (`crates/mlir/capi`) exposes to host compilers.
//!
//! Without the feature only [`irdl`] (the MLIR-form IRDL, pure Rust) is compiled, so the
//! default build needs no LLVM. See docs/mlir.md.

pub mod irdl;

#[cfg(feature = "mlir")]
pub mod context;
#[cfg(feature = "mlir")]
pub mod export;
#[cfg(feature = "mlir")]
pub mod import;
#[cfg(feature = "mlir")]
mod linalg;
#[cfg(feature = "mlir")]
pub mod order;
#[cfg(feature = "mlir")]
pub mod pass;

#[cfg(feature = "mlir")]
pub use context::Mlir;
#[cfg(feature = "mlir")]
pub use export::{ExportOptions, export, export_text};
#[cfg(feature = "mlir")]
pub use import::{import, import_text};
#[cfg(feature = "mlir")]
pub use melior;

/// An interop failure: what went wrong, with MLIR's diagnostics and the op's location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error(pub String);

impl Error {
    pub fn new(msg: impl Into<String>) -> Error {
        Error(msg.into())
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}
