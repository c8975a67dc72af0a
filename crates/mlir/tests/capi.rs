//! The C ABI from C: gcc compiles capi/test.c against capi/dnnc.h and the cdylib example
//! (`libdnnc_capi.so`, which `cargo test --features mlir` builds along with the tests), and
//! the program's checks must pass.
#![cfg(feature = "mlir")]

use std::path::{Path, PathBuf};
use std::process::Command;

fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/<profile>/deps/capi-<hash> -> target/<profile>/examples
    exe.parent().and_then(Path::parent).expect("target/<profile>").join("examples")
}

#[test]
fn c_program_runs_dnnc_passes() {
    let dir = examples_dir();
    let lib = dir.join("libdnnc_capi.so");
    assert!(
        lib.exists(),
        "{} is missing: run `cargo test -p dnnc-mlir --features mlir` (it builds the example) or `cargo build -p dnnc-mlir --features mlir --example dnnc_capi`",
        lib.display()
    );
    let capi = Path::new(env!("CARGO_MANIFEST_DIR")).join("capi");
    let work = std::env::temp_dir().join(format!("dnnc-capi-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let exe = work.join("capi-test");
    let status = Command::new("gcc")
        .args(["-std=c99", "-Wall", "-Werror", "-o"])
        .arg(&exe)
        .arg(capi.join("test.c"))
        .arg("-I")
        .arg(&capi)
        .arg("-L")
        .arg(&dir)
        .args(["-ldnnc_capi"])
        .status()
        .expect("gcc runs");
    assert!(status.success(), "gcc failed");
    let out = Command::new(&exe).env("LD_LIBRARY_PATH", &dir).output().expect("test program runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    std::fs::remove_dir_all(&work).ok();
    assert!(out.status.success(), "C test failed:\n{stdout}\n{stderr}");
    assert!(stdout.ends_with("ok\n"), "{stdout}");
}
