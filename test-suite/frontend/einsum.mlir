// RUN: dnnc models/resnet18.onnx --emit=einsum
// RUN: dnnc models/resnet18.onnx --emit=summary
// RUN: dnnc models/gpt2_l2_s128.onnx --emit=summary
// The lowered networks: ResNet-18 as einsum IR (convolutions as N,K,C,P,Q,R,S nests with
// strided, padded window maps; biases, ReLUs, residual adds and pooling as vector work), and
// per-layer summaries whose MAC totals equal the independent counts in models/README.md.
