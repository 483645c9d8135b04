# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.mask.onnx | FileCheck %s
# RUN: strata-translate --import-onnx %t.runtime.onnx | FileCheck %s --check-prefix=RUNTIME
# RUN: strata-translate --import-onnx %t.dropout.onnx | FileCheck %s --check-prefix=DROPOUT
# RUN: strata-run %t.dropout_inputs.onnx --input %t.x.npy --input %t.ratio.npy --input %t.training.npy --print | FileCheck %s --check-prefix=INPUTS
#
# Masks computed from static shapes (Swin's shifted-window attention mask:
# ConstantOfShape, slices, ScatterND) fold at import: a repeated value is a
# splat, which later folds see through, and a ScatterND of constants is
# computed. Dropout in training mode with ratio 0 (PyTorch's p = 0.0
# attention dropout) is the identity, also when the ratio and the mode are
# graph inputs whose arrays strata-run is given.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

f = TensorProto.FLOAT


def save(name, nodes, inputs, outputs, inits):
    graph = helper.make_graph(nodes, "g", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


ints = lambda name, v: numpy_helper.from_array(np.array(v, np.int64), name)
zero = helper.make_tensor("zero", f, [1], [0.0])
one = helper.make_tensor("one", f, [1], [1.0])
save("mask", [
    helper.make_node("ConstantOfShape", ["shape"], ["background"], value=zero),
    helper.make_node("ConstantOfShape", ["rows"], ["ones"], value=one),
    helper.make_node("Slice", ["ones", "s", "e"], ["upd"]),  # a splat
    helper.make_node("ScatterND", ["background", "idx", "upd"], ["mask"]),
    helper.make_node("Add", ["x", "mask"], ["y"]),
], [helper.make_tensor_value_info("x", f, [4, 3])],
   [helper.make_tensor_value_info("y", f, [4, 3])],
   [ints("shape", [4, 3]), ints("rows", [10, 30]), ints("s", [0, 0]),
    ints("e", [2, 3]), ints("idx", [[1], [3]])])
# The mask is one constant: rows 1 and 3 are ones.
# CHECK-NOT: graph.slice
# CHECK: %[[M:.*]] = graph.constant dense<{{\[\[}}0.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00], [0.000000e+00, 0.000000e+00, 0.000000e+00], [1.000000e+00, 1.000000e+00, 1.000000e+00]]> : tensor<4x3xf32>
# CHECK: graph.add %arg0, %[[M]]

save("runtime", [
    helper.make_node("ConstantOfShape", ["shape"], ["background"], value=zero),
    helper.make_node("ScatterND", ["background", "idx", "x"], ["y"],
                     name="scatter"),
], [helper.make_tensor_value_info("x", f, [2, 9])],
   [helper.make_tensor_value_info("y", f, [9, 9])],
   [ints("shape", [9, 9]), ints("idx", [[1], [4]])])
# A ScatterND of run-time updates is a scatter at run time.
# RUNTIME: graph.scatter_elements

save("dropout", [
    helper.make_node("Dropout", ["x", "ratio", "training"], ["y"]),
], [helper.make_tensor_value_info("x", f, [4])],
   [helper.make_tensor_value_info("y", f, [4])],
   [numpy_helper.from_array(np.array(0.0, np.float32), "ratio"),
    numpy_helper.from_array(np.array(True), "training")])
# DROPOUT: return %arg0 : tensor<4xf32>

save("dropout_inputs", [
    helper.make_node("Dropout", ["x", "ratio", "training"], ["y", "mask"]),
], [helper.make_tensor_value_info("x", f, [4]),
    helper.make_tensor_value_info("ratio", f, []),
    helper.make_tensor_value_info("training", TensorProto.BOOL, [])],
   [helper.make_tensor_value_info("y", f, [4]),
    helper.make_tensor_value_info("mask", TensorProto.BOOL, [4])], [])
np.save(sys.argv[1] + ".x.npy", np.array([1, 2, 3, 4], np.float32))
np.save(sys.argv[1] + ".ratio.npy", np.array(0.0, np.float32))
np.save(sys.argv[1] + ".training.npy", np.array(True))
# INPUTS: y: 4xf32 =
# INPUTS-NEXT: [1, 2, 3, 4]
# INPUTS: mask: 4xbool =
# INPUTS-NEXT: [true, true, true, true]
