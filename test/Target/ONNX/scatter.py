# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.data.npy --input %t.idx.npy --print | FileCheck %s
#
# Scatters into run-time data: ScatterElements with duplicate indices
# (reduction add sums them; none: the last wins), ScatterND of whole rows,
# and MaxUnpool (flat indices over the unpooled shape, padded to the given
# output shape).

import sys

import numpy as np
from onnx import TensorProto, helper

F, I64 = TensorProto.FLOAT, TensorProto.INT64
graph = helper.make_graph(
    [helper.make_node("ScatterElements", ["data", "idx", "upd"], ["added"],
                      axis=1, reduction="add"),
     helper.make_node("ScatterElements", ["data", "idx", "upd"], ["last"],
                      axis=1),
     helper.make_node("ScatterND", ["data", "rows", "rowvals"], ["nd"]),
     helper.make_node("MaxUnpool", ["pooled", "where", "shape"], ["unpooled"],
                      kernel_shape=[2, 2], strides=[2, 2])],
    "g",
    [helper.make_tensor_value_info("data", F, [2, 3]),
     helper.make_tensor_value_info("idx", I64, [2, 2])],
    [helper.make_tensor_value_info("added", F, [2, 3]),
     helper.make_tensor_value_info("last", F, [2, 3]),
     helper.make_tensor_value_info("nd", F, [2, 3]),
     helper.make_tensor_value_info("unpooled", F, [1, 1, 3, 3])],
    [helper.make_tensor("upd", F, [2, 2], [10, 20, 30, 40]),
     helper.make_tensor("rows", I64, [1, 1], [-1]),
     helper.make_tensor("rowvals", F, [1, 3], [7, 8, 9]),
     helper.make_tensor("pooled", F, [1, 1, 1, 1], [5]),
     helper.make_tensor("where", I64, [1, 1, 1, 1], [3]),
     helper.make_tensor("shape", I64, [4], [1, 1, 3, 3])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 16)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".data.npy", np.arange(6, dtype=np.float32).reshape(2, 3))
np.save(sys.argv[1] + ".idx.npy", np.array([[2, 2], [0, -1]], np.int64))

# Row 0: both updates hit column 2 (2 + 10 + 20); row 1: columns 0 and 2.
# CHECK: added: 2x3xf32 =
# CHECK-NEXT: {{\[\[}}0, 1, 32],
# CHECK-NEXT: {{^}} [33, 4, 45]]
# CHECK: last: 2x3xf32 =
# CHECK-NEXT: {{\[\[}}0, 1, 20],
# CHECK-NEXT: {{^}} [30, 4, 40]]
# CHECK: nd: 2x3xf32 =
# CHECK-NEXT: {{\[\[}}0, 1, 2],
# CHECK-NEXT: {{^}} [7, 8, 9]]
# Index 3 of the 2x2 unpooled shape is (1, 1); padded to 3x3.
# CHECK: unpooled: 1x1x3x3xf32 =
# CHECK-NEXT: {{\[\[\[\[}}0, 0, 0],
# CHECK-NEXT: {{^}}   [0, 5, 0],
# CHECK-NEXT: {{^}}   [0, 0, 0]]]]
