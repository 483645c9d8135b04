"""Saving and loading compiled models, and the compile cache."""

import os
import subprocess
import sys

import numpy as np
import pytest

import strata
from test_toolbox import write_model


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    """The compile cache on, in a directory of the test's own."""
    directory = tmp_path / "cache"
    monkeypatch.delenv("STRATA_CACHE", raising=False)
    monkeypatch.setenv("STRATA_CACHE_DIR", str(directory))
    return directory


def mlp_graph():
    g = strata.Graph("mlp")
    x = g.input("x", (4, 16), "f32")
    w = g.constant(np.linspace(-1, 1, 16 * 8, dtype=np.float32).reshape(16, 8))
    g.output(g.relu(g.matmul(x, w)))
    return g, w


def test_save_and_load(tmp_path):
    g, _ = mlp_graph()
    m = strata.compile(g, threads=1)
    x = np.random.rand(4, 16).astype(np.float32)
    path = tmp_path / "mlp.so"
    m.save(path)
    loaded = strata.load(path)
    np.testing.assert_array_equal(loaded(x), m(x))
    assert loaded.input_specs == m.input_specs
    assert loaded.output_specs == m.output_specs
    assert loaded.threads == 1
    assert strata.load(str(path), threads=2).threads == 2
    with pytest.raises(strata.Error, match="no IR"):
        loaded.mlir("linalg")
    # The profile's kernels travel with the model.
    assert loaded.profile(x, repeat=2).rows


def test_load_errors(tmp_path):
    with pytest.raises(strata.Error, match="cannot open '.*missing.so'"):
        strata.load(tmp_path / "missing.so")
    text = tmp_path / "text.so"
    text.write_text("not a model")
    with pytest.raises(strata.Error, match="is not a shared object"):
        strata.load(text)
    # A shared object that is not a model.
    libm = "/lib/x86_64-linux-gnu/libm.so.6"
    if os.path.exists(libm):
        with pytest.raises(strata.Error, match="not a Strata model"):
            strata.load(libm)
    g, _ = mlp_graph()
    with pytest.raises(strata.Error, match="must end with .so"):
        strata.compile(g).save(tmp_path / "mlp.bin")


def test_second_compile_comes_from_the_cache(tmp_path, cache_dir):
    path = str(tmp_path / "named.onnx")
    reference = write_model(path)
    x = np.random.rand(2, 8).astype(np.float32)
    first = strata.compile(path, threads=1)
    assert "linalg" in dict(first.compile_times)
    assert len(list(cache_dir.glob("*.so"))) == 1
    second = strata.compile(path, threads=1)
    assert [phase for phase, _ in second.compile_times] == ["cache-load"]
    np.testing.assert_allclose(second(x), reference(x), rtol=1e-5)
    # Its IR levels are compiled again on request.
    assert second.mlir("linalg") == first.mlir("linalg")
    # Other options are another model; cache=False compiles.
    assert "linalg" in dict(strata.compile(path, threads=2).compile_times)
    assert "linalg" in dict(strata.compile(path, threads=1,
                                           cache=False).compile_times)
    assert len(list(cache_dir.glob("*.so"))) == 2
    # A changed file is another model.
    import onnx
    changed = onnx.load(path)
    changed.graph.name = "renamed"
    onnx.save(changed, path)
    assert "linalg" in dict(strata.compile(path, threads=1).compile_times)


def test_graphs_and_mlir_text_are_cached(cache_dir):
    # Keyed by the printed module: the same graph (a new process building
    # it again prints the same), not one built again in this process, whose
    # weights get other resource names.
    g, _ = mlp_graph()
    strata.compile(g, threads=1)
    m = strata.compile(g, threads=1)
    assert [phase for phase, _ in m.compile_times] == ["cache-load"]
    text = m.mlir("input", weights=True)
    strata.compile(text, threads=1)
    again = strata.compile(text, threads=1)
    assert [phase for phase, _ in again.compile_times] == ["cache-load"]


def test_cache_off_and_damaged_entries(tmp_path, cache_dir, monkeypatch):
    g, _ = mlp_graph()
    strata.compile(g, threads=1)
    (entry,) = cache_dir.glob("*.so")
    entry.write_bytes(b"damaged")
    m = strata.compile(g, threads=1)
    assert "linalg" in dict(m.compile_times)
    x = np.random.rand(4, 16).astype(np.float32)
    assert m(x).shape == (4, 8)
    monkeypatch.setenv("STRATA_CACHE", "0")
    g2, _ = mlp_graph()
    assert "linalg" in dict(strata.compile(g2, threads=1).compile_times)


def test_cache_is_shared_between_processes(tmp_path, cache_dir):
    path = str(tmp_path / "named.onnx")
    write_model(path)
    script = ("import strata, sys; m = strata.compile(sys.argv[1], threads=1);"
              "print(' '.join(p for p, _ in m.compile_times))")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(strata.__path__[0]))
    phases = []
    for _ in range(2):
        proc = subprocess.run([sys.executable, "-c", script, path], env=env,
                              capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        phases.append(proc.stdout.split())
    assert "linalg" in phases[0]
    assert phases[1] == ["cache-load"]


def test_cache_size_limit(tmp_path, cache_dir, monkeypatch):
    monkeypatch.setenv("STRATA_CACHE_MAX_MB", "0")
    g, _ = mlp_graph()
    strata.compile(g, threads=1)
    # Trimmed to the limit right after it was stored.
    assert list(cache_dir.glob("*.so")) == []


def test_strata_run_and_python_share_the_cache(tmp_path, cache_dir):
    path = str(tmp_path / "named.onnx")
    write_model(path)
    strata.compile(path, threads=1)
    x = tmp_path / "x.npy"
    np.save(x, np.random.rand(2, 8).astype(np.float32))
    run = os.path.join(os.path.dirname(os.path.dirname(strata.__path__[0])),
                       "bin", "strata-run")
    # (A sanitizer build's strata-run has its own ASan runtime: not the one
    # scripts/test.sh --sanitize preloads into this interpreter.)
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    proc = subprocess.run([run, path, "--input", str(x), "--threads", "1"],
                          capture_output=True, text=True, timeout=300,
                          env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("compile (cached):"), proc.stdout


def test_values_read_at_import_key_the_cache(tmp_path, cache_dir):
    """A model specialized on a shape input's value is not served for
    another value."""
    import onnx
    from onnx import TensorProto, helper
    graph = helper.make_graph(
        [helper.make_node("Reshape", ["x", "s"], ["y"], name="r")], "g",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, 3]),
         helper.make_tensor_value_info("s", TensorProto.INT64, [2])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)])
    path = str(tmp_path / "reshape.onnx")
    onnx.save(helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 13)]), path)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    a = strata.compile(path, threads=1, input_values={"s": [3, 2]})
    b = strata.compile(path, threads=1, input_values={"s": [1, 6]})
    assert "linalg" in dict(b.compile_times)
    assert a(x, np.array([3, 2])).shape == (3, 2)
    assert b(x, np.array([1, 6])).shape == (1, 6)
    again = strata.compile(path, threads=1, input_values={"s": [3, 2]})
    assert [p for p, _ in again.compile_times] == ["cache-load"]
    assert again(x, np.array([3, 2])).shape == (3, 2)
