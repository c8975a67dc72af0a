// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=dataflow
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=kernels
// RUN: dnnc hls/residual.onnxtxt --arch u280 --emit=hls
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=vitis-link
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=report
// RUN: dnnc models/gpt2_l2_s128.onnx --arch u55c --emit=report
// RUN: dnnc models/gpt2_l2_s128.onnx --arch u55c --emit=report --regions time-shared --fabric-share 0.6
// The dataflow stages on a residual block (matmul, relu, matmul, sigmoid, add of the input):
// the IR after the dataflow pipeline, its kernel descriptors (docs/kernels.md), its HLS C++, the
// v++ link configuration that wires its memory arguments to HBM pseudo channels, and
// the report of what the design does on the board; then the report of GPT-2's two layers:
// after the embedding's region, each layer one region (attention streams its context rows into
// the out-projection and the MLP), the last one with the vocabulary projection, which takes
// the final layer norm's rows panel by panel; and the same regions allocated time-shared on 60 %
// of the board (--regions, --fabric-share): each on the whole share, the report then counting
// the largest region's resources, not one bitstream's.
