//! dnnc passes inside MLIR's pass manager.
//!
//! [`external_pass`] wraps a dnnc pipeline as one MLIR pass on `builtin.module` (melior's
//! `create_external`): when MLIR runs it, the module is imported into dnnc IR, the dnnc
//! passes run, and the module's body is replaced by the re-exported result. Failures become
//! MLIR errors at the module's location and fail the pass, so MLIR's pass manager reports
//! them like any other pass failure. [`run_pipeline`] is the whole round: MLIR text in, a
//! melior `PassManager` running the dnnc pipeline, verified MLIR text out; the C ABI
//! (`crates/mlir/capi`) exposes exactly this.

use crate::export::{ExportOptions, Exporter};
use crate::{Error, Mlir, import};
use melior::ir::block::BlockLike;
use melior::ir::operation::{OperationLike, OperationRef};
use melior::ir::r#type::TypeId;
use melior::ir::{Module, RegionLike};
use melior::pass::{ExternalPass, Pass, PassManager, create_external};
use std::ffi::CString;
use std::sync::Arc;

#[repr(align(8))]
struct PassId;
/// The MLIR type id of dnnc's external passes.
static DNNC_PASS: PassId = PassId;

/// A dnnc pass pipeline (`builtin.module(canonicalize,topological-sort)`, dnnc-opt's syntax)
/// as an MLIR pass anchored on `builtin.module`. The pipeline is checked here, so a typo is
/// an error now rather than when MLIR runs the pass.
pub fn external_pass(pipeline: &str, opts: ExportOptions) -> Result<Pass, Error> {
    let registry = dnnc_passes::registry();
    dnnc_ir::PassManager::parse(pipeline, &registry, Default::default())
        .map_err(|e| Error::new(format!("dnnc pipeline `{pipeline}`: {e}")))?;
    let pipeline: Arc<str> = pipeline.into();
    let run = move |op: OperationRef<'_, '_>, pass: ExternalPass<'_>| {
        if let Err(e) = run_on(op, &pipeline, opts) {
            let msg = CString::new(e.to_string().replace('\0', " ")).expect("no NUL bytes left");
            // SAFETY: a location of the op being processed and a NUL-terminated message.
            unsafe { mlir_sys::mlirEmitError(op.location().to_raw(), msg.as_ptr()) };
            pass.signal_failure();
        }
    };
    let name = "dnnc";
    Ok(create_external(
        run,
        TypeId::create(&DNNC_PASS),
        name,
        name,
        "dnnc passes run on the module",
        "builtin.module",
        &[],
    ))
}

/// Imports `op` (a `builtin.module`), runs the dnnc pipeline, and writes the result back
/// into `op`'s body.
fn run_on(op: OperationRef<'_, '_>, pipeline: &str, opts: ExportOptions) -> Result<(), Error> {
    let mut cx = dnnc_ir::Context::new(Arc::new(dnnc_passes::dialects()));
    let module = import::import_module_op(&mut cx, op)?;
    let mut pm =
        dnnc_ir::PassManager::parse(pipeline, &dnnc_passes::registry(), Default::default()).map_err(Error::new)?;
    pm.run(&mut cx, module, &mut std::io::sink()).map_err(|e| {
        let notes: Vec<String> = e.diagnostics.iter().map(|d| d.message.clone()).collect();
        Error::new(format!("{e}: {}", notes.join("; ")))
    })?;
    // SAFETY: the pass runs on this op with exclusive access; the reference lives as long as
    // the op, which outlives this call.
    let context = unsafe { op.context().to_ref() };
    let body = op
        .region(0)
        .map_err(|e| Error::new(e.to_string()))?
        .first_block()
        .ok_or_else(|| Error::new("module without a block"))?;
    // Build the new body first (a failure leaves the module untouched), then swap.
    let mut old = Vec::new();
    let mut next = body.first_operation();
    while let Some(o) = next {
        old.push(o.to_raw());
        next = o.next_in_block();
    }
    let mut ex = Exporter::new(context, None, &cx, opts);
    let new_body = cx.body(module, 0).expect("module has a block");
    ex.block_ops(new_body, &body)?;
    // Users before definitions, so no erased op still has uses.
    for raw in old.into_iter().rev() {
        // SAFETY: each op was in the body before the new ops were appended, and nothing else
        // refers to it once its users are gone.
        unsafe {
            mlir_sys::mlirOperationRemoveFromParent(raw);
            mlir_sys::mlirOperationDestroy(raw);
        }
    }
    Ok(())
}

/// Runs the dnnc pipeline `pipeline` over MLIR text `ir` inside a melior `PassManager` (the
/// dnnc passes as one external pass) and returns the verified result in MLIR's generic form.
pub fn run_pipeline(ir: &str, pipeline: &str) -> Result<String, Error> {
    let mlir = Mlir::new()?;
    let mut module: Module = mlir.parse(ir)?;
    let pm = PassManager::new(&mlir.context);
    pm.add_pass(external_pass(pipeline, ExportOptions::default())?);
    pm.run(&mut module).map_err(|_| mlir.error("the dnnc pass failed"))?;
    mlir.verify(&module)?;
    crate::context::print_generic(&module)
}
