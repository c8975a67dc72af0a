// RUN: dnnc hls/upsample.onnxtxt --emit=einsum
// RUN: dnnc hls/unet.onnxtxt --emit=einsum
// RUN: dnnc hls/deconv.onnxtxt --emit=einsum
// RUN: dnnc hls/resize_linear.onnxtxt --emit=einsum
// RUN: dnnc hls/mobilenet.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/unsupported-resampling.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/unsupported-resampling.onnxtxt --emit=einsum
// CNN operators beyond ResNet's: Pad (zero padding as an offset read), nearest Resize (up by
// `floordiv`, down by `*`), ConvTranspose (a scatter `h * 2 + r` into the full output, then a
// crop of the padding), bilinear Resize (a MAC per axis against a constant interpolation
// matrix), depthwise and grouped convolutions and the mobile activations. What the lowering
// refuses (bicubic resize, reflect padding, a nearest resize by 3/2) imports as graph ops and
// fails at --emit=einsum naming every such op and the reason.
