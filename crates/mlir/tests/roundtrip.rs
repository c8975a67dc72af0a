//! dnnc -> MLIR -> dnnc prints the same dnnc IR text: every valid test-suite file and every
//! bundled model at the graph, einsum and schedule stages, with and without the linalg form.
#![cfg(feature = "mlir")]

mod common;

use common::*;
use dnnc_mlir::{ExportOptions, Mlir, export, import};

fn round_trip(mlir: &Mlir, cx: &dnnc_ir::Context, module: dnnc_ir::OpId, opts: ExportOptions) -> Result<String, String> {
    let exported = export(mlir, cx, module, opts).map_err(|e| format!("export: {e}"))?;
    let mut back = context();
    let imported = import(&mut back, &exported).map_err(|e| format!("import: {e}"))?;
    dnnc_ir::verify(&back, imported).map_err(|d| format!("imported IR does not verify: {}", d[0].message))?;
    Ok(print(&back, imported))
}

#[test]
fn models_round_trip_at_every_stage() {
    let mlir = Mlir::new().expect("MLIR context");
    for model in models() {
        for stage in STAGES {
            let mut cx = context();
            let module = model_ir(&mut cx, &model, stage);
            let want = print(&cx, module);
            for linalg in [false, true] {
                let got = round_trip(&mlir, &cx, module, ExportOptions { linalg }).unwrap_or_else(|e| panic!("{} {stage} linalg={linalg}: {e}", model.display()));
                assert!(got == want, "{} {stage} linalg={linalg}: text differs\n{}", model.display(), first_diff(&want, &got));
            }
        }
    }
}

fn first_diff(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!("lengths differ: {} vs {} lines", a.lines().count(), b.lines().count())
}
