// RUN: dnnc-opt %s
// A `mapping` attribute on MAC einsums (dialects/sched/src/mapping.rs): per einsum, the
// accelerator, the spatial unrolls [array dim, layer dim, factor], the temporal loops
// [layer dim, trip count] innermost first, and per operand its memory levels (innermost first,
// ending at the top; a left-out level is bypassed) and cuts (loops at or below each level but
// the top). `cost` is the scheduler's prediction, kept for reports. It is a plain dictionary, so
// it prints back exactly as written.

"func.func"() ({
^bb0(%a: tensor<64x64xi8>, %b: tensor<64x64xi8>, %img: tensor<1x16x18x18xi8>, %k: tensor<32x16x3x3xi8>):
  // A GEMM on tpu_like: weights stationary in the PE registers while M runs, inputs and
  // partial sums kept whole in the SRAM.
  %0 = "sched.group"(%a, %b) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %1 = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_2MB", "dram"], cuts = [0, 3]}, cost = {energy_pj = 1210966.016, latency_cycles = 1597, utilisation = 0.16030056355666877, mac_energy_pj = 10485.76, memory_energy_pj = 1200480.256, stall_cycles = 254}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%1) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 1, intermediates = []} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
  // A 3x3 convolution on eyeriss_like, bypassing the weight buffer (sram_64KB) and the
  // partial-sum buffer (sram_8KB).
  %2 = "sched.group"(%img, %k) ({
  ^bb0(%i: tensor<1x16x18x18xi8>, %f: tensor<32x16x3x3xi8>):
    %3 = "einsum.op"(%i, %f) {kind = "mac", dims = ["N", "K", "C", "P", "Q", "R", "S"], sizes = [1, 32, 16, 16, 16, 3, 3], maps = [affine_map<(n, k, c, p, q, r, s) -> (n, c, p + r, q + s)>, affine_map<(n, k, c, p, q, r, s) -> (k, c, r, s)>, affine_map<(n, k, c, p, q, r, s) -> (n, k, p, q)>], source = "graph.conv", mapping = {arch = "eyeriss_like", spatial = [["D1", "K", 8], ["D2", "C", 4], ["D2", "Q", 2]], loops = [["S", 3], ["R", 3], ["C", 4], ["K", 4], ["P", 16], ["Q", 8]], I = {levels = ["rf_64B_A", "sram_1M", "dram"], cuts = [2, 6]}, W = {levels = ["rf_64B_W", "dram"], cuts = [3]}, O = {levels = ["rf_16B", "sram_1M", "dram"], cuts = [3, 6]}}} : (tensor<1x16x18x18xi8>, tensor<32x16x3x3xi8>) -> tensor<1x32x16x16xi8>
    "sched.yield"(%3) : (tensor<1x32x16x16xi8>) -> ()
  }) {tile_dim = "P", tiles = 1, intermediates = []} : (tensor<1x16x18x18xi8>, tensor<32x16x3x3xi8>) -> tensor<1x32x16x16xi8>
  "func.return"(%0, %2) : (tensor<64x64xi8>, tensor<1x32x16x16xi8>) -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>, tensor<1x16x18x18xi8>, tensor<32x16x3x3xi8>) -> (tensor<64x64xi8>, tensor<1x32x16x16xi8>), sym_name = "mapped"} : () -> ()
