// RUN: dnnc %s --emit=graph
// RUN: dnnc models/no-such-model.onnx --emit=graph
// RUN: dnnc models/invalid/truncated.onnx --emit=graph
// RUN: dnnc models/invalid/unknown-op.onnx --emit=graph
// RUN: dnnc models/invalid/cycle.onnx --emit=graph
// RUN: dnnc models/invalid/inconsistent-shapes.onnx --emit=graph
// RUN: dnnc models/invalid/symbolic-batch.onnx --emit=graph
// RUN: dnnc models/resnet18.onnx --emit=schedule
// Bad input is a clear error with exit code 2 and no output: a file that is not ONNX (this
// one), a missing file, a truncated model, an operator the frontend does not know (naming
// node, op type and opset), a cycle, a declared shape that contradicts the node, a symbolic
// dimension without a binding, and an --emit stage that is not implemented yet.
