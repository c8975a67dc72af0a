// RUN: dnnc-opt %s --allow-unregistered-dialect
// RUN: dnnc-opt %s --allow-unregistered-dialect --strip-locations
// Locations survive printing: file positions, named origins (ONNX node names) with and
// without a child location, fused locations, and `loc(unknown)` (which is not printed).

%0 = "test.a"() : () -> i32 loc("model.onnx":3:1)
%1 = "test.b"(%0) : (i32) -> i32 loc("/MatMul_1")
%2 = "test.c"(%1) : (i32) -> i32 loc("/blocks.0/attn/Softmax"("model.onnx":120:4))
%3 = "test.d"(%2) : (i32) -> i32 loc(fused["conv1", "bn1"("model.onnx":7:1)])
"test.e"(%3) : (i32) -> () loc(unknown)
