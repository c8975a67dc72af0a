// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(lower-graph-to-einsum)' --pass-statistics
// lower-graph-to-einsum: each graph op as a loop nest with affine operand maps.

// MAC einsums: a grouped, strided, padded, dilated conv with bias; a batched matmul whose
// right operand broadcasts; a gemm with transposed B and a bias.
"func.func"() ({
^bb0(%x: tensor<1x8x16x16xf32>, %a: tensor<2x12x128x64xf32>, %b: tensor<64x32xf32>, %m: tensor<4x16xf32>):
  %w = "graph.weight"() {name = "w"} : () -> tensor<8x4x3x3xf32>
  %bias = "graph.weight"() {name = "bias"} : () -> tensor<8xf32>
  %conv = "graph.conv"(%x, %w, %bias) {group = 2, strides = [2, 2], pads = [2, 2, 2, 2], dilations = [2, 2]} : (tensor<1x8x16x16xf32>, tensor<8x4x3x3xf32>, tensor<8xf32>) -> tensor<1x8x8x8xf32> loc("/conv")
  %mm = "graph.matmul"(%a, %b) : (tensor<2x12x128x64xf32>, tensor<64x32xf32>) -> tensor<2x12x128x32xf32>
  %fcw = "graph.weight"() {name = "fc"} : () -> tensor<10x16xf32>
  %fcb = "graph.weight"() {name = "fcb"} : () -> tensor<10xf32>
  %fc = "graph.gemm"(%m, %fcw, %fcb) {transB = 1} : (tensor<4x16xf32>, tensor<10x16xf32>, tensor<10xf32>) -> tensor<4x10xf32>
  "func.return"(%conv, %mm, %fc) : (tensor<1x8x8x8xf32>, tensor<2x12x128x32xf32>, tensor<4x10xf32>) -> ()
}) {function_type = (tensor<1x8x16x16xf32>, tensor<2x12x128x64xf32>, tensor<64x32xf32>, tensor<4x16xf32>) -> (tensor<1x8x8x8xf32>, tensor<2x12x128x32xf32>, tensor<4x10xf32>), sym_name = "macs"} : () -> ()

// -----

// Vector work: broadcasting elementwise ops, a normalisation, a reduction, pooling.
"func.func"() ({
^bb0(%x: tensor<1x4x6x6xf32>, %h: tensor<2x8xf32>, %s: tensor<8xf32>):
  %relu = "graph.relu"(%x) : (tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %pool = "graph.max_pool"(%relu) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x4x6x6xf32>) -> tensor<1x4x3x3xf32>
  %gap = "graph.global_average_pool"(%pool) : (tensor<1x4x3x3xf32>) -> tensor<1x4x1x1xf32>
  %ln = "graph.layer_normalization"(%h, %s) {axis = -1} : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %sum = "graph.add"(%ln, %s) : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %mean = "graph.reduce_mean"(%sum) {axes = [1], keepdims = 0} : (tensor<2x8xf32>) -> tensor<2xf32>
  "func.return"(%gap, %mean) : (tensor<1x4x1x1xf32>, tensor<2xf32>) -> ()
}) {function_type = (tensor<1x4x6x6xf32>, tensor<2x8xf32>, tensor<8xf32>) -> (tensor<1x4x1x1xf32>, tensor<2xf32>), sym_name = "vector"} : () -> ()

// -----

// Data movement: reshape (split and merge of dimensions), transpose, slice, concat, split,
// gather (data-dependent, marked indirect); identity disappears.
"func.func"() ({
^bb0(%x: tensor<1x4x6xf32>, %i: tensor<3xi64>):
  %id = "graph.identity"(%x) : (tensor<1x4x6xf32>) -> tensor<1x4x6xf32>
  %r = "graph.reshape"(%id) : (tensor<1x4x6xf32>) -> tensor<1x4x2x3xf32>
  %t = "graph.transpose"(%r) {perm = [0, 2, 1, 3]} : (tensor<1x4x2x3xf32>) -> tensor<1x2x4x3xf32>
  %sl = "graph.slice"(%x) {starts = [1], ends = [5], axes = [2], steps = [2]} : (tensor<1x4x6xf32>) -> tensor<1x4x2xf32>
  %cat = "graph.concat"(%sl, %x) {axis = 2} : (tensor<1x4x2xf32>, tensor<1x4x6xf32>) -> tensor<1x4x8xf32>
  %p:2 = "graph.split"(%cat) {axis = 2, split = [3, 5]} : (tensor<1x4x8xf32>) -> (tensor<1x4x3xf32>, tensor<1x4x5xf32>)
  %g = "graph.gather"(%x, %i) {axis = 1} : (tensor<1x4x6xf32>, tensor<3xi64>) -> tensor<1x3x6xf32>
  "func.return"(%t, %p#1, %g) : (tensor<1x2x4x3xf32>, tensor<1x4x5xf32>, tensor<1x3x6xf32>) -> ()
}) {function_type = (tensor<1x4x6xf32>, tensor<3xi64>) -> (tensor<1x2x4x3xf32>, tensor<1x4x5xf32>, tensor<1x3x6xf32>), sym_name = "movement"} : () -> ()

// -----

// Attention as its steps, each sourced from the composite with its step as `part`: the
// scores Q·Kᵀ (a MAC einsum reading K through a transposed map, or, with k_transposed = 1,
// as given), the scale, the mask (additive; boolean), the softmax over the last axis, the NaN
// guard, and the context P·V. The two MAC einsums count what the two matmuls did.
"func.func"() ({
^bb0(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x16xf32>, %mask: tensor<1x1x4x4xf32>, %kt: tensor<2x8x4xf32>, %keep: tensor<4x4xi1>):
  %a = "graph.attention"(%q, %k, %v, %mask) {scale = 0.35355339059327373, k_transposed = 0, mask_kind = "additive", nan_to_zero = 1} : (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x16xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x16xf32> loc("/attn")
  %q3 = "graph.reshape"(%q) : (tensor<1x2x4x8xf32>) -> tensor<2x4x8xf32>
  %v3 = "graph.reshape"(%v) : (tensor<1x2x4x16xf32>) -> tensor<2x4x16xf32>
  %b = "graph.attention"(%q3, %kt, %v3, %keep) {scale = 0.35355339059327373, k_transposed = 1, mask_kind = "keep", mask_fill = 0xFF800000 : f32} : (tensor<2x4x8xf32>, tensor<2x8x4xf32>, tensor<2x4x16xf32>, tensor<4x4xi1>) -> tensor<2x4x16xf32>
  "func.return"(%a, %b) : (tensor<1x2x4x16xf32>, tensor<2x4x16xf32>) -> ()
}) {function_type = (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x16xf32>, tensor<1x1x4x4xf32>, tensor<2x8x4xf32>, tensor<4x4xi1>) -> (tensor<1x2x4x16xf32>, tensor<2x4x16xf32>), sym_name = "attention"} : () -> ()
