// RUN: dnnc-opt missing-file.mlir
// RUN: dnnc-opt %s --no-such-flag
// RUN: dnnc-opt %s --verify-each=false --pass-pipeline='builtin.module(canonicalize)'
// Usage and I/O errors exit with code 2 and say what is wrong.

%0 = "arith.constant"() {value = 1 : i32} : () -> i32
