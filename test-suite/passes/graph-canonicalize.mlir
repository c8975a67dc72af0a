// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(graph-canonicalize)' --pass-statistics
// graph-canonicalize rebuilds composite ops from the forms exporters emit; constants must
// match and intermediates must have no other users, or nothing changes.

// GELU, Erf form (BERT), SiLU, and RMSNorm with its scale (Llama).
"func.func"() ({
^bb0(%x: tensor<2x8xf32>, %w: tensor<8xf32>):
  %sqrt2 = "graph.constant"() {splat = 1.4142135 : f32} : () -> tensor<f32>
  %one = "graph.constant"() {splat = 1.0 : f32} : () -> tensor<f32>
  %half = "graph.constant"() {splat = 0.5 : f32} : () -> tensor<f32>
  %0 = "graph.div"(%x, %sqrt2) : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %1 = "graph.erf"(%0) : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %2 = "graph.add"(%1, %one) : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %3 = "graph.mul"(%x, %2) : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %gelu = "graph.mul"(%3, %half) : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32> loc("/act/Mul_1")
  %s = "graph.sigmoid"(%gelu) : (tensor<2x8xf32>) -> tensor<2x8xf32>
  %silu = "graph.mul"(%s, %gelu) : (tensor<2x8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  %two = "graph.constant"() {splat = 2.0 : f32} : () -> tensor<f32>
  %eps = "graph.constant"() {splat = 1.0e-6 : f32} : () -> tensor<f32>
  %sq = "graph.pow"(%silu, %two) : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %mean = "graph.reduce_mean"(%sq) {axes = [-1], keepdims = 1} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %var = "graph.add"(%mean, %eps) : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %root = "graph.sqrt"(%var) : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %inv = "graph.reciprocal"(%root) : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %norm = "graph.mul"(%silu, %inv) : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %scaled = "graph.mul"(%w, %norm) : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  "func.return"(%scaled) : (tensor<2x8xf32>) -> ()
}) {function_type = (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>, sym_name = "llama_and_bert"} : () -> ()

// -----

// GELU, Tanh form (GPT-2).
"func.func"() ({
^bb0(%x: tensor<4xf32>):
  %half = "graph.constant"() {splat = 0.5 : f32} : () -> tensor<f32>
  %three = "graph.constant"() {splat = 3.0 : f32} : () -> tensor<f32>
  %c = "graph.constant"() {splat = 0.044715 : f32} : () -> tensor<f32>
  %k = "graph.constant"() {splat = 0.7978846 : f32} : () -> tensor<f32>
  %one = "graph.constant"() {splat = 1.0 : f32} : () -> tensor<f32>
  %0 = "graph.mul"(%x, %half) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = "graph.pow"(%x, %three) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %2 = "graph.mul"(%1, %c) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = "graph.add"(%x, %2) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = "graph.mul"(%3, %k) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %5 = "graph.tanh"(%4) : (tensor<4xf32>) -> tensor<4xf32>
  %6 = "graph.add"(%5, %one) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %7 = "graph.mul"(%0, %6) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  "func.return"(%7) : (tensor<4xf32>) -> ()
}) {function_type = (tensor<4xf32>) -> tensor<4xf32>, sym_name = "gpt2_gelu"} : () -> ()

// -----

// Not GELU: the constant is 0.6, and the Erf result is used twice. Nothing changes.
"func.func"() ({
^bb0(%x: tensor<4xf32>):
  %sqrt2 = "graph.constant"() {splat = 1.4142135 : f32} : () -> tensor<f32>
  %one = "graph.constant"() {splat = 1.0 : f32} : () -> tensor<f32>
  %notHalf = "graph.constant"() {splat = 0.6 : f32} : () -> tensor<f32>
  %0 = "graph.div"(%x, %sqrt2) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %1 = "graph.erf"(%0) : (tensor<4xf32>) -> tensor<4xf32>
  %2 = "graph.add"(%1, %one) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  %3 = "graph.mul"(%x, %2) : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %4 = "graph.mul"(%3, %notHalf) : (tensor<4xf32>, tensor<f32>) -> tensor<4xf32>
  "func.return"(%4, %1) : (tensor<4xf32>, tensor<4xf32>) -> ()
}) {function_type = (tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>), sym_name = "near_misses"} : () -> ()

// -----

// LayerNorm as opsets before 17 export it: with scale and shift, and with scale only.
"func.func"() ({
^bb0(%x: tensor<2x8xf32>, %g: tensor<8xf32>, %b: tensor<8xf32>):
  %two = "graph.constant"() {splat = 2.0 : f32} : () -> tensor<f32>
  %eps = "graph.constant"() {splat = 1.0e-5 : f32} : () -> tensor<f32>
  %m = "graph.reduce_mean"(%x) {axes = [-1], keepdims = 1} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d = "graph.sub"(%x, %m) : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %p = "graph.pow"(%d, %two) : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v = "graph.reduce_mean"(%p) {axes = [-1], keepdims = 1} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %a = "graph.add"(%v, %eps) : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %s = "graph.sqrt"(%a) : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %n = "graph.div"(%d, %s) : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %y = "graph.mul"(%n, %g) : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32>
  %z = "graph.add"(%y, %b) : (tensor<2x8xf32>, tensor<8xf32>) -> tensor<2x8xf32> loc("/ln/Add_1")
  %m2 = "graph.reduce_mean"(%z) {axes = [1], keepdims = 1} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %d2 = "graph.sub"(%z, %m2) : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %p2 = "graph.pow"(%d2, %two) : (tensor<2x8xf32>, tensor<f32>) -> tensor<2x8xf32>
  %v2 = "graph.reduce_mean"(%p2) {axes = [-1], keepdims = 1} : (tensor<2x8xf32>) -> tensor<2x1xf32>
  %a2 = "graph.add"(%eps, %v2) : (tensor<f32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  %s2 = "graph.sqrt"(%a2) : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %n2 = "graph.div"(%d2, %s2) : (tensor<2x8xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %y2 = "graph.mul"(%g, %n2) : (tensor<8xf32>, tensor<2x8xf32>) -> tensor<2x8xf32>
  "func.return"(%y2) : (tensor<2x8xf32>) -> ()
}) {function_type = (tensor<2x8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<2x8xf32>, sym_name = "decomposed_layer_norm"} : () -> ()
