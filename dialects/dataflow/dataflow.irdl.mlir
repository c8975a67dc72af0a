// IRDL definition of the `dataflow` dialect, generated from its Rust op tables by
// `dnnc-opt --dump-irdl`; a test keeps it in sync. Do not edit.
irdl.dialect @dataflow {
  irdl.type @itensor {
    %0 = irdl.any
    irdl.parameters(body: %0)
  }
  irdl.operation @kernel {
    %1 = irdl.any
    irdl.operands(inputs: variadic %1)
    %2 = irdl.any
    irdl.results(outputs: variadic %2)
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
    irdl.operands(results: variadic %1)
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
    irdl.results(outputs: variadic %2)
  }
  irdl.operation @join {
    %1 = irdl.base @dataflow::@itensor
    irdl.operands(inputs: variadic %1)
    %2 = irdl.base @dataflow::@itensor
    irdl.results(output: %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"dim" = %3}
  }
  irdl.operation @region {
    %1 = irdl.base "!builtin.tensor"
    irdl.operands(inputs: variadic %1)
    %2 = irdl.base "!builtin.tensor"
    irdl.results(outputs: variadic %2)
    %3 = irdl.base "#builtin.integer"
    irdl.attributes {"partition" = %3}
    %4 = irdl.region
    irdl.regions(region0: %4)
  }
}
