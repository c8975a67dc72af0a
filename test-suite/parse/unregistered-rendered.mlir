// RUN: dnnc-opt %s
// RUN: dnnc-opt %s --allow-unregistered-dialect
// Unknown dialects are rejected unless --allow-unregistered-dialect is given, as in mlir-opt.

%0 = "onnx.Conv"() {kernel_shape = [3, 3]} : () -> tensor<1x64x56x56xf32> loc("/conv1/Conv")
