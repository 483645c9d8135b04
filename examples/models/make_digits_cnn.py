#!/usr/bin/python3
"""Writes examples/models/digits_cnn.onnx: a small CNN classifier for 28x28
grey images (conv-relu-maxpool twice, global pooling, a linear layer,
softmax), built with the onnx helper API and deterministic weights, plus
digits_input.npy, an image to classify. Used by scripts/demo.sh."""

import os
import sys

import numpy as np
from onnx import TensorProto, checker, helper, numpy_helper

out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
rng = np.random.default_rng(7)


def init(name, *shape, scale=0.2):
    return numpy_helper.from_array(
        (rng.standard_normal(shape) * scale).astype(np.float32), name)


inits = [init("w1", 8, 1, 3, 3), init("b1", 8, scale=0.05),
         init("w2", 16, 8, 3, 3, scale=0.1), init("b2", 16, scale=0.05),
         init("fc_w", 10, 16, scale=0.5), init("fc_b", 10, scale=0.1)]
nodes = [
    helper.make_node("Conv", ["image", "w1", "b1"], ["c1"], name="conv1", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
    helper.make_node("MaxPool", ["r1"], ["p1"], name="pool1", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("Conv", ["p1", "w2", "b2"], ["c2"], name="conv2", pads=[1, 1, 1, 1]),
    helper.make_node("Relu", ["c2"], ["r2"], name="relu2"),
    helper.make_node("MaxPool", ["r2"], ["p2"], name="pool2", kernel_shape=[2, 2], strides=[2, 2]),
    helper.make_node("GlobalAveragePool", ["p2"], ["g"], name="gap"),
    helper.make_node("Flatten", ["g"], ["f"], name="flatten"),
    helper.make_node("Gemm", ["f", "fc_w", "fc_b"], ["logits"], name="fc", transB=1),
    helper.make_node("Softmax", ["logits"], ["probs"], name="softmax", axis=-1),
]
graph = helper.make_graph(
    nodes, "digits_cnn",
    [helper.make_tensor_value_info("image", TensorProto.FLOAT, [1, 1, 28, 28])],
    [helper.make_tensor_value_info("probs", TensorProto.FLOAT, [1, 10])],
    initializer=inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                          producer_name="strata-examples")
checker.check_model(model)
open(os.path.join(out_dir, "digits_cnn.onnx"), "wb").write(model.SerializeToString())

# A "7": a horizontal bar and a diagonal stroke.
image = np.zeros((1, 1, 28, 28), np.float32)
image[0, 0, 5:8, 6:22] = 1.0
for i in range(16):
    image[0, 0, 8 + i, 20 - i // 2: 23 - i // 2] = 1.0
np.save(os.path.join(out_dir, "digits_input.npy"), image)
