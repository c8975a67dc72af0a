#!/usr/bin/env python3
"""Build the anchor ONNX workloads with onnx.helper (no downloads).

Adapted from the anchor harness's make_workloads.py for the ZigZag fidelity harness (bench/zigzag).

Outputs (in --out, default $DNNC_BENCH_WORK/zigzag-workloads, DNNC_BENCH_WORK defaulting to ~/.cache/dnnc-bench):
  gemm_512x768x768.onnx   single MatMul  X[512,768] @ W[768,768]
  cnn_resnet18_stage1.onnx ResNet-18 stem + layer1 (5 Conv, Relu, MaxPool, residual Add), batch 1, 224x224
  gpt2_block.onnx         one GPT-2-small block, seq 128, hidden 768, 12 heads (no biases, no causal mask)

All tensors are FLOAT16 (Stream takes operand bit-widths from the ONNX dtype; ZigZag ignores the dtype
and uses 8-bit activations/weights unless act_size/weight_size node attributes are given).
Every model passes onnx.checker.check_model(full_check=True) and is saved shape-inferred (ZigZag needs
value_info for every intermediate tensor).
"""

import argparse
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

DT = TensorProto.FLOAT16
NP_DT = np.float16
OPSET = 20  # Gelu needs opset 20


def w(name, shape):
    # zero-valued weights: only shapes matter for the analytical cost models
    return numpy_helper.from_array(np.zeros(shape, dtype=NP_DT), name=name)


def i64(name, vals):
    return numpy_helper.from_array(np.array(vals, dtype=np.int64), name=name)


def vi(name, shape):
    return helper.make_tensor_value_info(name, DT, shape)


def finish(graph, path):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="dnnc-bench")
    model.ir_version = 10
    onnx.checker.check_model(model, full_check=True)
    inferred = onnx.shape_inference.infer_shapes(model, check_type=True, strict_mode=True)
    onnx.checker.check_model(inferred, full_check=True)
    onnx.save(inferred, path)
    n_vi = len(inferred.graph.value_info)
    print(f"wrote {path}: {len(inferred.graph.node)} nodes, {n_vi} value_info, {os.path.getsize(path)/1e6:.2f} MB")


def make_gemm(path, m=512, k=768, n=768):
    nodes = [helper.make_node("MatMul", ["X", "W"], ["Y"], name="gemm")]
    g = helper.make_graph(nodes, "gemm", [vi("X", [m, k])], [vi("Y", [m, n])], [w("W", [k, n])])
    finish(g, path)


def conv(name, x, wname, y, k, s, p):
    return helper.make_node(
        "Conv", [x, wname], [y], name=name, kernel_shape=[k, k], strides=[s, s], pads=[p, p, p, p]
    )


def make_cnn(path):
    """ResNet-18 stem + layer1 (two BasicBlocks), BN folded away, batch 1."""
    inits = [w("w_conv1", [64, 3, 7, 7])] + [w(f"w_l1_{i}", [64, 64, 3, 3]) for i in range(4)]
    nodes = [
        conv("conv1", "image", "w_conv1", "c1", 7, 2, 3),  # 3x224x224 -> 64x112x112
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("MaxPool", ["r1"], ["p1"], name="maxpool", kernel_shape=[3, 3], strides=[2, 2],
                         pads=[1, 1, 1, 1]),  # -> 64x56x56
        # BasicBlock 1
        conv("l1_b0_conv1", "p1", "w_l1_0", "a0", 3, 1, 1),
        helper.make_node("Relu", ["a0"], ["a0r"], name="l1_b0_relu1"),
        conv("l1_b0_conv2", "a0r", "w_l1_1", "b0", 3, 1, 1),
        helper.make_node("Add", ["b0", "p1"], ["s0"], name="l1_b0_add"),
        helper.make_node("Relu", ["s0"], ["s0r"], name="l1_b0_relu2"),
        # BasicBlock 2
        conv("l1_b1_conv1", "s0r", "w_l1_2", "a1", 3, 1, 1),
        helper.make_node("Relu", ["a1"], ["a1r"], name="l1_b1_relu1"),
        conv("l1_b1_conv2", "a1r", "w_l1_3", "b1", 3, 1, 1),
        helper.make_node("Add", ["b1", "s0r"], ["s1"], name="l1_b1_add"),
        helper.make_node("Relu", ["s1"], ["out"], name="l1_b1_relu2"),
    ]
    g = helper.make_graph(nodes, "resnet18_stage1", [vi("image", [1, 3, 224, 224])], [vi("out", [1, 64, 56, 56])],
                          inits)
    finish(g, path)


