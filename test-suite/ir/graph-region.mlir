// RUN: dnnc-opt %s --allow-unregistered-dialect
// The module body is a graph region: an op may use a value defined later (a forward
// reference), as dataflow graphs written in any order do. Printing keeps the order.

%0 = "test.consumer"(%1, %2#1) : (i32, f32) -> i32
%1 = "test.producer"() : () -> i32
%2:2 = "test.pair"() : () -> (i32, f32)
