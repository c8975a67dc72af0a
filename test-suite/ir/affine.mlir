// RUN: dnnc-opt %s --allow-unregistered-dialect
// Affine maps as the einsum dialect uses them: projections, convolution windows
// (stride and dilation), symbols, and the floordiv/ceildiv/mod operators. Constants fold,
// `2 * d0` normalises to `d0 * 2`, and `a + b * -1` prints as `a - b`.

"test.maps"() {
  identity = affine_map<(d0, d1, d2) -> (d0, d1, d2)>,
  transpose = affine_map<(d0, d1, d2) -> (d2, d0)>,
  conv = affine_map<(n, k, c, p, q, r, s) -> (n, c, 2 * p + r - 1, q * 2 + s * 2)>,
  symbols = affine_map<(d0)[s0, s1] -> (d0 * s0 + s1)>,
  divs = affine_map<(d0, d1) -> (d0 floordiv 4, d1 ceildiv 8, (d0 + d1) mod 3)>,
  folded = affine_map<(d0) -> (d0 + 0, d0 * 1, 3 * 4, 7 floordiv 2, -3)>,
  negated = affine_map<(d0, d1) -> (-d0, d0 - d1, d1 - 3)>,
  empty = affine_map<() -> ()>,
  nested = affine_map<(d0, d1) -> ((d0 + d1) * 4, d0 * (2 + 3))>
} : () -> ()
