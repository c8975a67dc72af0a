// RUN: dnnc-opt %s --split-input-file
// A file holding one explicit module keeps it; a module with attributes or a location is
// printed as an op; several top-level ops are wrapped in an implicit module and print bare.

"builtin.module"() ({
  %0 = "arith.constant"() {value = 1 : i32} : () -> i32
}) : () -> ()

// -----

"builtin.module"() ({
  %0 = "arith.constant"() {value = 1 : i32} : () -> i32
}) {sym_name = "named"} : () -> () loc("net.onnx":1:1)

// -----

%0 = "arith.constant"() {value = 1 : i32} : () -> i32
%1 = "arith.constant"() {value = 2 : i32} : () -> i32

// -----

// An empty file is an empty module.
