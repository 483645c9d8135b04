"""Sparse weights from Python: Graph.constant(..., sparse=...), strata.prune,
and compile's sparse_threshold. Sparsity changes speed, never results: every
sparse model is checked against the same weights multiplied densely."""

import os

import numpy as np
import pytest

import strata
from strata.sparsity import prune_array


def weights(k, n, density, seed=0, block=None):
    rng = np.random.default_rng(seed)
    w = rng.standard_normal((k, n)).astype(np.float32)
    if block:
        keep = rng.random((k // block[0], n // block[1])) < density
        return w * np.kron(keep, np.ones(block, np.float32))
    return w * (rng.random((k, n)) < density)


def matmul_model(w, m, sparse=None, epilogue=False):
    g = strata.Graph()
    x = g.input("x", (m, w.shape[0]))
    y = g.matmul(x, g.constant(w, sparse=sparse))
    g.output(g.relu(y + 0.5) if epilogue else y)
    return g


def reference(x, w, epilogue=False):
    y = x.astype(np.float64) @ w.astype(np.float64)
    return np.maximum(y + 0.5, 0) if epilogue else y


def check(model, x, w, epilogue=False):
    ref = reference(x, w, epilogue)
    err = np.abs(model(x) - ref).max() / max(np.abs(ref).max(), 1e-30)
    assert err <= 1e-5, err


def tensorx_matmuls(model):
    return [l for l in model.mlir("tensorx").splitlines() if "tensorx.matmul" in l]


# Rows: the gather kernel (fewer than a vector), panels with a masked tail,
# whole panels; columns that do not fill a vector.
@pytest.mark.parametrize("m", [1, 5, 17, 64])
@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("fmt", ["auto", "csr", "csc", "bsr", "bsr1x4", "bsr4x4"])
def test_formats_match_dense(m, threads, fmt):
    block = (4, 4) if fmt == "bsr4x4" else (1, 4) if fmt.startswith("bsr") else None
    w = weights(48, 40, 0.2, block=block)
    model = strata.compile(matmul_model(w, m, sparse=fmt, epilogue=True),
                           threads=threads)
    assert len(tensorx_matmuls(model)) == 1
    x = np.random.default_rng(1).standard_normal((m, 48)).astype(np.float32)
    check(model, x, w, epilogue=True)


def test_two_four():
    w = prune_array(weights(64, 48, 1.0), 0.5, "2:4")
    model = strata.compile(matmul_model(w, 32, sparse="2:4"), threads=1)
    assert "structured[2, 4]" in model.mlir("tensorx")
    x = np.random.default_rng(2).standard_normal((32, 64)).astype(np.float32)
    check(model, x, w)


def test_threshold_decides_without_a_mark():
    w = weights(64, 64, 0.1)
    g = matmul_model(w, 16)
    assert tensorx_matmuls(strata.compile(g, threads=1))  # default threshold
    assert not tensorx_matmuls(strata.compile(g, threads=1, sparse_threshold=0))
    dense = weights(64, 64, 0.9)
    assert not tensorx_matmuls(strata.compile(matmul_model(dense, 16), threads=1))
    assert tensorx_matmuls(strata.compile(matmul_model(dense, 16, sparse="auto"),
                                          threads=1))
    assert not tensorx_matmuls(strata.compile(matmul_model(w, 16, sparse="dense"),
                                              threads=1))


def test_all_zero_weight():
    w = np.zeros((32, 16), np.float32)
    model = strata.compile(matmul_model(w, 16), threads=1)
    x = np.ones((16, 32), np.float32)
    assert (model(x) == 0).all()


def test_bad_formats_are_errors():
    g = strata.Graph()
    with pytest.raises(strata.Error, match="rows 0..3 of column 0 hold 4 non-zeros"):
        g.constant(np.ones((8, 4), np.float32), sparse="2:4")
    with pytest.raises(strata.Error, match="unknown sparse format 'coo'"):
        g.constant(np.ones((8, 4), np.float32), sparse="coo")
    with pytest.raises(strata.Error, match="blocks of 1x4 do not divide the 8x6"):
        g.constant(np.ones((8, 6), np.float32), sparse="bsr1x4")
    with pytest.raises(strata.Error, match="only 2-D float32"):
        g.constant(np.ones((2, 8, 4), np.float32), sparse="csr")
    with pytest.raises(strata.Error, match="sparse_threshold must be a density"):
        strata.compile(matmul_model(np.eye(4, dtype=np.float32), 2),
                       sparse_threshold=2)


@pytest.mark.parametrize("pattern,block", [("unstructured", (1, 1)),
                                           ("block1x4", (1, 4)),
                                           ("block4x4", (4, 4))])
def test_prune_patterns(pattern, block):
    w = weights(64, 32, 1.0)
    pruned = prune_array(w, 0.75, pattern)
    assert abs(np.count_nonzero(pruned) / pruned.size - 0.25) < 0.02
    r, c = block
    blocks = (pruned.reshape(64 // r, r, 32 // c, c) != 0)
    # Blocks are all kept or all dropped, and the largest survive.
    assert (blocks.all(axis=(1, 3)) == blocks.any(axis=(1, 3))).all()
    kept = np.abs(w)[pruned != 0].min()
    assert kept >= np.percentile(np.abs(w), 50) or pattern != "unstructured"


def test_prune_two_four():
    w = weights(64, 32, 1.0)
    pruned = prune_array(w, 0.5, "2:4")
    counts = (pruned.reshape(16, 4, 32) != 0).sum(axis=1)
    assert (counts == 2).all()
    with pytest.raises(strata.Error, match="prunes exactly half"):
        strata.prune(matmul_model(w, 4), sparsity=0.9, pattern="2:4", quiet=True)
    with pytest.raises(strata.Error, match="unknown pruning pattern"):
        strata.prune(matmul_model(w, 4), pattern="random", quiet=True)


def test_prune_graph_in_place(capsys):
    w = weights(64, 32, 1.0)
    g = matmul_model(w, 8)
    assert strata.prune(g, sparsity=0.9) is g
    assert "density 1.000 -> 0.100" in capsys.readouterr().out
    (name, pruned), = g._native.matmul_weights()
    assert abs(np.count_nonzero(pruned) / pruned.size - 0.1) < 0.01
    model = strata.compile(g, threads=1)
    assert tensorx_matmuls(model)
    x = np.random.default_rng(3).standard_normal((8, 64)).astype(np.float32)
    check(model, x, pruned)


def test_prune_onnx(tmp_path):
    onnx = pytest.importorskip("onnx")
    from onnx import helper, numpy_helper, TensorProto
    w = weights(32, 16, 1.0)
    b = weights(16, 24, 1.0, seed=1)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["h"]),
         helper.make_node("Gemm", ["h", "b"], ["y"], transB=1)],
        "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [4, 32])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [4, 24])],
        [numpy_helper.from_array(w, "w"), numpy_helper.from_array(b.T.copy(), "b")])
    path = tmp_path / "m.onnx"
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]),
              path)
    out = tmp_path / "pruned.onnx"
    g = strata.prune(path, sparsity=0.75, pattern="block1x4", output=out,
                     quiet=True)
    pruned = {t.name: numpy_helper.to_array(t) for t in onnx.load(out).graph.initializer}
    assert abs(np.count_nonzero(pruned["w"]) / w.size - 0.25) < 0.02
    # Gemm's B is stored N x K: its blocks are 4 output columns of one row of K.
    bt = pruned["b"].T
    blocks = bt.reshape(16, 1, 6, 4) != 0
    assert (blocks.all(axis=(1, 3)) == blocks.any(axis=(1, 3))).all()
    x = np.random.default_rng(4).standard_normal((4, 32)).astype(np.float32)
    model = strata.compile(g, threads=1, sparse_threshold=0.5)
    np.testing.assert_allclose(model(x), (x @ pruned["w"]) @ bt, rtol=1e-4,
                               atol=1e-4)
