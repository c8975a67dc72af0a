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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0_0: optional %o0_1, data_0_1: optional %o1_1, data_0_2: optional %o2_1, data_0_3: optional %o3_1, data_0_4: optional %o4_1, data_0_5: optional %o5_1, data_0_6: optional %o6_1, data_0_7: optional %o7_1, data_0_8: optional %o8_1, data_0_9: optional %o9_1, data_0_10: optional %o10_1, data_0_11: optional %o11_1, data_0_12: optional %o12_1, data_0_13: optional %o13_1, data_0_14: optional %o14_1, data_0_15: optional %o15_1, data_0_16: optional %o16_1, data_0_17: optional %o17_1, data_0_18: optional %o18_1, data_0_19: optional %o19_1, data_0_20: optional %o20_1, data_0_21: optional %o21_1, data_0_22: optional %o22_1, data_0_23: optional %o23_1, data_0_24: optional %o24_1, data_0_25: optional %o25_1, data_0_26: optional %o26_1, data_0_27: optional %o27_1, data_0_28: optional %o28_1, data_0_29: optional %o29_1, data_0_30: optional %o30_1, data_0_31: optional %o31_1, data_0_32: optional %o32_1, data_0_33: optional %o33_1, data_0_34: optional %o34_1, data_0_35: optional %o35_1, data_0_36: optional %o36_1, data_0_37: optional %o37_1, data_0_38: optional %o38_1, data_0_39: optional %o39_1, data_0_40: optional %o40_1, data_0_41: optional %o41_1, data_0_42: optional %o42_1, data_0_43: optional %o43_1, data_0_44: optional %o44_1, data_0_45: optional %o45_1, data_0_46: optional %o46_1, data_0_47: optional %o47_1, data_0_48: optional %o48_1, data_0_49: optional %o49_1, data_0_50: optional %o50_1, data_0_51: optional %o51_1, data_0_52: optional %o52_1, data_0_53: optional %o53_1, data_0_54: optional %o54_1, data_0_55: optional %o55_1, data_0_56: optional %o56_1, data_0_57: optional %o57_1, data_0_58: optional %o58_1, data_0_59: optional %o59_1, data_0_60: optional %o60_1, data_0_61: optional %o61_1, data_0_62: optional %o62_1, data_0_63: optional %o63_1, data_0: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @min {
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0_0: optional %o0_1, data_0_1: optional %o1_1, data_0_2: optional %o2_1, data_0_3: optional %o3_1, data_0_4: optional %o4_1, data_0_5: optional %o5_1, data_0_6: optional %o6_1, data_0_7: optional %o7_1, data_0_8: optional %o8_1, data_0_9: optional %o9_1, data_0_10: optional %o10_1, data_0_11: optional %o11_1, data_0_12: optional %o12_1, data_0_13: optional %o13_1, data_0_14: optional %o14_1, data_0_15: optional %o15_1, data_0_16: optional %o16_1, data_0_17: optional %o17_1, data_0_18: optional %o18_1, data_0_19: optional %o19_1, data_0_20: optional %o20_1, data_0_21: optional %o21_1, data_0_22: optional %o22_1, data_0_23: optional %o23_1, data_0_24: optional %o24_1, data_0_25: optional %o25_1, data_0_26: optional %o26_1, data_0_27: optional %o27_1, data_0_28: optional %o28_1, data_0_29: optional %o29_1, data_0_30: optional %o30_1, data_0_31: optional %o31_1, data_0_32: optional %o32_1, data_0_33: optional %o33_1, data_0_34: optional %o34_1, data_0_35: optional %o35_1, data_0_36: optional %o36_1, data_0_37: optional %o37_1, data_0_38: optional %o38_1, data_0_39: optional %o39_1, data_0_40: optional %o40_1, data_0_41: optional %o41_1, data_0_42: optional %o42_1, data_0_43: optional %o43_1, data_0_44: optional %o44_1, data_0_45: optional %o45_1, data_0_46: optional %o46_1, data_0_47: optional %o47_1, data_0_48: optional %o48_1, data_0_49: optional %o49_1, data_0_50: optional %o50_1, data_0_51: optional %o51_1, data_0_52: optional %o52_1, data_0_53: optional %o53_1, data_0_54: optional %o54_1, data_0_55: optional %o55_1, data_0_56: optional %o56_1, data_0_57: optional %o57_1, data_0_58: optional %o58_1, data_0_59: optional %o59_1, data_0_60: optional %o60_1, data_0_61: optional %o61_1, data_0_62: optional %o62_1, data_0_63: optional %o63_1, data_0: variadic %1)
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
    %r16_2 = irdl.base "!builtin.tensor"
    %r17_2 = irdl.base "!builtin.tensor"
    %r18_2 = irdl.base "!builtin.tensor"
    %r19_2 = irdl.base "!builtin.tensor"
    %r20_2 = irdl.base "!builtin.tensor"
    %r21_2 = irdl.base "!builtin.tensor"
    %r22_2 = irdl.base "!builtin.tensor"
    %r23_2 = irdl.base "!builtin.tensor"
    %r24_2 = irdl.base "!builtin.tensor"
    %r25_2 = irdl.base "!builtin.tensor"
    %r26_2 = irdl.base "!builtin.tensor"
    %r27_2 = irdl.base "!builtin.tensor"
    %r28_2 = irdl.base "!builtin.tensor"
    %r29_2 = irdl.base "!builtin.tensor"
    %r30_2 = irdl.base "!builtin.tensor"
    %r31_2 = irdl.base "!builtin.tensor"
    %r32_2 = irdl.base "!builtin.tensor"
    %r33_2 = irdl.base "!builtin.tensor"
    %r34_2 = irdl.base "!builtin.tensor"
    %r35_2 = irdl.base "!builtin.tensor"
    %r36_2 = irdl.base "!builtin.tensor"
    %r37_2 = irdl.base "!builtin.tensor"
    %r38_2 = irdl.base "!builtin.tensor"
    %r39_2 = irdl.base "!builtin.tensor"
    %r40_2 = irdl.base "!builtin.tensor"
    %r41_2 = irdl.base "!builtin.tensor"
    %r42_2 = irdl.base "!builtin.tensor"
    %r43_2 = irdl.base "!builtin.tensor"
    %r44_2 = irdl.base "!builtin.tensor"
    %r45_2 = irdl.base "!builtin.tensor"
    %r46_2 = irdl.base "!builtin.tensor"
    %r47_2 = irdl.base "!builtin.tensor"
    %r48_2 = irdl.base "!builtin.tensor"
    %r49_2 = irdl.base "!builtin.tensor"
    %r50_2 = irdl.base "!builtin.tensor"
    %r51_2 = irdl.base "!builtin.tensor"
    %r52_2 = irdl.base "!builtin.tensor"
    %r53_2 = irdl.base "!builtin.tensor"
    %r54_2 = irdl.base "!builtin.tensor"
    %r55_2 = irdl.base "!builtin.tensor"
    %r56_2 = irdl.base "!builtin.tensor"
    %r57_2 = irdl.base "!builtin.tensor"
    %r58_2 = irdl.base "!builtin.tensor"
    %r59_2 = irdl.base "!builtin.tensor"
    %r60_2 = irdl.base "!builtin.tensor"
    %r61_2 = irdl.base "!builtin.tensor"
    %r62_2 = irdl.base "!builtin.tensor"
    %r63_2 = irdl.base "!builtin.tensor"
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs_16: optional %r16_2, outputs_17: optional %r17_2, outputs_18: optional %r18_2, outputs_19: optional %r19_2, outputs_20: optional %r20_2, outputs_21: optional %r21_2, outputs_22: optional %r22_2, outputs_23: optional %r23_2, outputs_24: optional %r24_2, outputs_25: optional %r25_2, outputs_26: optional %r26_2, outputs_27: optional %r27_2, outputs_28: optional %r28_2, outputs_29: optional %r29_2, outputs_30: optional %r30_2, outputs_31: optional %r31_2, outputs_32: optional %r32_2, outputs_33: optional %r33_2, outputs_34: optional %r34_2, outputs_35: optional %r35_2, outputs_36: optional %r36_2, outputs_37: optional %r37_2, outputs_38: optional %r38_2, outputs_39: optional %r39_2, outputs_40: optional %r40_2, outputs_41: optional %r41_2, outputs_42: optional %r42_2, outputs_43: optional %r43_2, outputs_44: optional %r44_2, outputs_45: optional %r45_2, outputs_46: optional %r46_2, outputs_47: optional %r47_2, outputs_48: optional %r48_2, outputs_49: optional %r49_2, outputs_50: optional %r50_2, outputs_51: optional %r51_2, outputs_52: optional %r52_2, outputs_53: optional %r53_2, outputs_54: optional %r54_2, outputs_55: optional %r55_2, outputs_56: optional %r56_2, outputs_57: optional %r57_2, outputs_58: optional %r58_2, outputs_59: optional %r59_2, outputs_60: optional %r60_2, outputs_61: optional %r61_2, outputs_62: optional %r62_2, outputs_63: optional %r63_2, outputs: variadic %2)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs_16: optional %o16_1, inputs_17: optional %o17_1, inputs_18: optional %o18_1, inputs_19: optional %o19_1, inputs_20: optional %o20_1, inputs_21: optional %o21_1, inputs_22: optional %o22_1, inputs_23: optional %o23_1, inputs_24: optional %o24_1, inputs_25: optional %o25_1, inputs_26: optional %o26_1, inputs_27: optional %o27_1, inputs_28: optional %o28_1, inputs_29: optional %o29_1, inputs_30: optional %o30_1, inputs_31: optional %o31_1, inputs_32: optional %o32_1, inputs_33: optional %o33_1, inputs_34: optional %o34_1, inputs_35: optional %o35_1, inputs_36: optional %o36_1, inputs_37: optional %o37_1, inputs_38: optional %o38_1, inputs_39: optional %o39_1, inputs_40: optional %o40_1, inputs_41: optional %o41_1, inputs_42: optional %o42_1, inputs_43: optional %o43_1, inputs_44: optional %o44_1, inputs_45: optional %o45_1, inputs_46: optional %o46_1, inputs_47: optional %o47_1, inputs_48: optional %o48_1, inputs_49: optional %o49_1, inputs_50: optional %o50_1, inputs_51: optional %o51_1, inputs_52: optional %o52_1, inputs_53: optional %o53_1, inputs_54: optional %o54_1, inputs_55: optional %o55_1, inputs_56: optional %o56_1, inputs_57: optional %o57_1, inputs_58: optional %o58_1, inputs_59: optional %o59_1, inputs_60: optional %o60_1, inputs_61: optional %o61_1, inputs_62: optional %o62_1, inputs_63: optional %o63_1, inputs: variadic %1)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs_16: optional %o16_1, inputs_17: optional %o17_1, inputs_18: optional %o18_1, inputs_19: optional %o19_1, inputs_20: optional %o20_1, inputs_21: optional %o21_1, inputs_22: optional %o22_1, inputs_23: optional %o23_1, inputs_24: optional %o24_1, inputs_25: optional %o25_1, inputs_26: optional %o26_1, inputs_27: optional %o27_1, inputs_28: optional %o28_1, inputs_29: optional %o29_1, inputs_30: optional %o30_1, inputs_31: optional %o31_1, inputs_32: optional %o32_1, inputs_33: optional %o33_1, inputs_34: optional %o34_1, inputs_35: optional %o35_1, inputs_36: optional %o36_1, inputs_37: optional %o37_1, inputs_38: optional %o38_1, inputs_39: optional %o39_1, inputs_40: optional %o40_1, inputs_41: optional %o41_1, inputs_42: optional %o42_1, inputs_43: optional %o43_1, inputs_44: optional %o44_1, inputs_45: optional %o45_1, inputs_46: optional %o46_1, inputs_47: optional %o47_1, inputs_48: optional %o48_1, inputs_49: optional %o49_1, inputs_50: optional %o50_1, inputs_51: optional %o51_1, inputs_52: optional %o52_1, inputs_53: optional %o53_1, inputs_54: optional %o54_1, inputs_55: optional %o55_1, inputs_56: optional %o56_1, inputs_57: optional %o57_1, inputs_58: optional %o58_1, inputs_59: optional %o59_1, inputs_60: optional %o60_1, inputs_61: optional %o61_1, inputs_62: optional %o62_1, inputs_63: optional %o63_1, inputs: variadic %1)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0_0: optional %o0_1, data_0_1: optional %o1_1, data_0_2: optional %o2_1, data_0_3: optional %o3_1, data_0_4: optional %o4_1, data_0_5: optional %o5_1, data_0_6: optional %o6_1, data_0_7: optional %o7_1, data_0_8: optional %o8_1, data_0_9: optional %o9_1, data_0_10: optional %o10_1, data_0_11: optional %o11_1, data_0_12: optional %o12_1, data_0_13: optional %o13_1, data_0_14: optional %o14_1, data_0_15: optional %o15_1, data_0_16: optional %o16_1, data_0_17: optional %o17_1, data_0_18: optional %o18_1, data_0_19: optional %o19_1, data_0_20: optional %o20_1, data_0_21: optional %o21_1, data_0_22: optional %o22_1, data_0_23: optional %o23_1, data_0_24: optional %o24_1, data_0_25: optional %o25_1, data_0_26: optional %o26_1, data_0_27: optional %o27_1, data_0_28: optional %o28_1, data_0_29: optional %o29_1, data_0_30: optional %o30_1, data_0_31: optional %o31_1, data_0_32: optional %o32_1, data_0_33: optional %o33_1, data_0_34: optional %o34_1, data_0_35: optional %o35_1, data_0_36: optional %o36_1, data_0_37: optional %o37_1, data_0_38: optional %o38_1, data_0_39: optional %o39_1, data_0_40: optional %o40_1, data_0_41: optional %o41_1, data_0_42: optional %o42_1, data_0_43: optional %o43_1, data_0_44: optional %o44_1, data_0_45: optional %o45_1, data_0_46: optional %o46_1, data_0_47: optional %o47_1, data_0_48: optional %o48_1, data_0_49: optional %o49_1, data_0_50: optional %o50_1, data_0_51: optional %o51_1, data_0_52: optional %o52_1, data_0_53: optional %o53_1, data_0_54: optional %o54_1, data_0_55: optional %o55_1, data_0_56: optional %o56_1, data_0_57: optional %o57_1, data_0_58: optional %o58_1, data_0_59: optional %o59_1, data_0_60: optional %o60_1, data_0_61: optional %o61_1, data_0_62: optional %o62_1, data_0_63: optional %o63_1, data_0: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(output: %2)
  }
  irdl.operation @mean {
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(data_0_0: optional %o0_1, data_0_1: optional %o1_1, data_0_2: optional %o2_1, data_0_3: optional %o3_1, data_0_4: optional %o4_1, data_0_5: optional %o5_1, data_0_6: optional %o6_1, data_0_7: optional %o7_1, data_0_8: optional %o8_1, data_0_9: optional %o9_1, data_0_10: optional %o10_1, data_0_11: optional %o11_1, data_0_12: optional %o12_1, data_0_13: optional %o13_1, data_0_14: optional %o14_1, data_0_15: optional %o15_1, data_0_16: optional %o16_1, data_0_17: optional %o17_1, data_0_18: optional %o18_1, data_0_19: optional %o19_1, data_0_20: optional %o20_1, data_0_21: optional %o21_1, data_0_22: optional %o22_1, data_0_23: optional %o23_1, data_0_24: optional %o24_1, data_0_25: optional %o25_1, data_0_26: optional %o26_1, data_0_27: optional %o27_1, data_0_28: optional %o28_1, data_0_29: optional %o29_1, data_0_30: optional %o30_1, data_0_31: optional %o31_1, data_0_32: optional %o32_1, data_0_33: optional %o33_1, data_0_34: optional %o34_1, data_0_35: optional %o35_1, data_0_36: optional %o36_1, data_0_37: optional %o37_1, data_0_38: optional %o38_1, data_0_39: optional %o39_1, data_0_40: optional %o40_1, data_0_41: optional %o41_1, data_0_42: optional %o42_1, data_0_43: optional %o43_1, data_0_44: optional %o44_1, data_0_45: optional %o45_1, data_0_46: optional %o46_1, data_0_47: optional %o47_1, data_0_48: optional %o48_1, data_0_49: optional %o49_1, data_0_50: optional %o50_1, data_0_51: optional %o51_1, data_0_52: optional %o52_1, data_0_53: optional %o53_1, data_0_54: optional %o54_1, data_0_55: optional %o55_1, data_0_56: optional %o56_1, data_0_57: optional %o57_1, data_0_58: optional %o58_1, data_0_59: optional %o59_1, data_0_60: optional %o60_1, data_0_61: optional %o61_1, data_0_62: optional %o62_1, data_0_63: optional %o63_1, data_0: variadic %1)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs_16: optional %o16_1, inputs_17: optional %o17_1, inputs_18: optional %o18_1, inputs_19: optional %o19_1, inputs_20: optional %o20_1, inputs_21: optional %o21_1, inputs_22: optional %o22_1, inputs_23: optional %o23_1, inputs_24: optional %o24_1, inputs_25: optional %o25_1, inputs_26: optional %o26_1, inputs_27: optional %o27_1, inputs_28: optional %o28_1, inputs_29: optional %o29_1, inputs_30: optional %o30_1, inputs_31: optional %o31_1, inputs_32: optional %o32_1, inputs_33: optional %o33_1, inputs_34: optional %o34_1, inputs_35: optional %o35_1, inputs_36: optional %o36_1, inputs_37: optional %o37_1, inputs_38: optional %o38_1, inputs_39: optional %o39_1, inputs_40: optional %o40_1, inputs_41: optional %o41_1, inputs_42: optional %o42_1, inputs_43: optional %o43_1, inputs_44: optional %o44_1, inputs_45: optional %o45_1, inputs_46: optional %o46_1, inputs_47: optional %o47_1, inputs_48: optional %o48_1, inputs_49: optional %o49_1, inputs_50: optional %o50_1, inputs_51: optional %o51_1, inputs_52: optional %o52_1, inputs_53: optional %o53_1, inputs_54: optional %o54_1, inputs_55: optional %o55_1, inputs_56: optional %o56_1, inputs_57: optional %o57_1, inputs_58: optional %o58_1, inputs_59: optional %o59_1, inputs_60: optional %o60_1, inputs_61: optional %o61_1, inputs_62: optional %o62_1, inputs_63: optional %o63_1, inputs: variadic %1)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs_16: optional %o16_1, inputs_17: optional %o17_1, inputs_18: optional %o18_1, inputs_19: optional %o19_1, inputs_20: optional %o20_1, inputs_21: optional %o21_1, inputs_22: optional %o22_1, inputs_23: optional %o23_1, inputs_24: optional %o24_1, inputs_25: optional %o25_1, inputs_26: optional %o26_1, inputs_27: optional %o27_1, inputs_28: optional %o28_1, inputs_29: optional %o29_1, inputs_30: optional %o30_1, inputs_31: optional %o31_1, inputs_32: optional %o32_1, inputs_33: optional %o33_1, inputs_34: optional %o34_1, inputs_35: optional %o35_1, inputs_36: optional %o36_1, inputs_37: optional %o37_1, inputs_38: optional %o38_1, inputs_39: optional %o39_1, inputs_40: optional %o40_1, inputs_41: optional %o41_1, inputs_42: optional %o42_1, inputs_43: optional %o43_1, inputs_44: optional %o44_1, inputs_45: optional %o45_1, inputs_46: optional %o46_1, inputs_47: optional %o47_1, inputs_48: optional %o48_1, inputs_49: optional %o49_1, inputs_50: optional %o50_1, inputs_51: optional %o51_1, inputs_52: optional %o52_1, inputs_53: optional %o53_1, inputs_54: optional %o54_1, inputs_55: optional %o55_1, inputs_56: optional %o56_1, inputs_57: optional %o57_1, inputs_58: optional %o58_1, inputs_59: optional %o59_1, inputs_60: optional %o60_1, inputs_61: optional %o61_1, inputs_62: optional %o62_1, inputs_63: optional %o63_1, inputs: variadic %1)
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
    %r16_2 = irdl.base "!builtin.tensor"
    %r17_2 = irdl.base "!builtin.tensor"
    %r18_2 = irdl.base "!builtin.tensor"
    %r19_2 = irdl.base "!builtin.tensor"
    %r20_2 = irdl.base "!builtin.tensor"
    %r21_2 = irdl.base "!builtin.tensor"
    %r22_2 = irdl.base "!builtin.tensor"
    %r23_2 = irdl.base "!builtin.tensor"
    %r24_2 = irdl.base "!builtin.tensor"
    %r25_2 = irdl.base "!builtin.tensor"
    %r26_2 = irdl.base "!builtin.tensor"
    %r27_2 = irdl.base "!builtin.tensor"
    %r28_2 = irdl.base "!builtin.tensor"
    %r29_2 = irdl.base "!builtin.tensor"
    %r30_2 = irdl.base "!builtin.tensor"
    %r31_2 = irdl.base "!builtin.tensor"
    %r32_2 = irdl.base "!builtin.tensor"
    %r33_2 = irdl.base "!builtin.tensor"
    %r34_2 = irdl.base "!builtin.tensor"
    %r35_2 = irdl.base "!builtin.tensor"
    %r36_2 = irdl.base "!builtin.tensor"
    %r37_2 = irdl.base "!builtin.tensor"
    %r38_2 = irdl.base "!builtin.tensor"
    %r39_2 = irdl.base "!builtin.tensor"
    %r40_2 = irdl.base "!builtin.tensor"
    %r41_2 = irdl.base "!builtin.tensor"
    %r42_2 = irdl.base "!builtin.tensor"
    %r43_2 = irdl.base "!builtin.tensor"
    %r44_2 = irdl.base "!builtin.tensor"
    %r45_2 = irdl.base "!builtin.tensor"
    %r46_2 = irdl.base "!builtin.tensor"
    %r47_2 = irdl.base "!builtin.tensor"
    %r48_2 = irdl.base "!builtin.tensor"
    %r49_2 = irdl.base "!builtin.tensor"
    %r50_2 = irdl.base "!builtin.tensor"
    %r51_2 = irdl.base "!builtin.tensor"
    %r52_2 = irdl.base "!builtin.tensor"
    %r53_2 = irdl.base "!builtin.tensor"
    %r54_2 = irdl.base "!builtin.tensor"
    %r55_2 = irdl.base "!builtin.tensor"
    %r56_2 = irdl.base "!builtin.tensor"
    %r57_2 = irdl.base "!builtin.tensor"
    %r58_2 = irdl.base "!builtin.tensor"
    %r59_2 = irdl.base "!builtin.tensor"
    %r60_2 = irdl.base "!builtin.tensor"
    %r61_2 = irdl.base "!builtin.tensor"
    %r62_2 = irdl.base "!builtin.tensor"
    %r63_2 = irdl.base "!builtin.tensor"
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs_16: optional %r16_2, outputs_17: optional %r17_2, outputs_18: optional %r18_2, outputs_19: optional %r19_2, outputs_20: optional %r20_2, outputs_21: optional %r21_2, outputs_22: optional %r22_2, outputs_23: optional %r23_2, outputs_24: optional %r24_2, outputs_25: optional %r25_2, outputs_26: optional %r26_2, outputs_27: optional %r27_2, outputs_28: optional %r28_2, outputs_29: optional %r29_2, outputs_30: optional %r30_2, outputs_31: optional %r31_2, outputs_32: optional %r32_2, outputs_33: optional %r33_2, outputs_34: optional %r34_2, outputs_35: optional %r35_2, outputs_36: optional %r36_2, outputs_37: optional %r37_2, outputs_38: optional %r38_2, outputs_39: optional %r39_2, outputs_40: optional %r40_2, outputs_41: optional %r41_2, outputs_42: optional %r42_2, outputs_43: optional %r43_2, outputs_44: optional %r44_2, outputs_45: optional %r45_2, outputs_46: optional %r46_2, outputs_47: optional %r47_2, outputs_48: optional %r48_2, outputs_49: optional %r49_2, outputs_50: optional %r50_2, outputs_51: optional %r51_2, outputs_52: optional %r52_2, outputs_53: optional %r53_2, outputs_54: optional %r54_2, outputs_55: optional %r55_2, outputs_56: optional %r56_2, outputs_57: optional %r57_2, outputs_58: optional %r58_2, outputs_59: optional %r59_2, outputs_60: optional %r60_2, outputs_61: optional %r61_2, outputs_62: optional %r62_2, outputs_63: optional %r63_2, outputs: variadic %2)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(results_0: optional %o0_1, results_1: optional %o1_1, results_2: optional %o2_1, results_3: optional %o3_1, results_4: optional %o4_1, results_5: optional %o5_1, results_6: optional %o6_1, results_7: optional %o7_1, results_8: optional %o8_1, results_9: optional %o9_1, results_10: optional %o10_1, results_11: optional %o11_1, results_12: optional %o12_1, results_13: optional %o13_1, results_14: optional %o14_1, results_15: optional %o15_1, results_16: optional %o16_1, results_17: optional %o17_1, results_18: optional %o18_1, results_19: optional %o19_1, results_20: optional %o20_1, results_21: optional %o21_1, results_22: optional %o22_1, results_23: optional %o23_1, results_24: optional %o24_1, results_25: optional %o25_1, results_26: optional %o26_1, results_27: optional %o27_1, results_28: optional %o28_1, results_29: optional %o29_1, results_30: optional %o30_1, results_31: optional %o31_1, results_32: optional %o32_1, results_33: optional %o33_1, results_34: optional %o34_1, results_35: optional %o35_1, results_36: optional %o36_1, results_37: optional %o37_1, results_38: optional %o38_1, results_39: optional %o39_1, results_40: optional %o40_1, results_41: optional %o41_1, results_42: optional %o42_1, results_43: optional %o43_1, results_44: optional %o44_1, results_45: optional %o45_1, results_46: optional %o46_1, results_47: optional %o47_1, results_48: optional %o48_1, results_49: optional %o49_1, results_50: optional %o50_1, results_51: optional %o51_1, results_52: optional %o52_1, results_53: optional %o53_1, results_54: optional %o54_1, results_55: optional %o55_1, results_56: optional %o56_1, results_57: optional %o57_1, results_58: optional %o58_1, results_59: optional %o59_1, results_60: optional %o60_1, results_61: optional %o61_1, results_62: optional %o62_1, results_63: optional %o63_1, results: variadic %1)
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
    %o16_1 = irdl.any
    %o17_1 = irdl.any
    %o18_1 = irdl.any
    %o19_1 = irdl.any
    %o20_1 = irdl.any
    %o21_1 = irdl.any
    %o22_1 = irdl.any
    %o23_1 = irdl.any
    %o24_1 = irdl.any
    %o25_1 = irdl.any
    %o26_1 = irdl.any
    %o27_1 = irdl.any
    %o28_1 = irdl.any
    %o29_1 = irdl.any
    %o30_1 = irdl.any
    %o31_1 = irdl.any
    %o32_1 = irdl.any
    %o33_1 = irdl.any
    %o34_1 = irdl.any
    %o35_1 = irdl.any
    %o36_1 = irdl.any
    %o37_1 = irdl.any
    %o38_1 = irdl.any
    %o39_1 = irdl.any
    %o40_1 = irdl.any
    %o41_1 = irdl.any
    %o42_1 = irdl.any
    %o43_1 = irdl.any
    %o44_1 = irdl.any
    %o45_1 = irdl.any
    %o46_1 = irdl.any
    %o47_1 = irdl.any
    %o48_1 = irdl.any
    %o49_1 = irdl.any
    %o50_1 = irdl.any
    %o51_1 = irdl.any
    %o52_1 = irdl.any
    %o53_1 = irdl.any
    %o54_1 = irdl.any
    %o55_1 = irdl.any
    %o56_1 = irdl.any
    %o57_1 = irdl.any
    %o58_1 = irdl.any
    %o59_1 = irdl.any
    %o60_1 = irdl.any
    %o61_1 = irdl.any
    %o62_1 = irdl.any
    %o63_1 = irdl.any
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs_16: optional %o16_1, inputs_17: optional %o17_1, inputs_18: optional %o18_1, inputs_19: optional %o19_1, inputs_20: optional %o20_1, inputs_21: optional %o21_1, inputs_22: optional %o22_1, inputs_23: optional %o23_1, inputs_24: optional %o24_1, inputs_25: optional %o25_1, inputs_26: optional %o26_1, inputs_27: optional %o27_1, inputs_28: optional %o28_1, inputs_29: optional %o29_1, inputs_30: optional %o30_1, inputs_31: optional %o31_1, inputs_32: optional %o32_1, inputs_33: optional %o33_1, inputs_34: optional %o34_1, inputs_35: optional %o35_1, inputs_36: optional %o36_1, inputs_37: optional %o37_1, inputs_38: optional %o38_1, inputs_39: optional %o39_1, inputs_40: optional %o40_1, inputs_41: optional %o41_1, inputs_42: optional %o42_1, inputs_43: optional %o43_1, inputs_44: optional %o44_1, inputs_45: optional %o45_1, inputs_46: optional %o46_1, inputs_47: optional %o47_1, inputs_48: optional %o48_1, inputs_49: optional %o49_1, inputs_50: optional %o50_1, inputs_51: optional %o51_1, inputs_52: optional %o52_1, inputs_53: optional %o53_1, inputs_54: optional %o54_1, inputs_55: optional %o55_1, inputs_56: optional %o56_1, inputs_57: optional %o57_1, inputs_58: optional %o58_1, inputs_59: optional %o59_1, inputs_60: optional %o60_1, inputs_61: optional %o61_1, inputs_62: optional %o62_1, inputs_63: optional %o63_1, inputs: variadic %1)
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
    %r16_2 = irdl.any
    %r17_2 = irdl.any
    %r18_2 = irdl.any
    %r19_2 = irdl.any
    %r20_2 = irdl.any
    %r21_2 = irdl.any
    %r22_2 = irdl.any
    %r23_2 = irdl.any
    %r24_2 = irdl.any
    %r25_2 = irdl.any
    %r26_2 = irdl.any
    %r27_2 = irdl.any
    %r28_2 = irdl.any
    %r29_2 = irdl.any
    %r30_2 = irdl.any
    %r31_2 = irdl.any
    %r32_2 = irdl.any
    %r33_2 = irdl.any
    %r34_2 = irdl.any
    %r35_2 = irdl.any
    %r36_2 = irdl.any
    %r37_2 = irdl.any
    %r38_2 = irdl.any
    %r39_2 = irdl.any
    %r40_2 = irdl.any
    %r41_2 = irdl.any
    %r42_2 = irdl.any
    %r43_2 = irdl.any
    %r44_2 = irdl.any
    %r45_2 = irdl.any
    %r46_2 = irdl.any
    %r47_2 = irdl.any
    %r48_2 = irdl.any
    %r49_2 = irdl.any
    %r50_2 = irdl.any
    %r51_2 = irdl.any
    %r52_2 = irdl.any
    %r53_2 = irdl.any
    %r54_2 = irdl.any
    %r55_2 = irdl.any
    %r56_2 = irdl.any
    %r57_2 = irdl.any
    %r58_2 = irdl.any
    %r59_2 = irdl.any
    %r60_2 = irdl.any
    %r61_2 = irdl.any
    %r62_2 = irdl.any
    %r63_2 = irdl.any
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs_16: optional %r16_2, outputs_17: optional %r17_2, outputs_18: optional %r18_2, outputs_19: optional %r19_2, outputs_20: optional %r20_2, outputs_21: optional %r21_2, outputs_22: optional %r22_2, outputs_23: optional %r23_2, outputs_24: optional %r24_2, outputs_25: optional %r25_2, outputs_26: optional %r26_2, outputs_27: optional %r27_2, outputs_28: optional %r28_2, outputs_29: optional %r29_2, outputs_30: optional %r30_2, outputs_31: optional %r31_2, outputs_32: optional %r32_2, outputs_33: optional %r33_2, outputs_34: optional %r34_2, outputs_35: optional %r35_2, outputs_36: optional %r36_2, outputs_37: optional %r37_2, outputs_38: optional %r38_2, outputs_39: optional %r39_2, outputs_40: optional %r40_2, outputs_41: optional %r41_2, outputs_42: optional %r42_2, outputs_43: optional %r43_2, outputs_44: optional %r44_2, outputs_45: optional %r45_2, outputs_46: optional %r46_2, outputs_47: optional %r47_2, outputs_48: optional %r48_2, outputs_49: optional %r49_2, outputs_50: optional %r50_2, outputs_51: optional %r51_2, outputs_52: optional %r52_2, outputs_53: optional %r53_2, outputs_54: optional %r54_2, outputs_55: optional %r55_2, outputs_56: optional %r56_2, outputs_57: optional %r57_2, outputs_58: optional %r58_2, outputs_59: optional %r59_2, outputs_60: optional %r60_2, outputs_61: optional %r61_2, outputs_62: optional %r62_2, outputs_63: optional %r63_2, outputs: variadic %2)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(results_0: optional %o0_1, results_1: optional %o1_1, results_2: optional %o2_1, results_3: optional %o3_1, results_4: optional %o4_1, results_5: optional %o5_1, results_6: optional %o6_1, results_7: optional %o7_1, results_8: optional %o8_1, results_9: optional %o9_1, results_10: optional %o10_1, results_11: optional %o11_1, results_12: optional %o12_1, results_13: optional %o13_1, results_14: optional %o14_1, results_15: optional %o15_1, results_16: optional %o16_1, results_17: optional %o17_1, results_18: optional %o18_1, results_19: optional %o19_1, results_20: optional %o20_1, results_21: optional %o21_1, results_22: optional %o22_1, results_23: optional %o23_1, results_24: optional %o24_1, results_25: optional %o25_1, results_26: optional %o26_1, results_27: optional %o27_1, results_28: optional %o28_1, results_29: optional %o29_1, results_30: optional %o30_1, results_31: optional %o31_1, results_32: optional %o32_1, results_33: optional %o33_1, results_34: optional %o34_1, results_35: optional %o35_1, results_36: optional %o36_1, results_37: optional %o37_1, results_38: optional %o38_1, results_39: optional %o39_1, results_40: optional %o40_1, results_41: optional %o41_1, results_42: optional %o42_1, results_43: optional %o43_1, results_44: optional %o44_1, results_45: optional %o45_1, results_46: optional %o46_1, results_47: optional %o47_1, results_48: optional %o48_1, results_49: optional %o49_1, results_50: optional %o50_1, results_51: optional %o51_1, results_52: optional %o52_1, results_53: optional %o53_1, results_54: optional %o54_1, results_55: optional %o55_1, results_56: optional %o56_1, results_57: optional %o57_1, results_58: optional %o58_1, results_59: optional %o59_1, results_60: optional %o60_1, results_61: optional %o61_1, results_62: optional %o62_1, results_63: optional %o63_1, results: variadic %1)
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
    %r16_2 = irdl.base @dataflow::@itensor
    %r17_2 = irdl.base @dataflow::@itensor
    %r18_2 = irdl.base @dataflow::@itensor
    %r19_2 = irdl.base @dataflow::@itensor
    %r20_2 = irdl.base @dataflow::@itensor
    %r21_2 = irdl.base @dataflow::@itensor
    %r22_2 = irdl.base @dataflow::@itensor
    %r23_2 = irdl.base @dataflow::@itensor
    %r24_2 = irdl.base @dataflow::@itensor
    %r25_2 = irdl.base @dataflow::@itensor
    %r26_2 = irdl.base @dataflow::@itensor
    %r27_2 = irdl.base @dataflow::@itensor
    %r28_2 = irdl.base @dataflow::@itensor
    %r29_2 = irdl.base @dataflow::@itensor
    %r30_2 = irdl.base @dataflow::@itensor
    %r31_2 = irdl.base @dataflow::@itensor
    %r32_2 = irdl.base @dataflow::@itensor
    %r33_2 = irdl.base @dataflow::@itensor
    %r34_2 = irdl.base @dataflow::@itensor
    %r35_2 = irdl.base @dataflow::@itensor
    %r36_2 = irdl.base @dataflow::@itensor
    %r37_2 = irdl.base @dataflow::@itensor
    %r38_2 = irdl.base @dataflow::@itensor
    %r39_2 = irdl.base @dataflow::@itensor
    %r40_2 = irdl.base @dataflow::@itensor
    %r41_2 = irdl.base @dataflow::@itensor
    %r42_2 = irdl.base @dataflow::@itensor
    %r43_2 = irdl.base @dataflow::@itensor
    %r44_2 = irdl.base @dataflow::@itensor
    %r45_2 = irdl.base @dataflow::@itensor
    %r46_2 = irdl.base @dataflow::@itensor
    %r47_2 = irdl.base @dataflow::@itensor
    %r48_2 = irdl.base @dataflow::@itensor
    %r49_2 = irdl.base @dataflow::@itensor
    %r50_2 = irdl.base @dataflow::@itensor
    %r51_2 = irdl.base @dataflow::@itensor
    %r52_2 = irdl.base @dataflow::@itensor
    %r53_2 = irdl.base @dataflow::@itensor
    %r54_2 = irdl.base @dataflow::@itensor
    %r55_2 = irdl.base @dataflow::@itensor
    %r56_2 = irdl.base @dataflow::@itensor
    %r57_2 = irdl.base @dataflow::@itensor
    %r58_2 = irdl.base @dataflow::@itensor
    %r59_2 = irdl.base @dataflow::@itensor
    %r60_2 = irdl.base @dataflow::@itensor
    %r61_2 = irdl.base @dataflow::@itensor
    %r62_2 = irdl.base @dataflow::@itensor
    %r63_2 = irdl.base @dataflow::@itensor
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs_16: optional %r16_2, outputs_17: optional %r17_2, outputs_18: optional %r18_2, outputs_19: optional %r19_2, outputs_20: optional %r20_2, outputs_21: optional %r21_2, outputs_22: optional %r22_2, outputs_23: optional %r23_2, outputs_24: optional %r24_2, outputs_25: optional %r25_2, outputs_26: optional %r26_2, outputs_27: optional %r27_2, outputs_28: optional %r28_2, outputs_29: optional %r29_2, outputs_30: optional %r30_2, outputs_31: optional %r31_2, outputs_32: optional %r32_2, outputs_33: optional %r33_2, outputs_34: optional %r34_2, outputs_35: optional %r35_2, outputs_36: optional %r36_2, outputs_37: optional %r37_2, outputs_38: optional %r38_2, outputs_39: optional %r39_2, outputs_40: optional %r40_2, outputs_41: optional %r41_2, outputs_42: optional %r42_2, outputs_43: optional %r43_2, outputs_44: optional %r44_2, outputs_45: optional %r45_2, outputs_46: optional %r46_2, outputs_47: optional %r47_2, outputs_48: optional %r48_2, outputs_49: optional %r49_2, outputs_50: optional %r50_2, outputs_51: optional %r51_2, outputs_52: optional %r52_2, outputs_53: optional %r53_2, outputs_54: optional %r54_2, outputs_55: optional %r55_2, outputs_56: optional %r56_2, outputs_57: optional %r57_2, outputs_58: optional %r58_2, outputs_59: optional %r59_2, outputs_60: optional %r60_2, outputs_61: optional %r61_2, outputs_62: optional %r62_2, outputs_63: optional %r63_2, outputs: variadic %2)
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
    %o16_1 = irdl.base @dataflow::@itensor
    %o17_1 = irdl.base @dataflow::@itensor
    %o18_1 = irdl.base @dataflow::@itensor
    %o19_1 = irdl.base @dataflow::@itensor
    %o20_1 = irdl.base @dataflow::@itensor
    %o21_1 = irdl.base @dataflow::@itensor
    %o22_1 = irdl.base @dataflow::@itensor
    %o23_1 = irdl.base @dataflow::@itensor
    %o24_1 = irdl.base @dataflow::@itensor
    %o25_1 = irdl.base @dataflow::@itensor
    %o26_1 = irdl.base @dataflow::@itensor
    %o27_1 = irdl.base @dataflow::@itensor
    %o28_1 = irdl.base @dataflow::@itensor
    %o29_1 = irdl.base @dataflow::@itensor
    %o30_1 = irdl.base @dataflow::@itensor
    %o31_1 = irdl.base @dataflow::@itensor
    %o32_1 = irdl.base @dataflow::@itensor
    %o33_1 = irdl.base @dataflow::@itensor
    %o34_1 = irdl.base @dataflow::@itensor
    %o35_1 = irdl.base @dataflow::@itensor
    %o36_1 = irdl.base @dataflow::@itensor
    %o37_1 = irdl.base @dataflow::@itensor
    %o38_1 = irdl.base @dataflow::@itensor
    %o39_1 = irdl.base @dataflow::@itensor
    %o40_1 = irdl.base @dataflow::@itensor
    %o41_1 = irdl.base @dataflow::@itensor
    %o42_1 = irdl.base @dataflow::@itensor
    %o43_1 = irdl.base @dataflow::@itensor
    %o44_1 = irdl.base @dataflow::@itensor
    %o45_1 = irdl.base @dataflow::@itensor
    %o46_1 = irdl.base @dataflow::@itensor
    %o47_1 = irdl.base @dataflow::@itensor
    %o48_1 = irdl.base @dataflow::@itensor
    %o49_1 = irdl.base @dataflow::@itensor
    %o50_1 = irdl.base @dataflow::@itensor
    %o51_1 = irdl.base @dataflow::@itensor
    %o52_1 = irdl.base @dataflow::@itensor
    %o53_1 = irdl.base @dataflow::@itensor
    %o54_1 = irdl.base @dataflow::@itensor
    %o55_1 = irdl.base @dataflow::@itensor
    %o56_1 = irdl.base @dataflow::@itensor
    %o57_1 = irdl.base @dataflow::@itensor
    %o58_1 = irdl.base @dataflow::@itensor
    %o59_1 = irdl.base @dataflow::@itensor
    %o60_1 = irdl.base @dataflow::@itensor
    %o61_1 = irdl.base @dataflow::@itensor
    %o62_1 = irdl.base @dataflow::@itensor
    %o63_1 = irdl.base @dataflow::@itensor
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs_16: optional %o16_1, inputs_17: optional %o17_1, inputs_18: optional %o18_1, inputs_19: optional %o19_1, inputs_20: optional %o20_1, inputs_21: optional %o21_1, inputs_22: optional %o22_1, inputs_23: optional %o23_1, inputs_24: optional %o24_1, inputs_25: optional %o25_1, inputs_26: optional %o26_1, inputs_27: optional %o27_1, inputs_28: optional %o28_1, inputs_29: optional %o29_1, inputs_30: optional %o30_1, inputs_31: optional %o31_1, inputs_32: optional %o32_1, inputs_33: optional %o33_1, inputs_34: optional %o34_1, inputs_35: optional %o35_1, inputs_36: optional %o36_1, inputs_37: optional %o37_1, inputs_38: optional %o38_1, inputs_39: optional %o39_1, inputs_40: optional %o40_1, inputs_41: optional %o41_1, inputs_42: optional %o42_1, inputs_43: optional %o43_1, inputs_44: optional %o44_1, inputs_45: optional %o45_1, inputs_46: optional %o46_1, inputs_47: optional %o47_1, inputs_48: optional %o48_1, inputs_49: optional %o49_1, inputs_50: optional %o50_1, inputs_51: optional %o51_1, inputs_52: optional %o52_1, inputs_53: optional %o53_1, inputs_54: optional %o54_1, inputs_55: optional %o55_1, inputs_56: optional %o56_1, inputs_57: optional %o57_1, inputs_58: optional %o58_1, inputs_59: optional %o59_1, inputs_60: optional %o60_1, inputs_61: optional %o61_1, inputs_62: optional %o62_1, inputs_63: optional %o63_1, inputs: variadic %1)
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
    %o16_1 = irdl.base "!builtin.tensor"
    %o17_1 = irdl.base "!builtin.tensor"
    %o18_1 = irdl.base "!builtin.tensor"
    %o19_1 = irdl.base "!builtin.tensor"
    %o20_1 = irdl.base "!builtin.tensor"
    %o21_1 = irdl.base "!builtin.tensor"
    %o22_1 = irdl.base "!builtin.tensor"
    %o23_1 = irdl.base "!builtin.tensor"
    %o24_1 = irdl.base "!builtin.tensor"
    %o25_1 = irdl.base "!builtin.tensor"
    %o26_1 = irdl.base "!builtin.tensor"
    %o27_1 = irdl.base "!builtin.tensor"
    %o28_1 = irdl.base "!builtin.tensor"
    %o29_1 = irdl.base "!builtin.tensor"
    %o30_1 = irdl.base "!builtin.tensor"
    %o31_1 = irdl.base "!builtin.tensor"
    %o32_1 = irdl.base "!builtin.tensor"
    %o33_1 = irdl.base "!builtin.tensor"
    %o34_1 = irdl.base "!builtin.tensor"
    %o35_1 = irdl.base "!builtin.tensor"
    %o36_1 = irdl.base "!builtin.tensor"
    %o37_1 = irdl.base "!builtin.tensor"
    %o38_1 = irdl.base "!builtin.tensor"
    %o39_1 = irdl.base "!builtin.tensor"
    %o40_1 = irdl.base "!builtin.tensor"
    %o41_1 = irdl.base "!builtin.tensor"
    %o42_1 = irdl.base "!builtin.tensor"
    %o43_1 = irdl.base "!builtin.tensor"
    %o44_1 = irdl.base "!builtin.tensor"
    %o45_1 = irdl.base "!builtin.tensor"
    %o46_1 = irdl.base "!builtin.tensor"
    %o47_1 = irdl.base "!builtin.tensor"
    %o48_1 = irdl.base "!builtin.tensor"
    %o49_1 = irdl.base "!builtin.tensor"
    %o50_1 = irdl.base "!builtin.tensor"
    %o51_1 = irdl.base "!builtin.tensor"
    %o52_1 = irdl.base "!builtin.tensor"
    %o53_1 = irdl.base "!builtin.tensor"
    %o54_1 = irdl.base "!builtin.tensor"
    %o55_1 = irdl.base "!builtin.tensor"
    %o56_1 = irdl.base "!builtin.tensor"
    %o57_1 = irdl.base "!builtin.tensor"
    %o58_1 = irdl.base "!builtin.tensor"
    %o59_1 = irdl.base "!builtin.tensor"
    %o60_1 = irdl.base "!builtin.tensor"
    %o61_1 = irdl.base "!builtin.tensor"
    %o62_1 = irdl.base "!builtin.tensor"
    %o63_1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs_0: optional %o0_1, inputs_1: optional %o1_1, inputs_2: optional %o2_1, inputs_3: optional %o3_1, inputs_4: optional %o4_1, inputs_5: optional %o5_1, inputs_6: optional %o6_1, inputs_7: optional %o7_1, inputs_8: optional %o8_1, inputs_9: optional %o9_1, inputs_10: optional %o10_1, inputs_11: optional %o11_1, inputs_12: optional %o12_1, inputs_13: optional %o13_1, inputs_14: optional %o14_1, inputs_15: optional %o15_1, inputs_16: optional %o16_1, inputs_17: optional %o17_1, inputs_18: optional %o18_1, inputs_19: optional %o19_1, inputs_20: optional %o20_1, inputs_21: optional %o21_1, inputs_22: optional %o22_1, inputs_23: optional %o23_1, inputs_24: optional %o24_1, inputs_25: optional %o25_1, inputs_26: optional %o26_1, inputs_27: optional %o27_1, inputs_28: optional %o28_1, inputs_29: optional %o29_1, inputs_30: optional %o30_1, inputs_31: optional %o31_1, inputs_32: optional %o32_1, inputs_33: optional %o33_1, inputs_34: optional %o34_1, inputs_35: optional %o35_1, inputs_36: optional %o36_1, inputs_37: optional %o37_1, inputs_38: optional %o38_1, inputs_39: optional %o39_1, inputs_40: optional %o40_1, inputs_41: optional %o41_1, inputs_42: optional %o42_1, inputs_43: optional %o43_1, inputs_44: optional %o44_1, inputs_45: optional %o45_1, inputs_46: optional %o46_1, inputs_47: optional %o47_1, inputs_48: optional %o48_1, inputs_49: optional %o49_1, inputs_50: optional %o50_1, inputs_51: optional %o51_1, inputs_52: optional %o52_1, inputs_53: optional %o53_1, inputs_54: optional %o54_1, inputs_55: optional %o55_1, inputs_56: optional %o56_1, inputs_57: optional %o57_1, inputs_58: optional %o58_1, inputs_59: optional %o59_1, inputs_60: optional %o60_1, inputs_61: optional %o61_1, inputs_62: optional %o62_1, inputs_63: optional %o63_1, inputs: variadic %1)
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
    %r16_2 = irdl.base "!builtin.tensor"
    %r17_2 = irdl.base "!builtin.tensor"
    %r18_2 = irdl.base "!builtin.tensor"
    %r19_2 = irdl.base "!builtin.tensor"
    %r20_2 = irdl.base "!builtin.tensor"
    %r21_2 = irdl.base "!builtin.tensor"
    %r22_2 = irdl.base "!builtin.tensor"
    %r23_2 = irdl.base "!builtin.tensor"
    %r24_2 = irdl.base "!builtin.tensor"
    %r25_2 = irdl.base "!builtin.tensor"
    %r26_2 = irdl.base "!builtin.tensor"
    %r27_2 = irdl.base "!builtin.tensor"
    %r28_2 = irdl.base "!builtin.tensor"
    %r29_2 = irdl.base "!builtin.tensor"
    %r30_2 = irdl.base "!builtin.tensor"
    %r31_2 = irdl.base "!builtin.tensor"
    %r32_2 = irdl.base "!builtin.tensor"
    %r33_2 = irdl.base "!builtin.tensor"
    %r34_2 = irdl.base "!builtin.tensor"
    %r35_2 = irdl.base "!builtin.tensor"
    %r36_2 = irdl.base "!builtin.tensor"
    %r37_2 = irdl.base "!builtin.tensor"
    %r38_2 = irdl.base "!builtin.tensor"
    %r39_2 = irdl.base "!builtin.tensor"
    %r40_2 = irdl.base "!builtin.tensor"
    %r41_2 = irdl.base "!builtin.tensor"
    %r42_2 = irdl.base "!builtin.tensor"
    %r43_2 = irdl.base "!builtin.tensor"
    %r44_2 = irdl.base "!builtin.tensor"
    %r45_2 = irdl.base "!builtin.tensor"
    %r46_2 = irdl.base "!builtin.tensor"
    %r47_2 = irdl.base "!builtin.tensor"
    %r48_2 = irdl.base "!builtin.tensor"
    %r49_2 = irdl.base "!builtin.tensor"
    %r50_2 = irdl.base "!builtin.tensor"
    %r51_2 = irdl.base "!builtin.tensor"
    %r52_2 = irdl.base "!builtin.tensor"
    %r53_2 = irdl.base "!builtin.tensor"
    %r54_2 = irdl.base "!builtin.tensor"
    %r55_2 = irdl.base "!builtin.tensor"
    %r56_2 = irdl.base "!builtin.tensor"
    %r57_2 = irdl.base "!builtin.tensor"
    %r58_2 = irdl.base "!builtin.tensor"
    %r59_2 = irdl.base "!builtin.tensor"
    %r60_2 = irdl.base "!builtin.tensor"
    %r61_2 = irdl.base "!builtin.tensor"
    %r62_2 = irdl.base "!builtin.tensor"
    %r63_2 = irdl.base "!builtin.tensor"
    irdl.results(outputs_0: optional %r0_2, outputs_1: optional %r1_2, outputs_2: optional %r2_2, outputs_3: optional %r3_2, outputs_4: optional %r4_2, outputs_5: optional %r5_2, outputs_6: optional %r6_2, outputs_7: optional %r7_2, outputs_8: optional %r8_2, outputs_9: optional %r9_2, outputs_10: optional %r10_2, outputs_11: optional %r11_2, outputs_12: optional %r12_2, outputs_13: optional %r13_2, outputs_14: optional %r14_2, outputs_15: optional %r15_2, outputs_16: optional %r16_2, outputs_17: optional %r17_2, outputs_18: optional %r18_2, outputs_19: optional %r19_2, outputs_20: optional %r20_2, outputs_21: optional %r21_2, outputs_22: optional %r22_2, outputs_23: optional %r23_2, outputs_24: optional %r24_2, outputs_25: optional %r25_2, outputs_26: optional %r26_2, outputs_27: optional %r27_2, outputs_28: optional %r28_2, outputs_29: optional %r29_2, outputs_30: optional %r30_2, outputs_31: optional %r31_2, outputs_32: optional %r32_2, outputs_33: optional %r33_2, outputs_34: optional %r34_2, outputs_35: optional %r35_2, outputs_36: optional %r36_2, outputs_37: optional %r37_2, outputs_38: optional %r38_2, outputs_39: optional %r39_2, outputs_40: optional %r40_2, outputs_41: optional %r41_2, outputs_42: optional %r42_2, outputs_43: optional %r43_2, outputs_44: optional %r44_2, outputs_45: optional %r45_2, outputs_46: optional %r46_2, outputs_47: optional %r47_2, outputs_48: optional %r48_2, outputs_49: optional %r49_2, outputs_50: optional %r50_2, outputs_51: optional %r51_2, outputs_52: optional %r52_2, outputs_53: optional %r53_2, outputs_54: optional %r54_2, outputs_55: optional %r55_2, outputs_56: optional %r56_2, outputs_57: optional %r57_2, outputs_58: optional %r58_2, outputs_59: optional %r59_2, outputs_60: optional %r60_2, outputs_61: optional %r61_2, outputs_62: optional %r62_2, outputs_63: optional %r63_2, outputs: variadic %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"partition" = %3}
    %4 = irdl.region
    irdl.regions(region0: %4)
  }
}
