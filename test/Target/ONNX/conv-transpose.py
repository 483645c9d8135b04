# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.strided.onnx | FileCheck %s
# RUN: %expect_exit 1 strata-translate --import-onnx %t.shape.onnx 2>&1 | FileCheck %s --check-prefix=SHAPE
# RUN: %expect_exit 1 strata-translate --import-onnx %t.channels.onnx 2>&1 | FileCheck %s --check-prefix=CHANNELS
#
# ConvTranspose is a stride-1 convolution of the input with stride - 1
# zeros between its elements (a pad of [.., H, 1, W, 1] reshaped), padded
# by dilation * (kernel - 1) - pads, by the flipped and transposed weight
# (computed at import when constant).

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

f = TensorProto.FLOAT


def save(name, node, x_shape, w_shape):
    w = numpy_helper.from_array(
        np.arange(np.prod(w_shape), dtype=np.float32).reshape(w_shape), "w")
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", f, x_shape)],
        [helper.make_tensor_value_info("y", f, None)], [w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


save("strided", helper.make_node("ConvTranspose", ["x", "w"], ["y"],
                                 name="up", strides=[2, 2], pads=[1, 1, 1, 1],
                                 output_padding=[1, 1]),
     [1, 2, 3, 3], [2, 4, 3, 3])
# CHECK: graph.reshape %arg0 [1, 2, 3, 1, 3, 1]
# CHECK: graph.pad {{.*}}pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1>{{.*}} : tensor<1x2x3x1x3x1xf32>
# CHECK: graph.reshape {{.*}} [1, 2, 6, 6]
# CHECK: graph.slice {{.*}}ends = array<i64: 1, 2, 5, 5>
# CHECK: graph.conv2d {{.*}}pads = array<i64: 1, 1, 2, 2>} : tensor<1x2x5x5xf32>, tensor<4x2x3x3xf32>
# CHECK: return {{.*}} : tensor<1x4x6x6xf32>

save("shape", helper.make_node("ConvTranspose", ["x", "w"], ["y"],
                               name="up", strides=[2, 2],
                               output_shape=[20, 20]),
     [1, 2, 3, 3], [2, 4, 3, 3])
# SHAPE: ONNX node 'up' (ConvTranspose): output_shape 20 exceeds 8, the largest output of this input, kernel and stride

save("channels", helper.make_node("ConvTranspose", ["x", "w"], ["y"],
                                  name="up", group=2),
     [1, 4, 3, 3], [2, 4, 3, 3])
# CHANNELS: ONNX node 'up' (ConvTranspose): weight has 2 input channels and group 2 for an input of 4 channels: the weight is [C, M / group, kernel...]
