// RUN: dnnc-opt %s --pass-pipeline='builtin.module(func.func(canonicalize),topological-sort)' --dump-pass-pipeline
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(func.func(canonicalize))' --print-ir-after-all
// RUN: dnnc-opt %s --pass-pipeline='canonicalize,canonicalize' --print-ir-after=canonicalize --max-passes=1 --timing
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(cse)'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize{fold=maybe})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize{speed=11})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(canonicalize'
// RUN: dnnc-opt %s --pass-pipeline='func.func(canonicalize)'
// Pipelines: nesting on func.func, dumping the parsed pipeline, IR dumps after passes,
// bisecting with --max-passes, timing, and clear errors for unknown passes, bad option
// values, unknown options, malformed pipelines and a wrong anchor.

"func.func"() ({
^bb0(%x: i32):
  %c1 = "arith.constant"() {value = 1 : i32} : () -> i32
  %0 = arith.muli %x, %c1 : i32
  "func.return"(%0) : (i32) -> ()
}) {function_type = (i32) -> i32, sym_name = "f"} : () -> ()
