"""strata.quantize: post-training static quantization of ONNX models into
QDQ form. The quantized models are checked against a numpy model of the
same quantization (fake-quantized float arithmetic), and the written file
against the returned Graph."""


import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

import strata


def conv_gemm_model(seed=0, opset=13):
    """image 1x2x6x6 -> Conv(4, 3x3, pad 1) -> Relu -> Flatten -> Gemm(5)."""
    rng = np.random.default_rng(seed)
    inits = [numpy_helper.from_array(a.astype(np.float32), n) for n, a in [
        ("w", rng.standard_normal((4, 2, 3, 3)) * 0.3),
        ("b", rng.standard_normal(4) * 0.1),
        ("fc", rng.standard_normal((5, 144)) * 0.1),
        ("fc_b", rng.standard_normal(5) * 0.1)]]
    nodes = [
        helper.make_node("Conv", ["image", "w", "b"], ["c"], name="conv",
                         pads=[1, 1, 1, 1]),
        helper.make_node("Relu", ["c"], ["r"], name="relu"),
        helper.make_node("Flatten", ["r"], ["f"], name="flatten"),
        helper.make_node("Gemm", ["f", "fc", "fc_b"], ["logits"], name="fc",
                         transB=1)]
    graph = helper.make_graph(
        nodes, "g", [helper.make_tensor_value_info("image", TensorProto.FLOAT,
                                                   [1, 2, 6, 6])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 5])],
        initializer=inits)
    return helper.make_model(graph, opset_imports=[
        helper.make_opsetid("", opset)])


def calibration(n=8, seed=1):
    rng = np.random.default_rng(seed)
    return [rng.standard_normal((1, 2, 6, 6)).astype(np.float32)
            for _ in range(n)]


def fake_quantize(x, scale, zero_point, low, high):
    q = np.clip(np.round(x / scale) + zero_point, low, high)
    return ((q - zero_point) * scale).astype(np.float32)


def reference(model, report, x):
    """The quantized model's output computed with numpy from the report's
    scales: every quantized tensor replaced by its fake-quantized value."""
    import torch
    params = {t.name: t for t in report.tensors}
    w = {t.name: numpy_helper.to_array(t) for t in model.graph.initializer}

    def act(name, v):
        t = params[name]
        return fake_quantize(v, t.scale[0], t.zero_point[0], 0, 255)

    def weight(name, axis):
        t = params[name]
        shape = [-1 if d == axis else 1 for d in range(w[name].ndim)]
        return fake_quantize(w[name], t.scale.reshape(shape), 0, -127, 127)

    def bias(name, scale):
        return (np.round(w[name] / scale) * scale).astype(np.float32)

    xs = act("image", x)
    ws = weight("w", 0)
    c = torch.nn.functional.conv2d(
        torch.from_numpy(xs), torch.from_numpy(ws),
        torch.from_numpy(bias("b", params["image"].scale[0] *
                              params["w"].scale)), padding=1).numpy()
    f = act("f", act("r", np.maximum(c, 0)).reshape(1, -1))
    fc = weight("fc", 0)
    return f @ fc.T + bias("fc_b", params["f"].scale[0] * params["fc"].scale)


def test_quantized_model_matches_its_numpy_model(tmp_path):
    model = conv_gemm_model()
    path = tmp_path / "m.onnx"
    onnx.save(model, str(path))
    out = tmp_path / "m_int8.onnx"
    g = strata.quantize(str(path), calibration(), output=str(out))
    report = g.quantization
    assert report.path == str(out) and out.exists()
    kinds = {t.name: t.kind for t in report.tensors}
    # The convolution's result (after its ReLU) too, not the model output.
    assert kinds == {"image": "activation", "r": "activation",
                     "f": "activation", "w": "weight", "fc": "weight"}
    assert report.tensors[0].zero_point.dtype == np.uint8
    assert all(t.scale.shape == (4,) for t in report.tensors if t.name == "w")
    written = onnx.load(str(out))
    ops = [n.op_type for n in written.graph.node]
    assert ops.count("QuantizeLinear") == 3
    assert ops.count("DequantizeLinear") == 3 + 2 + 2  # acts, weights, biases
    m = strata.compile(g)
    for x in calibration(4, seed=5):
        np.testing.assert_allclose(m(x), reference(model, report, x),
                                   rtol=1e-4, atol=1e-4)
    # The error against float is reported, and small for a tiny model.
    assert 0 < report.output_error["logits"] < 0.05
    text = str(report)
    assert "activation" in text and "4 channels" in text and "logits" in text


