// RUN: dnnc onnxtxt/mlp.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/unterminated-graph.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/bad-type.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/bad-attribute.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/control-flow.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/duplicate-output.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/clip-computed-bound.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/scatter-nd-reduction.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/mlp.onnxtxt --emit=graph --bind N
// RUN: dnnc onnxtxt/mlp.onnxtxt --emit=graph --bind N=-1
// RUN: dnnc onnxtxt/mlp.onnxtxt --emit=graph --bind N=1 --bind N=2
// Text models that cannot be compiled are clear errors with exit code 2 and no output: a
// symbolic dimension without --bind, syntax errors (file:line:col, the line and a caret), an
// operator the graph dialect lacks, a value defined twice, a Clip bound that is not a constant,
// a ScatterND adding into values only known at run time, and malformed or repeated --bind
// flags.
