// RUN: dnnc onnxtxt/dropout.onnxtxt --emit=einsum
// RUN: dnnc onnxtxt/invalid/dropout-training.onnxtxt --emit=graph
// An inference-mode Dropout (training_mode false or absent, any ratio and seed) is the
// identity and leaves nothing behind; one in training mode, or whose mask is used, is an
// import error naming the node.
