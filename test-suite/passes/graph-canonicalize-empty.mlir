// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(graph-canonicalize)'
// graph-canonicalize drops the parts of a concatenation that have no elements along its axis,
// and the slice that made one then dies: Phi-3's rotary embedding rotates the first
// `rotary_dim` channels of each head and concatenates the rest, which is empty when the rotary
// dimension spans the whole head. Later stages never see a zero-sized dimension.

// The empty part between two others: a concatenation of the two.
"func.func"() ({
^bb0(%x: tensor<1x8x64x32xf32>, %y: tensor<1x8x64x16xf32>):
  %e = "graph.slice"(%x) {starts = [32], ends = [32], axes = [3]} : (tensor<1x8x64x32xf32>) -> tensor<1x8x64x0xf32>
  %c = "graph.concat"(%y, %e, %y) {axis = 3} : (tensor<1x8x64x16xf32>, tensor<1x8x64x0xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x64x32xf32>
  "func.return"(%c) : (tensor<1x8x64x32xf32>) -> ()
}) {sym_name = "middle", function_type = (tensor<1x8x64x32xf32>, tensor<1x8x64x16xf32>) -> tensor<1x8x64x32xf32>} : () -> ()

// -----

// One part left: the concatenation is that part.
"func.func"() ({
^bb0(%x: tensor<1x8x64x32xf32>):
  %r = "graph.neg"(%x) : (tensor<1x8x64x32xf32>) -> tensor<1x8x64x32xf32>
  %e = "graph.slice"(%x) {starts = [32], ends = [32], axes = [3]} : (tensor<1x8x64x32xf32>) -> tensor<1x8x64x0xf32>
  %c = "graph.concat"(%r, %e) {axis = -1} : (tensor<1x8x64x32xf32>, tensor<1x8x64x0xf32>) -> tensor<1x8x64x32xf32>
  "func.return"(%c) : (tensor<1x8x64x32xf32>) -> ()
}) {sym_name = "single", function_type = (tensor<1x8x64x32xf32>) -> tensor<1x8x64x32xf32>} : () -> ()
