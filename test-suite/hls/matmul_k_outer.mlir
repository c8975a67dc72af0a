// RUN: dnnc-opt %s
// A matmul whose loop nest puts a reduced loop outside a result loop: [M, K, N] with 4x4x4
// tiles over 8x8x12. Each stream delivers one tile per firing (A re-streamed for every N tile,
// B for every M tile); the partial sums of a whole 4x8 row panel are live across the K loop, so
// the kernel's accumulator holds the two output tiles of the N loop nested inside K.
"func.func"() ({
^bb0(%a: tensor<8x12xf32>, %b: tensor<12x8xf32>):
  %sa = "dataflow.dma_load"(%a) {reason = "input"} : (tensor<8x12xf32>) -> !dataflow.itensor<4x4xf32, trips = [2, 3, 2], steps = [4, 4, 4], map = affine_map<(d0, d1, d2) -> (d0, d1)>>
  %sb = "dataflow.dma_load"(%b) {reason = "input"} : (tensor<12x8xf32>) -> !dataflow.itensor<4x4xf32, trips = [2, 3, 2], steps = [4, 4, 4], map = affine_map<(d0, d1, d2) -> (d1, d2)>>
  %k = "dataflow.kernel"(%sa, %sb) ({
  ^bb0(%x: tensor<8x12xf32>, %y: tensor<12x8xf32>):
    %r = "einsum.op"(%x, %y) {kind = "mac", dims = ["M", "N", "K"], sizes = [8, 8, 12], maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d2, d1)>, affine_map<(d0, d1, d2) -> (d0, d1)>], source = "graph.matmul"} : (tensor<8x12xf32>, tensor<12x8xf32>) -> tensor<8x8xf32>
    "dataflow.yield"(%r) : (tensor<8x8xf32>) -> ()
  }) {name = "mm", loops = [["M", 2, 4], ["K", 3, 4], ["N", 2, 4]], reads = [!dataflow.itensor<4x4xf32, trips = [2, 3, 2], steps = [4, 4, 4], map = affine_map<(d0, d1, d2) -> (d0, d1)>>, !dataflow.itensor<4x4xf32, trips = [2, 3, 2], steps = [4, 4, 4], map = affine_map<(d0, d1, d2) -> (d1, d2)>>], ii = 64, latency = 76, parallelism = 1} : (!dataflow.itensor<4x4xf32, trips = [2, 3, 2], steps = [4, 4, 4], map = affine_map<(d0, d1, d2) -> (d0, d1)>>, !dataflow.itensor<4x4xf32, trips = [2, 3, 2], steps = [4, 4, 4], map = affine_map<(d0, d1, d2) -> (d1, d2)>>) -> !dataflow.itensor<4x4xf32, trips = [2, 2], steps = [4, 4], map = affine_map<(d0, d1) -> (d0, d1)>>
  %o = "dataflow.dma_store"(%k) : (!dataflow.itensor<4x4xf32, trips = [2, 2], steps = [4, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> tensor<8x8xf32>
  "func.return"(%o) : (tensor<8x8xf32>) -> ()
}) {function_type = (tensor<8x12xf32>, tensor<12x8xf32>) -> tensor<8x8xf32>, sym_name = "f"} : () -> ()
