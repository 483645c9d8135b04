"""ONNX import from Python: load, inspect, edit, compile."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import strata


def write_model(path):
    w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(3, 4) / 10, "W")
    nodes = [helper.make_node("MatMul", ["x", "W"], ["h"], name="mm"),
             helper.make_node("Relu", ["h"], ["y"], name="relu")]
    graph = helper.make_graph(nodes, "tiny",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 4])],
                              initializer=[w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open(path, "wb").write(model.SerializeToString())
    return np.arange(12, dtype=np.float32).reshape(3, 4) / 10


def test_load_inspect_edit_compile(tmp_path):
    path = str(tmp_path / "tiny.onnx")
    w = write_model(path)
    g = strata.onnx.load(path)
    assert g.name == "tiny"
    assert [(v.shape, v.dtype) for v in g.inputs] == [((2, 3), "f32")]
    assert [v.shape for v in g.outputs] == [(2, 4)]
    assert "graph.matmul" in g.mlir()
    # Edit: append a softmax after the imported output.
    y = g.outputs[0]
    g.set_outputs([g.softmax(y)], names=["probs"])
    m = strata.compile(g)
    assert m.output_specs == [strata.TensorSpec("probs", (2, 4), "f32")]
    x = np.random.rand(2, 3).astype(np.float32)
    h = np.maximum(x @ w, 0)
    e = np.exp(h - h.max(1, keepdims=True))
    np.testing.assert_allclose(m(x), e / e.sum(1, keepdims=True), rtol=1e-5)
    # Directly from the file.
    np.testing.assert_allclose(strata.compile(path)(x), h, rtol=1e-5)


def test_unsupported_operators_raise(tmp_path):
    path = str(tmp_path / "bad.onnx")
    node = helper.make_node("Unique", ["x"], ["y"], name="u")
    graph = helper.make_graph([node], "bad",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [3])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [3])])
    open(path, "wb").write(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())
    with pytest.raises(strata.Error, match=r"unsupported ONNX operator:\s+Unique \(1 node: u\)"):
        strata.onnx.load(path)
    with pytest.raises(strata.Error, match="no such file"):
        strata.onnx.load(str(tmp_path / "none.onnx"))
    open(str(tmp_path / "junk.onnx"), "wb").write(b"not a model")
    with pytest.raises(strata.Error, match="not a valid ONNX model"):
        strata.onnx.load(str(tmp_path / "junk.onnx"))
