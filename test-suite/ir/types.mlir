// RUN: dnnc-opt %s --allow-unregistered-dialect
// Every builtin type, and dialect types with parameters, print back unchanged.

%0:13 = "test.scalars"() : () -> (i1, i8, i16, i32, i64, si8, ui16, index, f16, bf16, f32, f64, none)
%1:7 = "test.tensors"() : () -> (tensor<128x768xf16>, tensor<f32>, tensor<1x3x224x224xbf16>, tensor<0xi64>, tensor<8xi1>, tensor<4xindex>, tensor<index>)
%2 = "test.function_typed"() {fn = (i32, tensor<4xf32>) -> (), fn2 = () -> (i32, i32), fn3 = (f32) -> ((f32) -> f32)} : () -> i32
%3:2 = "test.dialect_types"() : () -> (!test.plain, !test.tile<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>)
"test.consume"(%0#0, %0#12, %1#1, %3#1) : (i1, none, tensor<f32>, !test.tile<2x4xf16, trips = [4, 2], steps = [2, 4], map = affine_map<(d0, d1) -> (d0, d1)>>) -> ()
%4 = "test.tensor_of_dialect_type"() : () -> tensor<2x3x!test.tile<4xf32>>
