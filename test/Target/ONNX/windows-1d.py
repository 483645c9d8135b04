# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.conv.onnx | FileCheck %s --check-prefix=CONV
# RUN: strata-translate --import-onnx %t.pool.onnx | FileCheck %s --check-prefix=POOL
# RUN: %expect_exit 1 strata-translate --import-onnx %t.pads.onnx 2>&1 | FileCheck %s --check-prefix=PADS
# RUN: %expect_exit 1 strata-translate --import-onnx %t.conv3d.onnx 2>&1 | FileCheck %s --check-prefix=RANK
#
# 1-D convolutions and pooling ([N, C, L]) run as 2-D ones over
# [N, C, 1, L]: a unit first spatial dimension, the attributes lifted to
# two dimensions, and the result squeezed back.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

f = TensorProto.FLOAT


def save(name, node, x_shape, inits=()):
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", f, x_shape)],
        [helper.make_tensor_value_info("y", f, None)], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


w = numpy_helper.from_array(np.ones((8, 2, 3), np.float32), "w")
save("conv", helper.make_node("Conv", ["x", "w"], ["y"], name="conv",
                              strides=[2], pads=[1, 0], dilations=[2],
                              group=2), [1, 4, 16], [w])
# CONV: %[[X:.*]] = graph.expand_dims %arg0 [2] : tensor<1x4x16xf32>
# CONV: %[[Y:.*]] = graph.conv2d %[[X]], %{{.*}} {dilations = array<i64: 1, 2>, groups = 2 : i64, pads = array<i64: 0, 1, 0, 0>, strides = array<i64: 1, 2>} : tensor<1x4x1x16xf32>, tensor<8x2x1x3xf32>
# CONV: graph.squeeze %[[Y]] [2] : tensor<1x8x1x7xf32>
# CONV: return {{.*}} : tensor<1x8x7xf32>

save("pool", helper.make_node("MaxPool", ["x"], ["y"], name="pool",
                              kernel_shape=[3], strides=[2],
                              auto_pad="SAME_UPPER"), [2, 3, 9])
# POOL: graph.max_pool2d {{.*}}kernel = array<i64: 1, 3>, pads = array<i64: 0, 1, 0, 1>, strides = array<i64: 1, 2>{{.*}} : tensor<2x3x1x9xf32>
# POOL: return {{.*}} : tensor<2x3x5xf32>

save("pads", helper.make_node("AveragePool", ["x"], ["y"], name="pool",
                              kernel_shape=[3], pads=[1, 1, 1, 1]),
     [2, 3, 9])
# PADS: ONNX node 'pool' (AveragePool): expects 2 pads for a 1-D window, got 4

w4 = numpy_helper.from_array(np.ones((2, 4, 1, 1, 1, 1), np.float32), "w")
save("conv3d", helper.make_node("Conv", ["x", "w"], ["y"], name="conv"),
     [1, 4, 2, 2, 2, 2], [w4])
# RANK: ONNX node 'conv' (Conv): only 1-D, 2-D and 3-D convolutions (inputs of rank 3 to 5) are supported, got rank 6
