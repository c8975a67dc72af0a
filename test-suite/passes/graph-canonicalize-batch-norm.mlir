// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(graph-canonicalize)' --pass-statistics
// graph-canonicalize folds an inference-mode batch normalisation into the convolution before
// it: the conv takes new graph.weight ops standing for the folded weight and bias, whose
// `fold`, `folded_from` and `epsilon` say how to compute them from the model's tensors.

// A conv with a bias, and one without (its folded bias starts from 0); the second BN has a
// constant scale, recorded by value, and the default epsilon.
"func.func"() ({
^bb0(%x: tensor<1x3x8x8xf32>):
  %w = "graph.weight"() {name = "conv1.weight"} : () -> tensor<4x3x3x3xf32> loc("conv1.weight")
  %b = "graph.weight"() {name = "conv1.bias"} : () -> tensor<4xf32> loc("conv1.bias")
  %g = "graph.weight"() {name = "bn1.weight"} : () -> tensor<4xf32>
  %be = "graph.weight"() {name = "bn1.bias"} : () -> tensor<4xf32>
  %m = "graph.weight"() {name = "bn1.running_mean"} : () -> tensor<4xf32>
  %v = "graph.weight"() {name = "bn1.running_var"} : () -> tensor<4xf32>
  %c = "graph.conv"(%x, %w, %b) {pads = [1, 1, 1, 1], strides = [1, 1]} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32> loc("/conv1/Conv")
  %y = "graph.batch_normalization"(%c, %g, %be, %m, %v) {epsilon = 1.0e-3 : f32, momentum = 0.9 : f32} : (tensor<1x4x8x8xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) -> tensor<1x4x8x8xf32> loc("/bn1/BatchNormalization")
  %r = "graph.relu"(%y) : (tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  %w2 = "graph.weight"() {name = "conv2.weight"} : () -> tensor<2x4x1x1xf32>
  %g2 = "graph.constant"() {splat = 1.0 : f32} : () -> tensor<2xf32>
  %be2 = "graph.weight"() {name = "bn2.bias"} : () -> tensor<2xf32>
  %m2 = "graph.weight"() {name = "bn2.running_mean"} : () -> tensor<2xf32>
  %v2 = "graph.weight"() {name = "bn2.running_var"} : () -> tensor<2xf32>
  %c2 = "graph.conv"(%r, %w2) : (tensor<1x4x8x8xf32>, tensor<2x4x1x1xf32>) -> tensor<1x2x8x8xf32> loc("/conv2/Conv")
  %y2 = "graph.batch_normalization"(%c2, %g2, %be2, %m2, %v2) : (tensor<1x2x8x8xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x8x8xf32> loc("/bn2/BatchNormalization")
  "func.return"(%y2) : (tensor<1x2x8x8xf32>) -> ()
}) {function_type = (tensor<1x3x8x8xf32>) -> tensor<1x2x8x8xf32>, sym_name = "fold"} : () -> ()

// -----

// A derived name already taken is made unique.
"func.func"() ({
^bb0(%x: tensor<1x2x4x4xf32>):
  %taken = "graph.weight"() {name = "w+g"} : () -> tensor<2x2x1x1xf32>
  %w = "graph.weight"() {name = "w"} : () -> tensor<2x2x1x1xf32>
  %g = "graph.weight"() {name = "g"} : () -> tensor<2xf32>
  %be = "graph.weight"() {name = "b"} : () -> tensor<2xf32>
  %m = "graph.weight"() {name = "m"} : () -> tensor<2xf32>
  %v = "graph.weight"() {name = "v"} : () -> tensor<2xf32>
  %c = "graph.conv"(%x, %w) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = "graph.batch_normalization"(%c, %g, %be, %m, %v) : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c2 = "graph.conv"(%x, %taken) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  "func.return"(%y, %c2) : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> ()
}) {function_type = (tensor<1x2x4x4xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>), sym_name = "unique_names"} : () -> ()

// -----

// Not folded: the conv output has another user; the normalisation is in training mode; a
// parameter is computed rather than a weight; the conv bias is computed. Nothing changes.
"func.func"() ({
^bb0(%x: tensor<1x2x4x4xf32>, %s: tensor<2xf32>):
  %w = "graph.weight"() {name = "w"} : () -> tensor<2x2x1x1xf32>
  %g = "graph.weight"() {name = "g"} : () -> tensor<2xf32>
  %be = "graph.weight"() {name = "b"} : () -> tensor<2xf32>
  %m = "graph.weight"() {name = "m"} : () -> tensor<2xf32>
  %v = "graph.weight"() {name = "v"} : () -> tensor<2xf32>
  %c = "graph.conv"(%x, %w) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = "graph.batch_normalization"(%c, %g, %be, %m, %v) : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c2 = "graph.conv"(%y, %w) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y2 = "graph.batch_normalization"(%c2, %g, %be, %m, %v) {training_mode = 1} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c3 = "graph.conv"(%y2, %w) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y3 = "graph.batch_normalization"(%c3, %s, %be, %m, %v) : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %c4 = "graph.conv"(%y3, %w, %s) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y4 = "graph.batch_normalization"(%c4, %g, %be, %m, %v) : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  "func.return"(%y4, %c) : (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>) -> ()
}) {function_type = (tensor<1x2x4x4xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, tensor<1x2x4x4xf32>), sym_name = "not_folded"} : () -> ()

// -----

// Two normalisations in a row: the first folds; the second would read the derived weights,
// which only a weight-preparation step can compute, so it stays.
"func.func"() ({
^bb0(%x: tensor<1x2x4x4xf32>):
  %w = "graph.weight"() {name = "w"} : () -> tensor<2x2x1x1xf32>
  %g = "graph.weight"() {name = "g"} : () -> tensor<2xf32>
  %be = "graph.weight"() {name = "b"} : () -> tensor<2xf32>
  %m = "graph.weight"() {name = "m"} : () -> tensor<2xf32>
  %v = "graph.weight"() {name = "v"} : () -> tensor<2xf32>
  %c = "graph.conv"(%x, %w) : (tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x4x4xf32>
  %y = "graph.batch_normalization"(%c, %g, %be, %m, %v) : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  %y2 = "graph.batch_normalization"(%y, %g, %be, %m, %v) : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  "func.return"(%y2) : (tensor<1x2x4x4xf32>) -> ()
}) {function_type = (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>, sym_name = "twice"} : () -> ()
