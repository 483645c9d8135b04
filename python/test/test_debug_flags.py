"""IR dumps elide weights by default; MLIR's debugging flags on the real
compilation path (strata.compile(..., mlir_flags=[...]))."""

import numpy as np
import pytest

import strata


def graph():
    g = strata.Graph("mlp")
    x = g.input("x", (4, 16), "f32")
    w = g.constant(np.linspace(-1, 1, 16 * 8, dtype=np.float32).reshape(16, 8))
    g.output(g.relu(g.matmul(x, w)))
    return g


def test_dumps_elide_weights_unless_asked():
    # A weight is a resource blob ("0x..." hex) until it is lowered to
    # a dense attribute; elided, the blob is left out.
    g = graph()
    assert "dense_resource<py_constant" in g.mlir()
    assert "0x" not in g.mlir()
    full = g.mlir(weights=True)
    assert "0x" in full and len(full) > len(g.mlir()) + 1000
    m = strata.compile(g, threads=1)
    for level in ("input", "graph", "linalg", "llvm"):
        assert "0x" not in m.mlir(level), level
        assert "0x" in m.mlir(level, weights=True), level
    # The full text compiles again, to the same results.
    again = strata.compile(m.mlir("graph", weights=True), threads=1)
    x = np.random.rand(4, 16).astype(np.float32)
    np.testing.assert_array_equal(again(x), m(x))


def test_mlir_flags(capfd):
    strata.compile(graph(), threads=1, mlir_flags=["--mlir-timing"])
    err = capfd.readouterr().err
    assert "Execution time report" in err
    # One report, with a scope per level of the CPU pipeline.
    assert err.count("Execution time report") == 1
    assert "linalg" in err and "llvm" in err
    strata.compile(graph(), threads=1,
                   mlir_flags=["--mlir-print-ir-after-all",
                               "--mlir-elide-elementsattrs-if-larger=4"])
    err = capfd.readouterr().err
    assert "IR Dump After" in err
    # The flags hold for one compile only.
    strata.compile(graph(), threads=1)
    assert capfd.readouterr().err == ""


def test_bad_mlir_flags():
    with pytest.raises(strata.Error, match="unknown MLIR flag '--help'"):
        strata.compile(graph(), mlir_flags=["--help"])
    with pytest.raises(strata.Error, match="unknown MLIR flag '--bogus'"):
        strata.compile(graph(), mlir_flags=["--bogus"])
    with pytest.raises(strata.Error, match="mlir_flags:"):
        strata.compile(graph(), mlir_flags=["--mlir-timing=maybe"])
    with pytest.raises(strata.Error, match="list of strings"):
        strata.compile(graph(), mlir_flags="--mlir-timing")
    # Nothing stays set after a failure.
    m = strata.compile(graph(), threads=1)
    assert "0x" not in m.mlir("input")
