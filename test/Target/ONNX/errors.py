# RUN: %python %s %t
# RUN: %expect_exit 1 strata-translate --import-onnx %t.dynamic.onnx | FileCheck %s --check-prefix=DYNAMIC
# RUN: %expect_exit 1 strata-translate --import-onnx %t.shape.onnx | FileCheck %s --check-prefix=SHAPE
# RUN: %expect_exit 1 strata-translate --import-onnx %t.runtime.onnx | FileCheck %s --check-prefix=RUNTIME
# RUN: %expect_exit 1 strata-translate --import-onnx %s | FileCheck %s --check-prefix=GARBAGE
#
# Bad models get one clear error naming the node, never a crash.

import sys

from onnx import TensorProto, helper


def save(name, nodes, inputs, outputs):
    graph = helper.make_graph(nodes, "g", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


f = TensorProto.FLOAT
save("dynamic", [helper.make_node("Relu", ["x"], ["y"])],
     [helper.make_tensor_value_info("x", f, ["batch", 3])],
     [helper.make_tensor_value_info("y", f, ["batch", 3])])
save("shape", [helper.make_node("MatMul", ["a", "b"], ["y"], name="mm")],
     [helper.make_tensor_value_info("a", f, [2, 3]),
      helper.make_tensor_value_info("b", f, [4, 5])],
     [helper.make_tensor_value_info("y", f, [2, 5])])
save("runtime", [helper.make_node("Reshape", ["x", "s"], ["y"], name="r")],
     [helper.make_tensor_value_info("x", f, [2, 3]),
      helper.make_tensor_value_info("s", TensorProto.INT64, [2])],
     [helper.make_tensor_value_info("y", f, [3, 2])])

# DYNAMIC: error: graph input 'x' has a dynamic dimension 'batch' (dimension 0); Strata compiles static shapes: give it a size with --dim batch=N
# SHAPE: error: ONNX node '{{.*}}' (MatMul): 'graph.matmul' op contracting dimensions differ: 3 vs 4
# RUNTIME: error: ONNX node 'r' (Reshape): shape (input #1) must be known at import time
# GARBAGE: error: not a valid ONNX model
