"""Regenerates the invalid models the frontend's negative golden tests read.

Needs Python's `onnx` package (`pip install onnx`); the generated files are committed, so the
tests do not. Run from this directory: `python make.py`.
"""
import onnx
from onnx import TensorProto, helper


def save(name, nodes, inputs, outputs):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="dnnc-tests")
    model.ir_version = 8
    with open(name + ".onnx", "wb") as f:
        f.write(model.SerializeToString())


x = helper.make_tensor_value_info("X", TensorProto.FLOAT, [1, 8])
y = helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 8])
# An operator no frontend knows.
save("unknown-op", [helper.make_node("FancyActivation", ["X"], ["Y"], name="fancy")], [x], [y])
# Two nodes feeding each other.
save("cycle", [helper.make_node("Relu", ["B"], ["A"], name="a"), helper.make_node("Relu", ["A"], ["B"], name="b"),
               helper.make_node("Identity", ["B"], ["Y"], name="out")], [x], [y])
# The declared output shape contradicts the node's semantics.
save("inconsistent-shapes", [helper.make_node("Relu", ["X"], ["Y"], name="relu")], [x],
     [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [1, 9])])
# A symbolic batch dimension, importable only with --bind N=<size>.
save("symbolic-batch", [helper.make_node("Relu", ["X"], ["Y"], name="relu")],
     [helper.make_tensor_value_info("X", TensorProto.FLOAT, ["N", 8])],
     [helper.make_tensor_value_info("Y", TensorProto.FLOAT, ["N", 8])])
# The first 40 bytes of a valid model.
with open("unknown-op.onnx", "rb") as f:
    head = f.read()[:40]
with open("truncated.onnx", "wb") as f:
    f.write(head)
