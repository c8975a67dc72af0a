// RUN: dnnc-opt %s
// RUN: dnnc-opt %s --print-op-generic
// Ops that declare the `SameType` assembly format print as `%r = arith.addi %a, %b : T`;
// both forms parse, and --print-op-generic prints every op generically (what MLIR tools read).

"func.func"() ({
^bb0(%a: i32, %b: i32, %x: f32):
  %0 = "arith.addi"(%a, %b) : (i32, i32) -> i32
  %1 = arith.muli %0, %b {note = "custom form with attributes"} : i32
  %2 = arith.addf %x, %x : f32 loc("n":1:2)
  %3 = arith.subi %1, %a : i32
  "func.return"(%3, %2) : (i32, f32) -> ()
}) {function_type = (i32, i32, f32) -> (i32, f32), sym_name = "f"} : () -> ()
