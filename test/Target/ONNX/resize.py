# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.nearest.onnx | FileCheck %s --check-prefix=NEAREST
# RUN: strata-translate --import-onnx %t.linear.onnx | FileCheck %s --check-prefix=LINEAR
# RUN: %expect_exit 1 strata-translate --import-onnx %t.mode.onnx 2>&1 | FileCheck %s --check-prefix=MODE
# RUN: %expect_exit 1 strata-translate --import-onnx %t.scales.onnx 2>&1 | FileCheck %s --check-prefix=SCALES
# RUN: %expect_exit 1 strata-translate --import-onnx %t.huge.onnx 2>&1 | FileCheck %s --check-prefix=HUGE
#
# Resize interpolates one axis at a time, last first: per resized axis, a
# gather of each tap along the axis times a constant weight column (one
# gather for nearest). Axes whose size does not change are left alone.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

f = TensorProto.FLOAT


def save(name, attrs, scales=None, sizes=None, extra_inputs=()):
    inputs = ["x", "", "scales" if scales is not None or extra_inputs
              else ""]
    inits = []
    if scales is not None:
        inits.append(numpy_helper.from_array(np.array(scales, np.float32),
                                             "scales"))
    if sizes is not None:
        inputs.append("sizes")
        inits.append(numpy_helper.from_array(np.array(sizes, np.int64),
                                             "sizes"))
    graph = helper.make_graph(
        [helper.make_node("Resize", inputs, ["y"], name="up", **attrs)], "g",
        [helper.make_tensor_value_info("x", f, [1, 2, 4, 6])] +
        list(extra_inputs),
        [helper.make_tensor_value_info("y", f, None)], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


save("nearest", {"mode": "nearest"}, scales=[1, 1, 2, 2])
# NEAREST: graph.constant dense<[0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]>
# NEAREST: %[[W:.*]] = graph.gather %arg0, %{{.*}} {axis = 3 : i64} : tensor<1x2x4x6xf32>, tensor<12xi64>
# NEAREST: %[[H:.*]] = graph.gather %[[W]], %{{.*}} {axis = 2 : i64} : tensor<1x2x4x12xf32>, tensor<8xi64>
# NEAREST-NOT: graph.gather
# NEAREST: return %[[H]] : tensor<1x2x8x12xf32>

save("linear", {"mode": "linear"}, sizes=[1, 2, 4, 3])
# Only the last axis changes: two taps, each gathered and weighted.
# LINEAR: graph.constant dense<[0, 2, 4]>
# LINEAR: graph.gather %arg0, %{{.*}} {axis = 3 : i64} : tensor<1x2x4x6xf32>, tensor<3xi64>
# LINEAR: graph.mul {{.*}} : tensor<1x2x4x3xf32>, tensor<3xf32>
# LINEAR: graph.constant dense<[1, 3, 5]>
# LINEAR: graph.gather %arg0, %{{.*}} {axis = 3 : i64} : tensor<1x2x4x6xf32>, tensor<3xi64>
# LINEAR: graph.mul {{.*}} : tensor<1x2x4x3xf32>, tensor<3xf32>
# LINEAR: graph.add
# LINEAR: return {{.*}} : tensor<1x2x4x3xf32>

save("mode", {"mode": "area"}, scales=[1, 1, 2, 2])
# MODE: ONNX node 'up' (Resize): mode must be nearest, linear or cubic, not 'area'

graph_scales = helper.make_tensor_value_info("scales", f, [4])
save("scales", {"mode": "nearest"}, extra_inputs=[graph_scales])
# SCALES: ONNX node 'up' (Resize): scales (input #2) must be known at import time, since Strata compiles for static shapes

save("huge", {"mode": "nearest"}, scales=[1, 1, 1, 1e7])
# A hostile scale is an error, not tables of gigabytes.
# HUGE: ONNX node 'up' (Resize): the output's dimension 3 would be 60000000, outside [1, 16777216]
