// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(canonicalize)'
// canonicalize: constant folding (with the result type's width), algebraic identities,
// constants moved to the right of commutative ops, reassociation of constant chains,
// dead-code elimination, and constants shared per block.

"func.func"() ({
^bb0(%x: i32):
  %c2 = "arith.constant"() {value = 2 : i32} : () -> i32
  %c3 = "arith.constant"() {value = 3 : i32} : () -> i32
  %sum = arith.addi %c2, %c3 : i32
  %a = arith.muli %c3, %x : i32
  %b = arith.addi %a, %c2 : i32
  %c = arith.addi %b, %c3 : i32 loc("model.onnx":12:3)
  %unused = arith.muli %x, %x : i32
  "func.return"(%c, %sum) : (i32, i32) -> ()
}) {function_type = (i32) -> (i32, i32), sym_name = "fold_and_reassociate"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: i8, %i: index):
  %c0 = "arith.constant"() {value = 0 : i8} : () -> i8
  %c1 = "arith.constant"() {value = 1 : i8} : () -> i8
  %c100 = "arith.constant"() {value = 100 : i8} : () -> i8
  %m1 = "arith.constant"() {value = -1 : i8} : () -> i8
  %0 = arith.addi %x, %c0 : i8
  %1 = arith.muli %0, %c1 : i8
  %2 = arith.subi %1, %1 : i8
  %3 = arith.andi %x, %m1 : i8
  %4 = arith.addi %c100, %c100 : i8
  %5 = arith.divsi %c100, %c0 : i8
  %6 = arith.xori %3, %3 : i8
  %7 = arith.maxsi %x, %x : i8
  "func.return"(%1, %2, %3, %4, %5, %6, %7) : (i8, i8, i8, i8, i8, i8, i8) -> ()
}) {function_type = (i8, index) -> (i8, i8, i8, i8, i8, i8, i8), sym_name = "identities_and_wrapping"} : () -> ()

// -----

"func.func"() ({
^bb0(%x: f32):
  %one = "arith.constant"() {value = 1.0 : f32} : () -> f32
  %third = "arith.constant"() {value = 0.3333 : f32} : () -> f32
  %negzero = "arith.constant"() {value = -0.0 : f32} : () -> f32
  %zero = "arith.constant"() {value = 0.0 : f32} : () -> f32
  %0 = arith.mulf %x, %one : f32
  %1 = arith.addf %0, %negzero : f32
  %2 = arith.addf %1, %zero : f32
  %3 = arith.divf %one, %third : f32
  %4 = arith.mulf %one, %x : f32
  "func.return"(%2, %3, %4) : (f32, f32, f32) -> ()
}) {function_type = (f32) -> (f32, f32, f32), sym_name = "floats"} : () -> ()

// -----

// Constants written unsigned fold as the register holds them: 200 : i8 is -56.
"func.func"() ({
  %c200 = "arith.constant"() {value = 200 : i8} : () -> i8
  %c2 = "arith.constant"() {value = 2 : i8} : () -> i8
  %c1 = "arith.constant"() {value = 1 : i8} : () -> i8
  %0 = arith.divsi %c200, %c2 : i8
  %1 = arith.maxsi %c200, %c1 : i8
  %2 = arith.remsi %c200, %c2 : i8
  %3 = arith.minsi %c200, %c1 : i8
  "func.return"(%0, %1, %2, %3) : (i8, i8, i8, i8) -> ()
}) {function_type = () -> (i8, i8, i8, i8), sym_name = "signed_views"} : () -> ()
