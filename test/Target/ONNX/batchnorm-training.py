# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.x.npy --output %t.y.npy --output %t.mean.npy --output %t.var.npy
# RUN: %python %s %t check | FileCheck %s
#
# BatchNormalization in training mode normalizes by the batch's statistics
# (population variance over N, H, W) and updates the running mean and
# variance with the momentum.

import sys

import numpy as np
from onnx import TensorProto, helper

F = TensorProto.FLOAT
rng = np.random.default_rng(5)
x = rng.standard_normal((2, 3, 4, 5)).astype(np.float32)
scale, bias = np.array([1, 2, 0.5], np.float32), np.array([0, 1, -1], np.float32)
mean0, var0 = np.array([0.1, 0.2, 0.3], np.float32), np.ones(3, np.float32)

if len(sys.argv) > 2:
    out = lambda name: np.load("%s.%s.npy" % (sys.argv[1], name))
    m, v = x.mean(axis=(0, 2, 3)), x.var(axis=(0, 2, 3))
    y = (x - m[:, None, None]) / np.sqrt(v[:, None, None] + 1e-3)
    y = y * scale[:, None, None] + bias[:, None, None]
    print("y", np.allclose(out("y"), y, atol=1e-5))
    print("mean", np.allclose(out("mean"), mean0 * 0.8 + m * 0.2, atol=1e-6))
    print("var", np.allclose(out("var"), var0 * 0.8 + v * 0.2, atol=1e-6))
    sys.exit(0)

graph = helper.make_graph(
    [helper.make_node("BatchNormalization", ["x", "s", "b", "m", "v"],
                      ["y", "mean", "var"], epsilon=1e-3, momentum=0.8,
                      training_mode=1)],
    "g", [helper.make_tensor_value_info("x", F, list(x.shape))],
    [helper.make_tensor_value_info(n, F, None) for n in ("y", "mean", "var")],
    [helper.make_tensor(n, F, [3], a) for n, a in
     (("s", scale), ("b", bias), ("m", mean0), ("v", var0))])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 15)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".x.npy", x)

# CHECK: y True
# CHECK: mean True
# CHECK: var True
