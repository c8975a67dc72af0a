// RUN: dnnc-opt %s --pass-pipeline='builtin.module(lower-graph-to-einsum,fold-layout-into-access)' --pass-statistics
// Layout-only einsums fold into their consumers' access maps: the attention-style
// reshape + transpose in front of a matmul disappears, and the matmul reads the original
// tensor through the composed map. A layout result that leaves the function stays.

"func.func"() ({
^bb0(%x: tensor<1x8x6xf32>, %w: tensor<3x4xf32>):
  %r = "graph.reshape"(%x) : (tensor<1x8x6xf32>) -> tensor<1x8x2x3xf32>
  %t = "graph.transpose"(%r) {perm = [0, 2, 1, 3]} : (tensor<1x8x2x3xf32>) -> tensor<1x2x8x3xf32>
  %mm = "graph.matmul"(%t, %w) : (tensor<1x2x8x3xf32>, tensor<3x4xf32>) -> tensor<1x2x8x4xf32>
  %flat = "graph.flatten"(%mm) {axis = 2} : (tensor<1x2x8x4xf32>) -> tensor<2x32xf32>
  "func.return"(%flat) : (tensor<2x32xf32>) -> ()
}) {function_type = (tensor<1x8x6xf32>, tensor<3x4xf32>) -> tensor<2x32xf32>, sym_name = "attention_layout"} : () -> ()
