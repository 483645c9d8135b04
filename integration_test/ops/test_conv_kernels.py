"""The CPU pipeline's convolution kernels, end to end against numpy: ONNX
models whose weights are initializers (constants), as imported models have
them, so that strata-cpu-winograd-convolutions (3x3 stride 1, constant filter)
and strata-cpu-direct-convolutions (stride 1 and 2) rewrite them; odd sizes,
epilogues, residual adds and 2 threads included."""

import numpy as np
import pytest

onnx = pytest.importorskip("onnx", reason="python3-onnx is required")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from test_graph_ops import conv_ref  # noqa: E402


def conv_model(x_shape, w, b, stride, pad, epilogue):
    """Conv (weights and bias as initializers) then `epilogue`: "none",
    "relu", "clip" (ReLU6) or "residual" (+ the input, then ReLU)."""
    n, c, h, wd = x_shape
    f = w.shape[0]
    oh = (h + 2 * pad - w.shape[2]) // stride + 1
    ow = (wd + 2 * pad - w.shape[3]) // stride + 1
    inits = [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b, "b")]
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["y"],
                              strides=[stride, stride], pads=[pad] * 4,
                              kernel_shape=list(w.shape[2:]))]
    out = "y"
    if epilogue == "relu":
        nodes.append(helper.make_node("Relu", ["y"], ["z"]))
        out = "z"
    elif epilogue == "clip":
        inits += [numpy_helper.from_array(np.array(0, np.float32), "lo"),
                  numpy_helper.from_array(np.array(6, np.float32), "hi")]
        nodes.append(helper.make_node("Clip", ["y", "lo", "hi"], ["z"]))
        out = "z"
    elif epilogue == "residual":
        nodes += [helper.make_node("Add", ["y", "x"], ["s"]),
                  helper.make_node("Relu", ["s"], ["z"])]
        out = "z"
    graph = helper.make_graph(
        nodes, "conv",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x_shape))],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, [n, f, oh, ow])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    return model.SerializeToString()


def reference(x, w, b, stride, pad, epilogue):
    y = conv_ref(x, w, b, (stride, stride), (pad,) * 4, (1, 1), 1)
    if epilogue == "relu":
        y = np.maximum(y, 0)
    elif epilogue == "clip":
        y = np.clip(y, 0, 6)
    elif epilogue == "residual":
        y = np.maximum(y + x, 0)
    return y


# (image, filters, kernel, stride, pad, epilogue): which kernel runs.
CASES = [
    # Winograd F(2,3): band of several tile rows, two filter tiles.
    ((1, 8, 16, 16), 16, 3, 1, 1, "relu"),
    # Winograd: not square, many channels, a clip epilogue.
    ((1, 24, 12, 20), 32, 3, 1, 1, "clip"),
    # Winograd, wider than one output vector (two chunks per tile row).
    ((1, 4, 40, 72), 8, 3, 1, 1, "none"),
    # Winograd on a wide image: 75 tiles per row, a loop over 4 whole
    # chunks of 16 then a masked one, with the residual read per chunk.
    ((1, 8, 12, 150), 8, 3, 1, 1, "residual"),
    # Winograd, two bands of 14 tile rows by 4 groups of 2 filter tiles
    # (the matmuls element by element, each over both tiles).
    ((1, 8, 56, 56), 64, 3, 1, 1, "relu"),
    # Winograd at ResNet-18's layer-2 size: 7 bands of 2 tile rows; at 2
    # threads, 7 tile rows per thread (3 bands and a tail band of 1 row in
    # runs half as wide), with the residual add in the tiles.
    ((1, 128, 28, 28), 128, 3, 1, 1, "residual"),
    # Winograd followed by a residual add.
    ((1, 16, 14, 14), 16, 3, 1, 1, "residual"),
    # Odd output size: the direct kernel instead.
    ((1, 8, 15, 15), 16, 3, 1, 1, "relu"),
    # Stride 2: phase images, direct kernel.
    ((1, 8, 17, 16), 16, 3, 2, 1, "relu"),
    # 7x7 stride 2 (ResNet's first layer, smaller): a loop over the rows.
    ((1, 3, 32, 32), 16, 7, 2, 3, "relu"),
    # Small images (wide rows in at most two strips: ResNet's last layers):
    # tiles of one 64-pixel strip by 4 filters, stride 1 and 2.
    ((1, 32, 7, 7), 16, 3, 1, 1, "relu"),
    # ... whose one strip covers the image: the residual add in the tiles.
    ((1, 32, 7, 7), 32, 3, 1, 1, "residual"),
    ((1, 16, 14, 14), 24, 3, 2, 1, "none"),
    # 1x1 stride 2 (ResNet's downsampling shortcuts): the pixels it reads
    # gathered by row shuffles, then a matmul; an odd image size too.
    ((1, 64, 56, 56), 128, 1, 2, 0, "none"),
    ((1, 8, 15, 15), 16, 1, 2, 0, "relu"),
]


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("case", CASES, ids=lambda c: "x%s_f%d_k%d_s%d_%s" % (
    "x".join(map(str, c[0])), c[1], c[2], c[3], c[5]))
def test_conv_kernel(runner, case, threads):
    shape, filters, k, stride, pad, epilogue = case
    rng = np.random.default_rng(sum(shape) + filters + k)
    x = rng.uniform(-1, 1, shape).astype(np.float32)
    w = rng.uniform(-0.5, 0.5, (filters, shape[1], k, k)).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, filters).astype(np.float32)
    model = conv_model(shape, w, b, stride, pad, epilogue)
    out = runner.run(model, [x], model_suffix=".onnx", threads=threads)
    expected = reference(x, w, b, stride, pad, epilogue)
    assert out.shape == expected.shape
    scale = max(1.0, float(np.abs(expected).max()))
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5 * scale)


