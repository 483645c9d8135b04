# RUN: %python %s %t.onnx
# RUN: strata-run %t.onnx --random-inputs --print | FileCheck %s
# RUN: strata-translate --import-onnx %t.onnx | FileCheck %s --check-prefix=IR
#
# Shapes computed from constants fold at import, whatever ops compute them:
# the class-token Expand of torchvision's ViT export takes its shape from
# Where(Equal(shape, ConstantOfShape(...) * -1), ConstantOfShape(...), shape),
# which used to be rejected as "shape must be known at import time".

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

ints = lambda name, v: numpy_helper.from_array(np.array(v, np.int64), name)
nodes = [
    helper.make_node("ConstantOfShape", ["rank"], ["ones"], name="cos",
                     value=helper.make_tensor("v", TensorProto.INT64, [1], [1])),
    helper.make_node("Mul", ["ones", "minus_one"], ["minus_ones"], name="mul"),
    helper.make_node("Equal", ["shape", "minus_ones"], ["is_free"], name="eq"),
    helper.make_node("Where", ["is_free", "ones", "shape"], ["target"],
                     name="where"),
    helper.make_node("Expand", ["token", "target"], ["expanded"], name="expand"),
    helper.make_node("Add", ["expanded", "x"], ["y"], name="add"),
]
graph = helper.make_graph(
    nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 1, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
    initializer=[ints("rank", [3]), ints("minus_one", -1),
                 ints("shape", [2, -1, -1]),
                 numpy_helper.from_array(np.full((1, 1, 3), 5, np.float32), "token")])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1], "wb").write(model.SerializeToString())

# CHECK: y: 2x1x3xf32
# IR-NOT: graph.compare
# IR-NOT: graph.select
# IR: graph.constant dense<[2, 1, 1]> : tensor<3xi64>
# IR: graph.constant dense<5.000000e+00> : tensor<2x1x3xf32>
