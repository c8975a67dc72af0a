// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow)'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters)' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma)' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow{tile=8})'
// A GEMM with bias, a softmax over its rows, a transpose and an embedding lookup.
// convert-to-dataflow: one kernel per einsum, tiles of 16 (the softmax keeps its rows whole),
// the GEMM's rows of 8 (`row-tile`) and the vector work after it following them (tiling.mlir),
// everything through external memory (dma_store after each kernel). The GEMM reads A once
// per column tile (re-read loop N) and the weight B per row tile; the gather reads its table
// whole (`reads` unit). insert-layout-converters: the bias add reads the GEMM's stream
// unchanged; the softmax needs whole rows (converter: one 8-row panel); the transpose walks
// columns first (converter: the whole tensor); the bias add's stream is forked to both.
// insert-dma: the input, the weights and the gather's indices are streamed in.

"func.func"() ({
^bb0(%x: tensor<32x64xf32>, %ids: tensor<4xi64>):
  %w = "graph.weight"() {name = "w"} : () -> tensor<64x48xf32>
  %b = "graph.weight"() {name = "b"} : () -> tensor<48xf32>
  %e = "graph.weight"() {name = "emb"} : () -> tensor<100x64xf32>
  %0 = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [32, 48, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<32x64xf32>, tensor<64x48xf32>) -> tensor<32x48xf32>
  %1 = "einsum.op"(%0, %b) {kind = "elementwise", dims = ["D0", "D1"], sizes = [32, 48], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.add"} : (tensor<32x48xf32>, tensor<48xf32>) -> tensor<32x48xf32>
  %2 = "einsum.op"(%1) {kind = "reduction", dims = ["D0", "D1"], sizes = [32, 48], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.softmax", normalized = [1]} : (tensor<32x48xf32>) -> tensor<32x48xf32>
  %3 = "einsum.op"(%1) {kind = "data_movement", dims = ["D0", "D1"], sizes = [48, 32], maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.transpose"} : (tensor<32x48xf32>) -> tensor<48x32xf32>
  %4 = "einsum.op"(%e, %ids) {kind = "data_movement", dims = ["D0", "D1"], sizes = [4, 64], maps = [affine_map<(d0, d1) -> (0, d1)>, affine_map<(d0, d1) -> (d0)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.gather", indirect = [0, 0]} : (tensor<100x64xf32>, tensor<4xi64>) -> tensor<4x64xf32>
  "func.return"(%2, %3, %4) : (tensor<32x48xf32>, tensor<48x32xf32>, tensor<4x64xf32>) -> ()
}) {function_type = (tensor<32x64xf32>, tensor<4xi64>) -> (tensor<32x48xf32>, tensor<48x32xf32>, tensor<4x64xf32>), sym_name = "f"} : () -> ()
