#!/usr/bin/env python3
"""Exports the torchvision models in this folder: random weights (weights=None), batch 1,
1x3x224x224, TorchScript exporter at opset 17, then weights moved to external data and the data
file removed (graph, shapes and initializer metadata only). Prints each file's MACs two
independent ways for the tests: every Conv, MatMul and Gemm from ONNX's own shape inference
(`macs_onnx`; `None` where it leaves a shape unknown, e.g. ShuffleNet's channel shuffle), and
every nn.Conv2d and nn.Linear from PyTorch forward hooks (`macs_torch`; attention's functional
matmuls are not modules, so ViT's count lacks them).

    python3 -m venv env && env/bin/pip install torch torchvision onnx
    env/bin/python test-suite/models/torchvision/export.py test-suite/models/torchvision
"""
import os
import sys
import warnings

import onnx
import torch
import torchvision
from onnx import numpy_helper, shape_inference
from onnx.external_data_helper import convert_model_to_external_data

MODELS = [
    "mobilenet_v2",
    "mobilenet_v3_small",
    "efficientnet_b0",
    "shufflenet_v2_x0_5",
    "squeezenet1_1",
    "googlenet",
    "densenet121",
    "regnet_y_400mf",
    "convnext_tiny",
    "vit_b_16",
    "swin_t",
]


def build(name):
    kwargs = {"aux_logits": False, "init_weights": True} if name == "googlenet" else {}
    torch.manual_seed(0)
    return getattr(torchvision.models, name)(weights=None, **kwargs).eval()


def macs_torch(module):
    total = 0

    def hook(mod, _inputs, out):
        nonlocal total
        if isinstance(mod, torch.nn.Conv2d):
            total += out.numel() * mod.in_channels // mod.groups * mod.kernel_size[0] * mod.kernel_size[1]
        else:
            total += out.numel() * mod.in_features

    for mod in module.modules():
        if isinstance(mod, (torch.nn.Conv2d, torch.nn.Linear)):
            mod.register_forward_hook(hook)
    with torch.no_grad():
        module(torch.randn(1, 3, 224, 224))
    return total


def macs(model):
    inferred = shape_inference.infer_shapes(model)
    shapes = {}
    for v in list(inferred.graph.value_info) + list(inferred.graph.input) + list(inferred.graph.output):
        dims = [d.dim_value for d in v.type.tensor_type.shape.dim]
        if dims and all(d > 0 for d in dims):
            shapes[v.name] = dims
    for t in model.graph.initializer:
        shapes[t.name] = list(t.dims)
    total = 0
    needed = [n for n in model.graph.node if n.op_type in ("Conv", "ConvTranspose", "MatMul", "Gemm")]
    if any(i not in shapes for n in needed for i in (n.input[0], n.input[1], n.output[0])):
        return None
    for n in model.graph.node:
        if n.op_type in ("Conv", "ConvTranspose"):
            w, y = shapes[n.input[1]], shapes[n.output[0]]
            group = next((a.i for a in n.attribute if a.name == "group"), 1)
            per_out = w[1] if n.op_type == "Conv" else w[0] // group
            spatial = 1
            for d in (w[2:] if n.op_type == "Conv" else w[2:]):
                spatial *= d
            if n.op_type == "Conv":
                out = 1
                for d in y:
                    out *= d
                total += out * per_out * spatial
            else:
                x = shapes[n.input[0]]
                inp = 1
                for d in x:
                    inp *= d
                total += inp * w[1] * spatial
        elif n.op_type in ("MatMul", "Gemm"):
            a, y = shapes[n.input[0]], shapes[n.output[0]]
            k = a[-1]
            if n.op_type == "Gemm" and any(at.name == "transA" and at.i for at in n.attribute):
                k = a[0]
            out = 1
            for d in y:
                out *= d
            total += out * k
    return total


def main(folder, names):
    warnings.filterwarnings("ignore")
    torch.manual_seed(0)
    for name in names:
        path = os.path.join(folder, f"{name}.onnx")
        module = build(name)
        torch.onnx.export(module, (torch.randn(1, 3, 224, 224),), path, dynamo=False, opset_version=17)
        model = onnx.load(path)
        count, hooked = macs(model), macs_torch(build(name))
        convert_model_to_external_data(model, all_tensors_to_one_file=True, location=f"{name}.data", size_threshold=1024)
        onnx.save_model(model, path, save_as_external_data=True, location=f"{name}.data", size_threshold=1024)
        os.remove(os.path.join(folder, f"{name}.data"))
        print(f"{name} nodes={len(model.graph.node)} macs_onnx={count} macs_torch={hooked} bytes={os.path.getsize(path)}",
              flush=True)


if __name__ == "__main__":
    # export.py [FOLDER [MODEL...]]: all of MODELS by default.
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__)), sys.argv[2:] or MODELS)
