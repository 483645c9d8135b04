# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.x.npy --input %t.a.npy --dump-ir=graph | FileCheck %s
# RUN: strata-run %t.onnx --input %t.x.npy --input %t.a.npy --output %t.conv.npy --output %t.mm.npy
# RUN: %python %s %t --check
#
# QLinearConv and QLinearMatMul with constant parameters and a symmetric
# int8 weight (ONNX Runtime's QOperator format) import in QDQ form, which
# graph-fold-qdq makes 8-bit integer products with a requantize: the
# input padded with its zero point, u8 x i8 into i32, the zero point's
# share and the bias one i32 bias. Their results match the operators'
# integer arithmetic (within one step where f32 rounding of the
# multiplier meets a tie).
#
# CHECK: graph.pad %{{.*}} {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 3.000000e+00 : f64} : tensor<1x5x6x6xui8>
# CHECK: graph.conv2d %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x5x8x8xui8>, tensor<4x5x3x3xi8>, tensor<4xi32>
# CHECK: graph.requantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<1x4x6x6xi32>, tensor<4xf32>, tensor<ui8>
# CHECK: graph.matmul %{{.*}}, %{{.*}} : tensor<3x8xui8>, tensor<8x6xi8>
# CHECK: graph.requantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<3x6xi32>, tensor<6xf32>, tensor<ui8>

import sys

import numpy as np
from onnx import TensorProto, helper, numpy_helper, save

out = sys.argv[1]
rng = np.random.default_rng(4)
x = rng.integers(0, 256, (1, 5, 6, 6), dtype=np.uint8)
w = rng.integers(-127, 128, (4, 5, 3, 3), dtype=np.int8)
bias = rng.integers(-3000, 3000, 4, dtype=np.int32)
a = rng.integers(0, 256, (3, 8), dtype=np.uint8)
b = rng.integers(-127, 128, (8, 6), dtype=np.int8)
xs, xz, ys, yz = np.float32(0.02), np.uint8(3), np.float32(0.5), np.uint8(10)
ws = (rng.random(4) * 0.02 + 0.005).astype(np.float32)
as_, az, ms, mz = np.float32(0.03), np.uint8(7), np.float32(0.7), np.uint8(100)
bs = (rng.random(6) * 0.02 + 0.005).astype(np.float32)


def requantize(acc, multiplier, zero_point):
    q = np.round(np.float32(acc.astype(np.float32) * multiplier)) + zero_point
    return np.clip(q, 0, 255).astype(np.uint8)


if "--check" in sys.argv:
    xp = np.pad(x.astype(np.int64) - xz, ((0, 0), (0, 0), (1, 1), (1, 1)))
    acc = np.zeros((1, 4, 6, 6), np.int64)
    for i in range(3):
        for j in range(3):
            acc += np.einsum("nchw,fc->nfhw", xp[:, :, i:i + 6, j:j + 6],
                             w[:, :, i, j].astype(np.int64))
    acc += bias[None, :, None, None]
    conv = requantize(acc, (np.float32(xs * ws) / ys)[None, :, None, None], yz)
    mm = requantize((a.astype(np.int64) - az) @ b.astype(np.int64),
                    (np.float32(as_ * bs) / ms)[None, :], mz)
    failures = 0
    for name, expected in (("conv", conv), ("mm", mm)):
        got = np.load("%s.%s.npy" % (out, name))
        diff = np.abs(got.astype(np.int32) - expected.astype(np.int32))
        print("%s: max difference %d, %d of %d differ" % (
            name, diff.max(), (diff > 0).sum(), diff.size))
        failures += diff.max() > 1 or (diff > 0).mean() > 0.02
    sys.exit(1 if failures else 0)

T = TensorProto
inits = [numpy_helper.from_array(v, n) for n, v in [
    ("xs", np.array(xs)), ("xz", np.array(xz)), ("w", w), ("ws", ws),
    ("wz", np.zeros(4, np.int8)), ("ys", np.array(ys)), ("yz", np.array(yz)),
    ("bias", bias), ("as", np.array(as_)), ("az", np.array(az)), ("b", b),
    ("bs", bs), ("bz", np.zeros(6, np.int8)), ("ms", np.array(ms)),
    ("mz", np.array(mz))]]
nodes = [
    helper.make_node("QLinearConv", ["x", "xs", "xz", "w", "ws", "wz", "ys",
                                     "yz", "bias"], ["conv"], name="qconv",
                     pads=[1, 1, 1, 1]),
    helper.make_node("QLinearMatMul", ["a", "as", "az", "b", "bs", "bz", "ms",
                                       "mz"], ["mm"], name="qmatmul"),
]
graph = helper.make_graph(
    nodes, "qlinear",
    [helper.make_tensor_value_info("x", T.UINT8, [1, 5, 6, 6]),
     helper.make_tensor_value_info("a", T.UINT8, [3, 8])],
    [helper.make_tensor_value_info("conv", T.UINT8, [1, 4, 6, 6]),
     helper.make_tensor_value_info("mm", T.UINT8, [3, 6])],
    initializer=inits)
save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
     out + ".onnx")
np.save(out + ".x.npy", x)
np.save(out + ".a.npy", a)
