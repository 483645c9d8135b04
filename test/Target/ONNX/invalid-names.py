# RUN: %python %s %t
# RUN: %expect_exit 2 strata-run %t.outputs.onnx --random-inputs | FileCheck %s --check-prefix=OUTPUTS
# RUN: %expect_exit 2 strata-run %t.shadow.onnx --random-inputs | FileCheck %s --check-prefix=SHADOW
# RUN: %expect_exit 2 strata-run %t.defined.onnx --random-inputs | FileCheck %s --check-prefix=DEFINED
# RUN: %expect_exit 2 strata-run %t.init.onnx --random-inputs | FileCheck %s --check-prefix=INIT
# RUN: %expect_exit 2 strata-run %t.inputs.onnx --random-inputs | FileCheck %s --check-prefix=INPUTS
# RUN: %expect_exit 2 strata-run %t.opset1.onnx --random-inputs | FileCheck %s --check-prefix=OPSET1
# RUN: %expect_exit 2 strata-run %t.opset6.onnx --random-inputs | FileCheck %s --check-prefix=OPSET6
#
# ONNX names each value once. Models that break that are rejected with the
# name, not run with one of the meanings picked silently.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper


def save(name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs,
                              initializer=list(initializers))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


f = TensorProto.FLOAT
x = helper.make_tensor_value_info("x", f, [2, 3])
y = helper.make_tensor_value_info("y", f, [2, 3])
# An output listed twice.
save("outputs", [helper.make_node("Relu", ["x"], ["y"])], [x], [y, y])
# A node output with a graph input's name.
save("shadow", [helper.make_node("Relu", ["x"], ["x"], name="r")], [x], [x])
# A node output defined twice.
save("defined", [helper.make_node("Relu", ["x"], ["y"], name="r1"),
                  helper.make_node("Neg", ["x"], ["y"], name="r2")], [x], [y])
# An initializer giving a graph input a value of another shape.
save("init", [helper.make_node("Relu", ["x"], ["y"])], [x], [y],
     [numpy_helper.from_array(np.zeros((3, 2), np.float32), "x")])
# A graph input declared twice.
save("inputs", [helper.make_node("Relu", ["x"], ["y"])], [x, x], [y])
# An opset-1 model (upgraded by ONNX's version converter) whose node has no
# output: the converter crashed on it; ONNX's checker now runs first.
graph = helper.make_graph([helper.make_node("Relu", ["x"], [])], "g", [x], [y])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 1)])
open("%s.opset1.onnx" % sys.argv[1], "wb").write(model.SerializeToString())
# An opset-6 model whose graph output is never defined (ONNX's checker
# accepts it; its version converter crashed on it).
graph = helper.make_graph([helper.make_node("Relu", ["x"], ["y"])], "g", [x],
                          [helper.make_tensor_value_info("Y", TensorProto.FLOAT, [2, 3])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 6)])
open("%s.opset6.onnx" % sys.argv[1], "wb").write(model.SerializeToString())

# OPSET6: error: opset 6 model cannot be upgraded: graph output 'Y' is never defined
# OPSET1: error: opset 1 model cannot be upgraded: graph output 'y' is never defined
# OUTPUTS: error: graph output 'y' is listed twice; ONNX names each output once
# SHADOW: error: ONNX node 'r' (Relu): output #0 ('x') has the name of a graph input; ONNX names each value once
# DEFINED: error: ONNX node 'r2' (Neg): output #0 ('y') has the name of a value defined before; ONNX names each value once
# INIT: error: initializer 'x' of type 'tensor<3x2xf32>' does not match graph input 'x' of type 'tensor<2x3xf32>'
# INPUTS: error: graph input 'x' is declared twice
