// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(graph-canonicalize)' --pass-statistics
// graph-canonicalize rewrites composite ONNX operators into the graph ops they are made of,
// which every later stage handles (docs/onnx-ops.md).

// LogSoftmax in its stable form: (x − max) − log Σ exp(x − max) along the axis.
"func.func"() ({
^bb0(%x: tensor<2x5xf32>):
  %y = "graph.log_softmax"(%x) {axis = 1} : (tensor<2x5xf32>) -> tensor<2x5xf32>
  "func.return"(%y) : (tensor<2x5xf32>) -> ()
}) {sym_name = "log_softmax", function_type = (tensor<2x5xf32>) -> tensor<2x5xf32>} : () -> ()

// -----

// GroupNormalization with per-group parameters (opset 18): the [N, G, rest] view normalised
// from axis 2, scaled and shifted per group there, reshaped back.
"func.func"() ({
^bb0(%x: tensor<1x4x2x3xf32>, %s: tensor<2xf32>, %b: tensor<2xf32>):
  %y = "graph.group_normalization"(%x, %s, %b) {num_groups = 2, epsilon = 0.001 : f32} : (tensor<1x4x2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x2x3xf32>
  "func.return"(%y) : (tensor<1x4x2x3xf32>) -> ()
}) {sym_name = "group_norm", function_type = (tensor<1x4x2x3xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x4x2x3xf32>} : () -> ()

// -----

// DepthToSpace in CRD order (PyTorch's pixel_shuffle): reshape, transpose, reshape.
"func.func"() ({
^bb0(%x: tensor<1x8x2x3xf32>):
  %y = "graph.depth_to_space"(%x) {blocksize = 2, mode = "CRD"} : (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>
  "func.return"(%y) : (tensor<1x2x4x6xf32>) -> ()
}) {sym_name = "pixel_shuffle", function_type = (tensor<1x8x2x3xf32>) -> tensor<1x2x4x6xf32>} : () -> ()

// -----

// ArgMax: the least index where x equals its maximum (an iota selected by where, reduced as
// the maximum of its negation), cast to int64.
"func.func"() ({
^bb0(%x: tensor<3x4xf32>):
  %y = "graph.arg_max"(%x) {axis = 1, keepdims = 0} : (tensor<3x4xf32>) -> tensor<3xi64>
  "func.return"(%y) : (tensor<3xi64>) -> ()
}) {sym_name = "arg_max", function_type = (tensor<3x4xf32>) -> tensor<3xi64>} : () -> ()
