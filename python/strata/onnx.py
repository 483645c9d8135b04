"""ONNX import: strata.onnx.load."""

import os

from . import _strata
from ._errors import Error
from .graph import Graph


def load(path, dims=None, input_shapes=None):
    """Imports an ONNX model (opsets 1 to 17) into a Graph that can be
    inspected (inputs, outputs, mlir()), extended with more ops and
    compiled. Raises strata.Error listing every unsupported operator.

    Strata compiles static shapes. The dynamic dimensions of the inputs (a
    batch axis exported with `dynamic_axes`) take sizes from `dims`, by
    name ({"batch": 8}), or from `input_shapes`, whole shapes by input name
    ({"input": (8, 3, 224, 224)}); the error of a model with a dimension
    left unsized names it."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise Error("cannot open %r: no such file" % path)
    dims, input_shapes = check_shape_overrides(dims, input_shapes)
    return Graph._wrap(_strata._import_onnx(path, dims, input_shapes))


def _is_size(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def check_shape_overrides(dims, input_shapes):
    """`dims` and `input_shapes` checked and as the native side takes them
    (dicts of str to int, and of str to list of int)."""
    dims = {} if dims is None else dims
    input_shapes = {} if input_shapes is None else input_shapes
    if not isinstance(dims, dict) or not all(
            isinstance(k, str) and _is_size(v) for k, v in dims.items()):
        raise Error("dims must map dimension names to sizes >= 1, such as "
                    "{'batch': 8}; got %r" % (dims,))
    if not isinstance(input_shapes, dict) or not all(
            isinstance(k, str) and isinstance(v, (tuple, list)) and v
            and all(_is_size(d) for d in v) for k, v in input_shapes.items()):
        raise Error("input_shapes must map input names to shapes of sizes "
                    ">= 1, such as {'input': (8, 3, 224, 224)}; got %r"
                    % (input_shapes,))
    return dims, {k: list(v) for k, v in input_shapes.items()}
