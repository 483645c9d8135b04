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


def write_dynamic_model(path):
    """y = relu(x @ W) for x of shape (batch, 3), batch a dim_param, and a
    second input z of shape (?, 4) whose first dimension has no name."""
    w = numpy_helper.from_array(np.arange(12, dtype=np.float32).reshape(3, 4) / 10, "W")
    nodes = [helper.make_node("MatMul", ["x", "W"], ["h"], name="mm"),
             helper.make_node("Relu", ["h"], ["r"], name="relu"),
             helper.make_node("Add", ["r", "z"], ["y"], name="add")]
    unnamed = helper.make_tensor_value_info("z", TensorProto.FLOAT, [1, 4])
    unnamed.type.tensor_type.shape.dim[0].Clear()
    graph = helper.make_graph(nodes, "dynamic",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", 3]),
                               unnamed],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 4])],
                              initializer=[w])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open(path, "wb").write(model.SerializeToString())
    return np.arange(12, dtype=np.float32).reshape(3, 4) / 10


def test_dynamic_dimensions_take_the_given_sizes(tmp_path):
    path = str(tmp_path / "dynamic.onnx")
    w = write_dynamic_model(path)
    for batch in (1, 5):
        m = strata.compile(path, dims={"batch": batch},
                           input_shapes={"z": (batch, 4)})
        assert [s.shape for s in m.input_specs] == [(batch, 3), (batch, 4)]
        x = np.random.rand(batch, 3).astype(np.float32)
        z = np.random.rand(batch, 4).astype(np.float32)
        np.testing.assert_allclose(m(x, z), np.maximum(x @ w, 0) + z, rtol=1e-5)
    g = strata.onnx.load(path, input_shapes={"x": [2, 3], "z": [2, 4]})
    assert [v.shape for v in g.inputs] == [(2, 3), (2, 4)]


def test_dynamic_dimensions_left_unsized_or_misnamed_raise(tmp_path):
    path = str(tmp_path / "dynamic.onnx")
    write_dynamic_model(path)
    with pytest.raises(strata.Error, match=r"'x' has a dynamic dimension 'batch' "
                       r"\(dimension 0\).*dims=\{\"batch\": N\}"):
        strata.onnx.load(path)
    with pytest.raises(strata.Error, match=r"'z' has a dynamic dimension "
                       r"\(dimension 0, unnamed\).*input_shapes=\{\"z\""):
        strata.onnx.load(path, dims={"batch": 2})
    with pytest.raises(strata.Error, match=r"no graph input has a dynamic "
                       r"dimension named 'bach' \(the model's are: batch\)"):
        strata.compile(path, dims={"bach": 2})
    with pytest.raises(strata.Error, match=r"no graph input 'w' to give a shape "
                       r"to \(its inputs are: x, z\)"):
        strata.compile(path, input_shapes={"w": (2, 3)})
    with pytest.raises(strata.Error, match=r"'x' has dimension 1 fixed to 3 but "
                       r"its shape override gives 4"):
        strata.onnx.load(path, input_shapes={"x": (2, 4), "z": (2, 4)})
    for bad in ({"batch": 0}, {"batch": 2.0}, [("batch", 2)]):
        with pytest.raises(strata.Error, match="dims must map dimension names"):
            strata.onnx.load(path, dims=bad)
    with pytest.raises(strata.Error, match="input_shapes must map input names"):
        strata.onnx.load(path, input_shapes={"x": ()})
    with pytest.raises(strata.Error, match="apply to ONNX models; a Graph or MLIR module has static shapes"):
        strata.compile(strata.onnx.load(path, input_shapes={"x": [2, 3], "z": [2, 4]}),
                       dims={"batch": 2})


