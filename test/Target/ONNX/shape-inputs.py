# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.x.npy --input %t.shape.npy --print | FileCheck %s
# RUN: strata-run %t.onnx --input %t.x.npy --input %t.shape.npy --dump-ir=graph | FileCheck %s --check-prefix=MARKED
# RUN: %expect_exit 2 strata-run %t.onnx --random-inputs 2>&1 | FileCheck %s --check-prefix=UNKNOWN
# RUN: %expect_exit 2 strata-run %t.onnx --input %t.x.npy --input %t.badshape.npy 2>&1 | FileCheck %s --check-prefix=BAD
#
# A graph input that is a shape operand (Reshape's shape) is read from the
# array strata-run is given for it: the model is compiled for that value,
# and the argument is marked `strata.specialized` (Python recompiles for
# other values).

import sys

import numpy as np
from onnx import TensorProto, helper

graph = helper.make_graph(
    [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")], "g",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
     helper.make_tensor_value_info("shape", TensorProto.INT64, [2])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".x.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
np.save(sys.argv[1] + ".shape.npy", np.array([3, -1], np.int64))
np.save(sys.argv[1] + ".badshape.npy", np.array([4, -1], np.int64))

# MARKED: func.func @g(%arg0: tensor<2x3xf32> {strata.name = "x"}, %arg1: tensor<2xi64> {strata.name = "shape", strata.specialized})
# CHECK: y: 3x2xf32 =
# CHECK-NEXT: {{\[\[}}0, 1],
# CHECK-NEXT: {{^}} [2, 3],
# CHECK-NEXT: {{^}} [4, 5]]
# UNKNOWN: ONNX node 'reshape' (Reshape): shape (input #1) must be known at import time, since Strata compiles for static shapes: an initializer, a constant, or a graph input whose array is given (strata-run --input), which the model is then compiled for
# BAD: ONNX node 'reshape' (Reshape): cannot infer the -1 dimension of the shape
