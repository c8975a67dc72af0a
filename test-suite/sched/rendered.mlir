// RUN: dnnc-opt %s
// Schedule errors as the user sees them: reported on the group, at its line, each naming the
// einsum (by position in the group) and the field at fault; every error of the group at once.

"func.func"() ({
^bb0(%a: tensor<64x64xi8>, %b: tensor<64x64xi8>):
  %0 = "sched.group"(%a, %b) ({
  ^bb0(%x: tensor<64x64xi8>, %w: tensor<64x64xi8>):
    %1 = "einsum.op"(%x, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul", mapping = {arch = "tpu_like", spatial = [["D1", "N", 32], ["D2", "K", 32]], loops = [["M", 64], ["K", 2], ["N", 2]], I = {levels = ["sram_2MB", "dram"], cuts = [3]}, W = {levels = ["rf_128B", "dram"], cuts = [1]}, O = {levels = ["rf_2B", "sram_4MB", "dram"], cuts = [0, 3]}}} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>
    %2 = "einsum.op"(%1) {kind = "elementwise", dims = ["M", "N"], sizes = [64, 64], maps = [affine_map<(m, n) -> (m, n)>, affine_map<(m, n) -> (m, n)>], source = "graph.relu"} : (tensor<64x64xi8>) -> tensor<64x64xi8>
    "sched.yield"(%2) : (tensor<64x64xi8>) -> ()
  }) {tile_dim = "M", tiles = 0, intermediates = [{producer = 0, consumer = 1, memory = "dram", fused = true}]} : (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8> loc("/layer1/fused")
  "func.return"(%0) : (tensor<64x64xi8>) -> ()
}) {function_type = (tensor<64x64xi8>, tensor<64x64xi8>) -> tensor<64x64xi8>, sym_name = "main"} : () -> ()
