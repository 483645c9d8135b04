# RUN: %python %s %t
# RUN: %expect_exit 2 strata-run %t.negative.onnx --random-inputs | FileCheck %s --check-prefix=NEGATIVE
# RUN: %expect_exit 2 strata-run %t.enormous.onnx --random-inputs | FileCheck %s --check-prefix=ENORMOUS
# RUN: %expect_exit 2 strata-run %t.twovalues.onnx --random-inputs | FileCheck %s --check-prefix=TWOVALUES
# RUN: %expect_exit 2 strata-run %t.range.onnx --random-inputs | FileCheck %s --check-prefix=RANGE
# RUN: %expect_exit 2 strata-run %t.onehot.onnx --random-inputs | FileCheck %s --check-prefix=ONEHOT
# RUN: %expect_exit 2 strata-run %t.reshape.onnx --random-inputs | FileCheck %s --check-prefix=RESHAPE
# RUN: %expect_exit 2 strata-run %t.tile.onnx --random-inputs | FileCheck %s --check-prefix=TILE
# RUN: %expect_exit 2 strata-run %t.bigin.onnx --random-inputs | FileCheck %s --check-prefix=BIGIN
# RUN: strata-run %t.small.onnx --random-inputs --print | FileCheck %s --check-prefix=SMALL
#
# Values the importer computes itself (ConstantOfShape, Range, OneHot's
# index range) have size limits: enormous or negative shapes are errors
# naming the node; they used to abort the process.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def save(name, nodes, outputs, inits):
    graph = helper.make_graph(nodes, "g", [], outputs, initializer=inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


def shape(values):
    return numpy_helper.from_array(np.array(values, np.int64), "s")


def cos(name, dims, value=None):
    kwargs = {} if value is None else {"value": value}
    save(name, [helper.make_node("ConstantOfShape", ["s"], ["y"], name="c", **kwargs)],
         [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [shape(dims)])


cos("negative", [2, -3])
cos("enormous", [2 ** 20, 2 ** 20])
cos("twovalues", [2], helper.make_tensor("v", TensorProto.FLOAT, [2], [1.0, 2.0]))
cos("small", [2, 2], helper.make_tensor("v", TensorProto.FLOAT, [1], [7.0]))
scalar = lambda name, v: numpy_helper.from_array(np.array(v, np.int64), name)
save("range", [helper.make_node("Range", ["a", "b", "d"], ["y"], name="r")],
     [helper.make_tensor_value_info("y", TensorProto.INT64, None)],
     [scalar("a", 0), scalar("b", 2 ** 40), scalar("d", 1)])
save("onehot", [helper.make_node("OneHot", ["i", "depth", "v"], ["y"], name="oh")],
     [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)],
     [scalar("i", [1]), scalar("depth", 2 ** 40),
      numpy_helper.from_array(np.array([0, 1], np.float32), "v")])

# Shapes whose element counts overflow int64 (fuzzing found the Reshape).
x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, 5])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, None)
graph = helper.make_graph([helper.make_node("Reshape", ["x", "s"], ["y"], name="r")], "g",
                          [x], [y], [shape([3, 5, 2 ** 63 - 1])])
open("%s.reshape.onnx" % sys.argv[1], "wb").write(helper.make_model(
    graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())
graph = helper.make_graph([helper.make_node("Tile", ["x", "s"], ["y"], name="t")], "g",
                          [x], [y], [shape([2 ** 62, 2 ** 62])])
open("%s.tile.onnx" % sys.argv[1], "wb").write(helper.make_model(
    graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())
big = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2 ** 40, 2 ** 40])
graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [big], [y])
open("%s.bigin.onnx" % sys.argv[1], "wb").write(helper.make_model(
    graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())

# RESHAPE: error: ONNX node 'r' (Reshape): shape 3x5x9223372036854775807 has more elements than a tensor can have
# TILE: error: ONNX node 't' (Tile): repeat 4611686018427387904 of dimension 0 is negative or too large
# BIGIN: error: graph input 'x' has a shape larger than a tensor can be (140737488355328 bytes at most)
# NEGATIVE: error: ONNX node 'c' (ConstantOfShape): the output of shape 2x-3 is invalid (a negative or overflowing dimension)
# ENORMOUS: error: ONNX node 'c' (ConstantOfShape): the output of shape 1048576x1048576 has 4398046511104 bytes, more than the 268435456 a constant computed at import time may have
# TWOVALUES: error: ONNX node 'c' (ConstantOfShape): value must hold one element, got 2
# RANGE: error: ONNX node 'r' (Range): the range from 0.000000 to 1099511627776.000000 by 1.000000 has too many elements to compute at import time
# ONEHOT: error: ONNX node 'oh' (OneHot): depth 1099511627776.000000 is out of range [1, 268435456]
# SMALL: [7, 7]
