// RUN: dnnc-opt %s --split-input-file --verify-diagnostics
// Shape inference in the verifier: wrong result types and inconsistent operands are errors
// that name the shapes involved.

"func.func"() ({
^bb0(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>):
  // expected-error @+1 {{result type 'tensor<1x64x224x224xf32>' does not match the inferred 'tensor<1x64x112x112xf32>'}}
  %0 = "graph.conv"(%x, %w) {strides = [2, 2], pads = [3, 3, 3, 3]} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x224x224xf32>
  "func.return"() : () -> ()
}) {function_type = (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> (), sym_name = "conv_stride"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: tensor<1x4x8x8xf32>, %w: tensor<8x3x3x3xf32>):
  // expected-error @+1 {{4 input channels do not match W [8, 3, 3, 3] with group 1}}
  %0 = "graph.conv"(%x, %w) : (tensor<1x4x8x8xf32>, tensor<8x3x3x3xf32>) -> tensor<1x8x6x6xf32>
  "func.return"() : () -> ()
}) {function_type = (tensor<1x4x8x8xf32>, tensor<8x3x3x3xf32>) -> (), sym_name = "conv_channels"} : () -> ()

// -----

"func.func"() ({
^bb0(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>, %c: tensor<8x64xf32>, %d: tensor<32x4xf32>):
  // expected-error @+1 {{shapes [2, 3] and [4, 3] do not broadcast (dimension 0: 2 vs 4)}}
  %0 = "graph.add"(%a, %b) : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{matmul contraction sizes differ: [8, 64] x [32, 4] (64 vs 32)}}
  %1 = "graph.matmul"(%c, %d) : (tensor<8x64xf32>, tensor<32x4xf32>) -> tensor<8x4xf32>
  "func.return"() : () -> ()
}) {function_type = (tensor<2x3xf32>, tensor<4x3xf32>, tensor<8x64xf32>, tensor<32x4xf32>) -> (), sym_name = "elementwise"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: tensor<2x3x4xf32>, %i: tensor<2x3xi64>, %f: tensor<2x3xf32>):
  // expected-error @+1 {{perm [0, 0, 1] is not a permutation of 3 dimensions}}
  %0 = "graph.transpose"(%x) {perm = [0, 0, 1]} : (tensor<2x3x4xf32>) -> tensor<2x2x3xf32>
  // expected-error @+1 {{cannot reshape [2, 3, 4] into [5, 5]}}
  %1 = "graph.reshape"(%x) : (tensor<2x3x4xf32>) -> tensor<5x5xf32>
  // expected-error @+1 {{operands must have the same element type}}
  %2 = "graph.add"(%i, %f) : (tensor<2x3xi64>, tensor<2x3xf32>) -> tensor<2x3xf32>
  // expected-error @+1 {{axis 3 is out of range for rank 3}}
  %3 = "graph.softmax"(%x) {axis = 3} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  // expected-error @+1 {{has 2 values for a tensor of 3 elements}}
  %4 = "graph.constant"() {value = [1, 2]} : () -> tensor<3xi64>
  // expected-error @+1 {{requires attribute 'kernel_shape'}}
  %5 = "graph.max_pool"(%x) : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  "func.return"() : () -> ()
}) {function_type = (tensor<2x3x4xf32>, tensor<2x3xi64>, tensor<2x3xf32>) -> (), sym_name = "misc"} : () -> ()

// -----

"func.func"() ({
^bb0(%a: tensor<2xf32>, %w: tensor<4x2x3x3xf32>):
  // expected-error @+1 {{expects 2 operands but has 1}}
  %0 = "graph.add"(%a) : (tensor<2xf32>) -> tensor<2xf32>
  // expected-error @+1 {{expects 2 to 3 operands but has 0}}
  %1 = "graph.conv"() : () -> tensor<2xf32>
  "func.return"() : () -> ()
}) {function_type = (tensor<2xf32>, tensor<4x2x3x3xf32>) -> (), sym_name = "arity"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: tensor<1x4x8xf32>, %i: tensor<1x4x2xi64>):
  // expected-error @+1 {{result type 'tensor<1x4x8xf32>' does not match the inferred 'tensor<1x1x4x8xf32>'}}
  %0 = "graph.unsqueeze"(%x) {axes = [1]} : (tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  // expected-error @+1 {{result type 'tensor<1x4x8xf32>' does not match the inferred 'tensor<1x4x3xf32>'}}
  %1 = "graph.slice"(%x) {starts = [-3], ends = [100], axes = [2]} : (tensor<1x4x8xf32>) -> tensor<1x4x8xf32>
  // expected-error @+1 {{cannot expand [1, 4, 8] to [2, 3, 8]}}
  %2 = "graph.expand"(%x) : (tensor<1x4x8xf32>) -> tensor<2x3x8xf32>
  // expected-error @+1 {{dimension 1 of [1, 4, 8] is not 1}}
  %3 = "graph.squeeze"(%x) {axes = [1]} : (tensor<1x4x8xf32>) -> tensor<4x8xf32>
  // expected-error @+1 {{result type 'tensor<1x4x8xf32>' does not match the inferred 'tensor<1x4x2xf32>'}}
  %4 = "graph.gather_elements"(%x, %i) {axis = 2} : (tensor<1x4x8xf32>, tensor<1x4x2xi64>) -> tensor<1x4x8xf32>
  %5 = "graph.slice"(%x) {starts = [7], ends = [-100], axes = [-1], steps = [-2]} : (tensor<1x4x8xf32>) -> tensor<1x4x4xf32>
  "func.return"() : () -> ()
}) {function_type = (tensor<1x4x8xf32>, tensor<1x4x2xi64>) -> (), sym_name = "data_movement"} : () -> ()
