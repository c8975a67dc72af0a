// RUN: dnnc hls/residual.onnxtxt --emit=hls
// RUN: dnnc hls/residual.onnxtxt --arch tpu_like --emit=kernels
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=schedule
// RUN: dnnc hls/residual.onnxtxt --arch u50 --emit=dataflow
// RUN: dnnc hls/residual.onnxtxt --arch u55c --emit=einsum
// Usage errors exit with code 2: a dataflow stage without --arch, a spatial accelerator for a
// dataflow stage, an FPGA board for a schedule stage, an unknown board. Stages that use no
// target (einsum) ignore --arch.
