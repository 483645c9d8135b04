# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.compress.onnx | FileCheck %s --check-prefix=COMPRESS
# RUN: strata-translate --import-onnx %t.reverse.onnx | FileCheck %s --check-prefix=REVERSE
# RUN: strata-translate --import-onnx %t.window.onnx | FileCheck %s --check-prefix=WINDOW
# RUN: strata-translate --import-onnx %t.pow.onnx | FileCheck %s --check-prefix=POW
# RUN: %expect_exit 1 strata-translate --import-onnx %t.condition.onnx 2>&1 | FileCheck %s --check-prefix=CONDITION
# RUN: strata-run %t.condition.onnx --input %t.x.npy --input %t.keep.npy --print | FileCheck %s --check-prefix=GIVEN
#
# Operands that decide an output's size (Compress's condition, a window's
# size) are read at import: constants, or the arrays strata-run is given.
# Negative Slice steps become a gather of the indices they walk.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

f = TensorProto.FLOAT


def save(name, node, inputs, inits=()):
    graph = helper.make_graph(
        [node], "g", list(inputs),
        [helper.make_tensor_value_info(o, TensorProto.UNDEFINED, None)
         for o in node.output], list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


x = helper.make_tensor_value_info("x", f, [3, 4])
keep = numpy_helper.from_array(np.array([True, False, True]), "keep")
save("compress", helper.make_node("Compress", ["x", "keep"], ["y"], axis=0),
     [x], [keep])
# COMPRESS: graph.constant dense<[0, 2]> : tensor<2xi64>
# COMPRESS: graph.gather %arg0, %{{.*}} : tensor<3x4xf32>, tensor<2xi64>
# COMPRESS: return {{.*}} : tensor<2x4xf32>

bounds = [numpy_helper.from_array(np.array(v, np.int64), n) for n, v in
          [("starts", [-1]), ("ends", [-100]), ("axes", [1]),
           ("steps", [-2])]]
save("reverse", helper.make_node("Slice", ["x", "starts", "ends", "axes",
                                           "steps"], ["y"]), [x], bounds)
# REVERSE: graph.constant dense<[3, 1]> : tensor<2xi64>
# REVERSE: graph.gather %arg0, %{{.*}} {axis = 1 : i64} : tensor<3x4xf32>, tensor<2xi64>

save("window", helper.make_node("HannWindow", ["n"], ["w"], periodic=0),
     [], [numpy_helper.from_array(np.array(5, np.int64), "n")])
# WINDOW: %[[W:.*]] = graph.constant dense<[0.000000e+00, 5.000000e-01, 1.000000e+00, 5.000000e-01, 0.000000e+00]> : tensor<5xf32>
# WINDOW: return %[[W]] : tensor<5xf32>

i32 = TensorProto.INT32
save("pow", helper.make_node("Pow", ["a", "b"], ["c"]),
     [helper.make_tensor_value_info("a", i32, [3]),
      helper.make_tensor_value_info("b", i32, [3])])
# Integer powers are computed in f64 and truncated back.
# POW: graph.cast %arg0 : tensor<3xi32> to f64
# POW: graph.pow {{.*}} : tensor<3xf64>, tensor<3xf64>
# POW: graph.cast {{.*}} : tensor<3xf64> to i32

save("condition", helper.make_node("Compress", ["x", "keep"], ["y"], axis=1,
                                   name="pick"),
     [x, helper.make_tensor_value_info("keep", TensorProto.BOOL, [4])])
np.save(sys.argv[1] + ".x.npy", np.arange(12, dtype=np.float32).reshape(3, 4))
np.save(sys.argv[1] + ".keep.npy", np.array([False, True, True, False]))
# CONDITION: ONNX node 'pick' (Compress): condition (input #1) must be known at import time
# GIVEN: y: 3x2xf32 =
# GIVEN-NEXT: {{\[\[}}1, 2],
# GIVEN-NEXT: {{^}} [5, 6],
# GIVEN-NEXT: {{^}} [9, 10]]
