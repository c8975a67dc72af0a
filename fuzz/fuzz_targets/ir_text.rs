//! Any text through the IR parser, verifier and printer; whatever parses and verifies must print
//! to text that parses back to the same print (the round-trip fixed point).
#![no_main]

use dnnc_ir::{Context, ParseOptions, PrintOptions, parse_source, print_module, verify};
use libfuzzer_sys::fuzz_target;
use std::sync::Arc;

fuzz_target!(|text: &str| {
    let registry = Arc::new(dnnc_passes::dialects());
    let mut cx = Context::new(registry.clone());
    cx.set_allow_unregistered(true);
    let Ok(module) = parse_source(&mut cx, "fuzz.mlir", text, ParseOptions::default()) else { return };
    if verify(&cx, module).is_err() {
        return;
    }
    let printed = print_module(&cx, module, PrintOptions::default());
    let mut again = Context::new(registry);
    again.set_allow_unregistered(true);
    let reparsed = parse_source(&mut again, "printed.mlir", &printed, ParseOptions::default())
        .unwrap_or_else(|d| panic!("printed IR does not parse: {}\n{printed}", d.message));
    assert_eq!(print_module(&again, reparsed, PrintOptions::default()), printed);
});
