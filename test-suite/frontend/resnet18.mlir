// RUN: dnnc models/resnet18.onnx --emit=graph
// torchvision ResNet-18 (TorchScript export, opset 17) imported into the graph dialect: every
// Conv/BatchNorm-folded block, pooling and the classifier, with shapes inferred and verified.
