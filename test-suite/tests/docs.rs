//! `docs/passes.md` is generated from the pass table; this test fails when it is stale.
//! Regenerate with `DNNC_BLESS=1 cargo test -p dnnc-test-suite --test docs`
//! (or `cargo run -p dnnc-opt -- --dump-pass-docs > docs/passes.md`).

use std::path::Path;

#[test]
fn pass_reference_is_up_to_date() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/passes.md");
    let generated = dnnc_passes::registry().markdown();
    if std::env::var_os("DNNC_BLESS").is_some() {
        std::fs::write(&path, &generated).expect("write docs/passes.md");
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == generated,
        "docs/passes.md is stale; regenerate it with DNNC_BLESS=1 cargo test -p dnnc-test-suite --test docs"
    );
}
