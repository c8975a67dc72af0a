// RUN: dnnc-opt %s --split-input-file
// Graph-dialect networks as the ONNX frontend will produce them: every op's result type is
// checked against shape inference when the IR is verified.

// A ResNet stem and basic block: strided/padded conv, batch norm, max pool, residual add.
"func.func"() ({
^bb0(%x: tensor<1x3x224x224xf32>):
  %w1 = "graph.weight"() {name = "conv1.weight"} : () -> tensor<64x3x7x7xf32>
  %c1 = "graph.conv"(%x, %w1) {strides = [2, 2], pads = [3, 3, 3, 3], kernel_shape = [7, 7]} : (tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>) -> tensor<1x64x112x112xf32> loc("/conv1/Conv")
  %g = "graph.weight"() {name = "bn1.weight"} : () -> tensor<64xf32>
  %b = "graph.weight"() {name = "bn1.bias"} : () -> tensor<64xf32>
  %m = "graph.weight"() {name = "bn1.running_mean"} : () -> tensor<64xf32>
  %v = "graph.weight"() {name = "bn1.running_var"} : () -> tensor<64xf32>
  %bn = "graph.batch_normalization"(%c1, %g, %b, %m, %v) {epsilon = 1.0e-5 : f32} : (tensor<1x64x112x112xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) -> tensor<1x64x112x112xf32>
  %r = "graph.relu"(%bn) : (tensor<1x64x112x112xf32>) -> tensor<1x64x112x112xf32>
  %p = "graph.max_pool"(%r) {kernel_shape = [3, 3], strides = [2, 2], pads = [1, 1, 1, 1]} : (tensor<1x64x112x112xf32>) -> tensor<1x64x56x56xf32>
  %w2 = "graph.weight"() {name = "layer1.0.conv1.weight"} : () -> tensor<64x64x3x3xf32>
  %bias = "graph.weight"() {name = "layer1.0.conv1.bias"} : () -> tensor<64xf32>
  %c2 = "graph.conv"(%p, %w2, %bias) {pads = [1, 1, 1, 1]} : (tensor<1x64x56x56xf32>, tensor<64x64x3x3xf32>, tensor<64xf32>) -> tensor<1x64x56x56xf32>
  %sum = "graph.add"(%c2, %p) : (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32>
  %gap = "graph.global_average_pool"(%sum) : (tensor<1x64x56x56xf32>) -> tensor<1x64x1x1xf32>
  %flat = "graph.flatten"(%gap) : (tensor<1x64x1x1xf32>) -> tensor<1x64xf32>
  %fcw = "graph.weight"() {name = "fc.weight"} : () -> tensor<1000x64xf32>
  %fcb = "graph.weight"() {name = "fc.bias"} : () -> tensor<1000xf32>
  %fc = "graph.gemm"(%flat, %fcw, %fcb) {transB = 1, alpha = 1.0 : f32, beta = 1.0 : f32} : (tensor<1x64xf32>, tensor<1000x64xf32>, tensor<1000xf32>) -> tensor<1x1000xf32>
  "func.return"(%fc) : (tensor<1x1000xf32>) -> ()
}) {function_type = (tensor<1x3x224x224xf32>) -> tensor<1x1000xf32>, sym_name = "resnet_stem"} : () -> ()

// -----

// A GPT-2 attention and MLP slice: layer norm, batched matmul with broadcasting, transpose,
// softmax, tanh-GELU, reshape, concat, reductions.
"func.func"() ({
^bb0(%h: tensor<1x128x768xf32>):
  %s = "graph.weight"() {name = "ln_1.weight"} : () -> tensor<768xf32>
  %bias = "graph.weight"() {name = "ln_1.bias"} : () -> tensor<768xf32>
  %ln = "graph.layer_normalization"(%h, %s, %bias) {axis = -1, epsilon = 1.0e-5 : f32} : (tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x128x768xf32>
  %wq = "graph.weight"() {name = "attn.c_attn.weight"} : () -> tensor<768x2304xf32>
  %qkv = "graph.matmul"(%ln, %wq) : (tensor<1x128x768xf32>, tensor<768x2304xf32>) -> tensor<1x128x2304xf32>
  %heads = "graph.reshape"(%ln) : (tensor<1x128x768xf32>) -> tensor<1x128x12x64xf32>
  %q = "graph.transpose"(%heads) {perm = [0, 2, 1, 3]} : (tensor<1x128x12x64xf32>) -> tensor<1x12x128x64xf32>
  %kt = "graph.transpose"(%heads) {perm = [0, 2, 3, 1]} : (tensor<1x128x12x64xf32>) -> tensor<1x12x64x128xf32>
  %scores = "graph.matmul"(%q, %kt) : (tensor<1x12x128x64xf32>, tensor<1x12x64x128xf32>) -> tensor<1x12x128x128xf32>
  %scale = "graph.constant"() {value = [0.125 : f32]} : () -> tensor<f32>
  %scaled = "graph.mul"(%scores, %scale) : (tensor<1x12x128x128xf32>, tensor<f32>) -> tensor<1x12x128x128xf32>
  %probs = "graph.softmax"(%scaled) {axis = -1} : (tensor<1x12x128x128xf32>) -> tensor<1x12x128x128xf32>
  %ctx = "graph.matmul"(%probs, %q) : (tensor<1x12x128x128xf32>, tensor<1x12x128x64xf32>) -> tensor<1x12x128x64xf32>
  %gelu = "graph.gelu"(%qkv) {approximate = "tanh"} : (tensor<1x128x2304xf32>) -> tensor<1x128x2304xf32>
  %both = "graph.concat"(%gelu, %qkv) {axis = 2} : (tensor<1x128x2304xf32>, tensor<1x128x2304xf32>) -> tensor<1x128x4608xf32>
  %mean = "graph.reduce_mean"(%both) {axes = [-1], keepdims = 1} : (tensor<1x128x4608xf32>) -> tensor<1x128x1xf32>
  %sum = "graph.reduce_sum"(%ctx) {axes = [1, 3], keepdims = 0} : (tensor<1x12x128x64xf32>) -> tensor<1x128xf32>
  "func.return"(%mean, %sum) : (tensor<1x128x1xf32>, tensor<1x128xf32>) -> ()
}) {function_type = (tensor<1x128x768xf32>) -> (tensor<1x128x1xf32>, tensor<1x128xf32>), sym_name = "gpt2_slice"} : () -> ()
