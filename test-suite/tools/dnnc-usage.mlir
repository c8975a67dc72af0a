// RUN: dnnc %s --emit=schedule
// RUN: dnnc models/resnet18.onnx --emit=report
// RUN: dnnc models/resnet18.onnx --emit=report --arch no_such_accelerator
// RUN: dnnc models/resnet18.onnx --emit=json --arch tpu_like --objective fastest
// RUN: dnnc models/resnet18.onnx --emit=nothing
// RUN: dnnc
// Usage errors exit with code 2 and say what is wrong: a model that is not ONNX, a schedule
// stage without --arch, an unknown accelerator or objective, an unknown stage.
