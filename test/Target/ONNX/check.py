# RUN: %python %s %t
# RUN: %expect_exit 2 strata-run --check %t.blocked.onnx | FileCheck %s --check-prefix=BLOCKED
# RUN: %expect_exit 2 strata-run --check %t.blocked.onnx --dim batch=2 2>&1 | FileCheck %s --check-prefix=SIZED
# RUN: strata-run --check %t.fine.onnx --dim batch=2 | FileCheck %s --check-prefix=FINE
# RUN: strata-run --check %t.fine.onnx --input-shape x=4x3 | FileCheck %s --check-prefix=FINE4
# RUN: %expect_exit 2 strata-run --check %t.blocked.onnx --dim batch=4 | FileCheck %s --check-prefix=BAD-SIZE
#
# strata-run --check lists every problem of a model at once without
# compiling: unsupported operators, unsized dynamic dimensions, shapes not
# known at import, invalid nodes. The nodes after a problem (that depend on
# it) are not reported again.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save_model

f = TensorProto.FLOAT
six = numpy_helper.from_array(np.array([6], np.int64), "six")


def save(name, nodes, inputs, outputs):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializer=[six])
    save_model(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)]),
        sys.argv[1] + "." + name + ".onnx")


save("blocked",
     [helper.make_node("Relu", ["x"], ["a"], name="relu"),
      helper.make_node("Unique", ["a"], ["u"], name="uniq"),
      helper.make_node("Relu", ["u"], ["v"], name="after_uniq"),
      helper.make_node("Reshape", ["z", "s"], ["d"], name="by_input"),
      helper.make_node("Reshape", ["a", "six"], ["e"], name="reshape_a")],
     [helper.make_tensor_value_info("x", f, ["batch", 3]),
      helper.make_tensor_value_info("z", f, [2, 3]),
      helper.make_tensor_value_info("s", TensorProto.INT64, [1])],
     [helper.make_tensor_value_info(n, f, None) for n in "vde"])
save("fine",
     [helper.make_node("Relu", ["x"], ["y"], name="relu")],
     [helper.make_tensor_value_info("x", f, ["batch", 3])],
     [helper.make_tensor_value_info("y", f, ["batch", 3])])

# BLOCKED: error: the model uses 1 unsupported ONNX operator:
# BLOCKED-NEXT: Unique (1 node: uniq)
# BLOCKED: error: graph input 'x' has a dynamic dimension 'batch' (dimension 0); {{.*}} --dim batch=N {{.*}} (the nodes that depend on it are checked once it is sized)
# BLOCKED: error: ONNX node 'by_input' (Reshape): shape (input #1) must be known at import time
# BLOCKED-NOT: after_uniq
# BLOCKED-NOT: reshape_a
# BLOCKED-NOT: error
# BLOCKED: check.py.tmp.blocked.onnx: 3 problems to solve before it compiles

# SIZED: error: the model uses 1 unsupported ONNX operator:
# SIZED: error: ONNX node 'by_input' (Reshape): shape (input #1) must be known
# SIZED-NOT: reshape_a
# SIZED: 2 problems to solve before it compiles

# FINE: check.py.tmp.fine.onnx: will compile
# FINE-NEXT: input x: 2x3xf32
# FINE-NEXT: output y: 2x3xf32
# FINE4: input x: 4x3xf32
# BAD-SIZE: error: ONNX node 'reshape_a' (Reshape): 'graph.reshape' op cannot reshape 4x3 (12 elements) to 6 (6 elements)
# BAD-SIZE: 3 problems to solve before it compiles
