// RUN: dnnc-opt %s
// The dataflow dialect. `!dataflow.itensor<TILE, trips = [..], steps = [..], map = ..>` is a
// tensor streamed as tiles: the first type below streams an 8x8 f16 tensor as 8 tiles of 2x4,
// row-major by tiles; the second streams the same tensor column-major by tiles, so a converter
// sits between them (buffer: the whole tensor, as the outermost loops already differ).
// A kernel's body sees each operand as the tensor it streams; `reads` says in which layout the
// loop nest reads each operand (or `unit`: the whole tensor, read from external memory).

"func.func"() ({
^bb0(%x: tensor<8x8xf16>, %y: tensor<8x8xf16>, %idx: tensor<8xi64>):
  %s = "dataflow.dma_load"(%x) {reason = "input"} : (tensor<8x8xf16>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  %f = "dataflow.fifo"(%s) {depth = 2, width = 128} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  %k = "dataflow.kernel"(%f) ({
  ^bb0(%a: tensor<8x8xf16>):
    %r = "einsum.op"(%a) {kind = "elementwise", dims = ["D0", "D1"], sizes = [8, 8], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<8x8xf16>) -> tensor<8x8xf16>
    "dataflow.yield"(%r) : (tensor<8x8xf16>) -> ()
  }) {name = "relu", loops = [["D0", 4, 2], ["D1", 2, 4]], reads = [!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>], ii = 8, latency = 16, parallelism = 1, resources = {dsp = 0, lut = 250}} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  // One stream, two consumers.
  %c:2 = "dataflow.fork"(%k) : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>, !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>)
  %t = "dataflow.converter"(%c#0) {buffer = [8, 8], bytes = 256} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>
  %o1 = "dataflow.dma_store"(%t) {reason = "output"} : (!dataflow.itensor<2x4xf16, trips = [2, 4], steps = [4, 2], map = affine_map<(d0, d1) -> (d1, d0)>>) -> tensor<8x8xf16>
  // A join concatenates streams along a tensor dim, draining its inputs in order: two 8x8
  // streams make a 16x8 one.
  %l = "dataflow.dma_load"(%y) {reason = "input"} : (tensor<8x8xf16>) -> !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  %j = "dataflow.join"(%c#1, %l) {dim = 0} : (!dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>, !dataflow.itensor<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> !dataflow.itensor<2x4xf16, trips = [8, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  %o2 = "dataflow.dma_store"(%j) {reason = "output"} : (!dataflow.itensor<2x4xf16, trips = [8, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> tensor<16x8xf16>
  // A sequential region (partition): tensors in and out, streams inside. A gather reads its
  // table whole (`reads` unit) and streams the looked-up rows out.
  %o3 = "dataflow.region"(%y, %idx) ({
  ^bb0(%table: tensor<8x8xf16>, %i: tensor<8xi64>):
    %is = "dataflow.dma_load"(%i) {reason = "input"} : (tensor<8xi64>) -> !dataflow.itensor<8xi64, trips = [1], steps = [8], map = affine_map<(d0) -> (d0)>>
    %g = "dataflow.kernel"(%table, %is) ({
    ^bb0(%tb: tensor<8x8xf16>, %ix: tensor<8xi64>):
      %r = "einsum.op"(%tb, %ix) {kind = "data_movement", dims = ["D0", "D1"], sizes = [8, 8], maps = [affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.gather", indirect = [0, 0]} : (tensor<8x8xf16>, tensor<8xi64>) -> tensor<8x8xf16>
      "dataflow.yield"(%r) : (tensor<8x8xf16>) -> ()
    }) {name = "gather", loops = [["D0", 1, 8], ["D1", 1, 8]], reads = [unit, !dataflow.itensor<8xi64, trips = [1], steps = [8], map = affine_map<(d0) -> (d0)>>], ii = 64, latency = 66, parallelism = 1} : (tensor<8x8xf16>, !dataflow.itensor<8xi64, trips = [1], steps = [8], map = affine_map<(d0) -> (d0)>>) -> !dataflow.itensor<8x8xf16, trips = [1, 1], steps = [8, 8], map = affine_map<(d0, d1) -> (d0, d1)>>
    %gs = "dataflow.dma_store"(%g) {reason = "spill"} : (!dataflow.itensor<8x8xf16, trips = [1, 1], steps = [8, 8], map = affine_map<(d0, d1) -> (d0, d1)>>) -> tensor<8x8xf16>
    "dataflow.yield"(%gs) : (tensor<8x8xf16>) -> ()
  }) {partition = 0} : (tensor<8x8xf16>, tensor<8xi64>) -> tensor<8x8xf16>
  "func.return"(%o1, %o2, %o3) : (tensor<8x8xf16>, tensor<16x8xf16>, tensor<8x8xf16>) -> ()
}) {function_type = (tensor<8x8xf16>, tensor<8x8xf16>, tensor<8xi64>) -> (tensor<8x8xf16>, tensor<16x8xf16>, tensor<8x8xf16>), sym_name = "design"} : () -> ()
