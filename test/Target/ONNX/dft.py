# RUN: %python %s %t
# RUN: strata-run %t.onnx --input %t.x.npy --output %t.full.npy --output %t.half.npy --output %t.back.npy --output %t.frames.npy
# RUN: %python %s %t check | FileCheck %s
#
# DFT (complex, along axis 1; one-sided of a real signal; inverse) and STFT
# (frames with a window, one-sided) against numpy's FFT.

import sys

import numpy as np
from onnx import TensorProto, helper

F = TensorProto.FLOAT
rng = np.random.default_rng(3)
x = rng.standard_normal((2, 12, 3, 2)).astype(np.float32)
signal = rng.standard_normal((1, 40, 1)).astype(np.float32)
window = np.hanning(8).astype(np.float32)

if len(sys.argv) > 2:
    out = lambda name: np.load("%s.%s.npy" % (sys.argv[1], name))
    c = x[..., 0] + 1j * x[..., 1]
    def close(name, got, want):
        got = got[..., 0] + 1j * got[..., 1]
        print(name, got.shape == want.shape and np.allclose(got, want, atol=1e-4))
    close("full", out("full"), np.fft.fft(c, axis=1))
    close("half", out("half"), np.fft.rfft(x[..., 0], axis=1))
    close("back", out("back"), np.fft.ifft(c, axis=1))
    frames = np.stack([signal[0, f * 4:f * 4 + 8, 0] * window
                       for f in range(9)])
    close("frames", out("frames"), np.fft.rfft(frames, axis=1)[None])
    sys.exit(0)

graph = helper.make_graph(
    [helper.make_node("DFT", ["x"], ["full"], axis=1),
     helper.make_node("Slice", ["x", "zero", "one", "three"], ["real"]),
     helper.make_node("DFT", ["real"], ["half"], axis=1, onesided=1),
     helper.make_node("DFT", ["x"], ["back"], axis=1, inverse=1),
     helper.make_node("STFT", ["signal", "step", "window"], ["frames"])],
    "g",
    [helper.make_tensor_value_info("x", F, list(x.shape))],
    [helper.make_tensor_value_info("full", F, None),
     helper.make_tensor_value_info("half", F, None),
     helper.make_tensor_value_info("back", F, None),
     helper.make_tensor_value_info("frames", F, None)],
    [helper.make_tensor("zero", TensorProto.INT64, [1], [0]),
     helper.make_tensor("one", TensorProto.INT64, [1], [1]),
     helper.make_tensor("three", TensorProto.INT64, [1], [3]),
     helper.make_tensor("signal", F, list(signal.shape), signal.ravel()),
     helper.make_tensor("step", TensorProto.INT64, [], [4]),
     helper.make_tensor("window", F, [8], window)])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
open(sys.argv[1] + ".onnx", "wb").write(model.SerializeToString())
np.save(sys.argv[1] + ".x.npy", x)

# CHECK: full True
# CHECK: half True
# CHECK: back True
# CHECK: frames True
