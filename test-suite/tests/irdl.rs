//! The IRDL files under `dialects/<name>/` are generated from the Rust op tables; this test
//! fails when one is stale. Regenerate with `DNNC_BLESS=1 cargo test -p dnnc-test-suite --test
//! irdl` (or `dnnc-opt --dump-irdl <name>`).

use std::path::Path;

#[test]
fn irdl_definitions_are_up_to_date() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let registry = dnnc_passes::dialects();
    let mut checked = 0;
    for d in registry.dialects().filter(|d| !dnnc_ir::irdl::MLIR_NATIVE.contains(&d.name)) {
        let path = root.join(format!("dialects/{0}/{0}.irdl.mlir", d.name));
        let generated = dnnc_ir::irdl::export_dialect(d);
        if std::env::var_os("DNNC_BLESS").is_some() {
            std::fs::write(&path, &generated).expect("write IRDL file");
        }
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(current == generated, "{} is stale; regenerate it with DNNC_BLESS=1", path.display());
        checked += 1;
    }
    assert_eq!(checked, 4, "graph, einsum, sched and dataflow have IRDL definitions");
}
