// RUN: dnnc-opt %s --split-input-file --allow-unregistered-dialect --pass-pipeline='builtin.module(topological-sort)' --pass-statistics
// topological-sort orders a graph region so definitions precede uses, keeping independent
// ops in their original order; a dependence cycle is an error naming an op on it.

%0 = "test.add"(%2, %1) : (i32, i32) -> i32
%1 = "test.input"() : () -> i32
"test.independent"() : () -> ()
%2 = "test.neg"(%1) : (i32) -> i32
"test.sink"(%0) : (i32) -> ()

// -----

%0 = "test.a"(%1) : (i32) -> i32
%1 = "test.b"(%0) : (i32) -> i32
