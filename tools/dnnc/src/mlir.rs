//! `--emit=mlir`: the IR of one stage exported into MLIR by dnnc-mlir and printed in MLIR's
//! generic form, after MLIR's verifier (with dnnc's dialects loaded from IRDL) accepted it.
//! Needs a build with the `mlir` feature (LLVM/MLIR 22, `scripts/setup-mlir.sh`); without
//! it the stage is a usage error saying how to get it.

use crate::{Args, EXIT_USAGE, Emit};
use dnnc_ir::{Context, OpId, PrintOptions, print_module};

/// The stage `--emit=mlir` exports: `--mlir-stage`, else schedule with `--arch`, else einsum.
fn stage(args: &Args) -> &str {
    args.mlir_stage.as_deref().unwrap_or(if args.arch.is_some() { "schedule" } else { "einsum" })
}

/// Whether this run exports `stage` to MLIR.
pub(crate) fn at(args: &Args, stage_name: &str) -> bool {
    args.emit == Emit::Mlir && stage(args) == stage_name
}

/// Usage checks before any work: the feature, and an accelerator for the schedule stage.
pub(crate) fn check(args: &Args) -> Result<(), (i32, String)> {
    if args.emit != Emit::Mlir {
        if args.mlir_stage.is_some() || args.linalg {
            return Err((EXIT_USAGE, "dnnc: error: --mlir-stage and --linalg go with --emit=mlir\n".into()));
        }
        return Ok(());
    }
    if !cfg!(feature = "mlir") {
        return Err((
            EXIT_USAGE,
            "dnnc: error: --emit=mlir needs dnnc built with MLIR: run scripts/setup-mlir.sh, then \
             `cargo build -p dnnc --features mlir` (see docs/mlir.md)\n"
                .into(),
        ));
    }
    if stage(args) == "schedule" && args.arch.is_none() {
        return Err((EXIT_USAGE, "dnnc: error: --mlir-stage=schedule needs --arch (e.g. --arch tpu_like)\n".into()));
    }
    Ok(())
}

/// The module as MLIR for `--emit=mlir`, else as dnnc IR text.
pub(crate) fn or_print(args: &Args, cx: &Context, module: OpId, print: PrintOptions) -> Result<String, (i32, String)> {
    if args.emit != Emit::Mlir {
        return Ok(print_module(cx, module, print));
    }
    export(args, cx, module)
}

#[cfg(feature = "mlir")]
fn export(args: &Args, cx: &Context, module: OpId) -> Result<String, (i32, String)> {
    let fail = |e: dnnc_mlir::Error| (crate::EXIT_FAILURE, format!("dnnc: error: {}: MLIR export: {e}\n", args.model));
    let mlir = dnnc_mlir::Mlir::new().map_err(fail)?;
    let text =
        dnnc_mlir::export_text(&mlir, cx, module, dnnc_mlir::ExportOptions { linalg: args.linalg }).map_err(fail)?;
    Ok(text)
}

#[cfg(not(feature = "mlir"))]
fn export(_: &Args, _: &Context, _: OpId) -> Result<String, (i32, String)> {
    unreachable!("check() rejects --emit=mlir without the mlir feature")
}
