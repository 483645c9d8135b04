# RUN: %python %s %t
# RUN: %expect_exit 2 strata-run %t.overflow.onnx --random-inputs | FileCheck %s --check-prefix=OVERFLOW
# RUN: %expect_exit 2 strata-run %t.short.onnx --random-inputs | FileCheck %s --check-prefix=SHORT
# RUN: %expect_exit 2 strata-run %t.shortraw.onnx --random-inputs | FileCheck %s --check-prefix=SHORTRAW
# RUN: %expect_exit 2 strata-run %t.int8.onnx --random-inputs | FileCheck %s --check-prefix=INT8
# RUN: strata-run %t.bool.onnx --random-inputs --print | FileCheck %s --check-prefix=BOOL
# RUN: %expect_exit 2 strata-run %t.gather.onnx --random-inputs | FileCheck %s --check-prefix=GATHER
# RUN: %expect_exit 2 strata-run %t.gatherel.onnx --random-inputs | FileCheck %s --check-prefix=GATHEREL
# RUN: %expect_exit 2 strata-run %t.split.onnx --random-inputs | FileCheck %s --check-prefix=SPLIT
#
# Constants that do not fit their dims, values that do not fit their type,
# and indices known at import time to be out of range are errors naming the
# tensor or node (they used to abort in LLVM, read the wrong value, or be
# clamped silently).

import sys

from onnx import TensorProto, helper


def save(name, nodes, inputs, outputs, inits=()):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


f = TensorProto.FLOAT
x = helper.make_tensor_value_info("x", f, [2, 3])
y = helper.make_tensor_value_info("y", f, [2, 3])
add = [helper.make_node("Add", ["x", "c"], ["y"], name="add")]

# Dims whose product overflows int64, with 6 values.
big = helper.make_tensor("c", f, [1, 1], [1.0])
del big.dims[:]
big.dims.extend([2 ** 40, 2 ** 40])
save("overflow", add, [x], [y], [big])
# Fewer values than the dims need, typed and raw.
short = helper.make_tensor("c", f, [2], [1.0, 2.0])
short.dims[:] = [2, 3]
save("short", add, [x], [y], [short])
shortraw = helper.make_tensor("c", f, [4], b"\0" * 16, raw=True)
shortraw.dims[:] = [1000, 1000]
save("shortraw", add, [x], [y], [shortraw])
# An INT8 value out of range in int32_data.
xi = helper.make_tensor_value_info("x", TensorProto.INT8, [2])
yi = helper.make_tensor_value_info("y", TensorProto.INT8, [2])
c8 = helper.make_tensor("c", TensorProto.INT8, [2], [1, 2])
c8.int32_data[:] = [1, 300]
save("int8", add, [xi], [yi], [c8])
# BOOL in int32_data: 256 is true (it used to keep its low byte: false).
xb = helper.make_tensor_value_info("x", TensorProto.BOOL, [3])
yb = helper.make_tensor_value_info("y", TensorProto.BOOL, [3])
cb = helper.make_tensor("c", TensorProto.BOOL, [3], [0, 0, 0])
cb.int32_data[:] = [256, 0, 1]
# y = (x xor x) or c = c, whatever the random x.
save("bool", [helper.make_node("Xor", ["x", "x"], ["z"], name="xor"),
              helper.make_node("Or", ["z", "c"], ["y"], name="or")], [xb], [yb], [cb])
# Gather and GatherElements with constant indices out of range.
idx = helper.make_tensor("i", TensorProto.INT64, [2], [0, 3])
save("gather", [helper.make_node("Gather", ["x", "i"], ["y"], name="g", axis=1)],
     [x], [helper.make_tensor_value_info("y", f, [2, 2])], [idx])
idx2 = helper.make_tensor("i", TensorProto.INT64, [2, 1], [0, -4])
save("gatherel", [helper.make_node("GatherElements", ["x", "i"], ["y"], name="ge", axis=1)],
     [x], [helper.make_tensor_value_info("y", f, [2, 1])], [idx2])
# Split with no outputs.
save("split", [helper.make_node("Split", ["x"], [], name="s"),
               helper.make_node("Relu", ["x"], ["y"])], [x], [y])

# OVERFLOW: error: initializer: tensor 'c' has dims whose size overflows or is larger than a tensor can be
# SHORT: error: initializer: tensor 'c' holds 2 values but its shape needs 6
# SHORTRAW: error: initializer: tensor 'c' has 16 bytes of raw data, expected 4000000
# INT8: error: initializer: tensor 'c' value #1 (300) does not fit its element type INT8
# BOOL: y: 3xbool =
# BOOL-NEXT: [true, false, true]
# GATHER: error: ONNX node 'g' (Gather): index 3 is out of range for axis 1 of size 3
# GATHEREL: error: ONNX node 'ge' (GatherElements): index -4 is out of range for axis 1 of size 3
# SPLIT: error: ONNX node 's' (Split): has no outputs
