# RUN: %python %s %t.onnx && %expect_exit 1 strata-translate --import-onnx %t.onnx | FileCheck %s
# RUN: %expect_exit 2 strata-run %t.onnx --random-inputs | FileCheck %s
#
# Every unsupported operator is reported at once, with its count and nodes.

import sys

from onnx import TensorProto, helper

nodes = [
    helper.make_node("Relu", ["x"], ["a"], name="relu"),
    helper.make_node("NonZero", ["a"], ["b"], name="nonzero0"),
    helper.make_node("Unique", ["b"], ["c"], name="unique0"),
    helper.make_node("NonZero", ["c"], ["y"], name="nonzero1"),
]
graph = helper.make_graph(
    nodes, "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 2, 3])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 2, 3])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1], "wb").write(model.SerializeToString())

# CHECK: error: the model uses 2 unsupported ONNX operators:
# CHECK-NEXT: NonZero (2 nodes: nonzero0, nonzero1)
# CHECK-NEXT: Unique (1 node: unique0)
