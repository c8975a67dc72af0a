// RUN: dnnc onnxtxt/cyclegan.onnxtxt --emit=summary
// RUN: dnnc onnxtxt/espcn.onnxtxt --emit=summary
// Image-to-image networks as PyTorch exports them. CycleGAN's ResNet generator (ngf 8, two
// residual blocks, 32×32): reflect Pad (borders read mirrored and concatenated),
// InstanceNormalization (a layer normalisation over the spatial dims, then the per-channel
// scale and shift), transposed convolutions back up. Its MACs, counted by hand: the two 7×7
// convolutions 3·8·49·1024 = 1 204 224 each, the two strided ones and the two transposed ones
// 294 912 each, the four residual 3×3 ones 589 824 each: 5 947 392. ESPCN (upscale 3, 24×24):
// 230 400 + 663 552 + 373 248 = 1 267 200 MACs, and pixel_shuffle (DepthToSpace, CRD) one data
// movement.
