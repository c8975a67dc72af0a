//! Runs every test file under `test-suite/` and compares its output with its snapshot in
//! `test-suite/snapshots/`. Adding a test = adding a file.

use std::path::Path;

#[test]
fn golden() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = dnnc_test_suite::discover(root);
    assert!(!files.is_empty(), "no test files found under {}", root.display());
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(root.join("snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let _guard = settings.bind_to_scope();
    for rel in files {
        let path = rel.to_string_lossy().replace('\\', "/");
        let output = dnnc_test_suite::run_test(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let name = path.trim_end_matches(".mlir").replace('/', "__");
        insta::with_settings!({ input_file => root.join(&rel) }, {
            insta::assert_snapshot!(name, output);
        });
    }
}
