# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.attention.onnx | FileCheck %s
# RUN: %expect_exit 1 strata-translate --import-onnx %t.rank.onnx 2>&1 | FileCheck %s --check-prefix=RANK
# RUN: %expect_exit 1 strata-translate --import-onnx %t.sizes.onnx 2>&1 | FileCheck %s --check-prefix=SIZES
#
# Einsum becomes transposes and reshapes around one batched matmul per
# operand pair: letters both keep are the batch, letters both drop are
# contracted.

import sys

from onnx import TensorProto, helper

f = TensorProto.FLOAT


def save(name, equation, shapes):
    names = ["x%d" % i for i in range(len(shapes))]
    graph = helper.make_graph(
        [helper.make_node("Einsum", names, ["y"], name="e",
                          equation=equation)], "g",
        [helper.make_tensor_value_info(n, f, s) for n, s in zip(names, shapes)],
        [helper.make_tensor_value_info("y", f, None)])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


save("attention", "bhqd,bhkd->bhqk", [[1, 2, 5, 8], [1, 2, 6, 8]])
# CHECK: %[[T:.*]] = graph.transpose %arg1 [0, 1, 3, 2] : tensor<1x2x6x8xf32>
# CHECK: %[[A:.*]] = graph.reshape %arg0 [2, 5, 8] : tensor<1x2x5x8xf32>
# CHECK: %[[B:.*]] = graph.reshape %[[T]] [2, 8, 6] : tensor<1x2x8x6xf32>
# CHECK: %[[M:.*]] = graph.matmul %[[A]], %[[B]] : tensor<2x5x8xf32>, tensor<2x8x6xf32>
# CHECK: graph.reshape %[[M]] [1, 2, 5, 6] : tensor<2x5x6xf32>

save("rank", "ij,jk->ik", [[3, 4, 5], [4, 5]])
# RANK: ONNX node 'e' (Einsum): term 'ij' has 2 letters for input #0 of rank 3

save("sizes", "ij,jk->ik", [[3, 4], [5, 6]])
# SIZES: ONNX node 'e' (Einsum): letter 'j' has sizes 4 and 5 (broadcasting a size-1 dimension is not supported)