def test_per_tensor_and_percentile():
    g = strata.quantize(conv_gemm_model(), calibration(), per_channel=False,
                        method="percentile", percentile=99.0)
    weights = [t for t in g.quantization.tensors if t.kind == "weight"]
    assert all(t.scale.size == 1 and t.axis is None for t in weights)
    minmax = strata.quantize(conv_gemm_model(), calibration())
    image = {t.name: t for t in minmax.quantization.tensors}["image"]
    clipped = {t.name: t for t in g.quantization.tensors}["image"]
    # Percentiles drop the extremes: a narrower range than min..max.
    assert clipped.high - clipped.low < image.high - image.low
    out = strata.compile(g)(calibration(1)[0])
    assert out.shape == (1, 5) and np.all(np.isfinite(out))


def test_calibration_by_name_and_bytes():
    model = conv_gemm_model()
    samples = [{"image": x} for x in calibration(3)]
    g = strata.quantize(model.SerializeToString(), samples)
    assert g.quantization.path is None
    assert isinstance(g.quantization.model, onnx.ModelProto)


@pytest.mark.parametrize("kwargs, message", [
    ({"calibration": []}, "calibration must be a non-empty list"),
    ({"calibration": [(np.zeros((1, 2, 6, 6), np.float32),) * 2]},
     "has 2 arrays; the model takes 1 inputs (image)"),
    ({"calibration": [{"x": 1}]}, "lacks input image"),
    ({"method": "kl"}, "method must be one of minmax, percentile"),
    ({"method": "percentile", "percentile": 20}, "percentile must be in"),
])
def test_bad_arguments(kwargs, message):
    args = {"calibration": calibration(1)}
    args.update(kwargs)
    with pytest.raises(strata.Error, match=message.replace("(", r"\(")
                       .replace(")", r"\)")):
        strata.quantize(conv_gemm_model(), **args)


def test_bad_models(tmp_path):
    with pytest.raises(strata.Error, match="no such file"):
        strata.quantize(str(tmp_path / "missing.onnx"), calibration(1))
    with pytest.raises(strata.Error, match="takes an ONNX model"):
        strata.quantize(strata.Graph(), calibration(1))
    with pytest.raises(strata.Error, match="per_channel=False"):
        strata.quantize(conv_gemm_model(opset=11), calibration(1))
    g = strata.quantize(conv_gemm_model(opset=11), calibration(1),
                        per_channel=False)
    assert len(g.quantization.tensors) == 5
    nothing = helper.make_model(helper.make_graph(
        [helper.make_node("Relu", ["x"], ["y"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])]),
        opset_imports=[helper.make_opsetid("", 13)])
    with pytest.raises(strata.Error, match="nothing to quantize"):
        strata.quantize(nothing, [np.zeros(2, np.float32)])


def test_weights_through_identity():
    """PyTorch exports shared initializers through Identity nodes: they are
    quantized like the initializers themselves, and the Identity nodes go."""
    model = conv_gemm_model()
    graph = model.graph
    graph.node.insert(0, helper.make_node("Identity", ["b"], ["b_shared"]))
    graph.node.insert(0, helper.make_node("Identity", ["w"], ["w_shared"]))
    conv = [n for n in graph.node if n.op_type == "Conv"][0]
    conv.input[1], conv.input[2] = "w_shared", "b_shared"
    g = strata.quantize(model, calibration())
    written = g.quantization.model
    assert "Identity" not in [n.op_type for n in written.graph.node]
    assert {"w_shared", "fc"} <= {t.name for t in g.quantization.tensors}
    inits = {t.name for t in written.graph.initializer}
    assert "w" not in inits and "b" not in inits
    # The same model as without the Identity nodes.
    plain = strata.quantize(conv_gemm_model(), calibration())
    x = calibration(1, seed=5)[0]
    np.testing.assert_array_equal(strata.compile(g)(x),
                                  strata.compile(plain)(x))
