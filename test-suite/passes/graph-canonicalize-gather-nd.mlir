// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(graph-canonicalize)' --pass-statistics
// graph-canonicalize rewrites a GatherND of index tuples (length t > 1) into one of single
// indices, the form the lowering streams: the data reshaped to [D0·…·D(t−1), rest…] and each
// tuple's linear index Σ_j norm(i_j)·stride_j, norm adding D_j to a negative component.

// Pairs into a [4, 4, 5] tensor pick rows of 5: data reshaped to [16, 5], strides [4, 1].
"func.func"() ({
^bb0(%data: tensor<4x4x5xf32>, %pick: tensor<2x6x2xi64>):
  %r = "graph.gather_nd"(%data, %pick) : (tensor<4x4x5xf32>, tensor<2x6x2xi64>) -> tensor<2x6x5xf32>
  "func.return"(%r) : (tensor<2x6x5xf32>) -> ()
}) {sym_name = "rows", function_type = (tensor<4x4x5xf32>, tensor<2x6x2xi64>) -> tensor<2x6x5xf32>} : () -> ()

// -----

// Whole tuples pick elements: data flattened to [80], strides [20, 5, 1].
"func.func"() ({
^bb0(%data: tensor<4x4x5xf32>, %at: tensor<3x3xi64>):
  %r = "graph.gather_nd"(%data, %at) : (tensor<4x4x5xf32>, tensor<3x3xi64>) -> tensor<3xf32>
  "func.return"(%r) : (tensor<3xf32>) -> ()
}) {sym_name = "elements", function_type = (tensor<4x4x5xf32>, tensor<3x3xi64>) -> tensor<3xf32>} : () -> ()

// -----

// Tuples of length 1 are left as they are.
"func.func"() ({
^bb0(%data: tensor<4x4x5xf32>, %at: tensor<3x1xi64>):
  %r = "graph.gather_nd"(%data, %at) : (tensor<4x4x5xf32>, tensor<3x1xi64>) -> tensor<3x4x5xf32>
  "func.return"(%r) : (tensor<3x4x5xf32>) -> ()
}) {sym_name = "single", function_type = (tensor<4x4x5xf32>, tensor<3x1xi64>) -> tensor<3x4x5xf32>} : () -> ()
