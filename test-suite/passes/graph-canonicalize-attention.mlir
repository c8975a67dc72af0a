// RUN: dnnc-opt %s --split-input-file --pass-pipeline='builtin.module(graph-canonicalize)' --pass-statistics
// graph-canonicalize recognises scaled dot-product attention, softmax(scale·Q·Kᵀ [masked]) · V,
// as graph.attention when the scale is 1/√d (here d = 8: 1/√8, or 8^-1/4 on Q and on K),
// the softmax is over the last axis and every intermediate has no other user.

// GPT-2 / Llama export (torch SDPA): Q and K each scaled by 8^-1/4, Kᵀ made by reshape,
// transpose and reshape (absorbed: K is taken untransposed), an additive mask, and the NaN
// guard after the softmax.
"func.func"() ({
^bb0(%q: tensor<1x2x4x8xf32>, %k: tensor<1x2x4x8xf32>, %v: tensor<1x2x4x8xf32>, %keep: tensor<1x1x4x4xi1>):
  %s = "graph.constant"() {splat = 0.59460354 : f32} : () -> tensor<f32>
  %zero = "graph.constant"() {splat = 0.0 : f32} : () -> tensor<f32>
  %min = "graph.constant"() {splat = -3.4028235e38 : f32} : () -> tensor<f32>
  %k3 = "graph.reshape"(%k) : (tensor<1x2x4x8xf32>) -> tensor<2x4x8xf32>
  %kt3 = "graph.transpose"(%k3) {perm = [0, 2, 1]} : (tensor<2x4x8xf32>) -> tensor<2x8x4xf32>
  %kt = "graph.reshape"(%kt3) : (tensor<2x8x4xf32>) -> tensor<1x2x8x4xf32>
  %qs = "graph.mul"(%q, %s) : (tensor<1x2x4x8xf32>, tensor<f32>) -> tensor<1x2x4x8xf32>
  %ks = "graph.mul"(%kt, %s) : (tensor<1x2x8x4xf32>, tensor<f32>) -> tensor<1x2x8x4xf32>
  %mask = "graph.where"(%keep, %zero, %min) : (tensor<1x1x4x4xi1>, tensor<f32>, tensor<f32>) -> tensor<1x1x4x4xf32>
  %qk = "graph.matmul"(%qs, %ks) : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %masked = "graph.add"(%qk, %mask) : (tensor<1x2x4x4xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = "graph.softmax"(%masked) {axis = -1} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %nan = "graph.is_nan"(%p) : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xi1>
  %pg = "graph.where"(%nan, %zero, %p) : (tensor<1x2x4x4xi1>, tensor<f32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o = "graph.matmul"(%pg, %v) : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> loc("node_scaled_dot_product_attention")
  "func.return"(%o) : (tensor<1x2x4x8xf32>) -> ()
}) {function_type = (tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4x4xi1>) -> tensor<1x2x4x8xf32>, sym_name = "gpt2"} : () -> ()

// -----

// BERT export: heads split and Kᵀ made by one transpose from [B, S, H, D] (perm [0, 2, 3, 1]),
// which is not a bare exchange of the last two dimensions: K is taken as given
// (k_transposed = 1). No mask.
"func.func"() ({
^bb0(%q: tensor<1x2x4x8xf32>, %k: tensor<1x4x2x8xf32>, %v: tensor<1x2x4x8xf32>):
  %s = "graph.constant"() {splat = 0.59460354 : f32} : () -> tensor<f32>
  %s2 = "graph.constant"() {splat = 0.59460354 : f32} : () -> tensor<f32>
  %kt = "graph.transpose"(%k) {perm = [0, 2, 3, 1]} : (tensor<1x4x2x8xf32>) -> tensor<1x2x8x4xf32>
  %qs = "graph.mul"(%q, %s) : (tensor<1x2x4x8xf32>, tensor<f32>) -> tensor<1x2x4x8xf32>
  %ks = "graph.mul"(%s2, %kt) : (tensor<f32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  %qk = "graph.matmul"(%qs, %ks) : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %p = "graph.softmax"(%qk) {axis = 3} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o = "graph.matmul"(%p, %v) : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32> loc("/attention/self/MatMul_1")
  "func.return"(%o) : (tensor<1x2x4x8xf32>) -> ()
}) {function_type = (tensor<1x2x4x8xf32>, tensor<1x4x2x8xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>, sym_name = "bert"} : () -> ()

// -----

// Llama's grouped-query form: K is broadcast over the query heads before the transposes, so
// the leading dimensions differ at the two ends of the chain and K is taken as given.
"func.func"() ({
^bb0(%q: tensor<1x2x4x8xf32>, %k: tensor<1x1x1x4x8xf32>, %v: tensor<1x2x4x8xf32>, %mask: tensor<1x1x4x4xf32>):
  %s = "graph.constant"() {splat = 0.59460354 : f32} : () -> tensor<f32>
  %ke = "graph.expand"(%k) : (tensor<1x1x1x4x8xf32>) -> tensor<1x1x2x4x8xf32>
  %k3 = "graph.reshape"(%ke) : (tensor<1x1x2x4x8xf32>) -> tensor<2x4x8xf32>
  %kt3 = "graph.transpose"(%k3) {perm = [0, 2, 1]} : (tensor<2x4x8xf32>) -> tensor<2x8x4xf32>
  %kt = "graph.reshape"(%kt3) : (tensor<2x8x4xf32>) -> tensor<1x2x8x4xf32>
  %qs = "graph.mul"(%q, %s) : (tensor<1x2x4x8xf32>, tensor<f32>) -> tensor<1x2x4x8xf32>
  %ks = "graph.mul"(%kt, %s) : (tensor<1x2x8x4xf32>, tensor<f32>) -> tensor<1x2x8x4xf32>
  %qk = "graph.matmul"(%qs, %ks) : (tensor<1x2x4x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x4x4xf32>
  %masked = "graph.add"(%mask, %qk) : (tensor<1x1x4x4xf32>, tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %p = "graph.softmax"(%masked) {axis = -1} : (tensor<1x2x4x4xf32>) -> tensor<1x2x4x4xf32>
  %o = "graph.matmul"(%p, %v) : (tensor<1x2x4x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x4x8xf32>
  "func.return"(%o) : (tensor<1x2x4x8xf32>) -> ()
}) {function_type = (tensor<1x2x4x8xf32>, tensor<1x1x1x4x8xf32>, tensor<1x2x4x8xf32>, tensor<1x1x4x4xf32>) -> tensor<1x2x4x8xf32>, sym_name = "llama_gqa"} : () -> ()

// -----

// The scale as a Div by √8 on the scores, Kᵀ by a transpose of the last two dimensions, and
// boolean masks: where(mask, scores, −∞) keeps where the mask holds, where(mask, min, scores)
// drops there. In the second function the transposed K has another user, so its transpose
// stays and K is taken as given.
"func.func"() ({
^bb0(%q: tensor<2x4x8xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x4x16xf32>, %m: tensor<4x4xi1>):
  %sqrt8 = "graph.constant"() {splat = 2.828427 : f32} : () -> tensor<f32>
  %ninf = "graph.constant"() {splat = 0xFF800000 : f32} : () -> tensor<f32>
  %kt = "graph.transpose"(%k) {perm = [0, 2, 1]} : (tensor<2x4x8xf32>) -> tensor<2x8x4xf32>
  %qk = "graph.matmul"(%q, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %sc = "graph.div"(%qk, %sqrt8) : (tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %masked = "graph.where"(%m, %sc, %ninf) : (tensor<4x4xi1>, tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %p = "graph.softmax"(%masked) : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o = "graph.matmul"(%p, %v) : (tensor<2x4x4xf32>, tensor<2x4x16xf32>) -> tensor<2x4x16xf32>
  "func.return"(%o) : (tensor<2x4x16xf32>) -> ()
}) {function_type = (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x16xf32>, tensor<4x4xi1>) -> tensor<2x4x16xf32>, sym_name = "div_keep"} : () -> ()
"func.func"() ({
^bb0(%q: tensor<2x4x8xf32>, %k: tensor<2x4x8xf32>, %v: tensor<2x4x8xf32>, %m: tensor<2x4x4xi1>):
  %r = "graph.constant"() {splat = 0.35355338 : f32} : () -> tensor<f32>
  %min = "graph.constant"() {splat = -3.4028235e38 : f32} : () -> tensor<f32>
  %kt = "graph.transpose"(%k) {perm = [0, 2, 1]} : (tensor<2x4x8xf32>) -> tensor<2x8x4xf32>
  %qk = "graph.matmul"(%q, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %sc = "graph.mul"(%r, %qk) : (tensor<f32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %masked = "graph.where"(%m, %min, %sc) : (tensor<2x4x4xi1>, tensor<f32>, tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %p = "graph.softmax"(%masked) {axis = -1} : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o = "graph.matmul"(%p, %v) : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  "func.return"(%o, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> ()
}) {function_type = (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x4xi1>) -> (tensor<2x4x8xf32>, tensor<2x8x4xf32>), sym_name = "mul_drop"} : () -> ()

// -----

// Near misses, nothing changes: the scale 0.6² is not 1/√8; the scores have another user;
// the softmax is not over the last axis; the mask is added before the scale; no scale; a
// where whose other branch is not −∞.
"func.func"() ({
^bb0(%q: tensor<2x4x8xf32>, %kt: tensor<2x8x4xf32>, %v: tensor<2x4x8xf32>, %mask: tensor<4x4xf32>, %m: tensor<4x4xi1>):
  %s = "graph.constant"() {splat = 0.6 : f32} : () -> tensor<f32>
  %r = "graph.constant"() {splat = 0.35355338 : f32} : () -> tensor<f32>
  %minus1 = "graph.constant"() {splat = -1.0e4 : f32} : () -> tensor<f32>
  %qs = "graph.mul"(%q, %s) : (tensor<2x4x8xf32>, tensor<f32>) -> tensor<2x4x8xf32>
  %ks = "graph.mul"(%kt, %s) : (tensor<2x8x4xf32>, tensor<f32>) -> tensor<2x8x4xf32>
  %qk = "graph.matmul"(%qs, %ks) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %p = "graph.softmax"(%qk) : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o1 = "graph.matmul"(%p, %v) : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %qk2 = "graph.matmul"(%q, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %sc2 = "graph.mul"(%qk2, %r) : (tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %p2 = "graph.softmax"(%sc2) : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o2 = "graph.matmul"(%p2, %v) : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %qk3 = "graph.matmul"(%q, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %sc3 = "graph.mul"(%qk3, %r) : (tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %p3 = "graph.softmax"(%sc3) {axis = 1} : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o3 = "graph.matmul"(%p3, %v) : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %qk4 = "graph.matmul"(%q, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %ma4 = "graph.add"(%qk4, %mask) : (tensor<2x4x4xf32>, tensor<4x4xf32>) -> tensor<2x4x4xf32>
  %sc4 = "graph.mul"(%ma4, %r) : (tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %p4 = "graph.softmax"(%sc4) : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o4 = "graph.matmul"(%p4, %v) : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %qk5 = "graph.matmul"(%q, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %p5 = "graph.softmax"(%qk5) : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o5 = "graph.matmul"(%p5, %v) : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  %qk6 = "graph.matmul"(%q, %kt) : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %sc6 = "graph.mul"(%qk6, %r) : (tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %ma6 = "graph.where"(%m, %sc6, %minus1) : (tensor<4x4xi1>, tensor<2x4x4xf32>, tensor<f32>) -> tensor<2x4x4xf32>
  %p6 = "graph.softmax"(%ma6) : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o6 = "graph.matmul"(%p6, %v) : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  "func.return"(%o1, %o2, %sc2, %o3, %o4, %o5, %o6) : (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x4xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>) -> ()
}) {function_type = (tensor<2x4x8xf32>, tensor<2x8x4xf32>, tensor<2x4x8xf32>, tensor<4x4xf32>, tensor<4x4xi1>) -> (tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x4xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>, tensor<2x4x8xf32>), sym_name = "near_misses"} : () -> ()
