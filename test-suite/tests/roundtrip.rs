//! `print(parse(x))` is a fixed point: for every case of every test file that parses and
//! verifies, printing, re-parsing and printing again gives the same text — in the custom and
//! the generic form, with and without locations.

use dnnc_ir::{Context, ParseOptions, PrintOptions, parse_source, print_module, verify};
use std::path::Path;
use std::sync::Arc;

fn parse_and_print(text: &str, allow: bool, opts: PrintOptions) -> Option<String> {
    let mut cx = Context::new(Arc::new(dnnc_passes::dialects()));
    cx.set_allow_unregistered(allow);
    let m = parse_source(&mut cx, "case.mlir", text, ParseOptions::default()).ok()?;
    verify(&cx, m).ok()?;
    Some(print_module(&cx, m, opts))
}

#[test]
fn printing_is_a_fixed_point_for_every_test_file() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for rel in dnnc_test_suite::discover(root) {
        let text = std::fs::read_to_string(root.join(&rel)).unwrap();
        let allow = text.contains("--allow-unregistered-dialect");
        for (i, case) in text.split("// -----").enumerate() {
            for opts in [
                PrintOptions::default(),
                PrintOptions { generic: true, locations: true },
                PrintOptions { generic: false, locations: false },
            ] {
                let Some(first) = parse_and_print(case, allow, opts) else {
                    continue;
                };
                let second = parse_and_print(&first, allow, opts)
                    .unwrap_or_else(|| panic!("{}: case {i}: printed IR does not parse back:\n{first}", rel.display()));
                assert_eq!(first, second, "{}: case {i}: print(parse(x)) is not a fixed point", rel.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "only {checked} cases round-tripped; test files missing?");
}
