//! dnnc passes as MLIR external passes: a melior `PassManager` running the lowering pipeline
//! on an MLIR module gives the same IR as dnnc running it directly; failures surface as MLIR
//! pass failures carrying dnnc's message.
#![cfg(feature = "mlir")]

mod common;

use common::*;
use dnnc_mlir::pass::external_pass;
use dnnc_mlir::{ExportOptions, Mlir, export, import};
use melior::pass::PassManager;

const LOWER: &str = "builtin.module(graph-canonicalize,lower-graph-to-einsum,fold-layout-into-access)";

#[test]
fn lowering_inside_mlir_matches_dnnc() {
    let mlir = Mlir::new().unwrap();
    for model in models().iter().filter(|m| !m.to_string_lossy().contains("l12")) {
        let mut cx = context();
        let module = model_ir(&mut cx, model, "graph");
        let mut exported = export(&mlir, &cx, module, ExportOptions::default()).unwrap();

        let pm = PassManager::new(&mlir.context);
        pm.add_pass(external_pass(LOWER, ExportOptions::default()).unwrap());
        pm.run(&mut exported).unwrap_or_else(|e| panic!("{}: {e}: {}", model.display(), mlir.error("pass")));
        mlir.verify(&exported).unwrap();
        let mut back = context();
        let imported = import(&mut back, &exported).unwrap();

        let mut direct = context();
        let want = model_ir(&mut direct, model, "einsum");
        assert_eq!(print(&back, imported), print(&direct, want), "{}", model.display());
    }
}

#[test]
fn a_module_dnnc_cannot_read_fails_the_mlir_pipeline() {
    let mlir = Mlir::new().unwrap();
    // dnnc has no dense elements attributes: the import inside the pass fails.
    let text = r#""func.func"() <{function_type = () -> tensor<2xi32>, sym_name = "f"}> ({
  %0 = "arith.constant"() <{value = dense<[1, 2]> : tensor<2xi32>}> : () -> tensor<2xi32>
  "func.return"(%0) : (tensor<2xi32>) -> ()
}) : () -> ()"#;
    let mut module = mlir.parse(text).unwrap();
    let pm = PassManager::new(&mlir.context);
    pm.add_pass(external_pass("builtin.module(canonicalize)", ExportOptions::default()).unwrap());
    assert!(pm.run(&mut module).is_err());
    let msg = mlir.error("pipeline").to_string();
    assert!(msg.contains("dnnc cannot read `dense<[1, 2]> : tensor<2xi32>`"), "{msg}");
    // The module is left as it was.
    assert!(module.as_operation().to_string().contains("dense<[1, 2]>"));
}

#[test]
fn unknown_passes_are_rejected_when_the_pass_is_built() {
    let err = external_pass("builtin.module(no-such-pass)", ExportOptions::default()).err().expect("unknown pass");
    assert!(err.to_string().contains("no-such-pass"), "{err}");
}

#[test]
fn run_pipeline_folds_mlir_text() {
    let text = r#""func.func"() <{function_type = () -> i32, sym_name = "f"}> ({
  %0 = "arith.constant"() <{value = 40 : i32}> : () -> i32
  %1 = "arith.constant"() <{value = 2 : i32}> : () -> i32
  %2 = "arith.addi"(%0, %1) : (i32, i32) -> i32
  "func.return"(%2) : (i32) -> ()
}) : () -> ()"#;
    let out = dnnc_mlir::pass::run_pipeline(text, "builtin.module(func.func(canonicalize))").unwrap();
    assert!(out.contains("value = 42 : i32") && !out.contains("arith.addi"), "{out}");
    // The output is MLIR that MLIR reads again.
    Mlir::new().unwrap().parse(&out).unwrap();
}
