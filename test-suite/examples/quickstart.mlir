// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize,topological-sort)'
// The README's first example. A function computing loop bounds for a tiled matmul, the
// kind of index arithmetic later lowering stages emit: canonicalize folds the constants,
// reassociates the chains, and erases what is unused.

"func.func"() ({
^bb0(%m: index, %tile: index):
  %c64 = "arith.constant"() {value = 64 : index} : () -> index
  %c768 = "arith.constant"() {value = 768 : index} : () -> index
  %c12 = arith.divsi %c768, %c64 : index loc("gemm.onnx":4:1)
  %c2 = "arith.constant"() {value = 2 : index} : () -> index
  %k_steps = arith.muli %c12, %c2 : index
  %scaled = arith.muli %c64, %m : index
  %offset = arith.addi %scaled, %c64 : index
  %end = arith.addi %offset, %c768 : index
  %unused = arith.muli %tile, %tile : index
  "func.return"(%k_steps, %end) : (index, index) -> ()
}) {function_type = (index, index) -> (index, index), sym_name = "tile_bounds"} : () -> ()
