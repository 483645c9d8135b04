# RUN: %python %s %t && strata-translate --import-onnx %t.11.onnx | FileCheck %s --check-prefix=OPSET11
# RUN: strata-translate --import-onnx %t.13.onnx | FileCheck %s --check-prefix=OPSET13
#
# The same graph in opset 11 (Squeeze axes as an attribute, Softmax over the
# flattened trailing dimensions) and opset 13 (axes as an input, Softmax over
# one axis).

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def build(opset):
    if opset < 13:
        squeeze = helper.make_node("Squeeze", ["x"], ["s"], axes=[0])
        inits = []
    else:
        squeeze = helper.make_node("Squeeze", ["x", "axes"], ["s"])
        inits = [numpy_helper.from_array(np.array([0], dtype=np.int64), "axes")]
    softmax = helper.make_node("Softmax", ["s"], ["y"], axis=1)
    graph = helper.make_graph(
        [squeeze, softmax], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 3, 4])],
        initializer=inits)
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


for opset in (11, 13):
    open("%s.%d.onnx" % (sys.argv[1], opset), "wb").write(
        build(opset).SerializeToString())

# The importer folds as it builds: the reshape of the squeeze reads x itself.
# OPSET11: %[[R:.*]] = graph.reshape %arg0 [2, 12] : tensor<1x2x3x4xf32>
# OPSET11: %[[SM:.*]] = graph.softmax %[[R]] {axis = 1 : i64} : tensor<2x12xf32>
# OPSET11: graph.reshape %[[SM]] [2, 3, 4] : tensor<2x12xf32>

# OPSET13: %[[S:.*]] = graph.squeeze %{{.*}} [0] : tensor<1x2x3x4xf32>
# OPSET13: graph.softmax %[[S]] {axis = 1 : i64} : tensor<2x3x4xf32>
# OPSET13-NOT: graph.reshape
