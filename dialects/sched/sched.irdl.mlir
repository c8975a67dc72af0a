// IRDL definition of the `sched` dialect, generated from its Rust op tables by
// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.
irdl.dialect @sched {
  irdl.operation @group {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(outputs: variadic %2)
    %3 = irdl.base "#builtin.string"
    %4 = irdl.base "#builtin.integer"
    %5 = irdl.base "#builtin.array"
    irdl.attributes {"tile_dim" = %3, "tiles" = %4, "intermediates" = %5}
    %6 = irdl.region
    irdl.regions(region0: %6)
  }
  irdl.operation @yield {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(results: variadic %1)
  }
}
