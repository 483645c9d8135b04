"""strata.Graph: build graph-dialect functions op by op.

Every graph op is a method named like the op, with its attributes as keyword
arguments; shapes and dtypes are checked as each op is built, and a bad op
raises strata.Error with the verifier's message (the graph is unchanged)."""

import numbers

import numpy as np

from . import _strata
from ._errors import Error
from .sparsity import check_format

DTYPES = {"f16": np.float16, "f32": np.float32, "f64": np.float64,
          "i1": np.bool_, "i8": np.int8, "i16": np.int16, "i32": np.int32,
          "i64": np.int64, "u8": np.uint8, "u16": np.uint16, "u32": np.uint32,
          "u64": np.uint64}


def _dtype_name(dtype):
    """Accepts Strata names ("f32") and numpy dtypes (np.float32)."""
    if isinstance(dtype, str) and dtype in DTYPES:
        return dtype
    if dtype == "bool":
        return "i1"
    try:
        np_dtype = np.dtype(dtype)
    except TypeError:
        raise Error("unknown dtype %r" % (dtype,)) from None
    for name, t in DTYPES.items():
        if np.dtype(t) == np_dtype:
            return name
    raise Error("unsupported dtype %r" % (dtype,))


# Attribute values, formatted as MLIR attribute text for the native builder.
def _ints(values):
    values = [int(v) for v in values]
    return "array<i64%s>" % (": " + ", ".join(map(str, values)) if values else "")


def _int(v):
    return "%d : i64" % int(v)


def _float(v):
    return "%s : f64" % "{:.17e}".format(float(v))


class Value:
    """A tensor value of a Graph. Supports +, -, *, / (with other values,
    numpy arrays or Python numbers) and unary -."""

    def __init__(self, graph, handle):
        self._graph = graph
        self._handle = handle

    @property
    def shape(self):
        return self._graph._native.value_type(self._handle)[0]

    @property
    def dtype(self):
        return self._graph._native.value_type(self._handle)[1]

    def __repr__(self):
        return "<strata.Value %s %s>" % ("x".join(map(str, self.shape)) or "scalar",
                                         self.dtype)

    def __add__(self, other):
        return self._graph.add(self, other)

    def __radd__(self, other):
        return self._graph.add(other, self)

    def __sub__(self, other):
        return self._graph.sub(self, other)

    def __rsub__(self, other):
        return self._graph.sub(other, self)

    def __mul__(self, other):
        return self._graph.mul(self, other)

    def __rmul__(self, other):
        return self._graph.mul(other, self)

    def __truediv__(self, other):
        return self._graph.div(self, other)

    def __rtruediv__(self, other):
        return self._graph.div(other, self)

    def __neg__(self):
        return self._graph.neg(self)

    def __matmul__(self, other):
        return self._graph.matmul(self, other)


