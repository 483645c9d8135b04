# RUN: %python %s %t
# RUN: %expect_exit 2 strata-run %t.onnx --random-inputs 2>&1 | FileCheck %s --check-prefix=UNSIZED
# RUN: strata-run %t.onnx --dim batch=3 --random-inputs --print | FileCheck %s --check-prefix=DIM
# RUN: strata-run %t.onnx --input-shape x=2x4 --random-inputs --print | FileCheck %s --check-prefix=SHAPE
# RUN: strata-run %t.onnx --input %t.x5.npy --print | FileCheck %s --check-prefix=FROMINPUT
# RUN: strata-translate --import-onnx %t.onnx --dim batch=6 | FileCheck %s --check-prefix=TRANSLATE
# RUN: %expect_exit 2 strata-run %t.onnx --dim bach=3 --random-inputs 2>&1 | FileCheck %s --check-prefix=TYPO
# RUN: %expect_exit 2 strata-run %t.onnx --input-shape y=2x4 --random-inputs 2>&1 | FileCheck %s --check-prefix=NOINPUT
# RUN: %expect_exit 2 strata-run %t.onnx --input-shape x=2x5 --random-inputs 2>&1 | FileCheck %s --check-prefix=FIXED
# RUN: %expect_exit 2 strata-run %t.onnx --input-shape x=2 --random-inputs 2>&1 | FileCheck %s --check-prefix=RANK
# RUN: %expect_exit 2 strata-run %t.onnx --dim batch=0 --random-inputs 2>&1 | FileCheck %s --check-prefix=BADDIM
# RUN: %expect_exit 2 strata-run %t.onnx --input-shape x=2xy --random-inputs 2>&1 | FileCheck %s --check-prefix=BADSHAPE
# RUN: %expect_exit 1 strata-translate --import-onnx %t.onnx 2>&1 | FileCheck %s --check-prefix=UNSIZED
# RUN: %expect_exit 2 strata-run %t.noshape.onnx --random-inputs 2>&1 | FileCheck %s --check-prefix=NOSHAPE
# RUN: strata-run %t.noshape.onnx --input-shape x=3x2 --random-inputs --print | FileCheck %s --check-prefix=NOSHAPE-GIVEN
# RUN: strata-run %t.noshape.onnx --input %t.x5.npy --print | FileCheck %s --check-prefix=FROMINPUT
#
# A model exported with a dynamic batch axis (dim_param "batch") compiles
# for the size given by --dim, by --input-shape, or by the --input array;
# overrides that match nothing or contradict the model are errors. An input
# declared with no shape at all takes the whole shape given.

import sys

import numpy as np
from onnx import TensorProto, helper

graph = helper.make_graph(
    [helper.make_node("Relu", ["x"], ["y"], name="relu")], "g",
    [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 4])],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".x5.npy", np.ones((5, 4), np.float32))
noshape = helper.make_tensor_value_info("x", TensorProto.FLOAT, None)
graph = helper.make_graph(
    [helper.make_node("Relu", ["x"], ["y"], name="relu")], "g", [noshape],
    [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1] + ".noshape.onnx", "wb").write(model.SerializeToString())

# UNSIZED: graph input 'x' has a dynamic dimension 'batch' (dimension 0); Strata compiles static shapes: give it a size with --dim batch=N (strata-run, strata-translate) or dims={"batch": N} (Python), or the whole shape with --input-shape x=D0xD1x...
# DIM: y: 3x4xf32
# SHAPE: y: 2x4xf32
# FROMINPUT: y: 5x4xf32
# TRANSLATE: func.func @g(%{{.*}}: tensor<6x4xf32> {strata.name = "x"}) -> (tensor<6x4xf32>
# TYPO: no graph input has a dynamic dimension named 'bach' (the model's are: batch)
# NOINPUT: the model has no graph input 'y' to give a shape to (its inputs are: x)
# FIXED: graph input 'x' has dimension 1 fixed to 4 but its shape override gives 5
# RANK: graph input 'x' has rank 2 but its shape override gives 1 dimensions
# BADDIM: --dim: 'batch=0' is not a dimension size: expected name=N with N >= 1 (for example batch=8)
# NOSHAPE: graph input 'x' has no shape; Strata compiles static shapes: give it with --input-shape x=D0xD1x... (strata-run, strata-translate) or input_shapes={"x": (...)} (Python)
# NOSHAPE-GIVEN: y: 3x2xf32
# BADSHAPE: --input-shape: 'x=2xy' is not an input shape: expected name=D0xD1x... with every size >= 1
