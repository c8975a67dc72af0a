// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma,partition-dataflow,allocate-resources,size-fifos)' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma,partition-dataflow{fraction=0.01},allocate-resources{fraction=0.01 regions=time-shared},size-fifos)' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma,partition-dataflow{fraction=0.01},allocate-resources{fraction=0.01},size-fifos)'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow,insert-layout-converters,insert-dma,partition-dataflow{fraction=0.003})'
// The whole dataflow pipeline (dnnc_passes::dataflow_pipeline) on a residual block:
// ReLU -> GEMM -> (+ ReLU) -> softmax. The ReLU's stream is forked to the GEMM (through a
// converter: the GEMM reads 32-row panels once per column tile) and to the residual add, a
// reconvergent path: size-fifos' LP gives the add's FIFO from the fork the depth that covers
// the GEMM branch's latency, so neither branch stalls. On the whole U55C the block is
// one region (allocate-resources spends the DSPs on the GEMM); at 1 % of the board it is
// split into sequential regions, the streams at the cuts spilled through HBM (a converter
// after a cut goes: the spill's load reads the layout the converter would make) — which only a
// fabric that swaps region designs could run (regions=time-shared): the regions are distinct
// designs, and one bitstream (the default, regions=resident) cannot hold both, which
// allocate-resources says; at 0.3 % a single kernel does not fit and the pass says which.

"func.func"() ({
^bb0(%x: tensor<32x64xf32>):
  %w = "graph.weight"() {name = "w"} : () -> tensor<64x64xf32>
  %r = "einsum.op"(%x) {kind = "elementwise", dims = ["D0", "D1"], sizes = [32, 64], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.relu"} : (tensor<32x64xf32>) -> tensor<32x64xf32>
  %0 = "einsum.op"(%r, %w) {kind = "mac", dims = ["M", "N", "K"], sizes = [32, 64, 64], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<32x64xf32>, tensor<64x64xf32>) -> tensor<32x64xf32>
  %2 = "einsum.op"(%0, %r) {kind = "elementwise", dims = ["D0", "D1"], sizes = [32, 64], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.add"} : (tensor<32x64xf32>, tensor<32x64xf32>) -> tensor<32x64xf32>
  %3 = "einsum.op"(%2) {kind = "reduction", dims = ["D0", "D1"], sizes = [32, 64], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.softmax", normalized = [1]} : (tensor<32x64xf32>) -> tensor<32x64xf32>
  "func.return"(%3) : (tensor<32x64xf32>) -> ()
}) {function_type = (tensor<32x64xf32>) -> tensor<32x64xf32>, sym_name = "block"} : () -> ()
