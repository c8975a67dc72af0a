// RUN: dnnc onnxtxt/mha.onnxtxt --bind N=512 --arch tpu_like --emit=schedule
// RUN: dnnc onnxtxt/mha.onnxtxt --bind N=512 --arch tpu_like --capacity sram_2MB=512KiB --emit=schedule
// RUN: dnnc onnxtxt/mha.onnxtxt --bind N=512 --arch tpu_like --capacity sram_2MB=256KiB --emit=schedule
// Streamed fusion groups. With the 2 MB SRAM the 4 heads' 512x512 scores (1 MiB at 8 bits) fit
// whole: the projections, Q.K^T, the scale, the softmax and P.V form one group of one step
// (`tiles = 1`). At 512 KiB they do not, but the attention core streams along its heads
// (`tile_dim = "B"`), which partition Q, K, V and the scores: four steps of one head each
// (`tiles = 4`); the projections, which cannot stream with it (a head is a slice of their
// columns), run outside. At 256 KiB one head's scores no longer fit next to the rest and
// only pairs of einsums fuse.
