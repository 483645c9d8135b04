# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.x.npy --input %t.d.npy --dump-ir=graph | FileCheck %s --check-prefix=GRAPH
# RUN: strata-run %t.onnx --input %t.x.npy --input %t.d.npy --print | FileCheck %s
# RUN: %expect_exit 1 strata-translate --import-onnx %t.zero_scale.onnx 2>&1 | FileCheck %s --check-prefix=ZERO
# RUN: %expect_exit 1 strata-translate --import-onnx %t.bad_axis.onnx 2>&1 | FileCheck %s --check-prefix=AXIS
# RUN: %expect_exit 1 strata-translate --import-onnx %t.i32_zero_point.onnx 2>&1 | FileCheck %s --check-prefix=I32
#
# QuantizeLinear rounds half to even and saturates (per tensor, and per
# channel along an axis), DequantizeLinear maps back; QLinearMatMul
# multiplies in i32 and requantizes by a_scale * b_scale / y_scale;
# DynamicQuantizeLinear finds the scale and zero point of its input. Bad
# parameters are errors naming the node: a scale that is not positive, an
# axis out of range, an int32 input's zero point that is not 0.

import sys

import numpy as np
from onnx import TensorProto, helper

F, U8, I8 = TensorProto.FLOAT, TensorProto.UINT8, TensorProto.INT8


def const(name, dtype, dims, values):
    return helper.make_tensor(name, dtype, dims, values)


nodes = [
    helper.make_node("QuantizeLinear", ["x", "s", "zp"], ["q"]),
    helper.make_node("DequantizeLinear", ["q", "s", "zp"], ["back"]),
    helper.make_node("QuantizeLinear", ["m", "cs", "czp"], ["channels"], axis=1),
    helper.make_node("QLinearMatMul", ["a", "as", "azp", "b", "bs", "bzp",
                                       "ys", "yzp"], ["product"]),
    helper.make_node("DynamicQuantizeLinear", ["d"], ["dq", "dscale", "dzp"]),
]
inits = [
    const("s", F, [], [0.5]), const("zp", U8, [], [128]),
    const("m", F, [2, 2], [1.0, 2.0, 3.0, 4.0]),
    const("cs", F, [2], [0.5, 2.0]), const("czp", I8, [2], [0, -1]),
    const("a", U8, [1, 2], [2, 4]), const("as", F, [], [0.1]),
    const("azp", U8, [], [2]), const("b", U8, [2, 1], [3, 5]),
    const("bs", F, [], [0.2]), const("bzp", U8, [], [1]),
    const("ys", F, [], [0.05]), const("yzp", U8, [], [10]),
]
graph = helper.make_graph(
    nodes, "g",
    [helper.make_tensor_value_info("x", F, [6]),
     helper.make_tensor_value_info("d", F, [4])],
    [helper.make_tensor_value_info("q", U8, [6]),
     helper.make_tensor_value_info("back", F, [6]),
     helper.make_tensor_value_info("channels", I8, [2, 2]),
     helper.make_tensor_value_info("product", U8, [1, 1]),
     helper.make_tensor_value_info("dq", U8, [4]),
     helper.make_tensor_value_info("dzp", U8, [])],
    inits)
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())


def bad(name, node, inits, in_type=F):
    g = helper.make_graph([node], "g",
                          [helper.make_tensor_value_info("v", in_type, [2, 3])],
                          [helper.make_tensor_value_info("out", U8, None)], inits)
    m = helper.make_model(g, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(m.SerializeToString())


bad("zero_scale", helper.make_node("QuantizeLinear", ["v", "s0"], ["out"], name="q0"),
    [const("s0", F, [], [0.0])])
bad("bad_axis", helper.make_node("QuantizeLinear", ["v", "s3", "z3"], ["out"],
                                 name="q1", axis=2),
    [const("s3", F, [3], [1, 1, 1]), const("z3", U8, [3], [0, 0, 0])])
bad("i32_zero_point", helper.make_node("DequantizeLinear", ["v", "s", "z32"], ["out"],
                                       name="dq"),
    [const("s", F, [], [0.5]), const("z32", TensorProto.INT32, [], [3])],
    in_type=TensorProto.INT32)
np.save(sys.argv[1] + ".x.npy",
        np.array([-1.0, 0.25, 0.75, 1.25, 100.0, -100.0], np.float32))
np.save(sys.argv[1] + ".d.npy", np.array([0.0, 2.0, -1.0, 0.6], np.float32))

# GRAPH: graph.quantize %{{.*}} : tensor<6xf32>, tensor<f32>, tensor<ui8>
# GRAPH: graph.dequantize %{{.*}} : tensor<6xui8>, tensor<f32>, tensor<ui8>
# x / 0.5 = -2, 0.5, 1.5, 2.5, 200, -200: rounded half to even, + 128,
# saturated.
# CHECK: q: 6xu8 =
# CHECK-NEXT: [126, 128, 130, 130, 255, 0]
# CHECK: back: 6xf32 =
# CHECK-NEXT: [-1, 0, 1, 1, 63.5, -64]
# CHECK: channels: 2x2xi8 =
# CHECK-NEXT: {{\[\[}}2, 0],
# CHECK-NEXT: {{^}} [6, 1]]
# (2 - 2) * (3 - 1) + (4 - 2) * (5 - 1) = 8; 8 * 0.1 * 0.2 / 0.05 = 3.2.
# CHECK: product: 1x1xu8 =
# CHECK-NEXT: {{\[\[}}13]]
# Range [-1, 2]: scale 3/255, zero point 85.
# CHECK: dq: 4xu8 =
# CHECK-NEXT: [85, 255, 0, 136]
# ZERO: ONNX node 'q0' (QuantizeLinear): scale (input #1) must be positive and finite, got 0.000000
# AXIS: ONNX node 'q1' (QuantizeLinear): 'graph.quantize' op axis 2 is out of range for rank 2
# I32: ONNX node 'dq' (DequantizeLinear): an int32 input's zero point must be 0
# CHECK: dzp: u8 =
# CHECK-NEXT: 85
