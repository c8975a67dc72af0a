//! The dataflow stages of the driver: GPT-2 (2 layers, 128 tokens) on the U55C as HLS C++ that
//! g++ accepts (`-fsyntax-only` against test-suite/hls/hls_stream.h), kernel descriptors that
//! parse, and a board TOML file given to `--arch`.

use std::process::Command;

mod common;
use common::{dnnc, root};

#[test]
fn gpt2_hls_compiles_with_gxx() {
    let model = root().join("test-suite/models/gpt2_l2_s128.onnx");
    let (code, cpp, err) = dnnc(&[model.to_str().unwrap(), "--arch", "u55c", "--emit=hls"]);
    assert_eq!(code, 0, "{err}");
    assert!(cpp.contains("#pragma HLS DATAFLOW") && cpp.contains("hls::stream<"), "not a dataflow design");
    assert!(cpp.matches("static void kernel_").count() >= 20, "too few kernels for two transformer layers");
    syntax_check("gpt2", &cpp);
}

/// g++ accepts `cpp` against the test `hls_stream.h` without a warning (syntax only), unless
/// g++ is absent.
fn syntax_check(name: &str, cpp: &str) {
    if Command::new("g++").arg("--version").output().is_err() {
        eprintln!("SKIPPED: g++ is not installed; the {name} design was emitted but not compiled");
        return;
    }
    let dir = std::env::temp_dir().join(format!("dnnc-{name}-hls-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let src = dir.join(format!("{name}.cpp"));
    std::fs::write(&src, cpp).unwrap();
    let out = Command::new("g++")
        .args(["-std=c++17", "-fsyntax-only", "-Wall", "-Wno-unknown-pragmas", "-Wno-unused-label", "-I"])
        .arg(root().join("test-suite/hls"))
        .arg(&src)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(out.status.success(), "g++ rejected the {name} design:\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "g++ warned on {name}:\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn gpt2_pipelined_regions() {
    let model = root().join("test-suite/models/gpt2_l2_s128.onnx");
    let model = model.to_str().unwrap();
    let args = |emit: &'static str| [model, "--arch", "u55c", emit, "--regions", "pipelined"];
    let (code, report, err) = dnnc(&args("--emit=report"));
    assert_eq!(code, 0, "{err}");
    let line =
        report.lines().find(|l| l.trim_start().starts_with("pipelined      one request")).expect("a pipelined line");
    // "one request every P ms (…); L ms a request, N request(s) in flight"
    let ms_before = |marker: &str| -> f64 {
        let head = &line[..line.find(marker).unwrap_or_else(|| panic!("no '{marker}' in {line}"))];
        head.split_whitespace().last().unwrap().parse().unwrap()
    };
    let period = ms_before(" ms (");
    let latency = ms_before(" ms a request");
    assert!(period > 0.0 && period < 0.6 * latency, "{line}");
    assert!(line.contains("request(s) in flight"), "{line}");
    let d: dnnc_emit::kernels::KernelDesign = {
        let (code, json, err) = dnnc(&args("--emit=kernels"));
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&json).unwrap()
    };
    assert_eq!(d.execution.regions, "pipelined");
    let p = d.execution.pipeline.expect("a pipeline");
    assert!(p.period_cycles < 0.6 * p.request_latency_cycles, "{p:?}");
    assert!(p.in_flight >= 2, "{p:?}");
    let designs = d.regions.iter().map(|r| r.design).collect::<std::collections::BTreeSet<_>>().len();
    let (code, cpp, err) = dnnc(&args("--emit=hls"));
    assert_eq!(code, 0, "{err}");
    assert_eq!(cpp.matches("extern \"C\" void main_design").count(), designs);
    syntax_check("gpt2-pipelined", &cpp);
}

#[test]
fn gpt2_kernel_descriptors() {
    let model = root().join("test-suite/models/gpt2_l2_s128.onnx");
    let (code, json, err) = dnnc(&[model.to_str().unwrap(), "--arch", "u280", "--emit=kernels"]);
    assert_eq!(code, 0, "{err}");
    let d: dnnc_emit::kernels::KernelDesign = serde_json::from_str(&json).unwrap();
    assert_eq!(d.board.name, "u280");
    assert!(d.kernels.iter().any(|k| k.einsums.iter().any(|e| e.part.as_deref() == Some("softmax"))));
    assert!(d.dma.iter().all(|m| m.hbm_channel < 32));
}

#[test]
fn a_board_file_is_an_fpga_target() {
    let dir = std::env::temp_dir().join(format!("dnnc-board-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let board = dir.join("half_u55c.toml");
    let text = dnnc_arch::fpga::preset_source("u55c").unwrap().replace("name = \"u55c\"", "name = \"half\"");
    std::fs::write(&board, text).unwrap();
    let model = root().join("test-suite/hls/residual.onnxtxt");
    let (code, json, err) = dnnc(&[model.to_str().unwrap(), "--arch", board.to_str().unwrap(), "--emit=kernels"]);
    assert_eq!(code, 0, "{err}");
    assert!(json.contains("\"name\": \"half\""), "{json}");
    // The same file is not an accelerator.
    let (code, _, err) = dnnc(&[model.to_str().unwrap(), "--arch", board.to_str().unwrap(), "--emit=schedule"]);
    assert_eq!(code, dnnc::EXIT_USAGE);
    assert!(err.contains("is an FPGA board"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}
