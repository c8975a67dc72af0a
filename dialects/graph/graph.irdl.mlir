// IRDL definition of the `graph` dialect, generated from its Rust op tables by
// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.
irdl.dialect @graph {
  irdl.operation @weight {
    %1 = irdl.base "!builtin.tensor"
    irdl.results(output: %1)
    %2 = irdl.base "#builtin.string"
    irdl.attributes {"name" = %2}
  }
  irdl.operation @constant {
    %1 = irdl.base "!builtin.tensor"
    irdl.results(output: %1)
  }
  irdl.operation @identity {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @relu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @sigmoid {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @tanh {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @erf {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @sqrt {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @exp {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @log {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @neg {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @abs {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @floor {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @ceil {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @round {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @sign {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reciprocal {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @cos {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @sin {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @gelu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @silu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @clip {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @leaky_relu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @hard_sigmoid {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @hard_swish {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @softplus {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @elu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @prelu {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, slope: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @add {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @sub {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @mul {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @div {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @pow {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @max {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @min {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @matmul {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @gemm {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2, c: optional %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @conv {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, w: %2, b: optional %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @conv_transpose {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, w: %2, b: optional %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @max_pool {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.array"
    irdl.attributes {"kernel_shape" = %3}
  }
  irdl.operation @average_pool {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.array"
    irdl.attributes {"kernel_shape" = %3}
  }
  irdl.operation @global_average_pool {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @flatten {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reshape {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @transpose {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @softmax {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @layer_normalization {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, scale: %2, b: optional %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @rms_normalization {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, scale: optional %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @batch_normalization {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    %4 = irdl.base "!builtin.tensor"
    %5 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, scale: %2, b: %3, mean: %4, var: %5)
    %6 = irdl.base "!builtin.tensor"
    irdl.results(output: %6)
  }
  irdl.operation @attention {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    %4 = irdl.base "!builtin.tensor"
    irdl.operands(q: %1, k: %2, v: %3, mask: optional %4)
    %5 = irdl.base "!builtin.tensor"
    irdl.results(output: %5)
    %6 = irdl.base "#builtin.float"
    irdl.attributes {"scale" = %6}
  }
  irdl.operation @equal {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @less {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @less_or_equal {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @greater {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @and {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @or {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @is_nan {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @not {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @gather_nd {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(data: %1, indices: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @cumsum {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"axis" = %3}
  }
  irdl.operation @tile {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.array"
    irdl.attributes {"repeats" = %3}
  }
  irdl.operation @cast {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.type"
    irdl.attributes {"to" = %3}
  }
  irdl.operation @trilu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @where {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(condition: %1, x: %2, y: %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @gather {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(data: %1, indices: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @gather_elements {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(data: %1, indices: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @expand {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @unsqueeze {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.array"
    irdl.attributes {"axes" = %3}
  }
  irdl.operation @squeeze {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @slice {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.array"
    %4 = irdl.base "#builtin.array"
    irdl.attributes {"starts" = %3, "ends" = %4}
  }
  irdl.operation @split {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(outputs: variadic %2)
  }
  irdl.operation @concat {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"axis" = %3}
  }
  irdl.operation @pad {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.array"
    irdl.attributes {"pads" = %3}
  }
  irdl.operation @resize {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_mean {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_sum {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_max {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @einsum {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_min {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @arg_max {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @arg_min {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_l1 {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_l2 {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_sum_square {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @reduce_log_sum_exp {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @log_softmax {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @mish {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @softsign {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @lrn {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"size" = %3}
  }
  irdl.operation @one_hot {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(indices: %1, values: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
    %4 = irdl.base "#builtin.integer"
    irdl.attributes {"depth" = %4}
  }
  irdl.operation @scatter_nd {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(data: %1, indices: %2, updates: %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @sum {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @mean {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @selu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @celu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @thresholded_relu {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @instance_normalization {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, scale: %2, b: %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @group_normalization {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    %3 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1, scale: %2, bias: %3)
    %4 = irdl.base "!builtin.tensor"
    irdl.results(output: %4)
  }
  irdl.operation @depth_to_space {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @space_to_depth {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(x: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
}
