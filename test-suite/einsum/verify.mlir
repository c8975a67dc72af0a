// RUN: dnnc-opt %s --split-input-file --verify-diagnostics
// The einsum verifier: one map per operand and for the result, each from all loop indices to
// that tensor's indices; the result written within bounds; known kinds; matching sizes.

"func.func"() ({
^bb0(%a: tensor<4x8xf32>, %b: tensor<8x2xf32>):
  // expected-error @+1 {{kind 'conv' is not one of mac, elementwise, reduction, data_movement}}
  %0 = "einsum.op"(%a, %b) {kind = "conv", dims = ["M", "N", "K"], sizes = [4, 2, 8], maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], source = "graph.matmul"} : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  // expected-error @+1 {{map of operand #1 must take the 3 loop indices to its 2 indices, but is (d0, d1, d2) -> (d2)}}
  %1 = "einsum.op"(%a, %b) {kind = "mac", dims = ["M", "N", "K"], sizes = [4, 2, 8], maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], source = "graph.matmul"} : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  // expected-error @+1 {{map of the result (d0, d1, d2) -> (d0, d1) leaves its shape [4, 2] over sizes [5, 2, 8]}}
  %2 = "einsum.op"(%a, %b) {kind = "mac", dims = ["M", "N", "K"], sizes = [5, 2, 8], maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], source = "graph.matmul"} : (tensor<4x8xf32>, tensor<8x2xf32>) -> tensor<4x2xf32>
  // expected-error @+1 {{3 dims but 2 sizes}}
  %3 = "einsum.op"(%a) {kind = "elementwise", dims = ["A", "B", "C"], sizes = [4, 8], maps = [affine_map<(d0, d1, d2) -> (d0, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], source = "graph.relu"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // expected-error @+1 {{dimension names ["A", "A"] repeat}}
  %4 = "einsum.op"(%a) {kind = "elementwise", dims = ["A", "A"], sizes = [4, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // expected-error @+1 {{1 maps for 1 operands and 1 result}}
  %5 = "einsum.op"(%a) {kind = "elementwise", dims = ["A", "B"], sizes = [4, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<4x8xf32>) -> tensor<4x8xf32>
  "func.return"() : () -> ()
}) {function_type = (tensor<4x8xf32>, tensor<8x2xf32>) -> (), sym_name = "bad"} : () -> ()
