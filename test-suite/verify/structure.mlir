// RUN: dnnc-opt %s --split-input-file --verify-diagnostics
// Structural verification: dominance, isolation, terminators, region and value counts.

"func.func"() ({
^bb0(%a: i32):
  // expected-error @+1 {{operand #0 does not dominate this use}}
  %0 = "arith.addi"(%1, %a) : (i32, i32) -> i32
  %1 = "arith.addi"(%a, %a) : (i32, i32) -> i32
  "func.return"(%0) : (i32) -> ()
}) {function_type = (i32) -> i32, sym_name = "use_before_def"} : () -> ()

// -----

%outer = "arith.constant"() {value = 1 : i32} : () -> i32
"func.func"() ({
  // expected-error @+1 {{'%outer' is defined outside the isolated-from-above region that uses it}}
  "func.return"(%outer) : (i32) -> ()
}) {function_type = () -> i32, sym_name = "captures"} : () -> ()

// -----

// expected-error @+1 {{region #0 has a block that does not end in a terminator (ends in 'arith.constant')}}
"func.func"() ({
  %0 = "arith.constant"() {value = 1 : i32} : () -> i32
}) {function_type = () -> (), sym_name = "no_terminator"} : () -> ()

// -----

"func.func"() ({
  // expected-error @+1 {{must be the last operation in its block}}
  "func.return"() : () -> ()
  %0 = "arith.constant"() {value = 1 : i32} : () -> i32
  "func.return"() : () -> ()
}) {function_type = () -> (), sym_name = "early_return"} : () -> ()

// -----

// expected-error @+1 {{expects 1 regions but has 0}}
"func.func"() {function_type = () -> (), sym_name = "no_body"} : () -> ()

// -----

// expected-error @+1 {{'builtin.module' op region #0 must have at most one block, but has 2}}
"builtin.module"() ({
^bb0:
  %0 = "arith.constant"() {value = 1 : i32} : () -> i32
^bb1:
  %1 = "arith.constant"() {value = 1 : i32} : () -> i32
}) : () -> ()

// -----

"func.func"() ({
^bb0:
  %0 = "arith.constant"() {value = 1 : i32} : () -> i32
  "func.return"() : () -> ()
^bb1:
  "func.func"() ({
    // expected-error @+1 {{'%0' is defined outside the isolated-from-above region that uses it}}
    "func.return"(%0) : (i32) -> ()
  }) {function_type = () -> (), sym_name = "inner"} : () -> ()
  "func.return"() : () -> ()
}) {function_type = () -> (), sym_name = "sibling"} : () -> ()
