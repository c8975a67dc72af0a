// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize{fold=false})' --pass-statistics
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize{dce=false fold=false})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize{max-rewrites=1})'
// Options switch parts of canonicalize off; a rewrite budget that runs out is an error.

"func.func"() ({
^bb0(%x: i32):
  %c2 = "arith.constant"() {value = 2 : i32} : () -> i32
  %c3 = "arith.constant"() {value = 3 : i32} : () -> i32
  %a = arith.addi %c2, %x : i32
  %b = arith.addi %c2, %c3 : i32
  %dead = arith.muli %x, %x : i32
  "func.return"(%a, %b) : (i32, i32) -> ()
}) {function_type = (i32) -> (i32, i32), sym_name = "f"} : () -> ()
