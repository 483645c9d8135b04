# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.conv.onnx | FileCheck %s --check-prefix=CONV
# RUN: strata-translate --import-onnx %t.pool.onnx | FileCheck %s --check-prefix=POOL
# RUN: %expect_exit 1 strata-translate --import-onnx %t.ceil.onnx 2>&1 | FileCheck %s --check-prefix=CEIL
#
# 3-D convolutions run one depth tap at a time as 2-D convolutions with the
# depth folded into the batch (the weight's planes sliced at import); 3-D
# pools as a 2-D pool, then the depth windows combined.

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


w = numpy_helper.from_array(
    np.arange(6 * 4 * 2 * 3 * 3, dtype=np.float32).reshape(6, 4, 2, 3, 3), "w")
save("conv", helper.make_node("Conv", ["x", "w"], ["y"], pads=[0, 1, 1] * 2),
     [1, 4, 5, 8, 8], [w])
# Two depth taps: each a strided depth slice folded into the batch and a
# 2-D convolution by one plane of the weight.
# CONV: graph.slice %arg0 {ends = array<i64: 1, 4, 4, 8, 8>, starts = array<i64: 0, 0, 0, 0, 0>
# CONV: graph.reshape {{.*}} [4, 4, 8, 8] : tensor<1x4x4x8x8xf32>
# CONV: graph.conv2d {{.*}} : tensor<4x4x8x8xf32>, tensor<6x4x3x3xf32>
# CONV: graph.slice %arg0 {ends = array<i64: 1, 4, 5, 8, 8>, starts = array<i64: 0, 0, 1, 0, 0>
# CONV: graph.conv2d {{.*}} : tensor<4x4x8x8xf32>, tensor<6x4x3x3xf32>
# CONV: graph.add
# CONV: graph.transpose {{.*}} [0, 2, 1, 3, 4] : tensor<1x4x6x8x8xf32>
# CONV: return {{.*}} : tensor<1x6x4x8x8xf32>

save("pool", helper.make_node("MaxPool", ["x"], ["y"], kernel_shape=[2, 2, 2],
                              strides=[2, 2, 2]), [1, 3, 4, 6, 6])
# POOL: graph.max_pool2d {{.*}} : tensor<1x12x6x6xf32>
# POOL: graph.max {{.*}} : tensor<1x3x2x3x3xf32>, tensor<1x3x2x3x3xf32>
# POOL: return {{.*}} : tensor<1x3x2x3x3xf32>

save("ceil", helper.make_node("AveragePool", ["x"], ["y"], name="pool",
                              kernel_shape=[2, 2, 2], ceil_mode=1),
     [1, 3, 5, 5, 5])
# CEIL: ONNX node 'pool' (AveragePool): ceil_mode is not supported for 3-D pooling