def make_gpt2_block(path, seq=128, d=768, heads=12, ffn=3072):
    dh = d // heads
    inits = [
        w("ln1_g", [d]), w("ln1_b", [d]), w("ln2_g", [d]), w("ln2_b", [d]),
        w("Wq", [d, d]), w("Wk", [d, d]), w("Wv", [d, d]), w("Wo", [d, d]),
        w("W1", [d, ffn]), w("W2", [ffn, d]),
        i64("shape_heads", [seq, heads, dh]), i64("shape_flat", [seq, d]),
    ]
    N = helper.make_node
    nodes = [
        N("LayerNormalization", ["x", "ln1_g", "ln1_b"], ["ln1"], name="ln1", axis=-1, epsilon=1e-5),
        N("MatMul", ["ln1", "Wq"], ["q"], name="q_proj"),
        N("MatMul", ["ln1", "Wk"], ["k"], name="k_proj"),
        N("MatMul", ["ln1", "Wv"], ["v"], name="v_proj"),
        N("Reshape", ["q", "shape_heads"], ["q3"], name="q_split"),
        N("Transpose", ["q3"], ["qh"], name="q_heads", perm=[1, 0, 2]),  # [H,S,dh]
        N("Reshape", ["k", "shape_heads"], ["k3"], name="k_split"),
        N("Transpose", ["k3"], ["khT"], name="k_heads_T", perm=[1, 2, 0]),  # [H,dh,S]
        N("Reshape", ["v", "shape_heads"], ["v3"], name="v_split"),
        N("Transpose", ["v3"], ["vh"], name="v_heads", perm=[1, 0, 2]),  # [H,S,dh]
        N("MatMul", ["qh", "khT"], ["scores"], name="qk_matmul"),  # [H,S,S]
        N("Softmax", ["scores"], ["probs"], name="softmax", axis=-1),
        N("MatMul", ["probs", "vh"], ["ctx_h"], name="av_matmul"),  # [H,S,dh]
        N("Transpose", ["ctx_h"], ["ctx3"], name="ctx_merge", perm=[1, 0, 2]),  # [S,H,dh]
        N("Reshape", ["ctx3", "shape_flat"], ["ctx"], name="ctx_flat"),
        N("MatMul", ["ctx", "Wo"], ["attn_out"], name="out_proj"),
        N("Add", ["x", "attn_out"], ["h"], name="residual1"),
        N("LayerNormalization", ["h", "ln2_g", "ln2_b"], ["ln2"], name="ln2", axis=-1, epsilon=1e-5),
        N("MatMul", ["ln2", "W1"], ["f1"], name="ffn_up"),
        N("Gelu", ["f1"], ["g"], name="gelu", approximate="tanh"),
        N("MatMul", ["g", "W2"], ["f2"], name="ffn_down"),
        N("Add", ["h", "f2"], ["y"], name="residual2"),
    ]
    g = helper.make_graph(nodes, "gpt2_block", [vi("x", [seq, d])], [vi("y", [seq, d])], inits)
    finish(g, path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.environ.get("DNNC_BENCH_WORK", os.path.expanduser("~/.cache/dnnc-bench")),
                                         "zigzag-workloads"))
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    make_gemm(f"{a.out}/gemm_512x768x768.onnx")
    make_cnn(f"{a.out}/cnn_resnet18_stage1.onnx")
    make_gpt2_block(f"{a.out}/gpt2_block.onnx")


if __name__ == "__main__":
    main()
