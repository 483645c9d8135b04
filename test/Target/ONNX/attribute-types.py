# RUN: %python %s %t
# RUN: %expect_exit 2 strata-run %t.gemm.onnx --random-inputs | FileCheck %s --check-prefix=GEMM
# RUN: %expect_exit 2 strata-run %t.leaky.onnx --random-inputs | FileCheck %s --check-prefix=LEAKY
# RUN: %expect_exit 2 strata-run %t.softmax.onnx --random-inputs | FileCheck %s --check-prefix=SOFTMAX
# RUN: strata-run %t.good.onnx --random-inputs --print | FileCheck %s --check-prefix=GOOD
#
# An attribute of the wrong ONNX type is an error naming the node and the
# attribute; it used to be read as 0 (Gemm with alpha given as an INT gave
# all zeros, Softmax with axis 1.5 ran on axis 0).

import sys

from onnx import AttributeProto, TensorProto, helper


def save(name, node, x_shape, y_shape):
    graph = helper.make_graph(
        [node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, x_shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, y_shape)],
        [helper.make_tensor("w", TensorProto.FLOAT, [3, 3], [1.0] * 9)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


def attr(name, kind, value):
    a = AttributeProto(name=name, type=kind)
    if kind == AttributeProto.INT:
        a.i = value
    else:
        a.f = value
    return a


gemm = helper.make_node("Gemm", ["x", "w"], ["y"], name="fc")
gemm.attribute.append(attr("alpha", AttributeProto.INT, 1))
save("gemm", gemm, [2, 3], [2, 3])
leaky = helper.make_node("LeakyRelu", ["x"], ["y"], name="act")
leaky.attribute.append(attr("alpha", AttributeProto.INT, 1))
save("leaky", leaky, [2, 3], [2, 3])
softmax = helper.make_node("Softmax", ["x"], ["y"], name="sm")
softmax.attribute.append(attr("axis", AttributeProto.FLOAT, 1.5))
save("softmax", softmax, [2, 3], [2, 3])
good = helper.make_node("Gemm", ["x", "w"], ["y"], name="fc", alpha=2.0)
save("good", good, [2, 3], [2, 3])

# GEMM: error: ONNX node 'fc' (Gemm): attribute 'alpha' is INT, expected FLOAT
# LEAKY: error: ONNX node 'act' (LeakyRelu): attribute 'alpha' is INT, expected FLOAT
# SOFTMAX: error: ONNX node 'sm' (Softmax): attribute 'axis' is FLOAT, expected INT
# GOOD: y: 2x3xf32 =
