// RUN: dnnc-opt %s
// A syntax error as the user sees it: file:line:col, the line, and a caret under the column.

"func.func"() ({
^bb0(%a: i32):
  %0 = "arith.addi"(%a, %a) : (i32, i32) -> i32 extra
  "func.return"(%0) : (i32) -> ()
}) {function_type = (i32) -> i32, sym_name = "f"} : () -> ()
