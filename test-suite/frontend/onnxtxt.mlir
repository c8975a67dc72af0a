// RUN: dnnc onnxtxt/mlp.onnxtxt --emit=graph --bind N=1
// RUN: dnnc onnxtxt/convnet.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/attention.onnxtxt --emit=graph --bind N=4 --bind unused=7
// RUN: dnnc onnxtxt/cast_trilu.onnxtxt --emit=graph
// RUN: dnnc onnxtxt/cast_trilu.onnxtxt --emit=einsum
// RUN: dnnc onnxtxt/activations.onnxtxt --emit=einsum
// RUN: dnnc onnxtxt/window-mask.onnxtxt --emit=graph
// Models in the ONNX text syntax (.onnxtxt) import like their .onnx form: an MLP whose batch
// size N is bound on the command line, a conv net with an inline initializer, and an attention
// head with a symbolic sequence length (a binding for a name the model lacks is harmless), and
// Trilu (its k input becomes an attribute) and Cast (`to` becomes the element type), and the
// activations of mobile CNNs (Clip's constant bounds become attributes), and a Swin-style
// attention mask (ScatterND of counts into a float image, then Sub/Equal/Where) evaluated at
// import into one constant.
