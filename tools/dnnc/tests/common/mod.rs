//! What the driver's integration tests share: the repository root and an in-process `dnnc`.
// Each test binary uses its own subset of these.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root (test data paths are relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Runs the driver in process: exit code, stdout, stderr.
pub fn dnnc(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["dnnc".to_string()];
    argv.extend(args.iter().map(|s| s.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = dnnc::run(&argv, &mut out, &mut err);
    (code, String::from_utf8_lossy(&out).into_owned(), String::from_utf8_lossy(&err).into_owned())
}
