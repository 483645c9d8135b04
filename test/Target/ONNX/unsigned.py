# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.a.npy --input %t.b.npy --dump-ir=graph | FileCheck %s --check-prefix=GRAPH
# RUN: strata-run %t.onnx --input %t.a.npy --input %t.b.npy --print | FileCheck %s
#
# ONNX's unsigned integers import as ui8...ui64 and compute as unsigned:
# division, max, the comparison and the cast to float treat 200 as 200 (not
# -56), BitShift shifts in zeros (a shift by the width or more gives 0),
# and a UINT32 initializer (stored in uint64_data) keeps its values.

import sys

import numpy as np
from onnx import TensorProto, helper

u8 = TensorProto.UINT8
nodes = [
    helper.make_node("Div", ["a", "b"], ["div"]),
    helper.make_node("Max", ["a", "b"], ["max"]),
    helper.make_node("Less", ["b", "a"], ["less"]),
    helper.make_node("Cast", ["a"], ["float"], to=TensorProto.FLOAT),
    helper.make_node("BitShift", ["a", "b"], ["right"], direction="RIGHT"),
    helper.make_node("BitShift", ["a", "b"], ["left"], direction="LEFT"),
    helper.make_node("Add", ["wide", "big"], ["sum"]),
]
graph = helper.make_graph(
    nodes[:6] + [helper.make_node("Cast", ["a"], ["wide"], to=TensorProto.UINT32),
                 nodes[6]], "g",
    [helper.make_tensor_value_info("a", u8, [3]),
     helper.make_tensor_value_info("b", u8, [3])],
    [helper.make_tensor_value_info(n, t, [3]) for n, t in [
        ("div", u8), ("max", u8), ("less", TensorProto.BOOL),
        ("float", TensorProto.FLOAT), ("right", u8), ("left", u8),
        ("sum", TensorProto.UINT32)]],
    [helper.make_tensor("big", TensorProto.UINT32, [3],
                        [4000000000, 1, 0])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".a.npy", np.array([200, 9, 255], np.uint8))
np.save(sys.argv[1] + ".b.npy", np.array([3, 200, 8], np.uint8))

# GRAPH: func.func @g(%arg0: tensor<3xui8> {strata.name = "a"}, %arg1: tensor<3xui8> {strata.name = "b"})
# GRAPH: graph.constant dense<[4000000000, 1, 0]> : tensor<3xui32>
# GRAPH: graph.shift_right %{{.*}}, %{{.*}} : tensor<3xui8>, tensor<3xui8>
# GRAPH: graph.shift_left %{{.*}}, %{{.*}} : tensor<3xui8>, tensor<3xui8>
# CHECK: div: 3xu8 =
# CHECK-NEXT: [66, 0, 31]
# CHECK: max: 3xu8 =
# CHECK-NEXT: [200, 200, 255]
# CHECK: less: 3xbool =
# CHECK-NEXT: [true, false, true]
# CHECK: float: 3xf32 =
# CHECK-NEXT: [200, 9, 255]
# CHECK: right: 3xu8 =
# CHECK-NEXT: [25, 0, 0]
# CHECK: left: 3xu8 =
# CHECK-NEXT: [64, 0, 0]
# CHECK: sum: 3xu32 =
# CHECK-NEXT: [4000000200, 10, 255]
