// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow)' --pass-statistics
// A fused Q/K/V projection split into its three parts (copies: one operand, identity result
// map, offsets in the input map). The attention scores read Q and K head by head
// (`h * 16 + d`), which no stream expresses: read whole, each part would go through external
// memory and its copy kernel would be a phase of its own, so convert-to-dataflow folds the
// copies into the scores' maps (`(m, h * 16 + d + 32)` of the projection for K) and erases
// them. V is read as a stream by an elementwise add, so its copy stays a kernel.

"func.func"() ({
^bb0(%x: tensor<64x96xf32>, %y: tensor<64x32xf32>):
  %q = "einsum.op"(%x) {kind = "data_movement", dims = ["D0", "D1"], sizes = [64, 32], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.split", source_attrs = {axis = 1}} : (tensor<64x96xf32>) -> tensor<64x32xf32>
  %k = "einsum.op"(%x) {kind = "data_movement", dims = ["D0", "D1"], sizes = [64, 32], maps = [affine_map<(d0, d1) -> (d0, d1 + 32)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.split", source_attrs = {axis = 1}} : (tensor<64x96xf32>) -> tensor<64x32xf32>
  %v = "einsum.op"(%x) {kind = "data_movement", dims = ["D0", "D1"], sizes = [64, 32], maps = [affine_map<(d0, d1) -> (d0, d1 + 64)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.split", source_attrs = {axis = 1}} : (tensor<64x96xf32>) -> tensor<64x32xf32>
  %s = "einsum.op"(%q, %k) {kind = "mac", dims = ["H", "M", "N", "D"], sizes = [2, 64, 64, 16], maps = [affine_map<(h, m, n, d) -> (m, h * 16 + d)>, affine_map<(h, m, n, d) -> (n, h * 16 + d)>, affine_map<(h, m, n, d) -> (h, m, n)>], source = "graph.attention", part = "scores"} : (tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<2x64x64xf32>
  %a = "einsum.op"(%v, %y) {kind = "elementwise", dims = ["D0", "D1"], sizes = [64, 32], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.add"} : (tensor<64x32xf32>, tensor<64x32xf32>) -> tensor<64x32xf32>
  "func.return"(%s, %a) : (tensor<2x64x64xf32>, tensor<64x32xf32>) -> ()
}) {function_type = (tensor<64x96xf32>, tensor<64x32xf32>) -> (tensor<2x64x64xf32>, tensor<64x32xf32>), sym_name = "qkv"} : () -> ()
