// RUN: dnnc-opt %s
// Verifier errors as the user sees them: each at its op's line with a caret, all of them
// reported, and the op's own location (e.g. the ONNX node) shown alongside.

"func.func"() ({
^bb0(%a: i32, %f: f32):
  %0 = "arith.addi"(%f, %f) : (f32, f32) -> f32 loc("/layer1/Add")
  %1 = "arith.constant"() : () -> i32
  "func.return"() : () -> ()
}) {function_type = (i32, f32) -> (), sym_name = "f"} : () -> ()
