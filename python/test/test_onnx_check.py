"""strata.onnx.check: every blocker of an ONNX model at once, before
compiling."""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

import strata


def save(tmp_path, nodes, inputs, outputs, initializers=(), opset=13):
    graph = helper.make_graph(nodes, "g", inputs, outputs,
                              initializer=list(initializers))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    path = str(tmp_path / "model.onnx")
    onnx.save(model, path)
    return path


def tensor(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def test_a_model_that_compiles_has_no_problems(tmp_path):
    path = save(tmp_path, [helper.make_node("Relu", ["x"], ["y"], name="r")],
                [tensor("x", [2, 3])], [tensor("y", [2, 3])])
    assert strata.onnx.check(path) == []


def test_every_blocker_at_once(tmp_path):
    shape = numpy_helper.from_array(np.array([6], np.int64), "six")
    nodes = [
        helper.make_node("Relu", ["x"], ["a"], name="relu"),
        helper.make_node("FancyOp", ["a"], ["b"], name="fancy", domain="my"),
        helper.make_node("Unique", ["a"], ["u"], name="uniq"),
        # Depends on an unsupported node: not reported again.
        helper.make_node("Relu", ["b"], ["c"], name="after_fancy"),
        # A shape computed at run time.
        helper.make_node("Shape", ["z"], ["zs"], name="shape_of_z"),
        helper.make_node("Reshape", ["z", "s"], ["d"], name="reshape_by_input"),
        helper.make_node("Reshape", ["z", "six"], ["e"], name="fine_reshape"),
        # Depends on the unsized input: checked once it is sized.
        helper.make_node("Reshape", ["a", "six"], ["f"], name="reshape_a"),
    ]
    path = save(tmp_path, nodes,
                [tensor("x", ["batch", 3]), tensor("z", [2, 3]),
                 tensor("s", [1], TensorProto.INT64)],
                [tensor("c", None), tensor("d", None), tensor("e", None),
                 tensor("f", None), tensor("u", None)],
                initializers=[shape])
    problems = strata.onnx.check(path)
    text = "\n".join(problems)
    assert "unsupported ONNX operator" in text
    assert "my.FancyOp (1 node: fancy)" in text
    assert "Unique (1 node: uniq)" in text
    assert "dynamic dimension 'batch'" in text and "--dim batch=N" in text
    assert "reshape_by_input" in text and "must be known at import" in text
    assert "checked once it is sized" in text
    assert "after_fancy" not in text
    assert "fine_reshape" not in text
    assert "reshape_a" not in text
    assert len(problems) == 3, problems
    # Sized, the dimension is no longer a problem, and its users are
    # checked: 1x3 does not reshape to 6.
    sized = "\n".join(strata.onnx.check(path, dims={"batch": 1}))
    assert "batch" not in sized
    assert "reshape_a" in sized and "cannot reshape 1x3" in sized
    assert strata.onnx.check(path, dims={"batch": 2}) != []


def test_unsupported_opset_and_missing_file(tmp_path):
    path = save(tmp_path, [helper.make_node("Relu", ["x"], ["y"])],
                [tensor("x", [2])], [tensor("y", [2])], opset=18)
    problems = strata.onnx.check(path)
    assert len(problems) == 1 and "opset 18 is not supported" in problems[0]
    assert strata.onnx.check(tmp_path / "missing.onnx") == [
        "cannot open %r: no such file" % str(tmp_path / "missing.onnx")]
