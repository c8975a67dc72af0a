// IRDL of dnnc's dialects in the form dnnc-mlir exports (variadic groups split into
// optional slots, see crates/mlir/src/irdl.rs). Generated; a test keeps it in sync.
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
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
  }
  irdl.operation @min {
    %1 = irdl.base "!builtin.tensor"
    %2 = irdl.base "!builtin.tensor"
    irdl.operands(a: %1, b: %2)
    %3 = irdl.base "!builtin.tensor"
    irdl.results(output: %3)
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
    %r0_2 = irdl.base "!builtin.tensor"
    %r1_2 = irdl.base "!builtin.tensor"
    %r2_2 = irdl.base "!builtin.tensor"
    %r3_2 = irdl.base "!builtin.tensor"
    %r4_2 = irdl.base "!builtin.tensor"
    %r5_2 = irdl.base "!builtin.tensor"
    %r6_2 = irdl.base "!builtin.tensor"
    %r7_2 = irdl.base "!builtin.tensor"
    %r8_2 = irdl.base "!builtin.tensor"
    %r9_2 = irdl.base "!builtin.tensor"
    %r10_2 = irdl.base "!builtin.tensor"
    %r11_2 = irdl.base "!builtin.tensor"
    %r12_2 = irdl.base "!builtin.tensor"
    %r13_2 = irdl.base "!builtin.tensor"
    %r14_2 = irdl.base "!builtin.tensor"
    %r15_2 = irdl.base "!builtin.tensor"
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs: variadic %2)
  }
  irdl.operation @concat {
    %1 = irdl.base "!builtin.tensor"
    %o0_1 = irdl.base "!builtin.tensor"
    %o1_1 = irdl.base "!builtin.tensor"
    %o2_1 = irdl.base "!builtin.tensor"
    %o3_1 = irdl.base "!builtin.tensor"
    %o4_1 = irdl.base "!builtin.tensor"
    %o5_1 = irdl.base "!builtin.tensor"
    %o6_1 = irdl.base "!builtin.tensor"
    %o7_1 = irdl.base "!builtin.tensor"
    %o8_1 = irdl.base "!builtin.tensor"
    %o9_1 = irdl.base "!builtin.tensor"
    %o10_1 = irdl.base "!builtin.tensor"
    %o11_1 = irdl.base "!builtin.tensor"
    %o12_1 = irdl.base "!builtin.tensor"
    %o13_1 = irdl.base "!builtin.tensor"
    %o14_1 = irdl.base "!builtin.tensor"
    %o15_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"axis" = %3}
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
}
// IRDL definition of the `einsum` dialect, generated from its Rust op tables by
// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.
irdl.dialect @einsum {
  irdl.operation @op {
    %1 = irdl.base "!builtin.tensor"
    %o0_1 = irdl.base "!builtin.tensor"
    %o1_1 = irdl.base "!builtin.tensor"
    %o2_1 = irdl.base "!builtin.tensor"
    %o3_1 = irdl.base "!builtin.tensor"
    %o4_1 = irdl.base "!builtin.tensor"
    %o5_1 = irdl.base "!builtin.tensor"
    %o6_1 = irdl.base "!builtin.tensor"
    %o7_1 = irdl.base "!builtin.tensor"
    %o8_1 = irdl.base "!builtin.tensor"
    %o9_1 = irdl.base "!builtin.tensor"
    %o10_1 = irdl.base "!builtin.tensor"
    %o11_1 = irdl.base "!builtin.tensor"
    %o12_1 = irdl.base "!builtin.tensor"
    %o13_1 = irdl.base "!builtin.tensor"
    %o14_1 = irdl.base "!builtin.tensor"
    %o15_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.string"
    %4 = irdl.base "#builtin.array"
    %5 = irdl.base "#builtin.array"
    %6 = irdl.base "#builtin.array"
    %7 = irdl.base "#builtin.string"
    irdl.attributes {"kind" = %3, "dims" = %4, "sizes" = %5, "maps" = %6, "source" = %7}
  }
}
// IRDL definition of the `sched` dialect, generated from its Rust op tables by
// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.
irdl.dialect @sched {
  irdl.operation @group {
    %1 = irdl.base "!builtin.tensor"
    %o0_1 = irdl.base "!builtin.tensor"
    %o1_1 = irdl.base "!builtin.tensor"
    %o2_1 = irdl.base "!builtin.tensor"
    %o3_1 = irdl.base "!builtin.tensor"
    %o4_1 = irdl.base "!builtin.tensor"
    %o5_1 = irdl.base "!builtin.tensor"
    %o6_1 = irdl.base "!builtin.tensor"
    %o7_1 = irdl.base "!builtin.tensor"
    %o8_1 = irdl.base "!builtin.tensor"
    %o9_1 = irdl.base "!builtin.tensor"
    %o10_1 = irdl.base "!builtin.tensor"
    %o11_1 = irdl.base "!builtin.tensor"
    %o12_1 = irdl.base "!builtin.tensor"
    %o13_1 = irdl.base "!builtin.tensor"
    %o14_1 = irdl.base "!builtin.tensor"
    %o15_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    %r0_2 = irdl.base "!builtin.tensor"
    %r1_2 = irdl.base "!builtin.tensor"
    %r2_2 = irdl.base "!builtin.tensor"
    %r3_2 = irdl.base "!builtin.tensor"
    %r4_2 = irdl.base "!builtin.tensor"
    %r5_2 = irdl.base "!builtin.tensor"
    %r6_2 = irdl.base "!builtin.tensor"
    %r7_2 = irdl.base "!builtin.tensor"
    %r8_2 = irdl.base "!builtin.tensor"
    %r9_2 = irdl.base "!builtin.tensor"
    %r10_2 = irdl.base "!builtin.tensor"
    %r11_2 = irdl.base "!builtin.tensor"
    %r12_2 = irdl.base "!builtin.tensor"
    %r13_2 = irdl.base "!builtin.tensor"
    %r14_2 = irdl.base "!builtin.tensor"
    %r15_2 = irdl.base "!builtin.tensor"
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs: variadic %2)
    %3 = irdl.base "#builtin.string"
    %4 = irdl.base "#builtin.integer"
    %5 = irdl.base "#builtin.array"
    irdl.attributes {"tile_dim" = %3, "tiles" = %4, "intermediates" = %5}
    %6 = irdl.region
    irdl.regions(region0: %6)
  }
  irdl.operation @yield {
    %1 = irdl.base "!builtin.tensor"
    %o0_1 = irdl.base "!builtin.tensor"
    %o1_1 = irdl.base "!builtin.tensor"
    %o2_1 = irdl.base "!builtin.tensor"
    %o3_1 = irdl.base "!builtin.tensor"
    %o4_1 = irdl.base "!builtin.tensor"
    %o5_1 = irdl.base "!builtin.tensor"
    %o6_1 = irdl.base "!builtin.tensor"
    %o7_1 = irdl.base "!builtin.tensor"
    %o8_1 = irdl.base "!builtin.tensor"
    %o9_1 = irdl.base "!builtin.tensor"
    %o10_1 = irdl.base "!builtin.tensor"
    %o11_1 = irdl.base "!builtin.tensor"
    %o12_1 = irdl.base "!builtin.tensor"
    %o13_1 = irdl.base "!builtin.tensor"
    %o14_1 = irdl.base "!builtin.tensor"
    %o15_1 = irdl.base "!builtin.tensor"
    irdl.operands(results_0: optional %o0_1, results_1: optional %o1_1, results_2: optional %o2_1, results_3: optional %o3_1, results_4: optional %o4_1, results_5: optional %o5_1, results_6: optional %o6_1, results_7: optional %o7_1, results_8: optional %o8_1, results_9: optional %o9_1, results_10: optional %o10_1, results_11: optional %o11_1, results_12: optional %o12_1, results_13: optional %o13_1, results_14: optional %o14_1, results_15: optional %o15_1, results: variadic %1)
  }
}
// IRDL definition of the `dataflow` dialect, generated from its Rust op tables by
// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.
irdl.dialect @dataflow {
  irdl.type @itensor {
    %0 = irdl.any
    irdl.parameters(body: %0)
  }
  irdl.operation @kernel {
    %1 = irdl.any
    %o0_1 = irdl.any
    %o1_1 = irdl.any
    %o2_1 = irdl.any
    %o3_1 = irdl.any
    %o4_1 = irdl.any
    %o5_1 = irdl.any
    %o6_1 = irdl.any
    %o7_1 = irdl.any
    %o8_1 = irdl.any
    %o9_1 = irdl.any
    %o10_1 = irdl.any
    %o11_1 = irdl.any
    %o12_1 = irdl.any
    %o13_1 = irdl.any
    %o14_1 = irdl.any
    %o15_1 = irdl.any
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs: variadic %1)
    %2 = irdl.any
    %r0_2 = irdl.any
    %r1_2 = irdl.any
    %r2_2 = irdl.any
    %r3_2 = irdl.any
    %r4_2 = irdl.any
    %r5_2 = irdl.any
    %r6_2 = irdl.any
    %r7_2 = irdl.any
    %r8_2 = irdl.any
    %r9_2 = irdl.any
    %r10_2 = irdl.any
    %r11_2 = irdl.any
    %r12_2 = irdl.any
    %r13_2 = irdl.any
    %r14_2 = irdl.any
    %r15_2 = irdl.any
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs: variadic %2)
    %3 = irdl.base "#builtin.string"
    %4 = irdl.base "#builtin.array"
    %5 = irdl.base "#builtin.array"
    %6 = irdl.base "#builtin.integer"
    %7 = irdl.base "#builtin.integer"
    %8 = irdl.base "#builtin.integer"
    irdl.attributes {"name" = %3, "loops" = %4, "reads" = %5, "ii" = %6, "latency" = %7, "parallelism" = %8}
    %9 = irdl.region
    irdl.regions(region0: %9)
  }
  irdl.operation @yield {
    %1 = irdl.base "!builtin.tensor"
    %o0_1 = irdl.base "!builtin.tensor"
    %o1_1 = irdl.base "!builtin.tensor"
    %o2_1 = irdl.base "!builtin.tensor"
    %o3_1 = irdl.base "!builtin.tensor"
    %o4_1 = irdl.base "!builtin.tensor"
    %o5_1 = irdl.base "!builtin.tensor"
    %o6_1 = irdl.base "!builtin.tensor"
    %o7_1 = irdl.base "!builtin.tensor"
    %o8_1 = irdl.base "!builtin.tensor"
    %o9_1 = irdl.base "!builtin.tensor"
    %o10_1 = irdl.base "!builtin.tensor"
    %o11_1 = irdl.base "!builtin.tensor"
    %o12_1 = irdl.base "!builtin.tensor"
    %o13_1 = irdl.base "!builtin.tensor"
    %o14_1 = irdl.base "!builtin.tensor"
    %o15_1 = irdl.base "!builtin.tensor"
    irdl.operands(results_0: optional %o0_1, results_1: optional %o1_1, results_2: optional %o2_1, results_3: optional %o3_1, results_4: optional %o4_1, results_5: optional %o5_1, results_6: optional %o6_1, results_7: optional %o7_1, results_8: optional %o8_1, results_9: optional %o9_1, results_10: optional %o10_1, results_11: optional %o11_1, results_12: optional %o12_1, results_13: optional %o13_1, results_14: optional %o14_1, results_15: optional %o15_1, results: variadic %1)
  }
  irdl.operation @fifo {
    %1 = irdl.base @dataflow::@itensor
    irdl.operands(input: %1)
    %2 = irdl.base @dataflow::@itensor
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.integer"
    %4 = irdl.base "#builtin.integer"
    irdl.attributes {"depth" = %3, "width" = %4}
  }
  irdl.operation @converter {
    %1 = irdl.base @dataflow::@itensor
    irdl.operands(input: %1)
    %2 = irdl.base @dataflow::@itensor
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.array"
    %4 = irdl.base "#builtin.integer"
    irdl.attributes {"buffer" = %3, "bytes" = %4}
  }
  irdl.operation @dma_load {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(source: %1)
    %2 = irdl.base @dataflow::@itensor
    irdl.results(output: %2)
  }
  irdl.operation @dma_store {
    %1 = irdl.base @dataflow::@itensor
    irdl.operands(input: %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(target: %2)
  }
  irdl.operation @fork {
    %1 = irdl.base @dataflow::@itensor
    irdl.operands(input: %1)
    %2 = irdl.base @dataflow::@itensor
    %r0_2 = irdl.base @dataflow::@itensor
    %r1_2 = irdl.base @dataflow::@itensor
    %r2_2 = irdl.base @dataflow::@itensor
    %r3_2 = irdl.base @dataflow::@itensor
    %r4_2 = irdl.base @dataflow::@itensor
    %r5_2 = irdl.base @dataflow::@itensor
    %r6_2 = irdl.base @dataflow::@itensor
    %r7_2 = irdl.base @dataflow::@itensor
    %r8_2 = irdl.base @dataflow::@itensor
    %r9_2 = irdl.base @dataflow::@itensor
    %r10_2 = irdl.base @dataflow::@itensor
    %r11_2 = irdl.base @dataflow::@itensor
    %r12_2 = irdl.base @dataflow::@itensor
    %r13_2 = irdl.base @dataflow::@itensor
    %r14_2 = irdl.base @dataflow::@itensor
    %r15_2 = irdl.base @dataflow::@itensor
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs: variadic %2)
  }
  irdl.operation @join {
    %1 = irdl.base @dataflow::@itensor
    %o0_1 = irdl.base @dataflow::@itensor
    %o1_1 = irdl.base @dataflow::@itensor
    %o2_1 = irdl.base @dataflow::@itensor
    %o3_1 = irdl.base @dataflow::@itensor
    %o4_1 = irdl.base @dataflow::@itensor
    %o5_1 = irdl.base @dataflow::@itensor
    %o6_1 = irdl.base @dataflow::@itensor
    %o7_1 = irdl.base @dataflow::@itensor
    %o8_1 = irdl.base @dataflow::@itensor
    %o9_1 = irdl.base @dataflow::@itensor
    %o10_1 = irdl.base @dataflow::@itensor
    %o11_1 = irdl.base @dataflow::@itensor
    %o12_1 = irdl.base @dataflow::@itensor
    %o13_1 = irdl.base @dataflow::@itensor
    %o14_1 = irdl.base @dataflow::@itensor
    %o15_1 = irdl.base @dataflow::@itensor
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs: variadic %1)
    %2 = irdl.base @dataflow::@itensor
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"dim" = %3}
  }
  irdl.operation @region {
    %1 = irdl.base "!builtin.tensor"
    %o0_1 = irdl.base "!builtin.tensor"
    %o1_1 = irdl.base "!builtin.tensor"
    %o2_1 = irdl.base "!builtin.tensor"
    %o3_1 = irdl.base "!builtin.tensor"
    %o4_1 = irdl.base "!builtin.tensor"
    %o5_1 = irdl.base "!builtin.tensor"
    %o6_1 = irdl.base "!builtin.tensor"
    %o7_1 = irdl.base "!builtin.tensor"
    %o8_1 = irdl.base "!builtin.tensor"
    %o9_1 = irdl.base "!builtin.tensor"
    %o10_1 = irdl.base "!builtin.tensor"
    %o11_1 = irdl.base "!builtin.tensor"
    %o12_1 = irdl.base "!builtin.tensor"
    %o13_1 = irdl.base "!builtin.tensor"
    %o14_1 = irdl.base "!builtin.tensor"
    %o15_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    %r0_2 = irdl.base "!builtin.tensor"
    %r1_2 = irdl.base "!builtin.tensor"
    %r2_2 = irdl.base "!builtin.tensor"
    %r3_2 = irdl.base "!builtin.tensor"
    %r4_2 = irdl.base "!builtin.tensor"
    %r5_2 = irdl.base "!builtin.tensor"
    %r6_2 = irdl.base "!builtin.tensor"
    %r7_2 = irdl.base "!builtin.tensor"
    %r8_2 = irdl.base "!builtin.tensor"
    %r9_2 = irdl.base "!builtin.tensor"
    %r10_2 = irdl.base "!builtin.tensor"
    %r11_2 = irdl.base "!builtin.tensor"
    %r12_2 = irdl.base "!builtin.tensor"
    %r13_2 = irdl.base "!builtin.tensor"
    %r14_2 = irdl.base "!builtin.tensor"
    %r15_2 = irdl.base "!builtin.tensor"
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs: variadic %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"partition" = %3}
    %4 = irdl.region
    irdl.regions(region0: %4)
  }
}