def test_dynamic_model_compiles_per_input_shapes(tmp_path):
    path = str(tmp_path / "dynamic.onnx")
    w = write_dynamic_model(path)
    m = strata.compile(path, threads=1)
    assert isinstance(m, strata.ShapeSpecializedModel)
    assert m.input_specs == [strata.TensorSpec("x", ("batch", 3), "f32"),
                             strata.TensorSpec("z", (None, 4), "f32")]
    for batch in (2, 7, 2):
        x = np.random.rand(batch, 3).astype(np.float32)
        z = np.random.rand(batch, 4).astype(np.float32)
        np.testing.assert_allclose(m(x, z), np.maximum(x @ w, 0) + z, rtol=1e-5)
    # Shapes seen before reuse their compiled model.
    assert m.compiled_shapes == [((2, 3), (2, 4)), ((7, 3), (7, 4))]
    assert m.specialize((7, 3), (7, 4)) is m.specialize([7, 3], [7, 4])
    assert m.specialize((7, 3), (7, 4)).threads == 1
    with pytest.raises(strata.Error, match="1 input shapes given but the model takes 2"):
        m(np.zeros((2, 3), np.float32))
    with pytest.raises(strata.Error, match=r"'x' has dimension 1 fixed to 3 but "
                       r"its shape override gives 5"):
        m(np.zeros((2, 5), np.float32), np.zeros((2, 4), np.float32))
    # A model with static shapes compiles at once, as before.
    static = str(tmp_path / "tiny.onnx")
    write_model(static)
    assert isinstance(strata.compile(static), strata.Model)


def test_shape_inputs_take_the_given_values(tmp_path):
    path = str(tmp_path / "reshape.onnx")
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("shape", TensorProto.INT64, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    open(path, "wb").write(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    with pytest.raises(strata.Error, match=r"shape \(input #1\) must be known at import"):
        strata.onnx.load(path)
    m = strata.compile(path, input_values={"shape": [3, -1]})
    assert m.specialized_inputs == ["shape"]
    np.testing.assert_array_equal(m(x, np.array([3, -1])), x.reshape(3, 2))
    with pytest.raises(strata.Error, match=r"input 'shape' determines shapes: this "
                       r"model was compiled for \[3, -1\], not \[6, 1\]"):
        m(x, np.array([6, 1]))
    g = strata.onnx.load(path, input_values={"shape": np.array([1, 6], np.int32)})
    assert [v.shape for v in g.outputs] == [(1, 6)]
    with pytest.raises(strata.Error, match=r"no graph input 'shap' to give a value "
                       r"to \(its inputs are: x, shape\)"):
        strata.compile(path, input_values={"shap": [3, -1]})
    with pytest.raises(strata.Error, match=r"input_values\['shape'\] must be an "
                       r"integer array"):
        strata.compile(path, input_values={"shape": [3.0, -1.0]})


def test_shape_inputs_recompile_per_value(tmp_path):
    """Without input_values, a model whose graph input is a shape operand
    compiles per call, once per distinct value of that input; an integer
    input that is not a shape operand (token ids) does not key the cache."""
    path = str(tmp_path / "reshape_gather.onnx")
    table = numpy_helper.from_array(
        np.arange(20, dtype=np.float32).reshape(10, 2), "table")
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "shape"], ["y"]),
         helper.make_node("Gather", ["table", "ids"], ["z"])], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("shape", TensorProto.INT64, [2]),
         helper.make_tensor_value_info("ids", TensorProto.INT64, [3])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None),
         helper.make_tensor_value_info("z", TensorProto.FLOAT, None)],
        [table])
    open(path, "wb").write(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)]).SerializeToString())
    m = strata.compile(path)
    assert isinstance(m, strata.ShapeSpecializedModel)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    y, z = m(x, np.array([3, -1]), np.array([0, 1, 2]))
    np.testing.assert_array_equal(y, x.reshape(3, 2))
    np.testing.assert_array_equal(z, [[0, 1], [2, 3], [4, 5]])
    y, z = m(x, np.array([3, -1]), np.array([9, 8, 7]))
    np.testing.assert_array_equal(z, [[18, 19], [16, 17], [14, 15]])
    assert len(m.compiled_models) == 1
    assert m.compiled_models[0].specialized_inputs == ["shape"]
    y, _ = m(x, np.array([1, 6]), np.array([0, 0, 0]))
    np.testing.assert_array_equal(y, x.reshape(1, 6))
    assert len(m.compiled_models) == 2
    y, _ = m(x, np.array([3, -1]), np.array([0, 0, 0]))
    np.testing.assert_array_equal(y, x.reshape(3, 2))
    assert len(m.compiled_models) == 2