# --- ConvTranspose, against PyTorch's conv_transpose ------------------------

torch = None
try:
    import torch  # noqa: E402
except ImportError:
    pass


def run_node(runner, node, x, w, b, constant):
    """Runs `node` (inputs x, w, b; output y) with the bias an initializer
    and the weight an initializer (`constant`) or a graph input."""
    inputs = [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)]
    inits = [numpy_helper.from_array(b, "b")]
    feeds = [x]
    if constant:
        inits.append(numpy_helper.from_array(w, "w"))
    else:
        inputs.append(helper.make_tensor_value_info("w", TensorProto.FLOAT,
                                                    w.shape))
        feeds.append(w)
    graph = helper.make_graph(
        [node], "g", inputs,
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], inits)
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    return runner.run(model.SerializeToString(), feeds, model_suffix=".onnx")


# (input shape, output channels, kernel, stride, pads, output_padding,
#  dilation, groups)
TRANSPOSED = [
    ((1, 4, 5, 5), 6, (3, 3), (2, 2), (1, 1), (1, 1), (1, 1), 1),
    ((2, 6, 4, 7), 4, (2, 3), (2, 1), (0, 1), (0, 0), (1, 2), 2),
    ((1, 8, 6, 6), 8, (4, 4), (2, 2), (1, 1), (0, 0), (1, 1), 8),
    ((1, 3, 3, 3), 5, (3, 3), (1, 1), (2, 2), (0, 0), (1, 1), 1),
    ((1, 2, 9), 3, (5,), (3,), (2,), (2,), (1,), 1),
]


@pytest.mark.parametrize("constant", [True, False],
                         ids=["weights-constant", "weights-input"])
@pytest.mark.parametrize("case", TRANSPOSED, ids=str)
def test_conv_transpose(runner, case, constant):
    if torch is None:
        pytest.skip("python3-torch is required")
    shape, out_ch, k, stride, pads, out_pad, dil, groups = case
    rng = np.random.default_rng(len(shape) + out_ch + sum(k))
    x = rng.uniform(-1, 1, shape).astype(np.float32)
    w = rng.uniform(-0.5, 0.5,
                    (shape[1], out_ch // groups) + tuple(k)).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, out_ch).astype(np.float32)
    fn = torch.nn.functional.conv_transpose2d if len(shape) == 4 else \
        torch.nn.functional.conv_transpose1d
    expected = fn(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b),
                  stride=stride, padding=pads, output_padding=out_pad,
                  groups=groups, dilation=dil).numpy()
    node = helper.make_node(
        "ConvTranspose", ["x", "w", "b"], ["y"], strides=list(stride),
        pads=list(pads) * 2, output_padding=list(out_pad),
        dilations=list(dil), group=groups)
    out = run_node(runner, node, x, w, b, constant)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


# --- 3-D convolution and pooling, against PyTorch ---------------------------

# (input shape, output channels, kernel, stride, pads, dilation, groups)
VOLUMES = [
    ((1, 4, 5, 6, 7), 6, (3, 3, 3), (1, 1, 1), (1, 1, 1), (1, 1, 1), 1),
    ((2, 4, 6, 5, 5), 4, (2, 3, 1), (2, 1, 2), (1, 0, 0), (2, 1, 1), 2),
]


@pytest.mark.parametrize("constant", [True, False],
                         ids=["weights-constant", "weights-input"])
@pytest.mark.parametrize("case", VOLUMES, ids=str)
def test_conv3d(runner, case, constant):
    if torch is None:
        pytest.skip("python3-torch is required")
    shape, out_ch, k, stride, pads, dil, groups = case
    rng = np.random.default_rng(sum(shape))
    x = rng.uniform(-1, 1, shape).astype(np.float32)
    w = rng.uniform(-0.5, 0.5,
                    (out_ch, shape[1] // groups) + k).astype(np.float32)
    b = rng.uniform(-0.5, 0.5, out_ch).astype(np.float32)
    expected = torch.nn.functional.conv3d(
        torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(b),
        stride=stride, padding=pads, dilation=dil, groups=groups).numpy()
    node = helper.make_node("Conv", ["x", "w", "b"], ["y"],
                            strides=list(stride), pads=list(pads) * 2,
                            dilations=list(dil), group=groups)
    out = run_node(runner, node, x, w, b, constant)
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("op,include_pad", [("MaxPool", 0),
                                            ("AveragePool", 0),
                                            ("AveragePool", 1)])
def test_pool3d(runner, op, include_pad):
    if torch is None:
        pytest.skip("python3-torch is required")
    x = np.random.default_rng(5).uniform(-1, 1, (2, 3, 7, 6, 5)).astype(
        np.float32)
    k, s, p = (3, 2, 3), (2, 1, 2), (1, 1, 1)
    t = torch.from_numpy(x)
    if op == "MaxPool":
        expected = torch.nn.functional.max_pool3d(t, k, s, p).numpy()
        attrs = {}
    else:
        expected = torch.nn.functional.avg_pool3d(
            t, k, s, p, count_include_pad=bool(include_pad)).numpy()
        attrs = {"count_include_pad": include_pad}
    node = helper.make_node(op, ["x"], ["y"], kernel_shape=list(k),
                            strides=list(s), pads=list(p) * 2, **attrs)
    graph = helper.make_graph(
        [node], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, x.shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 13)])
    out = runner.run(model.SerializeToString(), [x], model_suffix=".onnx")
    assert out.shape == expected.shape
    np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-6)
