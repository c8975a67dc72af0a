// RUN: dnnc hls/upsample.onnxtxt --emit=einsum
// RUN: dnnc hls/unet.onnxtxt --emit=einsum
// RUN: dnnc hls/mobilenet.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/unsupported-resampling.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/unsupported-resampling.onnxtxt --emit=einsum
// CNN operators beyond ResNet's: Pad (zero padding as an offset read), nearest Resize (up by
// `floordiv`, down by `*`), ConvTranspose with kernel = stride (a scatter `h * 2 + r`),
// depthwise and grouped convolutions and the mobile activations. What the lowering refuses
// (bilinear resize, reflect padding, overlapping transposed convolution) imports as graph ops
// and fails at --emit=einsum naming the op and the reason.
