# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.idx.npy --input %t.lens.npy --print | FileCheck %s
#
# GatherND (batch_dims 0 and 1, negative indices counted from the end) and
# ReverseSequence (each batch's first len[b] steps reversed) on run-time
# indices and lengths.

import sys

import numpy as np
from onnx import TensorProto, helper

data = np.arange(24, dtype=np.float32).reshape(2, 3, 4)
graph = helper.make_graph(
    [helper.make_node("GatherND", ["data", "idx"], ["picked"]),
     helper.make_node("GatherND", ["data", "bidx"], ["batched"], batch_dims=1),
     helper.make_node("ReverseSequence", ["seq", "lens"], ["reversed"],
                      time_axis=0, batch_axis=1)],
    "g",
    [helper.make_tensor_value_info("idx", TensorProto.INT64, [2, 2]),
     helper.make_tensor_value_info("lens", TensorProto.INT64, [3])],
    [helper.make_tensor_value_info("picked", TensorProto.FLOAT, [2, 4]),
     helper.make_tensor_value_info("batched", TensorProto.FLOAT, [2, 4]),
     helper.make_tensor_value_info("reversed", TensorProto.FLOAT, [4, 3])],
    [helper.make_tensor("data", TensorProto.FLOAT, [2, 3, 4], data.ravel()),
     helper.make_tensor("bidx", TensorProto.INT64, [2, 1], [2, -3]),
     helper.make_tensor("seq", TensorProto.FLOAT, [4, 3],
                        np.arange(12, dtype=np.float32))])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".idx.npy", np.array([[1, 2], [0, -1]], np.int64))
np.save(sys.argv[1] + ".lens.npy", np.array([4, 2, 1], np.int64))

# data[1, 2] and data[0, -1] = data[0, 2].
# CHECK: picked: 2x4xf32 =
# CHECK-NEXT: {{\[\[}}20, 21, 22, 23],
# CHECK-NEXT: {{^}} [8, 9, 10, 11]]
# data[0, 2] and data[1, -3] = data[1, 0].
# CHECK: batched: 2x4xf32 =
# CHECK-NEXT: {{\[\[}}8, 9, 10, 11],
# CHECK-NEXT: {{^}} [12, 13, 14, 15]]
# Column b holds 3t + b; its first lens[b] = 4, 2, 1 steps are reversed.
# CHECK: reversed: 4x3xf32 =
# CHECK-NEXT: {{\[\[}}9, 4, 2],
# CHECK-NEXT: {{^}} [6, 1, 5],
# CHECK-NEXT: {{^}} [3, 7, 8],
# CHECK-NEXT: {{^}} [0, 10, 11]]
