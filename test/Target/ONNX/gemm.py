# RUN: %python %s %t.onnx && strata-translate --import-onnx %t.onnx | FileCheck %s
#
# Gemm with a constant, transposed B: the importer transposes the weight at
# import time (no run-time transpose), keeps large weights as resource blobs
# and small ones inline, and names arguments and results.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

w = numpy_helper.from_array(np.arange(80, dtype=np.float32).reshape(10, 8), "W")
b = numpy_helper.from_array(np.ones(10, dtype=np.float32), "B")
node = helper.make_node("Gemm", ["x", "W", "B"], ["y"], name="fc", transB=1,
                        alpha=2.0)
graph = helper.make_graph(
    [node], "mlp",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 8])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 10])],
    initializer=[w, b])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1], "wb").write(model.SerializeToString())

# CHECK-LABEL: func.func @mlp(
# CHECK-SAME: %[[X:.*]]: tensor<4x8xf32> {strata.name = "x"}) -> (tensor<4x10xf32> {strata.name = "y"})
# CHECK: %[[W:.*]] = graph.constant dense_resource<{{.*}}W.T{{.*}}> : tensor<8x10xf32>
# CHECK-NOT: graph.transpose
# CHECK: %[[MM:.*]] = graph.matmul %[[X]], %[[W]] : tensor<4x8xf32>, tensor<8x10xf32>
# CHECK: %[[ALPHA:.*]] = graph.constant dense<2.000000e+00> : tensor<f32>
# CHECK: %[[SCALED:.*]] = graph.mul %[[MM]], %[[ALPHA]]
# CHECK: %[[B:.*]] = graph.constant dense<1.000000e+00> : tensor<10xf32>
# CHECK: graph.add %[[SCALED]], %[[B]]
# CHECK: dialect_resources