class Graph:
    """A function in the graph dialect, built op by op.

    >>> g = strata.Graph("f")
    >>> x = g.input("x", (2, 3), "f32")
    >>> g.output(g.relu(x))
    """

    def __init__(self, name="main"):
        self._native = _strata._Graph(name)

    @classmethod
    def _wrap(cls, native):
        g = cls.__new__(cls)
        g._native = native
        return g

    @property
    def name(self):
        return self._native.name

    @property
    def inputs(self):
        """The function's arguments, as Values."""
        return [Value(self, h) for h in self._native.inputs()]

    @property
    def outputs(self):
        """The values returned so far."""
        return [Value(self, h) for h in self._native.outputs()]

    def input(self, name, shape, dtype="f32"):
        """Adds an argument `name` of static `shape` and `dtype` (f16, bf16,
        f32, f64, i1, i8, i16, i32, i64, u8, u16, u32, u64 or a numpy
        dtype)."""
        return Value(self, self._native.input(str(name), [int(d) for d in shape],
                                              _dtype_name(dtype)))

    def constant(self, array, dtype=None, sparse=None):
        """A constant from a numpy array (or anything np.asarray accepts).

        `sparse` asks for a sparse format when the constant is a matmul
        weight (K x N, float32): "auto" (the format the non-zeros' structure
        calls for, whatever the density), "csr", "csc", "bsr" (blocks of
        4x4 or 1x4, as the non-zeros fill them), "bsr<R>x<C>", "2:4"
        (at most 2 non-zeros in each group of 4 along K), or "dense" (never
        sparse). Without it, weights sparser than strata.compile's
        sparse_threshold become sparse anyway. A weight that does not fit
        the format raises strata.Error."""
        a = np.asarray(array, dtype=DTYPES[_dtype_name(dtype)] if dtype else None)
        if a.dtype == np.float64 and dtype is None and not isinstance(array, np.ndarray):
            a = a.astype(np.float32)
        mark = check_format(sparse)
        # Not np.ascontiguousarray, which makes a 0-d array 1-D.
        if not a.flags.c_contiguous:
            a = a.copy(order="C")
        return Value(self, self._native.constant(a, mark))

    def output(self, *values, name=""):
        """Makes `values` outputs of the function (in order)."""
        for v in values:
            self._native.output(self._value(v)._handle, name)

    def set_outputs(self, values, names=None):
        """Replaces the outputs (for example after editing an imported
        graph)."""
        self._native.clear_outputs()
        for i, v in enumerate(values):
            self._native.output(self._value(v)._handle, names[i] if names else "")

    def mlir(self, weights=False):
        """The graph-dialect text of the function. Weights (constants of
        more than 16 elements) print as `__elided__` unless `weights=True`,
        which gives text that strata.compile takes."""
        return self._native.mlir(bool(weights))

    # -- helpers -------------------------------------------------------------

    def _value(self, v, like=None):
        """A Value from a Value, numpy array or Python number (numbers take
        the dtype of `like`)."""
        if isinstance(v, Value):
            if v._graph is not self:
                raise Error("the value belongs to another graph")
            return v
        if isinstance(v, (numbers.Number, np.ndarray, list, tuple)):
            dtype = None
            if like is not None and not isinstance(v, np.ndarray):
                dtype = like.dtype
            return self.constant(v, dtype=dtype)
        raise Error("expected a strata.Value, numpy array or number, got %s"
                    % type(v).__name__)

    def _op(self, name, operands, **attrs):
        text = {k: v for k, v in attrs.items() if v is not None}
        return Value(self, self._native.op(name, [o._handle for o in operands], text))

    def _binary(self, name, lhs, rhs):
        like = lhs if isinstance(lhs, Value) else rhs if isinstance(rhs, Value) else None
        return self._op(name, [self._value(lhs, like), self._value(rhs, like)])

    # -- elementwise --------------------------------------------------------

    def clip(self, x, min=None, max=None):
        """Clamps every element to [min, max]; either bound may be None."""
        return self._op("clip", [self._value(x)],
                        min=_float(min) if min is not None else None,
                        max=_float(max) if max is not None else None)

    def compare(self, lhs, rhs, predicate):
        """Elementwise comparison (eq, ne, lt, le, gt, ge) with broadcasting;
        returns an i1 tensor."""
        if predicate not in ("eq", "ne", "lt", "le", "gt", "ge"):
            raise Error("unknown predicate %r; use eq, ne, lt, le, gt or ge" % (predicate,))
        like = lhs if isinstance(lhs, Value) else rhs
        return self._op("compare", [self._value(lhs, like), self._value(rhs, like)],
                        predicate="#graph<compare_predicate %s>" % predicate)

    def select(self, condition, on_true, on_false):
        """`on_true` where `condition` (i1) holds, else `on_false`; all three
        broadcast together."""
        like = on_true if isinstance(on_true, Value) else on_false
        return self._op("select", [self._value(condition), self._value(on_true, like),
                                   self._value(on_false, like)])

    def cast(self, x, dtype):
        """Converts every element to `dtype` (floats to integers truncate)."""
        name = _dtype_name(dtype)
        # MLIR spells Strata's unsigned u8 as ui8.
        return self._op("cast", [self._value(x)],
                        dtype="ui" + name[1:] if name.startswith("u") else name)

    def shift_left(self, x, bits):
        """Shifts integers left by `bits` (zeros shifted in; by the width or
        more: 0)."""
        return self._binary("shift_left", x, bits)

    def shift_right(self, x, bits):
        """Shifts integers right by `bits`: unsigned ones shift in zeros,
        signed ones copies of the sign bit."""
        return self._binary("shift_right", x, bits)

    # -- quantization -----------------------------------------------------

    def quantize(self, x, scale, zero_point, axis=None):
        """saturate(round_half_even(x / scale) + zero_point), in the zero
        point's type (int8 or uint8). Scalars quantize per tensor; 1-D
        numpy arrays per channel along `axis`."""
        return self._op("quantize", [self._value(x), self._value(np.asarray(scale, np.float32)),
                                     self._value(np.asarray(zero_point))],
                        axis=_int(axis) if axis is not None else None)

    def dequantize(self, q, scale, zero_point, axis=None):
        """(q - zero_point) * scale, as f32; per tensor or per channel as
        for quantize."""
        return self._op("dequantize", [self._value(q), self._value(np.asarray(scale, np.float32)),
                                       self._value(np.asarray(zero_point))],
                        axis=_int(axis) if axis is not None else None)

    # -- linear algebra, convolution, pooling ---------------------------------

    def matmul(self, lhs, rhs):
        """Batched matrix product [..., M, K] x [..., K, N] with numpy batch
        broadcasting."""
        return self._op("matmul", [self._value(lhs), self._value(rhs)])

    def conv2d(self, input, weight, bias=None, strides=(1, 1), pads=(0, 0, 0, 0),
               dilations=(1, 1), groups=1):
        """2-D convolution of an NCHW input with an OIHW weight and optional
        bias [O]; pads are (top, left, bottom, right)."""
        operands = [self._value(input), self._value(weight)]
        if bias is not None:
            operands.append(self._value(bias))
        return self._op("conv2d", operands, strides=_ints(strides), pads=_ints(pads),
                        dilations=_ints(dilations), groups=_int(groups))

    def max_pool2d(self, x, kernel, strides=(1, 1), pads=(0, 0, 0, 0),
                   dilations=(1, 1), ceil_mode=False):
        """Max pooling over `kernel` windows of an NCHW input."""
        return self._op("max_pool2d", [self._value(x)], kernel=_ints(kernel),
                        strides=_ints(strides), pads=_ints(pads),
                        dilations=_ints(dilations), ceil_mode="unit" if ceil_mode else None)

    def avg_pool2d(self, x, kernel, strides=(1, 1), pads=(0, 0, 0, 0),
                   count_include_pad=False, ceil_mode=False):
        """Average pooling over `kernel` windows of an NCHW input."""
        return self._op("avg_pool2d", [self._value(x)], kernel=_ints(kernel),
                        strides=_ints(strides), pads=_ints(pads),
                        count_include_pad="unit" if count_include_pad else None,
                        ceil_mode="unit" if ceil_mode else None)

    def global_avg_pool2d(self, x):
        """Mean over H and W of an NCHW input: N x C x 1 x 1."""
        return self._op("global_avg_pool2d", [self._value(x)])

    def global_max_pool2d(self, x):
        """Maximum over H and W of an NCHW input: N x C x 1 x 1."""
        return self._op("global_max_pool2d", [self._value(x)])

    # -- normalization ----------------------------------------------------------

    def softmax(self, x, axis=-1):
        """Softmax along `axis`."""
        return self._op("softmax", [self._value(x)], axis=_int(axis))

    def layer_norm(self, x, scale, bias=None, axis=-1, epsilon=1e-5):
        """Normalizes over dimensions [axis, rank), then scales and shifts."""
        operands = [self._value(x), self._value(scale)]
        if bias is not None:
            operands.append(self._value(bias))
        return self._op("layer_norm", operands, axis=_int(axis), epsilon=_float(epsilon))

    def batch_norm(self, x, scale, bias, mean, variance, epsilon=1e-5):
        """Inference batch normalization per channel (dimension 1)."""
        return self._op("batch_norm", [self._value(v) for v in (x, scale, bias, mean, variance)],
                        epsilon=_float(epsilon))

    # -- reductions -------------------------------------------------------------

    def _reduce(self, name, x, axes, keep_dims):
        return self._op(name, [self._value(x)], axes=_ints(axes),
                        keep_dims="unit" if keep_dims else None)

    def reduce_sum(self, x, axes=(), keep_dims=False):
        """Sum over `axes` (all when empty)."""
        return self._reduce("reduce_sum", x, axes, keep_dims)

    def reduce_mean(self, x, axes=(), keep_dims=False):
        """Mean over `axes` (all when empty)."""
        return self._reduce("reduce_mean", x, axes, keep_dims)

    def reduce_max(self, x, axes=(), keep_dims=False):
        """Maximum over `axes` (all when empty)."""
        return self._reduce("reduce_max", x, axes, keep_dims)

    def reduce_min(self, x, axes=(), keep_dims=False):
        """Minimum over `axes` (all when empty)."""
        return self._reduce("reduce_min", x, axes, keep_dims)

    def reduce_prod(self, x, axes=(), keep_dims=False):
        """Product over `axes` (all when empty)."""
        return self._reduce("reduce_prod", x, axes, keep_dims)

    def arg_max(self, x, axis=0, keep_dims=False, select_last_index=False):
        """Index (i64) of the maximum along `axis`."""
        return self._op("arg_max", [self._value(x)], axis=_int(axis),
                        keep_dims="unit" if keep_dims else None,
                        select_last_index="unit" if select_last_index else None)

    def arg_min(self, x, axis=0, keep_dims=False, select_last_index=False):
        """Index (i64) of the minimum along `axis`."""
        return self._op("arg_min", [self._value(x)], axis=_int(axis),
                        keep_dims="unit" if keep_dims else None,
                        select_last_index="unit" if select_last_index else None)

    def cumsum(self, x, axis=0, exclusive=False, reverse=False):
        """Running sum along `axis`."""
        return self._op("cumsum", [self._value(x)], axis=_int(axis),
                        exclusive="unit" if exclusive else None,
                        reverse="unit" if reverse else None)

    # -- data movement ---------------------------------------------------------

    def reshape(self, x, shape):
        """Same elements (row-major), new static shape."""
        return self._op("reshape", [self._value(x)], shape=_ints(shape))

    def transpose(self, x, perms):
        """Result dimension i is input dimension perms[i]."""
        return self._op("transpose", [self._value(x)], perms=_ints(perms))

    def broadcast_to(self, x, shape):
        """Broadcasts to `shape` (numpy rules)."""
        return self._op("broadcast_to", [self._value(x)], shape=_ints(shape))

    def concat(self, inputs, axis=0):
        """Joins tensors of equal rank along `axis`."""
        inputs = [self._value(v) for v in inputs]
        return self._op("concat", inputs, axis=_int(axis))

    def slice(self, x, starts, ends, steps=()):
        """x[starts:ends:steps] with one entry per dimension."""
        return self._op("slice", [self._value(x)], starts=_ints(starts),
                        ends=_ints(ends), steps=_ints(steps))

    def pad(self, x, pads, mode="constant", value=0.0):
        """Pads with pads[i] before and pads[rank + i] after dimension i;
        mode is constant (with `value`), reflect or edge."""
        if mode not in ("constant", "reflect", "edge"):
            raise Error("unknown pad mode %r; use constant, reflect or edge" % (mode,))
        return self._op("pad", [self._value(x)], pads=_ints(pads),
                        mode="#graph<pad_mode %s>" % mode, value=_float(value))

    def gather(self, data, indices, axis=0):
        """Picks entries of `data` along `axis` by integer `indices`."""
        return self._op("gather", [self._value(data), self._value(indices)], axis=_int(axis))

    def gather_elements(self, data, indices, axis=0):
        """Picks one element of `data` per entry of `indices` along `axis`."""
        return self._op("gather_elements", [self._value(data), self._value(indices)],
                        axis=_int(axis))

    def expand_dims(self, x, axes):
        """Inserts size-1 dimensions at `axes` (indices of the result)."""
        return self._op("expand_dims", [self._value(x)], axes=_ints(axes))

    def squeeze(self, x, axes=()):
        """Removes the size-1 dimensions at `axes` (all when empty)."""
        return self._op("squeeze", [self._value(x)], axes=_ints(axes))


