// RUN: dnnc hls/upsample.onnxtxt --emit=einsum
// RUN: dnnc hls/unet.onnxtxt --emit=einsum
// RUN: dnnc hls/deconv.onnxtxt --emit=einsum
// RUN: dnnc hls/resize_linear.onnxtxt --emit=einsum
// RUN: dnnc hls/resize_cubic.onnxtxt --emit=einsum
// RUN: dnnc hls/pad_modes.onnxtxt --emit=einsum
// RUN: dnnc hls/resize_nearest.onnxtxt --emit=einsum
// RUN: dnnc hls/mobilenet.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/unsupported-resampling.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/invalid/unsupported-resampling.onnxtxt --emit=einsum
// CNN operators beyond ResNet's: Pad (zero padding as an offset read), nearest Resize (up by
// `floordiv`, down by `*`, other factors as a gather of constant indices), ConvTranspose (a
// scatter `h * 2 + r` into the full output, then a crop of the padding), bilinear and bicubic
// Resize (a MAC per axis against a constant interpolation matrix), reflect/edge/wrap/constant
// Pad (borders read from the input and concatenated), depthwise and grouped convolutions and
// the mobile activations. What the lowering refuses (antialiased bicubic down-sampling, a
// reflect pad as wide as its axis, a resize by a region of interest) imports as graph ops and
// fails at --emit=einsum naming every such op and the reason.
