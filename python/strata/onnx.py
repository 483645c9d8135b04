"""ONNX import: strata.onnx.load."""

import os

from . import _strata
from ._errors import Error
from .graph import Graph


def load(path):
    """Imports an ONNX model (opsets 1 to 17, static shapes) into a Graph that
    can be inspected (inputs, outputs, mlir()), extended with more ops and
    compiled. Raises strata.Error listing every unsupported operator."""
    path = os.fspath(path)
    if not os.path.exists(path):
        raise Error("cannot open %r: no such file" % path)
    return Graph._wrap(_strata._import_onnx(path))
