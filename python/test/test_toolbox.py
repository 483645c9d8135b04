"""What users of ONNX Runtime expect of a compiled model: inputs and
outputs by name, latency statistics, a per-node profile, compile times."""

import json

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

import strata


def write_model(path):
    """x (2x8) @ W -> + b -> Relu -> Flatten, with named nodes."""
    w = numpy_helper.from_array(np.linspace(-1, 1, 64, dtype=np.float32).reshape(8, 8), "W")
    b = numpy_helper.from_array(np.linspace(0, 1, 8, dtype=np.float32), "b")
    nodes = [helper.make_node("MatMul", ["x", "W"], ["h"], name="mm"),
             helper.make_node("Add", ["h", "b"], ["a"], name="bias"),
             helper.make_node("Relu", ["a"], ["r"], name="relu"),
             helper.make_node("Flatten", ["r"], ["y"], name="flat")]
    graph = helper.make_graph(nodes, "named",
                              [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 8])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, [2, 8])],
                              initializer=[w, b])
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    open(path, "wb").write(model.SerializeToString())
    return lambda x: np.maximum(x @ numpy_helper.to_array(w) + numpy_helper.to_array(b), 0)


@pytest.fixture
def model(tmp_path):
    path = str(tmp_path / "named.onnx")
    reference = write_model(path)
    return strata.compile(path, threads=1), reference


def test_inputs_by_name(model):
    m, reference = model
    x = np.random.rand(2, 8).astype(np.float32)
    expected = reference(x)
    np.testing.assert_allclose(m(x=x), expected, rtol=1e-5)
    np.testing.assert_allclose(m({"x": x}), expected, rtol=1e-5)
    assert list(m.run(x)) == ["y"]
    np.testing.assert_allclose(m.run(x=x)["y"], expected, rtol=1e-5)
    with pytest.raises(strata.Error, match="unknown input 'z'; the model takes 'x'"):
        m(z=x)
    with pytest.raises(strata.Error, match="missing input 'x'"):
        m({})
    with pytest.raises(strata.Error, match="by position or by name, not both"):
        m(x, x=x)


def test_benchmark_statistics(model):
    m, _ = model
    x = np.random.rand(2, 8).astype(np.float32)
    stats = m.benchmark(x, warmup=1, repeat=5)
    assert isinstance(stats, strata.Benchmark)
    assert stats.runs == 5
    assert 0 < stats.min_ms <= stats.median_ms <= stats.max_ms
    assert stats.min_ms <= stats.mean_ms <= stats.max_ms
    with pytest.raises(strata.Error, match="repeat must be at least 1"):
        m.benchmark(x, repeat=0)


def test_profile_lists_every_node(model, tmp_path):
    m, _ = model
    x = np.random.rand(2, 8).astype(np.float32)
    profile = m.profile(x=x, repeat=3)
    timed = [row for row in profile.rows if row.kernel is not None]
    assert timed, profile
    # The fused kernel names every node it computes; Flatten is a view.
    nodes = {node for row in timed for node in row.nodes}
    assert {"mm", "bias", "relu"} <= nodes, profile
    untimed = [row for row in profile.rows if row.kernel is None]
    assert [row.nodes for row in untimed] == [("flat",)]
    assert all(row.time_ms >= 0 and row.calls >= 1 for row in timed)
    assert abs(sum(row.percent for row in timed) - 100) < 1e-6
    assert 0 < profile.kernels_ms <= profile.latency_ms
    assert "kernels:" in str(profile) and "mm" in str(profile)
    trace = tmp_path / "trace.json"
    profile.trace(str(trace))
    events = json.load(open(trace))["traceEvents"]
    assert sum(e["cat"] == "run" for e in events) == 3
    assert any(e["cat"] == "kernel" and "mm" in e["args"]["nodes"] for e in events)
    png = tmp_path / "profile.png"
    profile.plot(str(png))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_compile_times(model):
    m, _ = model
    phases = [phase for phase, _ in m.compile_times]
    assert phases == ["import", "graph", "tensorx", "linalg", "loops", "llvm",
                      "llvm-translate", "llvm-optimize", "machine-code", "link"]
    assert all(seconds >= 0 for _, seconds in m.compile_times)


def test_compile_accepts_what_users_pass(model, tmp_path):
    import onnx
    m, reference = model
    x = np.random.rand(2, 8).astype(np.float32)
    path = str(tmp_path / "named.onnx")
    proto = onnx.load(path)
    np.testing.assert_allclose(strata.compile(proto)(x), reference(x), rtol=1e-5)
    np.testing.assert_allclose(strata.compile(proto.SerializeToString(), threads=0)(x),
                               reference(x), rtol=1e-5)
    assert strata.compile(path, threads=0).threads >= 1
    with pytest.raises(strata.Error, match="entry applies to MLIR modules"):
        strata.compile(path, entry="main")
    with pytest.raises(strata.Error, match="cannot open 'missing.mlir': no such file"):
        strata.compile("missing.mlir")
    with pytest.raises(strata.Error, match="threads must be an int, at least 1"):
        strata.compile(path, threads=-1)
    # Text at the LLVM level: a short message, not the module echoed.
    with pytest.raises(strata.Error, match="at the LLVM level") as error:
        strata.compile(m.mlir("llvm"))
    assert len(str(error.value)) < 400


def test_levels_and_version(model):
    m, _ = model
    assert "graph.matmul" in m.mlir("input") and "graph.fusion" not in m.mlir("input")
    assert "graph.fusion" in m.mlir("graph")
    with pytest.raises(strata.Error, match="use input, graph, tensorx"):
        m.mlir("bogus")
    assert isinstance(strata.__version__, str)
    assert strata.__version__.count(".") == 2


def test_compile_timing_report(tmp_path, capsys):
    path = str(tmp_path / "named.onnx")
    write_model(path)
    strata.compile(path, threads=1, timing=True)
    report = capsys.readouterr().err.splitlines()
    assert report[0] == "compile time:"
    assert [line.split()[0] for line in report[1:]] == [
        "import", "graph", "tensorx", "linalg", "loops", "llvm",
        "llvm-translate", "llvm-optimize", "machine-code", "link", "total"]
