# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.x.npy --output %t.y.npy --output %t.i.npy --output %t.y2.npy --output %t.i2.npy
# RUN: %python %s %t check | FileCheck %s
#
# MaxPool's Indices output: the flat index in the input (batch and channel
# included; column-major per image with storage_order 1) of each window's
# maximum, with padding, strides, dilations and ceil_mode, against a numpy
# reference.

import sys

import numpy as np
from onnx import TensorProto, helper

F = TensorProto.FLOAT
rng = np.random.default_rng(7)
x = rng.permutation(2 * 3 * 7 * 6).astype(np.float32).reshape(2, 3, 7, 6)


def reference(x, k, s, p, d, ceil, order):
    n, c, h, w = x.shape
    def size(i, kk, ss, begin, end, dd):
        o = (i + begin + end - dd * (kk - 1) - 1 + (ss - 1 if ceil else 0)) // ss + 1
        # With ceil_mode, the last window must start inside the input.
        return o - 1 if ceil and (o - 1) * ss >= i + begin else o
    oh = size(h, k[0], s[0], p[0], p[2], d[0])
    ow = size(w, k[1], s[1], p[1], p[3], d[1])
    y = np.full((n, c, oh, ow), -np.inf, np.float32)
    idx = np.zeros((n, c, oh, ow), np.int64)
    for b in range(n):
        for ch in range(c):
            for i in range(oh):
                for j in range(ow):
                    for a in range(k[0]):
                        for e in range(k[1]):
                            r = i * s[0] - p[0] + a * d[0]
                            q = j * s[1] - p[1] + e * d[1]
                            if 0 <= r < h and 0 <= q < w and x[b, ch, r, q] > y[b, ch, i, j]:
                                y[b, ch, i, j] = x[b, ch, r, q]
                                at = r * w + q if order == 0 else q * h + r
                                idx[b, ch, i, j] = (b * c + ch) * h * w + at
    return y, idx


if len(sys.argv) > 2:
    out = lambda name: np.load("%s.%s.npy" % (sys.argv[1], name))
    y, i = reference(x, [3, 2], [2, 2], [1, 1, 1, 0], [1, 2], False, 0)
    print("first", np.array_equal(out("y"), y), np.array_equal(out("i"), i))
    y, i = reference(x, [2, 2], [2, 3], [0, 0, 0, 0], [1, 1], True, 1)
    print("ceil", np.array_equal(out("y2"), y), np.array_equal(out("i2"), i))
    sys.exit(0)

graph = helper.make_graph(
    [helper.make_node("MaxPool", ["x"], ["y", "i"], kernel_shape=[3, 2],
                      strides=[2, 2], pads=[1, 1, 1, 0], dilations=[1, 2]),
     helper.make_node("MaxPool", ["x"], ["y2", "i2"], kernel_shape=[2, 2],
                      strides=[2, 3], ceil_mode=1, storage_order=1)],
    "g", [helper.make_tensor_value_info("x", F, list(x.shape))],
    [helper.make_tensor_value_info("y", F, None),
     helper.make_tensor_value_info("i", TensorProto.INT64, None),
     helper.make_tensor_value_info("y2", F, None),
     helper.make_tensor_value_info("i2", TensorProto.INT64, None)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 12)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".x.npy", x)

# CHECK: first True True
# CHECK: ceil True True
