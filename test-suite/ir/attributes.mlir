// RUN: dnnc-opt %s --allow-unregistered-dialect
// Attribute syntax: integers and floats with types, strings with escapes, bools, unit,
// arrays, nested dictionaries, types, symbol references and dialect attributes.

"test.ints"() {a = 42, b = -7 : i32, c = 255 : i8, d = 3 : index, e = 0x10 : i64, f = 1 : ui8} : () -> ()
"test.halfs"() {inf16 = 0x7C00 : f16, one16 = 0x3C00 : f16, ninf_bf16 = 0xFF80 : bf16, nan32 = 0x7FC00000 : f32, max16 = 65504.0 : f16} : () -> ()
"test.floats"() {a = 0.5, b = 1.5 : f32, c = -2.25e-7 : f64, d = 1.0e+20, e = 0x7FF0000000000000 : f64, f = 0.1 : f32, g = 3.0 : f16} : () -> ()
"test.strings"() {plain = "fc1", quote = "say \"hi\"", tab = "a\tb", newline = "line\nbreak", bytes = "\01\7F", utf8 = "µ-ops"} : () -> ()
"test.misc"() {flag, t = true, f = false, u = unit, arr = [1, 2, [3, "x"]], empty = [], dict = {k = 1, nested = {z = "deep"}}} : () -> ()
"test.refs"() {ty = tensor<4xf32>, fn = (i32) -> i32, callee = @main, quoted = @"with space", dia = #test.mapping<level = 2, order = ["k", "c"]>, bare = #test.flag} : () -> ()
"test.keys"() {"quoted key" = 1, dotted.key = 2, "" = 3} : () -> ()
