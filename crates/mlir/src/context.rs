//! The MLIR context dnnc IR lives in: MLIR's dialects (builtin, func, arith, math, linalg,
//! tensor, gpu),
//! dnnc's dialects loaded from their IRDL ([`crate::irdl`]), and a diagnostic handler that
//! collects MLIR's messages so errors carry them instead of printing to stderr.

use crate::Error;
use melior::dialect::DialectRegistry;
use melior::ir::Module;
use melior::ir::operation::OperationLike;
use melior::utility::{load_irdl_dialects, register_all_dialects};
use std::cell::RefCell;
use std::rc::Rc;

/// An MLIR context ready for dnnc IR, and the diagnostics MLIR reported in it.
pub struct Mlir {
    pub context: melior::Context,
    diagnostics: Rc<RefCell<Vec<String>>>,
}

impl Mlir {
    /// A context with MLIR's dialects and dnnc's IRDL dialects loaded. Multithreading is off:
    /// dnnc passes run inside MLIR as external passes and must not be cloned across threads.
    pub fn new() -> Result<Mlir, Error> {
        let registry = DialectRegistry::new();
        register_all_dialects(&registry);
        let context = melior::Context::new_with_registry(&registry, false);
        for d in ["builtin", "func", "arith", "linalg", "tensor", "math", "gpu", "irdl"] {
            context.get_or_load_dialect(d);
        }
        let diagnostics = Rc::new(RefCell::new(Vec::new()));
        let sink = diagnostics.clone();
        context.attach_diagnostic_handler(move |d| {
            sink.borrow_mut().push(d.to_string());
            true
        });
        let mlir = Mlir { context, diagnostics };
        let irdl = crate::irdl::irdl_module(&dnnc_passes::dialects());
        let defs = Module::parse(&mlir.context, &irdl).ok_or_else(|| mlir.error("parsing dnnc's IRDL"))?;
        if !load_irdl_dialects(&defs) {
            return Err(mlir.error("loading dnnc's IRDL dialects"));
        }
        Ok(mlir)
    }

    /// An error for `what`, with every diagnostic MLIR reported since the last error.
    pub fn error(&self, what: &str) -> Error {
        let diags: Vec<String> = self.diagnostics.borrow_mut().drain(..).collect();
        if diags.is_empty() { Error::new(what) } else { Error::new(format!("{what}: {}", diags.join("; "))) }
    }

    /// Drops collected diagnostics (after an operation that succeeded).
    pub fn clear_diagnostics(&self) {
        self.diagnostics.borrow_mut().clear();
    }

    /// Parses MLIR text (any form MLIR reads) into a module, verified.
    pub fn parse<'c>(&'c self, text: &str) -> Result<Module<'c>, Error> {
        let module = Module::parse(&self.context, text).ok_or_else(|| self.error("MLIR rejected the input"))?;
        self.verify(&module)?;
        Ok(module)
    }

    /// Runs MLIR's verifier (which checks dnnc ops against their IRDL definitions).
    pub fn verify(&self, module: &Module) -> Result<(), Error> {
        if module.as_operation().verify() {
            self.clear_diagnostics();
            Ok(())
        } else {
            Err(self.error("MLIR verification failed"))
        }
    }
}

/// MLIR text of a module in the generic form with locations, as `mlir-opt` reads it without
/// knowing anything about dnnc.
pub fn print_generic(module: &Module) -> Result<String, Error> {
    let flags = melior::ir::operation::OperationPrintingFlags::new()
        .enable_debug_info(true, false)
        .print_generic_operation_form();
    module.as_operation().to_string_with_flags(flags).map_err(|e| Error::new(format!("printing MLIR: {e}")))
}
