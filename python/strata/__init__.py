"""Strata: an MLIR-based compiler for machine-learning models.

Build a graph op by op, or import ONNX, then compile it for this CPU and call
it on numpy arrays::

    import numpy as np, strata

    g = strata.Graph("mlp")
    x = g.input("x", (64, 784), "f32")
    w = g.constant(np.random.rand(784, 10).astype(np.float32))
    b = g.constant(np.zeros(10, np.float32))
    y = g.softmax(g.relu(g.matmul(x, w) + b), axis=-1)
    g.output(y)
    print(g.mlir())

    m = strata.compile(g, target="cpu")        # or strata.compile("model.onnx")
    out = m(np.random.rand(64, 784).astype(np.float32))
    print(m.mlir(level="linalg"))   # graph, tensorx, linalg, loops, llvm
    print(m.input_specs, m.output_specs)
    m.save("mlp.so"); m2 = strata.load("mlp.so")   # no recompile

Errors (bad shapes, dtypes, attributes, models that do not compile, bad
inputs) raise strata.Error, a ValueError carrying MLIR's diagnostics.
"""

from ._errors import Error
from .graph import Graph, Value
from .model import (Benchmark, Model, Profile, ProfileRow,
                    ShapeSpecializedModel, TensorSpec, compile, load)
from ._strata import __version__, keep_temporaries_in_heap
from .sparsity import prune
from .quantization import QuantizationReport, TensorQuantization, quantize
from . import onnx

__all__ = ["Benchmark", "Error", "Graph", "Value", "Model", "Profile",
           "ProfileRow", "ShapeSpecializedModel", "TensorSpec", "compile",
           "load",
           "keep_temporaries_in_heap", "onnx", "prune", "quantize",
           "QuantizationReport", "TensorQuantization"]
