// RUN: dnnc-opt %s --split-input-file --verify-diagnostics
// The dataflow verifiers: each message names what is wrong and with what.

"func.func"() ({
^bb0(%x: tensor<8x8xf16>):
  %s = "dataflow.dma_load"(%x) : (tensor<8x8xf16>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // A kernel must read a stream in the layout it arrives in; a converter sits between otherwise.
  // expected-error @+1 {{operand #0 arrives as !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>> but the kernel reads !dataflow.itensor<2x4xf16, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>; a converter must sit between}}
  %k = "dataflow.kernel"(%s) ({
  ^bb0(%a: tensor<8x8xf16>):
    %r = "einsum.op"(%a) {kind = "elementwise", dims = ["D0", "D1"], sizes = [8, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<8x8xf16>) -> tensor<8x8xf16>
    "dataflow.yield"(%r) : (tensor<8x8xf16>) -> ()
  }) {name = "relu", loops = [["D0", 4, 2], ["D1", 2, 4]], reads = [!dataflow.itensor<2x4xf16, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>], ii = 8, latency = 16, parallelism = 1} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  "func.return"() : () -> ()
}) {function_type = (tensor<8x8xf16>) -> (), sym_name = "f"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: tensor<8x8xf16>):
  %s = "dataflow.dma_load"(%x) : (tensor<8x8xf16>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // expected-error @+1 {{'parallelism' must be at least 1, but is 0}}
  %k = "dataflow.kernel"(%s) ({
  ^bb0(%a: tensor<8x8xf16>):
    %r = "einsum.op"(%a) {kind = "elementwise", dims = ["D0", "D1"], sizes = [8, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<8x8xf16>) -> tensor<8x8xf16>
    "dataflow.yield"(%r) : (tensor<8x8xf16>) -> ()
  }) {name = "relu", loops = [["D0", 4, 2], ["D1", 2, 4]], reads = [!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>], ii = 8, latency = 16, parallelism = 0} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  "func.return"() : () -> ()
}) {function_type = (tensor<8x8xf16>) -> (), sym_name = "f"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: tensor<8x8xf16>):
  %s = "dataflow.dma_load"(%x) : (tensor<8x8xf16>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  %k = "dataflow.kernel"(%s) ({
  ^bb0(%a: tensor<8x8xf16>):
    %r = "einsum.op"(%a) {kind = "elementwise", dims = ["D0", "D1"], sizes = [8, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<8x8xf16>) -> tensor<8x8xf16>
    // expected-error @+1 {{yields (tensor<8x8xf16>) but the dataflow.kernel produces (tensor<4x8xf16>)}}
    "dataflow.yield"(%r) : (tensor<8x8xf16>) -> ()
  }) {name = "relu", loops = [["D0", 4, 2], ["D1", 2, 4]], reads = [!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>], ii = 8, latency = 16, parallelism = 1} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [2, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  "func.return"() : () -> ()
}) {function_type = (tensor<8x8xf16>) -> (), sym_name = "f"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: tensor<8x8xf16>):
  %s = "dataflow.dma_load"(%x) : (tensor<8x8xf16>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // The transposed walk shares no outer loop with the row-major one: the whole tensor is buffered.
  // expected-error @+1 {{buffer [2, 8] is smaller than the [8, 8] the two layouts need}}
  %t = "dataflow.converter"(%s) {buffer = [2, 8], bytes = 64} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>
  // expected-error @+1 {{bytes 100 but two buffers of [8, 8] take 256}}
  %u = "dataflow.converter"(%s) {buffer = [8, 8], bytes = 100} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>
  // expected-error @+1 {{converts tensor<8x8xf16> to tensor<4x8xf16>: a converter changes the layout, not the tensor}}
  %v = "dataflow.converter"(%s) {buffer = [8, 8], bytes = 256} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [2, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // expected-error @+1 {{'depth' must be at least 1, but is 0}}
  %f = "dataflow.fifo"(%s) {depth = 0, width = 128} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // expected-error @+1 {{has 1 outputs; a fork feeds at least 2}}
  %g = "dataflow.fork"(%s) : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // expected-error @+1 {{stores a stream of tensor<8x8xf16> as tensor<8x4xf16>}}
  %o = "dataflow.dma_store"(%s) : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> tensor<8x4xf16>
  // expected-error @+1 {{loads tensor<8x8xf16> as a stream of tensor<4x8xf16>}}
  %l = "dataflow.dma_load"(%x) : (tensor<8x8xf16>) -> !dataflow.itensor<2x4xf16, trips = [2, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // expected-error @+2 {{inputs sum to 16 along dim 0 but the result has 8}}
  // expected-error @+1 {{inputs carry 16 tokens but the result 8}}
  %j = "dataflow.join"(%s, %s) {dim = 0} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>, !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  "func.return"() : () -> ()
}) {function_type = (tensor<8x8xf16>) -> (), sym_name = "f"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: tensor<8x8xf16>):
  // The type's parameters are checked when it is parsed.
  // expected-error @+1 {{invalid !dataflow.itensor: the map has 2 results but the tile has rank 1}}
  %s = "dataflow.dma_load"(%x) : (tensor<8x8xf16>) -> !dataflow.itensor<8xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  "func.return"() : () -> ()
}) {function_type = (tensor<8x8xf16>) -> (), sym_name = "f"} : () -> ()
