// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{onchip-fraction=0.0003})' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{onchip-fraction=0.0001})' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{onchip-fraction=0.0003},partition-dataflow,allocate-resources,size-fifos)' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{onchip-fraction=0.0003},partition-dataflow,allocate-resources{regions=time-shared},size-fifos)' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma{onchip-fraction=0.0003},partition-dataflow,allocate-resources{regions=pipelined},size-fifos)' --pass-statistics
// insert-dma's spills, phase by phase. Three GEMMs: the first and the last read their left
// operand through a 16-row panel converter (8 KiB each); the second reads the first's result
// as its right operand, column panels of all rows, so its converter (16 KiB) needs the whole
// tensor before its first output: a barrier. That converter is always spilled (the stream
// would cross phases through HBM anyway; a DMA load walks memory in the consumer's order, with
// no fill and no buffer), and the spill splits the block into two phases, one panel converter
// in each. At onchip-fraction 0.0003 (11.9 KB of the U55C's on-chip memory) each phase's
// converter fits, so both stay on chip (a budget against the whole block would spill one);
// at 0.0001 (4 KB) neither does. The whole pipeline then makes one region per phase; the two
// distinct designs split the fabric (one bitstream: the budget's 6 767 DSPs in all), or, with
// `regions=time-shared`, each region gets the whole fabric (up to 6 767 DSPs each). With
// `regions=pipelined` the two designs also split the fabric, each working on another request,
// in shares that balance their time per request; the function records the mode.

"func.func"() ({
^bb0(%x: tensor<32x64xf32>):
  %w1 = "graph.weight"() {name = "w1"} : () -> tensor<64x64xf32>
  %w2 = "graph.weight"() {name = "w2"} : () -> tensor<64x32xf32>
  %w3 = "graph.weight"() {name = "w3"} : () -> tensor<64x64xf32>
  %r1 = "einsum.op"(%x) {kind = "elementwise", dims = ["D0", "D1"], sizes = [32, 64], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<32x64xf32>) -> tensor<32x64xf32>
  %a = "einsum.op"(%r1, %w1) {kind = "mac", dims = ["M", "N", "K"], sizes = [32, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<32x64xf32>, tensor<64x64xf32>) -> tensor<32x64xf32>
  %b = "einsum.op"(%w2, %a) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 32], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<64x32xf32>, tensor<32x64xf32>) -> tensor<64x64xf32>
  %r2 = "einsum.op"(%b) {kind = "elementwise", dims = ["D0", "D1"], sizes = [64, 64], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<64x64xf32>) -> tensor<64x64xf32>
  %c = "einsum.op"(%r2, %w3) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  "func.return"(%c) : (tensor<64x64xf32>) -> ()
}) {function_type = (tensor<32x64xf32>) -> tensor<64x64xf32>, sym_name = "two_phases"} : () -> ()
