"""Sparse weights: magnitude pruning (strata.prune) and the checks behind
Graph.constant(w, sparse=...).

A matmul weight is a K x N matrix (the right operand of x @ w, the
transpose of a PyTorch Linear weight). Sparse formats and patterns refer to
that orientation: "2:4" keeps at most 2 non-zeros in each group of 4
consecutive rows (along K) of a column; a 1x4 block is 4 adjacent output
columns of one row, a 4x4 block 4 rows of those."""

import os
import tempfile

import numpy as np

from ._errors import Error

PATTERNS = ("unstructured", "2:4", "block1x4", "block4x4")
FORMATS = ("auto", "dense", "csr", "csc", "bsr", "2:4")


def check_format(sparse):
    """The `sparse=` argument of Graph.constant, checked for its type (the
    native builder checks the format against the weight, with the same
    analysis as tensorx-sparsify)."""
    if sparse is None:
        return ""
    if not isinstance(sparse, str):
        raise Error("sparse must be a string (%s), got %r"
                    % (", ".join(FORMATS), sparse))
    return sparse


def prune_array(w, sparsity, pattern):
    """`w` (K x N) with the smallest-magnitude weights (or blocks, or 2 of
    each group of 4 along K) set to zero, leaving `1 - sparsity` of them
    (exactly half for "2:4")."""
    w = np.array(w, dtype=np.float32, copy=True)
    k, n = w.shape
    if pattern == "2:4":
        if k % 4:
            raise Error("pattern '2:4' needs K (%d rows) divisible by 4" % k)
        groups = np.abs(w).reshape(k // 4, 4, n)
        # The 2 smallest of each group of 4 along K become zeros.
        order = np.argsort(groups, axis=1, kind="stable")[:, :2, :]
        mask = np.ones_like(groups, dtype=bool)
        np.put_along_axis(mask, order, False, axis=1)
        return w * mask.reshape(k, n)
    if pattern == "unstructured":
        r, c = 1, 1
    else:
        r, c = {"block1x4": (1, 4), "block4x4": (4, 4)}[pattern]
        if k % r or n % c:
            raise Error("pattern %r needs a weight divisible into %dx%d "
                        "blocks, got %dx%d" % (pattern, r, c, k, n))
    scores = np.abs(w).reshape(k // r, r, n // c, c).sum(axis=(1, 3))
    drop = int(round(sparsity * scores.size))
    if drop <= 0:
        return w
    threshold_index = np.argsort(scores, axis=None, kind="stable")[:drop]
    keep = np.ones(scores.size, dtype=bool)
    keep[threshold_index] = False
    mask = np.kron(keep.reshape(scores.shape), np.ones((r, c), dtype=bool))
    return w * mask


def _check_args(sparsity, pattern):
    if pattern not in PATTERNS:
        raise Error("unknown pruning pattern %r; expected one of %s"
                    % (pattern, ", ".join(PATTERNS)))
    if pattern == "2:4":
        if sparsity not in (None, 0.5):
            raise Error("pattern '2:4' prunes exactly half of the weights; "
                        "leave sparsity at its default or pass 0.5")
        return 0.5
    if sparsity is None:
        sparsity = 0.9
    if (isinstance(sparsity, bool) or not isinstance(sparsity, (int, float))
            or not 0 <= sparsity < 1):
        raise Error("sparsity must be a fraction in [0, 1), got %r"
                    % (sparsity,))
    return float(sparsity)


def _report(name, before, after, quiet):
    if not quiet:
        print("strata.prune: %-40s %-11s density %.3f -> %.3f"
              % (name, "x".join(map(str, before.shape)),
                 np.count_nonzero(before) / before.size,
                 np.count_nonzero(after) / after.size))


def prune(model, sparsity=None, pattern="unstructured", output=None,
          quiet=False):
    """Magnitude pruning of the matmul weights of `model`: a strata.Graph
    (pruned in place), an ONNX path or an onnx.ModelProto (MatMul weights
    and Gemm B initializers, 2-D float). Keeps `1 - sparsity` of each
    weight's entries (default sparsity 0.9) following `pattern`:
    "unstructured", "2:4", "block1x4" or "block4x4" (see the module
    docstring for the orientation). Prints each weight's density before and
    after unless `quiet`.

    Returns a strata.Graph of the pruned model; with `output` (a path) an
    ONNX model is also written there (ONNX input only), so that the pruned
    model runs in ONNX Runtime too."""
    from .graph import Graph
    from . import onnx as strata_onnx
    sparsity = _check_args(sparsity, pattern)
    if isinstance(model, Graph):
        if output is not None:
            raise Error("output= writes ONNX models: prune the .onnx file "
                        "to get one")
        for i, (name, w) in enumerate(model._native.matmul_weights()):
            pruned = prune_array(w, sparsity, pattern)
            _report(name or "matmul weight #%d" % i, w, pruned, quiet)
            model._native.set_matmul_weight(i, pruned)
        return model
    import onnx
    from onnx import numpy_helper
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if not os.path.exists(path):
            raise Error("cannot open %r: no such file" % path)
        proto = onnx.load(path)
    elif isinstance(model, onnx.ModelProto):
        proto = onnx.ModelProto()
        proto.CopyFrom(model)
    else:
        raise Error("cannot prune an object of type %s: expected a "
                    "strata.Graph, an .onnx path or an onnx.ModelProto"
                    % type(model).__name__)
    initializers = {t.name: t for t in proto.graph.initializer}
    # name -> whether the weight is stored transposed (N x K: Gemm transB).
    weights = {}
    for node in proto.graph.node:
        if node.op_type == "MatMul" and len(node.input) > 1:
            weights.setdefault(node.input[1], False)
        elif node.op_type == "Gemm" and len(node.input) > 1:
            trans_b = any(a.name == "transB" and a.i for a in node.attribute)
            weights.setdefault(node.input[1], trans_b)
    for name, transposed in weights.items():
        tensor = initializers.get(name)
        if tensor is None:
            continue
        w = numpy_helper.to_array(tensor)
        if w.ndim != 2 or w.dtype != np.float32:
            continue
        kn = w.T if transposed else w
        pruned = prune_array(kn, sparsity, pattern)
        _report(name, kn, pruned, quiet)
        tensor.CopyFrom(numpy_helper.from_array(
            np.ascontiguousarray(pruned.T if transposed else pruned), name))
    if output is not None:
        onnx.save(proto, os.fspath(output))
        return strata_onnx.load(output)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "pruned.onnx")
        onnx.save(proto, path)
        return strata_onnx.load(path)
