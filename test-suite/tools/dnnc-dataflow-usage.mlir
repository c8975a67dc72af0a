// RUN: dnnc hls/residual.onnxtxt --emit=hls
// RUN: dnnc hls/residual.onnxtxt --arch tpu_like --emit=kernels
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=schedule
// RUN: dnnc hls/residual.onnxtxt --arch u50 --emit=dataflow
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=einsum
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=report --fabric-share 1.5
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=report --regions swapped
// Usage errors exit with code 2: a dataflow stage without --arch, a spatial accelerator for a
// dataflow stage, an FPGA board for a schedule stage, an unknown board, a fabric share outside
// (0, 1] and an unknown region mode. Stages that use no
// target (einsum) ignore --arch.
