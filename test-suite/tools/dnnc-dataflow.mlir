// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=dataflow
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=kernels
// RUN: dnnc hls/residual.onnxtxt --arch u280 --emit=hls
// The dataflow stages on a residual block (matmul, relu, matmul, sigmoid, add of the input):
// the IR after the dataflow pipeline, its kernel descriptors (docs/kernels.md) and its HLS C++.
