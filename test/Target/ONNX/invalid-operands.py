# RUN: %python %s %t
# RUN: %expect_exit 2 strata-run %t.clip.onnx --random-inputs | FileCheck %s --check-prefix=CLIP
# RUN: %expect_exit 2 strata-run %t.slice.onnx --random-inputs | FileCheck %s --check-prefix=SLICE
# RUN: %expect_exit 2 strata-run %t.nll.onnx --random-inputs | FileCheck %s --check-prefix=NLL
# RUN: %expect_exit 2 strata-run %t.sce1d.onnx --random-inputs | FileCheck %s --check-prefix=SCE1D
# RUN: strata-run %t.nllrt.onnx --input %t.logp.npy --input %t.target.npy --print | FileCheck %s --check-prefix=NLLRT
#
# Operands the ONNX spec constrains are checked, not used with one of their
# meanings picked silently: Clip bounds must be scalars, Slice may name an
# axis once, loss targets must be classes (at run time an out-of-range
# target gives a NaN loss rather than another class's value).

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]


def save(name, nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (out, name), "wb").write(model.SerializeToString())


f = TensorProto.FLOAT
x = helper.make_tensor_value_info("x", f, [2, 3])
y = helper.make_tensor_value_info("y", f, [2, 3])
arr = lambda name, v, t=np.float32: numpy_helper.from_array(np.array(v, t), name)
save("clip", [helper.make_node("Clip", ["x", "lo", "hi"], ["y"], name="clip")], [x], [y],
     [arr("lo", [0.0, 1.0]), arr("hi", 6.0)])
save("slice", [helper.make_node("Slice", ["x", "s", "e", "a"], ["y"], name="sl")], [x],
     [helper.make_tensor_value_info("y", f, [2, 1])],
     [arr("s", [0, 1], np.int64), arr("e", [2, 2], np.int64), arr("a", [1, -1], np.int64)])
logp = helper.make_tensor_value_info("logp", f, [2, 3])
loss = helper.make_tensor_value_info("loss", f, [2])
save("nll", [helper.make_node("NegativeLogLikelihoodLoss", ["logp", "t"], ["loss"],
                              name="nll", reduction="none")],
     [logp], [loss], [arr("t", [1, 3], np.int64)])
# SoftmaxCrossEntropyLoss of scores without a class dimension (it used to
# build on the failed softmax: a null value).
save("sce1d", [helper.make_node("SoftmaxCrossEntropyLoss", ["s", "t"], ["loss"], name="sce")],
     [helper.make_tensor_value_info("s", f, [3])], [helper.make_tensor_value_info("loss", f, [])],
     [arr("t", [1], np.int64)])
target = helper.make_tensor_value_info("t", TensorProto.INT64, [2])
save("nllrt", [helper.make_node("NegativeLogLikelihoodLoss", ["logp", "t"], ["loss"],
                                name="nll", reduction="none")], [logp, target], [loss])
np.save(out + ".logp.npy", np.array([[-1, -2, -3], [-4, -5, -6]], np.float32))
np.save(out + ".target.npy", np.array([2, 7], np.int64))

# CLIP: error: ONNX node 'clip' (Clip): min (input #1) must be a scalar, got shape 2
# SLICE: error: ONNX node 'sl' (Slice): axis -1 is sliced twice
# NLL: error: ONNX node 'nll' (NegativeLogLikelihoodLoss): target 3 is not a class in [0, 3)
# SCE1D: error: ONNX node 'sce'
# NLLRT: loss: 2xf32 =
# NLLRT-NEXT: [3, nan]
