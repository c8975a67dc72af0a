// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow)'
// RUN: dnnc-opt %s --pass-pipeline='builtin.module(convert-to-dataflow{row-tile=16})'
// The default tiling policy's MAC rules. A projection's rows (result dims no weight uses) are
// tiled by `row-tile` (8): the next stage of a chain starts after one row panel, so finer row
// tiles shorten every stage's fill, for one more weight read per row tile. A MAC whose input
// is another kernel's stream keeps that stream's row tile (the layer norm after the embedding
// add walks 16-row panels: a finer tile would need the whole tensor in a converter). Reduced
// dims are tiled up to 16 x tile (256), so `ii = work / lanes` rounds little. Attention's
// heads, a dim every operand and the result use (a batch dim), are tiled by one and walked
// inside the rows (tiled by `row-tile`, as a projection's): the softmax after the scores needs
// one head's row panel, not every head's, and each row panel comes out for every head in turn,
// as the out-projection reads it.

"func.func"() ({
^bb0(%x: tensor<64x512xf32>, %e: tensor<64x512xf32>, %q: tensor<2x64x32xf32>, %k: tensor<2x64x32xf32>):
  %w1 = "graph.weight"() {name = "w1"} : () -> tensor<512x128xf32>
  %w2 = "graph.weight"() {name = "w2"} : () -> tensor<512x128xf32>
  // A projection of an input from memory: rows 8 (row-tile), reduced dim 256.
  %0 = "einsum.op"(%x, %w1) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 128, 512], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<64x512xf32>, tensor<512x128xf32>) -> tensor<64x128xf32>
  // An add with the default tiles (16 x 16), then a projection of its stream: rows follow (16).
  %1 = "einsum.op"(%x, %e) {kind = "elementwise", dims = ["D0", "D1"], sizes = [64, 512], maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], source = "graph.add"} : (tensor<64x512xf32>, tensor<64x512xf32>) -> tensor<64x512xf32>
  %2 = "einsum.op"(%1, %w2) {kind = "mac", dims = ["M", "N", "K"], sizes = [64, 128, 512], maps = [affine_map<(m, n, k) -> (m, k)>, affine_map<(m, n, k) -> (k, n)>, affine_map<(m, n, k) -> (m, n)>], source = "graph.matmul"} : (tensor<64x512xf32>, tensor<512x128xf32>) -> tensor<64x128xf32>
  // Attention scores over 2 heads (H is a batch dim: tile 1, outermost), then a softmax over
  // whole key rows that follows the scores' walk: one head's 16-row panel a firing.
  %3 = "einsum.op"(%q, %k) {kind = "mac", dims = ["H", "M", "N", "D"], sizes = [2, 64, 64, 32], maps = [affine_map<(h, m, n, d) -> (h, m, d)>, affine_map<(h, m, n, d) -> (h, n, d)>, affine_map<(h, m, n, d) -> (h, m, n)>], source = "graph.matmul"} : (tensor<2x64x32xf32>, tensor<2x64x32xf32>) -> tensor<2x64x64xf32>
  %4 = "einsum.op"(%3) {kind = "reduction", dims = ["H", "M", "N"], sizes = [2, 64, 64], maps = [affine_map<(h, m, n) -> (h, m, n)>, affine_map<(h, m, n) -> (h, m, n)>], source = "graph.softmax", normalized = [2]} : (tensor<2x64x64xf32>) -> tensor<2x64x64xf32>
  "func.return"(%0, %2, %4) : (tensor<64x128xf32>, tensor<64x128xf32>, tensor<2x64x64xf32>) -> ()
}) {function_type = (tensor<64x512xf32>, tensor<64x512xf32>, tensor<2x64x32xf32>, tensor<2x64x32xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<2x64x64xf32>), sym_name = "tiling"} : () -> ()
