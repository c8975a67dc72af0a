// IRDL definition of the `einsum` dialect, generated from its Rust op tables by
// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.
irdl.dialect @einsum {
  irdl.operation @op {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs: variadic %1)
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
