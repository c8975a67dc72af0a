//! dnnc -> MLIR -> dnnc prints the same dnnc IR text: every valid test-suite file and every
//! bundled model at the graph, einsum and schedule stages, with and without the linalg form.
//! The test-suite files' MLIR is also checked by `mlir-opt-22` (the models' by the driver's
//! test, tools/dnnc/tests/mlir.rs).
#![cfg(feature = "mlir")]

mod common;

use common::*;
use dnnc_mlir::{ExportOptions, Mlir, export, import};

fn round_trip(
    mlir: &Mlir,
    cx: &dnnc_ir::Context,
    module: dnnc_ir::OpId,
    opts: ExportOptions,
) -> Result<String, String> {
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
                let got = round_trip(&mlir, &cx, module, ExportOptions { linalg })
                    .unwrap_or_else(|e| panic!("{} {stage} linalg={linalg}: {e}", model.display()));
                assert!(
                    got == want,
                    "{} {stage} linalg={linalg}: text differs\n{}",
                    model.display(),
                    first_diff(&want, &got)
                );
            }
        }
    }
}

/// `mlir-opt-22 --irdl-file=crates/mlir/dnnc.irdl.mlir` parses and verifies the exported text.
fn mlir_opt_accepts(
    mlir: &Mlir,
    cx: &dnnc_ir::Context,
    module: dnnc_ir::OpId,
    opts: ExportOptions,
) -> Result<(), String> {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let text = dnnc_mlir::export_text(mlir, cx, module, opts).map_err(|e| format!("export: {e}"))?;
    let irdl = root().join("crates/mlir/dnnc.irdl.mlir");
    let mut child = Command::new("mlir-opt-22")
        .arg(format!("--irdl-file={}", irdl.display()))
        .args(["-o", "/dev/null"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("mlir-opt-22 runs (scripts/setup-mlir.sh installs it)");
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    if out.status.success() { Ok(()) } else { Err(format!("mlir-opt-22: {}", String::from_utf8_lossy(&out.stderr))) }
}

fn first_diff(a: &str, b: &str) -> String {
    for (i, (x, y)) in a.lines().zip(b.lines()).enumerate() {
        if x != y {
            return format!("line {}:\n- {x}\n+ {y}", i + 1);
        }
    }
    format!("lengths differ: {} vs {} lines", a.lines().count(), b.lines().count())
}

/// Every test-suite `.mlir` chunk (files split at `// -----`) that dnnc parses and verifies.
fn suite_chunks() -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut dirs = vec![root().join("test-suite")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "mlir") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut chunks = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, chunk) in text.split("// -----").enumerate() {
            chunks.push((format!("{}#{i}", file.strip_prefix(root()).unwrap_or(&file).display()), chunk.to_string()));
        }
    }
    chunks
}

#[test]
fn test_suite_files_round_trip() {
    let mlir = Mlir::new().expect("MLIR context");
    let (mut checked, mut failures) = (0, Vec::new());
    for (name, chunk) in suite_chunks() {
        let mut cx = context();
        let Ok(module) = dnnc_ir::parse_source(&mut cx, &name, &chunk, Default::default()) else { continue };
        if dnnc_ir::verify(&cx, module).is_err() {
            continue;
        }
        let want = print(&cx, module);
        for linalg in [false, true] {
            if let Err(e) = mlir_opt_accepts(&mlir, &cx, module, ExportOptions { linalg }) {
                failures.push(format!("{name} linalg={linalg}: {e}"));
            }
            match round_trip(&mlir, &cx, module, ExportOptions { linalg }) {
                Ok(got) if got == want => {}
                Ok(got) => failures.push(format!("{name} linalg={linalg}: text differs\n{}", first_diff(&want, &got))),
                Err(e) => failures.push(format!("{name} linalg={linalg}: {e}")),
            }
        }
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} valid test-suite chunks found");
    assert!(failures.is_empty(), "{} of {checked} chunks fail:\n{}", failures.len(), failures.join("\n"));
}
