// RUN: dnnc hls/einsum.onnxtxt --emit=einsum
// RUN: dnnc onnxtxt/invalid/einsum-equation.onnxtxt --emit=graph
// ONNX Einsum lowers straight to einsum ops named by the equation's labels: two operands are a
// MAC over every label the result drops (a broadcast ellipsis dimension of size 1 read at 0),
// three are contracted left to right keeping the labels a later operand or the result uses,
// and one operand is a data movement (transpose, diagonal `ii->i`) or a reduction (trace, row
// sum). An equation whose labels disagree on a size is an import error naming the node.
