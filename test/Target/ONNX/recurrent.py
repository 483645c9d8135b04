# RUN: %python %s %t
# RUN: strata-translate --import-onnx %t.lstm.onnx | FileCheck %s
# RUN: strata-translate --import-onnx %t.lengths.onnx | FileCheck %s --check-prefix=LENGTHS
# RUN: %expect_exit 1 strata-translate --import-onnx %t.activation.onnx 2>&1 | FileCheck %s --check-prefix=ACTIVATION
# RUN: %expect_exit 1 strata-translate --import-onnx %t.weights.onnx 2>&1 | FileCheck %s --check-prefix=WEIGHTS
# RUN: %expect_exit 1 strata-translate --import-onnx %t.direction.onnx 2>&1 | FileCheck %s --check-prefix=DIRECTION
# RUN: %expect_exit 1 strata-translate --import-onnx %t.long.onnx 2>&1 | FileCheck %s --check-prefix=LONG
#
# LSTM, GRU and RNN are unrolled over their (static) sequence: one matmul
# projects every step's input, each step multiplies the state by the
# recurrent weights, which are transposed at import when constant. Per-batch
# sequence lengths become masks. Bad attributes and shapes name the node.

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper

SEQ, BATCH, INPUT, HIDDEN = 3, 2, 5, 4
f = TensorProto.FLOAT


def save(name, node, inits, extra_inputs=(), seq=SEQ):
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info("x", f, [seq, BATCH, INPUT])] +
        list(extra_inputs),
        [helper.make_tensor_value_info(o, f, None) for o in node.output],
        [numpy_helper.from_array(a, n) for n, a in inits.items()])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    open("%s.%s.onnx" % (sys.argv[1], name), "wb").write(model.SerializeToString())


def weights(gates, dirs=1, inputs=INPUT):
    rng = np.random.default_rng(0)
    return {"w": rng.random((dirs, gates * HIDDEN, inputs), np.float32),
            "r": rng.random((dirs, gates * HIDDEN, HIDDEN), np.float32)}


save("lstm", helper.make_node("LSTM", ["x", "w", "r"], ["y", "y_h", "y_c"],
                              name="lstm", hidden_size=HIDDEN), weights(4))
# CHECK-LABEL: func.func @g
# CHECK-NOT: graph.transpose
# The input projection of all steps: [seq * batch, input] x [input, 4 * hidden].
# CHECK: graph.matmul %{{.*}}, %{{.*}} : tensor<6x5xf32>, tensor<5x16xf32>
# Then one recurrent matmul per step.
# CHECK-COUNT-3: graph.matmul %{{.*}}, %{{.*}} : tensor<2x4xf32>, tensor<4x16xf32>
# CHECK-NOT: graph.matmul
# CHECK: graph.concat {{.*}} axis 0 : tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>, tensor<1x1x2x4xf32>
# CHECK: return {{.*}} : tensor<3x1x2x4xf32>, tensor<1x2x4xf32>, tensor<1x2x4xf32>

save("lengths", helper.make_node("GRU", ["x", "w", "r", "", "lens"], ["y"],
                                 name="gru", hidden_size=HIDDEN,
                                 direction="bidirectional"),
     weights(3, 2),
     [helper.make_tensor_value_info("lens", TensorProto.INT32, [BATCH])])
# Both directions, each step masked by its sequence length.
# LENGTHS-COUNT-6: graph.compare lt, {{.*}} : tensor<i32>, tensor<2xi32>
# LENGTHS-NOT: graph.compare
# LENGTHS: return {{.*}} : tensor<3x2x2x4xf32>

save("activation", helper.make_node("RNN", ["x", "w", "r"], ["y"], name="rnn",
                                    hidden_size=HIDDEN,
                                    activations=["Swish"]), weights(1))
# ACTIVATION: ONNX node 'rnn' (RNN): activation 'swish' is not one of the functions ONNX allows in RNN

save("weights", helper.make_node("LSTM", ["x", "w", "r"], ["y"], name="lstm",
                                 hidden_size=HIDDEN), weights(4, inputs=3))
# WEIGHTS: ONNX node 'lstm' (LSTM): W (input #1) must have shape 1x16x5 ([num_directions, 4 * hidden_size, input_size]), not 1x16x3

save("direction", helper.make_node("GRU", ["x", "w", "r"], ["y"], name="gru",
                                   hidden_size=HIDDEN, direction="both"),
     weights(3))
# DIRECTION: ONNX node 'gru' (GRU): direction must be forward, reverse or bidirectional, not 'both'

save("long", helper.make_node("RNN", ["x", "w", "r"], ["y"], name="rnn",
                              hidden_size=HIDDEN), weights(1), seq=5000)
# LONG: ONNX node 'rnn' (RNN): the sequence has 5000 steps; recurrent layers are unrolled, and sequences longer than 1024 steps are not supported
