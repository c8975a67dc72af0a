// RUN: dnnc-opt %s --split-input-file --verify-diagnostics
// Per-op verification from the declared signatures and custom verifiers; several errors in
// one case are all reported.

"func.func"() ({
^bb0(%a: i32, %f: f32):
  // expected-error @+1 {{expects 2 operands but has 1}}
  %0 = "arith.addi"(%a) : (i32) -> i32
  // expected-error @+3 {{operand #0 ('lhs') must be integer or index, but is 'f32'}}
  // expected-error @+2 {{operand #1 ('rhs') must be integer or index, but is 'f32'}}
  // expected-error @+1 {{result #0 ('result') must be integer or index, but is 'f32'}}
  %1 = "arith.addi"(%f, %f) : (f32, f32) -> f32
  // expected-error @+1 {{requires the same type for all operands and results}}
  %2 = "arith.addi"(%a, %a) : (i32, i32) -> i64
  "func.return"() : () -> ()
}) {function_type = (i32, f32) -> (), sym_name = "ops"} : () -> ()

// -----

// expected-error @+1 {{requires attribute 'value'}}
%0 = "arith.constant"() : () -> i32

// -----

// expected-error @+1 {{attribute 'value' has type 'i64' but the result has type 'i32'}}
%0 = "arith.constant"() {value = 1} : () -> i32

// -----

// expected-error @+1 {{attribute 'sym_name' must be string, but is integer}}
"func.func"() ({
  "func.return"() : () -> ()
}) {function_type = () -> (), sym_name = 7} : () -> ()

// -----

"func.func"() ({
^bb0(%a: i32):
  // expected-error @+1 {{returns (i32) but the function's results are (f32)}}
  "func.return"(%a) : (i32) -> ()
}) {function_type = (i32) -> f32, sym_name = "wrong_return"} : () -> ()

// -----

// expected-error @+1 {{entry block has 0 arguments that do not match the 1 inputs}}
"func.func"() ({
  "func.return"() : () -> ()
}) {function_type = (i32) -> (), sym_name = "missing_args"} : () -> ()

// -----

"func.func"() ({
  // expected-error @+1 {{calls '@nowhere', which is not defined in this module}}
  "func.call"() {callee = @nowhere} : () -> ()
  "func.return"() : () -> ()
}) {function_type = () -> (), sym_name = "caller"} : () -> ()
