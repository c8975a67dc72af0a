// RUN: dnnc-opt %s
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize)'
// `sched.group`: einsums fused into one scheduling group. Its single block takes the group's
// operands as arguments (the group is isolated from above, so everything it reads from outside
// is explicit) and ends in `sched.yield` of its results. `tile_dim` is the dimension of the last
// einsum the group streams along, `tiles` the number of steps, and `intermediates` the tensors
// passed between its einsums (by position in the group): the memory holding each and whether
// it stays on chip (`fused`) or goes through the top memory.

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
