// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(convert-to-dataflow)'
// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma,partition-dataflow,allocate-resources,size-fifos)' --pass-statistics
// From a schedule: each fused `sched.group` becomes one kernel holding its einsums. Its loop
// nest splits the group's `tile_dim` into `tiles` steps (other dims whole); the last einsum's
// result streams in those steps, the group's inputs and other results go through external
// memory. The GEMM's `mapping` is not used inside a group (the group's tiling is); a mapped
// einsum outside a group takes its on-chip tile and outer loop order from the mapping.

"func.func"() ({
^bb0(%a: tensor<64x64xi8>, %b: tensor<64x64xi8>, %bias: tensor<64xi8>, %c: tensor<64x64xi8>):
  // GEMM, bias and ReLU fused along M in 4 steps; the GEMM result also leaves the group.
  %0:2 = "sched.group"(%a, %b, %bias) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>, %v: tensor<64xi8>):
    %1 = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %2 = "einsum.op"(%1, %v) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (n)>, affine_map<(m, n) -> (m, n)>], source = "graph.add"} : (tensor<64x64xi8>, tensor<64xi8>) -> tensor<64x64xi8>
    %3 = "einsum.op"(%2) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%3, %1) : (tensor<64x64xi8>, tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 4, intermediates = [{producer = 0, consumer = 1, memory = "sram_2MB", fused = true}, {producer = 1, consumer = 2, memory = "sram_2MB", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>, tensor<64xi8>) -> (tensor<64x64xi8>, tensor<64x64xi8>)
  // A group of vector work only names its accelerator itself; its intermediate goes through
  // DRAM (not fused), and tiles along N.
  %4 = "sched.group"(%0#0, %0#1, %c) ({
  ^bb0(%p: tensor<64x64xi8>, %q: tensor<64x64xi8>, %r: tensor<64x64xi8>):
    %5 = "einsum.op"(%p, %q) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.add"} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %6 = "einsum.op"(%5, %r) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.mul"} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%6) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "N", tiles = 2, intermediates = [{producer = 0, consumer = 1, memory = "dram", fused = false}], arch = "tpu_like"} : (tensor<64x64xi8>, tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"(%4) : (tensor<64x64xi8>) -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>, tensor<64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>, sym_name = "fused"} : () -> ()

// -----

"func.func"() ({
^bb0(%a: tensor<64x64xi8>, %b: tensor<64x64xi8>):
  // The operands' top-level cuts are 3, 1 and 3: everything keeps the innermost loop (M, 64
  // trips) on chip, so the tile is M 64 x N 32 x K 32 (with the unrolls) and the outer loops
  // run N, then K (the mapping's loops are innermost first).
  %0 = "einsum.op"(%a, %b) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  "func.return"(%0) : (tensor<64x64xi8>) -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>, sym_name = "mapped"} : () -> ()