_BINARY = {
    "add": "lhs + rhs", "sub": "lhs - rhs", "mul": "lhs * rhs",
    "div": "lhs / rhs (integer division truncates)", "pow": "lhs ** rhs",
    "max": "maximum(lhs, rhs)", "min": "minimum(lhs, rhs)",
    "rem": "remainder of truncated division (C fmod)",
}
_UNARY = {
    "neg": "-x", "abs": "|x|", "exp": "e^x", "log": "ln(x)", "sqrt": "sqrt(x)",
    "rsqrt": "1 / sqrt(x)", "tanh": "tanh(x)", "sigmoid": "1 / (1 + e^-x)",
    "relu": "max(x, 0)", "gelu": "x * (1 + erf(x / sqrt(2))) / 2",
    "erf": "erf(x)", "sin": "sin(x)", "cos": "cos(x)", "tan": "tan(x)",
    "asin": "asin(x)", "acos": "acos(x)", "atan": "atan(x)", "sinh": "sinh(x)",
    "cosh": "cosh(x)", "asinh": "asinh(x)", "acosh": "acosh(x)",
    "atanh": "atanh(x)", "floor": "floor(x)", "ceil": "ceil(x)",
    "round": "x rounded to the nearest integer, ties to even",
    "sign": "-1, 0 or 1 by the sign of x",
}


def _make_binary(name, formula):
    def method(self, lhs, rhs):
        return self._binary(name, lhs, rhs)
    method.__name__ = name
    method.__doc__ = "Elementwise %s with numpy broadcasting." % formula
    return method


def _make_unary(name, formula):
    def method(self, x):
        return self._op(name, [self._value(x)])
    method.__name__ = name
    method.__doc__ = "Elementwise %s." % formula
    return method


for _name, _formula in _BINARY.items():
    setattr(Graph, _name, _make_binary(_name, _formula))
for _name, _formula in _UNARY.items():
    setattr(Graph, _name, _make_unary(_name, _formula))
