# RUN: %python %s %t
# RUN: strata-run %t.largest.onnx --input %t.x.npy --print | FileCheck %s --check-prefix=LARGEST
# RUN: strata-run %t.smallest.onnx --input %t.i.npy --print | FileCheck %s --check-prefix=SMALLEST
# RUN: %expect_exit 1 strata-translate --import-onnx %t.big.onnx 2>&1 | FileCheck %s --check-prefix=BIG
#
# TopK selects k times along the axis: the arg max (min), its value, then
# the position masked out. Ties go to the lower index first; results are
# sorted.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def save(name, elem, shape, k, **attrs):
    graph = helper.make_graph(
        [helper.make_node("TopK", ["x", "k"], ["values", "indices"],
                          name="top", **attrs)], "g",
        [helper.make_tensor_value_info("x", elem, shape)],
        [helper.make_tensor_value_info("values", elem, None),
         helper.make_tensor_value_info("indices", TensorProto.INT64, None)],
        [numpy_helper.from_array(np.array([k], np.int64), "k")])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


save("largest", TensorProto.FLOAT, [2, 5], 3)
np.save(sys.argv[1] + ".x.npy",
        np.array([[1, 5, 3, 5, 2], [0, -1, 7, 7, 7]], np.float32))
# LARGEST: values: 2x3xf32 =
# LARGEST-NEXT: {{\[\[}}5, 5, 3],
# LARGEST-NEXT: {{^}} [7, 7, 7]]
# LARGEST: indices: 2x3xi64 =
# LARGEST-NEXT: {{\[\[}}1, 3, 2],
# LARGEST-NEXT: {{^}} [2, 3, 4]]

save("smallest", TensorProto.INT32, [4, 2], 2, axis=0, largest=0)
np.save(sys.argv[1] + ".i.npy",
        np.array([[4, -3], [2, 8], [2, -3], [9, 0]], np.int32))
# SMALLEST: values: 2x2xi32 =
# SMALLEST-NEXT: {{\[\[}}2, -3],
# SMALLEST-NEXT: {{^}} [2, -3]]
# SMALLEST: indices: 2x2xi64 =
# SMALLEST-NEXT: {{\[\[}}1, 0],
# SMALLEST-NEXT: {{^}} [2, 2]]

save("big", TensorProto.FLOAT, [1, 1000], 300)
# BIG: ONNX node 'top' (TopK): k = 300 is more than the 256 elements TopK selects (one round each): sorting a whole axis is not supported yet
