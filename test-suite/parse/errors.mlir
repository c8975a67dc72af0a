// RUN: dnnc-opt %s --split-input-file --verify-diagnostics
// Every parse error names the exact position, and the message says what is wrong.

// expected-error @+1 {{use of undeclared SSA value '%missing'}}
%0 = "arith.addi"(%missing, %missing) : (i32, i32) -> i32

// -----

%0 = "arith.constant"() {value = 1 : i32} : () -> i32
// expected-error @+1 {{'%0' has type 'i32' but is used as 'f32'}}
%1 = "arith.addf"(%0, %0) : (f32, f32) -> f32

// -----

// expected-error @+1 {{unknown operation 'arith.frobnicate': dialect 'arith' has no such op}}
"arith.frobnicate"() : () -> ()

// -----

// expected-error @+1 {{operation 'mystery.op' belongs to unregistered dialect 'mystery'}}
"mystery.op"() : () -> ()

// -----

%0 = "arith.constant"() {value = 1 : i32} : () -> i32
// expected-error @+1 {{redefinition of SSA value '%0'}}
%0 = "arith.constant"() {value = 2 : i32} : () -> i32

// -----

// expected-error @+1 {{operation defines 1 results but was provided 2 to bind}}
%a, %b = "arith.constant"() {value = 1 : i32} : () -> i32

// -----

// expected-error @+1 {{operation defines 1 results but was provided 0 to bind}}
"arith.constant"() {value = 1 : i32} : () -> i32

// -----

// expected-error @+1 {{the type lists 1 operand types but the op has 0 operands}}
"func.return"() : (i32) -> ()

// -----

// expected-error @+1 {{use of undeclared identifier 'x' in affine map}}
"func.return"() {m = affine_map<(d0) -> (x)>} : () -> ()

// -----

// expected-error @+1 {{non-affine expression: product of two dimension expressions}}
"func.return"() {m = affine_map<(d0, d1) -> (d0 * d1)>} : () -> ()

// -----

// expected-error @+1 {{division by zero in affine expression}}
"func.return"() {m = affine_map<(d0) -> (d0 mod 0)>} : () -> ()

// -----

// expected-error @+1 {{integer 300 does not fit in i8}}
"func.return"() {v = 300 : i8} : () -> ()

// -----

// expected-error @+1 {{integer literal used with a float type}}
"func.return"() {v = 3 : f32} : () -> ()

// -----

// expected-error @+1 {{duplicate attribute 'v'}}
"func.return"() {v = 1, v = 2} : () -> ()

// -----

%r:2 = "builtin.unrealized_conversion_cast"() : () -> (i32, i32)
// expected-error @+1 {{'%r' has 2 results; #2 is out of range}}
"builtin.unrealized_conversion_cast"(%r#2) : (i32) -> ()

// -----

// expected-error @+1 {{dialect 'arith' has no type '!arith.widget'}}
"builtin.unrealized_conversion_cast"() : () -> !arith.widget

// -----

// expected-error @+1 {{'func.return' has no custom assembly format}}
%0 = func.return : i32

// -----

// expected-error @+1 {{expected a type}}
%0 = "arith.constant"() {value = 1 : i32} : () -> tensor<4x>

// -----

"func.func"() ({
^bb0(%a: i32):
  // expected-error @+1 {{redefinition of block '^bb0'}}
^bb0:
  "func.return"() : () -> ()
}) {function_type = (i32) -> (), sym_name = "f"} : () -> ()

// -----

// expected-error @+1 {{integer 0x1FF does not fit in i8}}
"func.return"() {v = 0x1FF : i8} : () -> ()

// -----

// expected-error @+1 {{integer -1 does not fit in ui64}}
"func.return"() {v = -1 : ui64} : () -> ()

// -----

// expected-error @+1 {{float literal out of range for f32}}
"func.return"() {v = 1.0e300 : f32} : () -> ()

// -----

// expected-error @+1 {{float literal out of range for f16}}
"func.return"() {v = 70000.0 : f16} : () -> ()

// -----

// expected-error @+1 {{hexadecimal literal has more bits than f16}}
"func.return"() {v = 0x10000 : f16} : () -> ()

// -----

// expected-error @+1 {{integer overflow in affine expression}}
"func.return"() {m = affine_map<() -> (9223372036854775807 + 1)>} : () -> ()

// -----

// expected-error @+1 {{nesting is deeper than 64 levels}}
"func.return"() {a = [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]} : () -> ()
