//! `dnnc_einsum::stream_dims` on the einsum chains fused groups are made of.
use std::sync::Arc;

use dnnc_ir::{Context, DialectRegistry, OpId, ParseOptions, parse_source};

fn einsums(src: &str) -> (Context, Vec<OpId>) {
    let registry = DialectRegistry::new().with(&dnnc_func::DIALECT).with(&dnnc_einsum::DIALECT);
    let mut cx = Context::new(Arc::new(registry));
    let module = parse_source(&mut cx, "t.mlir", src, ParseOptions::default()).unwrap();
    let ops = cx.nested_ops(module).into_iter().filter(|&o| cx.is(o, dnnc_einsum::OP)).collect();
    (cx, ops)
}

/// Q·Kᵀ with the heads folded into the 64-wide Q and K columns, a softmax-like elementwise
/// step with a broadcast mask, and P·V: streamable along the heads, which partition every
/// operand of both MAC einsums; the mask is re-read at each step.
const ATTENTION: &str = r#"
"func.func"() ({
^bb0(%q: tensor<32x64xi8>, %k: tensor<32x64xi8>, %v: tensor<32x64xi8>, %mask: tensor<32x32xi8>):
  %s = "einsum.op"(%q, %k) {kind = "mac", dims = ["B", "M", "N", "K"], sizes = [4, 32, 32, 16], maps = [affine_map<(b, m, n, k) -> (m, b * 16 + k)>, affine_map<(b, m, n, k) -> (n, b * 16 + k)>, affine_map<(b, m, n, k) -> (b, m, n)>], source = "graph.attention"} : (tensor<32x64xi8>, tensor<32x64xi8>) -> tensor<4x32x32xi8>
  %p = "einsum.op"(%s, %mask) {kind = "elementwise", dims = ["D0", "D1", "D2"], sizes = [4, 32, 32], maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (b, c)>, affine_map<(a, b, c) -> (a, b, c)>], source = "graph.attention"} : (tensor<4x32x32xi8>, tensor<32x32xi8>) -> tensor<4x32x32xi8>
  %o = "einsum.op"(%p, %v) {kind = "mac", dims = ["B", "M", "N", "K"], sizes = [4, 32, 16, 32], maps = [affine_map<(b, m, n, k) -> (b, m, k)>, affine_map<(b, m, n, k) -> (k, b * 16 + n)>, affine_map<(b, m, n, k) -> (b, m, n)>], source = "graph.attention"} : (tensor<4x32x32xi8>, tensor<32x64xi8>) -> tensor<4x32x16xi8>
  "func.return"(%o) : (tensor<4x32x16xi8>) -> ()
}) {function_type = (tensor<32x64xi8>, tensor<32x64xi8>, tensor<32x64xi8>, tensor<32x32xi8>) -> tensor<4x32x16xi8>, sym_name = "attention"} : () -> ()
"#;

#[test]
fn attention_streams_along_its_heads() {
    let (cx, ops) = einsums(ATTENTION);
    let s = dnnc_einsum::stream_dims(&cx, &ops).expect("a stream");
    assert_eq!(s.dims, vec![0, 0, 0], "B, D0, B");
    assert_eq!(s.extent, 4);
    assert!(s.partitions_macs);
    // Q·Kᵀ alone could also stream along its rows M (32 > 4), but that re-reads K at every
    // step: the heads are preferred.
    let alone = dnnc_einsum::stream_dims(&cx, &ops[..1]).unwrap();
    assert_eq!((alone.dims.clone(), alone.partitions_macs), (vec![0], true));
}

