// RUN: dnnc %s --emit=graph
// RUN: dnnc models/no-such-model.onnx --emit=graph
// RUN: dnnc models/bert_base_l2_s128.onnx --emit=graph
// RUN: dnnc models/resnet18.onnx --emit=einsum
// RUN: dnnc model.onnxtxt --emit=graph
// Bad input is a clear error with exit code 2: a file that is not ONNX (this one), a missing
// file, an operator the frontend does not support yet (naming node, op type and opset), an
// unimplemented --emit stage, and the not-yet-supported text syntax.
