# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.a.npy --input %t.b.npy --print | FileCheck %s
#
# Opset 6 models are upgraded by ONNX's version converter, whose adapter
# for Add-6 (an explicit broadcast attribute) needs the operands' shapes:
# ONNX's shape inference runs first, so a model whose intermediate values
# carry no shapes (old PyTorch exports) upgrades too.

import sys

import numpy as np
from onnx import TensorProto, helper

f = TensorProto.FLOAT
graph = helper.make_graph(
    [helper.make_node("Mul", ["a", "a"], ["sq"]),
     helper.make_node("Add", ["sq", "b"], ["y"], broadcast=1, axis=1)], "g",
    [helper.make_tensor_value_info("a", f, [2, 3]),
     helper.make_tensor_value_info("b", f, [3])],
    [helper.make_tensor_value_info("y", f, [2, 3])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 6)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".a.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
np.save(sys.argv[1] + ".b.npy", np.array([100, 200, 300], np.float32))

# CHECK: y: 2x3xf32 =
# CHECK-NEXT: {{\[\[}}100, 201, 304],
# CHECK-NEXT: {{^}} [109, 216, 325]]
