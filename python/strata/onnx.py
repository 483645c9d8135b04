"""ONNX import: strata.onnx.load, and strata.onnx.check before compiling."""

import os

from . import _strata
from ._errors import Error
from .graph import Graph


def load(path, dims=None, input_shapes=None, input_values=None):
    """Imports an ONNX model (opsets 1 to 17) into a Graph that can be
    inspected (inputs, outputs, mlir()), extended with more ops and
    compiled. Raises strata.Error listing every unsupported operator.

    Strata compiles static shapes. The dynamic dimensions of the inputs (a
    batch axis exported with `dynamic_axes`) take sizes from `dims`, by
    name ({"batch": 8}), or from `input_shapes`, whole shapes by input name
    ({"input": (8, 3, 224, 224)}); the error of a model with a dimension
    left unsized names it.

    `input_values` gives the values of integer graph inputs that operators
    need at import (a Reshape's shape, Slice's starts, TopK's k), by name:
    the Graph is built for those values."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise Error("cannot open %r: no such file" % path)
    dims, input_shapes = check_shape_overrides(dims, input_shapes)
    return Graph._wrap(_strata._import_onnx(path, dims, input_shapes,
                                            check_input_values(input_values)))


def check(path, dims=None, input_shapes=None, input_values=None):
    """Lists every reason the ONNX model at `path` would not compile, at
    once and without compiling: an unsupported opset, the unsupported
    operators with their node names, the inputs' dynamic dimensions left
    unsized (with the dims/input_shapes that would size them), operands
    that must be known at import (a Reshape's shape computed at run time)
    and invalid nodes. Returns the messages, one per problem: an empty
    list means the model imports, and so compiles. `dims`, `input_shapes`
    and `input_values` as in load(). As `strata-run --check`."""
    path = os.fspath(path)
    if not os.path.exists(path):
        return ["cannot open %r: no such file" % path]
    dims, input_shapes = check_shape_overrides(dims, input_shapes)
    return list(_strata._check_onnx(path, dims, input_shapes,
                                    check_input_values(input_values)))


def check_input_values(input_values):
    """`input_values` checked and as the native side takes them (a dict of
    str to int64 arrays)."""
    import numpy as np
    if input_values is None:
        return {}
    if not isinstance(input_values, dict) or not all(
            isinstance(k, str) for k in input_values):
        raise Error("input_values must map input names to integer arrays, "
                    "such as {'shape': np.array([8, -1])}; got %r"
                    % (input_values,))
    result = {}
    for name, value in input_values.items():
        array = np.asarray(value)
        if array.dtype.kind not in "iu":
            raise Error("input_values[%r] must be an integer array (the "
                        "value of a shape operand), got dtype %s"
                        % (name, array.dtype))
        result[name] = np.ascontiguousarray(array, dtype=np.int64)
    return result


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
