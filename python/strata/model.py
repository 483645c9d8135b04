"""Compiled models: strata.compile and strata.Model."""

import collections
import os

from . import _strata
from ._errors import Error
from .graph import Graph
from .onnx import check_shape_overrides

TensorSpec = collections.namedtuple("TensorSpec", ["name", "shape", "dtype"])
TensorSpec.__doc__ = "The name, shape and dtype of a model input or output."


class Model:
    """A model compiled for this CPU. Call it on numpy arrays (one per input,
    in order); it returns one numpy array, or a tuple for several outputs.

    Calls release the GIL, do not copy inputs whose layout already fits
    (C-contiguous, of the right dtype), return arrays that own their memory,
    and may run from several threads at once."""

    def __init__(self, native):
        self._native = native

    @property
    def input_specs(self):
        """The inputs as TensorSpec(name, shape, dtype), in call order."""
        return [TensorSpec(*s) for s in self._native.input_specs]

    @property
    def output_specs(self):
        """The outputs as TensorSpec(name, shape, dtype), in return order."""
        return [TensorSpec(*s) for s in self._native.output_specs]

    @property
    def threads(self):
        """The number of threads the model runs on."""
        return self._native.threads

    def mlir(self, level="graph"):
        """The IR at a level of the CPU pipeline: "graph" (as given),
        "linalg", "loops" (bufferized) or "llvm"."""
        return self._native.mlir(level)

    def __call__(self, *inputs):
        return self._native(*inputs)

    def __repr__(self):
        return "<strata.Model inputs=%s outputs=%s>" % (self.input_specs,
                                                       self.output_specs)


def compile(model, target="cpu", entry=None, threads=None,
            sparse_threshold=None, dims=None, input_shapes=None):
    """Compiles a Graph, an ONNX file (path ending in .onnx) or MLIR text
    (graph dialect or linalg on tensors) for `target` ("cpu").

    `threads` is the number of threads the model runs on (default: every
    core of the machine); with 1 the code is single-threaded.

    `sparse_threshold`: constant matmul weights with a lower density
    (fraction of non-zeros) run as sparse weights; 0 keeps every weight
    dense (default: where the sparse kernels start to be faster, 0.5, or
    0.12 for matmuls of fewer rows than a vector; see docs/python.md).
    Weights marked by `Graph.constant(w, sparse=...)` follow their mark.

    `dims` and `input_shapes` size the dynamic input dimensions of an ONNX
    model, as in strata.onnx.load (a Graph has static shapes already).

    Returns a Model; raises strata.Error with the diagnostics on failure."""
    if target != "cpu":
        raise Error("unknown target %r: Strata compiles for 'cpu'" % (target,))
    if threads is None:
        threads = 0
    elif not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise Error("threads must be a positive int, got %r" % (threads,))
    if sparse_threshold is None:
        sparse_threshold = -1.0
    elif (isinstance(sparse_threshold, bool)
          or not isinstance(sparse_threshold, (int, float))
          or not 0 <= sparse_threshold <= 1):
        raise Error("sparse_threshold must be a density between 0 and 1, "
                    "got %r" % (sparse_threshold,))
    sparse_threshold = float(sparse_threshold)
    is_onnx = (isinstance(model, (str, os.PathLike))
               and os.fspath(model).endswith(".onnx"))
    if (dims is not None or input_shapes is not None) and not is_onnx:
        raise Error("dims and input_shapes size the dynamic dimensions of an "
                    "ONNX model; a Graph or MLIR module has static shapes")
    if isinstance(model, Graph):
        return Model(_strata._compile_graph(model._native, entry or "", threads,
                                            sparse_threshold))
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if path.endswith(".onnx"):
            if not os.path.exists(path):
                raise Error("cannot open %r: no such file" % path)
            dims, input_shapes = check_shape_overrides(dims, input_shapes)
            return Model(_strata._compile_onnx(path, threads, sparse_threshold,
                                               dims, input_shapes))
        if path.endswith(".mlir") and os.path.exists(path):
            with open(path) as f:
                return Model(_strata._compile_mlir(f.read(), entry or "", threads,
                                                   sparse_threshold))
        if "func.func" in path:
            return Model(_strata._compile_mlir(path, entry or "", threads,
                                               sparse_threshold))
        raise Error("cannot compile %r: expected a Graph, an .onnx or .mlir "
                    "path, or MLIR text" % path)
    raise Error("cannot compile an object of type %s" % type(model).__name__)
