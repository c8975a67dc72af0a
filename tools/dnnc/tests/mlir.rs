//! `dnnc --emit=mlir`. With the `mlir` feature: every bundled model at the graph, einsum and
//! schedule stages, and einsums as linalg, is emitted, and `mlir-opt-22` with dnnc's IRDL
//! (crates/mlir/dnnc.irdl.mlir) must parse and verify each file. Without it: a usage error
//! that says how to build with it.

#[cfg(feature = "mlir")]
use std::path::PathBuf;

mod common;
use common::{dnnc, root};

#[cfg(not(feature = "mlir"))]
#[test]
fn emit_mlir_without_the_feature_is_a_usage_error() {
    let model = root().join("test-suite/models/resnet18.onnx");
    let (code, out, err) = dnnc(&[model.to_str().unwrap(), "--emit=mlir"]);
    assert_eq!(code, dnnc::EXIT_USAGE);
    assert!(out.is_empty());
    assert!(err.contains("--features mlir") && err.contains("setup-mlir.sh"), "{err}");
}

#[cfg(feature = "mlir")]
#[test]
fn mlir_opt_verifies_every_emitted_file() {
    use std::process::Command;
    let irdl = root().join("crates/mlir/dnnc.irdl.mlir");
    let work = std::env::temp_dir().join(format!("dnnc-emit-mlir-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let mut models: Vec<PathBuf> = std::fs::read_dir(root().join("test-suite/models"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "onnx"))
        .collect();
    models.sort();
    let variants: &[(&str, &[&str])] = &[
        ("graph", &["--mlir-stage=graph"]),
        ("einsum", &["--mlir-stage=einsum"]),
        ("linalg", &["--mlir-stage=einsum", "--linalg"]),
        ("schedule", &["--mlir-stage=schedule", "--arch=tpu_like"]),
    ];
    let mut checked = 0;
    let mut failures = Vec::new();
    for model in &models {
        for (name, flags) in variants {
            let file = work.join(format!("{}.{name}.mlir", model.file_stem().unwrap().to_string_lossy()));
            let mut args = vec![model.to_str().unwrap(), "--emit=mlir", "-o", file.to_str().unwrap()];
            args.extend_from_slice(flags);
            let (code, _, err) = dnnc(&args);
            assert_eq!(code, 0, "dnnc {args:?}: {err}");
            let out = Command::new("mlir-opt-22")
                .arg(format!("--irdl-file={}", irdl.display()))
                .arg(&file)
                .arg("-o")
                .arg("/dev/null")
                .output()
                .expect("mlir-opt-22 runs (scripts/setup-mlir.sh installs it)");
            if !out.status.success() {
                let msg = String::from_utf8_lossy(&out.stderr);
                failures.push(format!("{}: {}", file.display(), msg.lines().next().unwrap_or("")));
            }
            checked += 1;
        }
    }
    std::fs::remove_dir_all(&work).ok();
    assert_eq!(checked, models.len() * variants.len());
    assert!(failures.is_empty(), "mlir-opt-22 rejected:\n{}", failures.join("\n"));
}

#[cfg(feature = "mlir")]
#[test]
fn linalg_option_writes_linalg_generic() {
    let model = root().join("test-suite/models/gpt2_l2_s128.onnx");
    let (code, out, err) = dnnc(&[model.to_str().unwrap(), "--emit=mlir", "--linalg"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("\"linalg.generic\""), "no linalg.generic in the output");
    assert!(out.contains("#linalg.iterator_type<reduction>"), "a matmul has a reduction loop");
    let (code, plain, _) = dnnc(&[model.to_str().unwrap(), "--emit=mlir"]);
    assert_eq!(code, 0);
    assert!(!plain.contains("linalg.generic") && plain.contains("\"einsum.op\""));
}

#[test]
fn mlir_flags_need_emit_mlir() {
    let model = root().join("test-suite/models/resnet18.onnx");
    let (code, _, err) = dnnc(&[model.to_str().unwrap(), "--emit=graph", "--linalg"]);
    assert_eq!(code, dnnc::EXIT_USAGE);
    assert!(err.contains("--emit=mlir"), "{err}");
}
