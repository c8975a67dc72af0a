// RUN: dnnc-opt %s --pass-pipeline='builtin.module(tile{arch=tpu_like},fuse{arch=tpu_like})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(tile{arch=tpu_like},fuse{arch=tpu_like max-depth=1})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(fuse)'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(tile{arch=nowhere})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(tile{arch=tpu_like capacity="sram_2MB=4KiB"},fuse{arch=tpu_like capacity="sram_2MB=4KiB"})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(tile{arch=tpu_like capacity="sram_2MB=1MB"})'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(tile{arch=tpu_like capacity="sram_2MB=7KiB"},fuse{arch=tpu_like capacity="sram_2MB=7KiB"})'
// tile maps every MAC einsum; fuse groups conv1 with fc through the bias, relu and pool einsums
// (max-depth=1 forbids it); fuse without mappings and an unknown accelerator are errors. With the
// SRAM cut to 4 KiB the conv's 6 KiB output no longer fits it, so nothing fuses; a capacity without a binary unit is
// an error. At 7 KiB conv1 through fc fuse (the bias and ReLU overwrite the conv's output in place), but fc's bias
// add stays outside: joining it would keep the pool's input and result live at once (7.6 KiB).
"func.func"() ({
^bb0(%arg0: tensor<1x1x28x28xf32>, %arg1: tensor<8x1x3x3xf32>, %arg2: tensor<10x1568xf32>, %arg3: tensor<10xf32>):
  %0 = "graph.weight"() {name = "conv_b"} : () -> tensor<8xf32> loc("conv_b")
  %1 = "einsum.op"(%arg0, %arg1) {kind = "mac", dims = ["N", "K", "C", "P", "Q", "R", "S"], sizes = [1, 8, 1, 28, 28, 3, 3], maps = [affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d2, d3 + d5 - 1, d4 + d6 - 1)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d1, d2, d5, d6)>, affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1, d3, d4)>], source = "graph.conv", source_attrs = {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]}} : (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x28x28xf32> loc("conv1")
  %2 = "einsum.op"(%1, %0) {kind = "elementwise", dims = ["D0", "D1", "D2", "D3"], sizes = [1, 8, 28, 28], maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d1)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], source = "graph.conv", source_attrs = {kernel_shape = [3, 3], pads = [1, 1, 1, 1], strides = [1, 1]}} : (tensor<1x8x28x28xf32>, tensor<8xf32>) -> tensor<1x8x28x28xf32> loc("conv1")
  %3 = "einsum.op"(%2) {kind = "elementwise", dims = ["D0", "D1", "D2", "D3"], sizes = [1, 8, 28, 28], maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>], source = "graph.relu"} : (tensor<1x8x28x28xf32>) -> tensor<1x8x28x28xf32> loc("relu1")
  %4 = "einsum.op"(%3) {kind = "reduction", dims = ["N", "C", "P", "Q", "R", "S"], sizes = [1, 8, 14, 14, 2, 2], maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3)>], source = "graph.max_pool", source_attrs = {kernel_shape = [2, 2], strides = [2, 2]}} : (tensor<1x8x28x28xf32>) -> tensor<1x8x14x14xf32> loc("pool1")
  %5 = "einsum.op"(%4, %arg2) {kind = "mac", dims = ["M", "N", "K"], sizes = [1, 10, 1568], maps = [affine_map<(d0, d1, d2) -> (0, d2 floordiv 196, d2 floordiv 14 mod 14, d2 mod 14)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>], source = "graph.gemm", source_attrs = {transB = 1}} : (tensor<1x8x14x14xf32>, tensor<10x1568xf32>) -> tensor<1x10xf32> loc("fc")
  %6 = "einsum.op"(%5, %arg3) {kind = "elementwise", dims = ["D0", "D1"], sizes = [1, 10], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.gemm", source_attrs = {transB = 1}} : (tensor<1x10xf32>, tensor<10xf32>) -> tensor<1x10xf32> loc("fc")
  "func.return"(%6) : (tensor<1x10xf32>) -> ()
}) {sym_name = "main", function_type = (tensor<1x1x28x28xf32>, tensor<8x1x3x3xf32>, tensor<10x1568xf32>, tensor<10xf32>) -> tensor<1x10xf32>} : () -> () loc("test-suite/onnxtxt/convnet.onnxtxt")
