# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.x.npy --print --output %t.widened.npy --output %t.rounded.npy | FileCheck %s
# RUN: %python -c "import numpy as np; r = np.load('%t.rounded.npy'); print(r.dtype, list(r))" | FileCheck %s --check-prefix=BITS
#
# numpy has no bfloat16: a bfloat16 input is given as its uint16 bit
# patterns, and a bfloat16 output is written as them. Casts to bfloat16
# round to nearest even: 1 + 2^-8 + 2^-9 (0x3F80C000) rounds up to
# 0x3F81, 1 + 2^-8 (a tie, 0x3F808000) to the even 0x3F80.

import sys

import numpy as np
from onnx import TensorProto, helper

graph = helper.make_graph(
    [helper.make_node("Cast", ["x"], ["widened"], to=TensorProto.FLOAT),
     helper.make_node("Cast", ["f"], ["rounded"], to=TensorProto.BFLOAT16)],
    "g",
    [helper.make_tensor_value_info("x", TensorProto.BFLOAT16, [3])],
    [helper.make_tensor_value_info("widened", TensorProto.FLOAT, [3]),
     helper.make_tensor_value_info("rounded", TensorProto.BFLOAT16, [2])],
    [helper.make_tensor("f", TensorProto.FLOAT, [2],
                        np.array([0x3F80C000, 0x3F808000], np.uint32)
                        .view(np.float32).tolist())])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
# 1.0, -2.0, 0.5 as bfloat16 bits.
np.save(sys.argv[1] + ".x.npy", np.array([0x3F80, 0xC000, 0x3F00], np.uint16))

# CHECK: widened: 3xf32 =
# CHECK-NEXT: [1, -2, 0.5]
# BITS: uint16 [16257, 16256]