/// Two convolutions: the second reads the first's rows through a 3-row window, so no stream
/// dimension is a plain index of the intermediate (halos are not modelled).
const CONVS: &str = r#"
"func.func"() ({
^bb0(%x: tensor<1x8x16x16xi8>, %w1: tensor<8x8x3x3xi8>, %w2: tensor<8x8x3x3xi8>):
  %a = "einsum.op"(%x, %w1) {kind = "mac", dims = ["N", "K", "C", "P", "Q", "R", "S"], sizes = [1, 8, 8, 14, 14, 3, 3], maps = [affine_map<(n, k, c, p, q, r, s) -> (n, c, p + r, q + s)>, affine_map<(n, k, c, p, q, r, s) -> (k, c, r, s)>, affine_map<(n, k, c, p, q, r, s) -> (n, k, p, q)>], source = "graph.conv"} : (tensor<1x8x16x16xi8>, tensor<8x8x3x3xi8>) -> tensor<1x8x14x14xi8>
  %b = "einsum.op"(%a, %w2) {kind = "mac", dims = ["N", "K", "C", "P", "Q", "R", "S"], sizes = [1, 8, 8, 12, 12, 3, 3], maps = [affine_map<(n, k, c, p, q, r, s) -> (n, c, p + r, q + s)>, affine_map<(n, k, c, p, q, r, s) -> (k, c, r, s)>, affine_map<(n, k, c, p, q, r, s) -> (n, k, p, q)>], source = "graph.conv"} : (tensor<1x8x14x14xi8>, tensor<8x8x3x3xi8>) -> tensor<1x8x12x12xi8>
  "func.return"(%b) : (tensor<1x8x12x12xi8>) -> ()
}) {function_type = (tensor<1x8x16x16xi8>, tensor<8x8x3x3xi8>, tensor<8x8x3x3xi8>) -> tensor<1x8x12x12xi8>, sym_name = "convs"} : () -> ()
"#;

#[test]
fn convolutions_reading_through_a_window_do_not_stream() {
    let (cx, ops) = einsums(CONVS);
    assert_eq!(dnnc_einsum::stream_dims(&cx, &ops), None);
    // One convolution alone streams along its output channels or rows (weights re-read).
    let alone = dnnc_einsum::stream_dims(&cx, &ops[1..]).unwrap();
    assert!(!alone.partitions_macs);
}

/// Scores then a softmax over the keys (`normalized = [2]`): it needs whole rows of keys.
const SCORES_SOFTMAX: &str = r#"
"func.func"() ({
^bb0(%q: tensor<32x64xi8>, %k: tensor<32x64xi8>):
  %s = "einsum.op"(%q, %k) {kind = "mac", dims = ["B", "M", "N", "K"], sizes = [4, 32, 32, 16], maps = [affine_map<(b, m, n, k) -> (m, b * 16 + k)>, affine_map<(b, m, n, k) -> (n, b * 16 + k)>, affine_map<(b, m, n, k) -> (b, m, n)>], source = "graph.attention"} : (tensor<32x64xi8>, tensor<32x64xi8>) -> tensor<4x32x32xi8>
  %p = "einsum.op"(%s) {kind = "reduction", dims = ["D0", "D1", "D2"], sizes = [4, 32, 32], maps = [affine_map<(a, b, c) -> (a, b, c)>, affine_map<(a, b, c) -> (a, b, c)>], source = "graph.softmax", normalized = [2]} : (tensor<4x32x32xi8>) -> tensor<4x32x32xi8>
  "func.return"(%p) : (tensor<4x32x32xi8>) -> ()
}) {function_type = (tensor<32x64xi8>, tensor<32x64xi8>) -> tensor<4x32x32xi8>, sym_name = "scores"} : () -> ()
"#;

#[test]
fn a_normalisation_does_not_stream_along_what_it_normalises() {
    let (cx, ops) = einsums(SCORES_SOFTMAX);
    // Heads and query rows, never the keys the softmax sums over.
    assert_eq!(dnnc_einsum::chain_stream_dims(&cx, &ops), vec![0, 1], "B and M of the scores");
    let alone = dnnc_einsum::chain_stream_dims(&cx, &ops[..1]);
    assert!(alone.contains(&2), "the scores alone could step along the keys: {alone:?}");
}
