"""Every graph op, JIT-compiled and run on the CPU, checked against numpy,
including edge shapes: size-1 dimensions, broadcasting, odd sizes, negative
axes, scalars."""

import math

import numpy as np
import pytest

from conftest import tensor_type

rng = np.random.default_rng(0)


def rand(*shape, dtype=np.float32, low=-2.0, high=2.0):
    return rng.uniform(low, high, size=shape).astype(dtype)


def close(actual, expected, rtol=1e-5, atol=1e-6):
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=atol)


def unary_body(op, x, extra=""):
    t = tensor_type(x.shape, x.dtype)
    return "  %%0 = graph.%s %%a0%s : %s\n  return %%0 : %s" % (op, extra, t, t)


def binary_body(op, a, b, out_shape, out_dtype=None):
    ta, tb = tensor_type(a.shape, a.dtype), tensor_type(b.shape, b.dtype)
    to = tensor_type(out_shape, out_dtype or a.dtype)
    return "  %%0 = graph.%s %%a0, %%a1 : %s, %s\n  return %%0 : %s" % (
        op, ta, tb, to)


# --- Elementwise binary, with broadcasting -------------------------------

BINARY = {
    "add": np.add, "sub": np.subtract, "mul": np.multiply,
    "div": np.divide, "max": np.maximum, "min": np.minimum,
    "pow": None, "rem": np.fmod,
}
SHAPES = [((4, 3), (4, 3)), ((4, 3), (3,)), ((5, 1, 3), (4, 1)),
          ((), (2, 3)), ((1,), (7,)), ((2, 1, 1, 3), (1, 5, 1))]


@pytest.mark.parametrize("op", sorted(BINARY))
@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_binary_float(runner, op, shapes):
    a, b = rand(*shapes[0]), rand(*shapes[1])
    if op == "pow":
        a = (np.abs(a) + 0.1).astype(np.float32)
        expected = np.power(a, b)
    elif op in ("div", "rem"):
        b = np.where(np.abs(b) < 0.1, 0.5, b).astype(np.float32)
        expected = BINARY[op](a, b)
    else:
        expected = BINARY[op](a, b)
    out = runner.function(binary_body(op, a, b, expected.shape), [a, b],
                          [expected.shape])
    close(out, expected.astype(np.float32), rtol=1e-5)


@pytest.mark.parametrize("op", ["add", "sub", "mul", "div", "max", "min", "rem"])
def test_binary_int(runner, op):
    a = rng.integers(-50, 50, size=(3, 5)).astype(np.int32)
    b = rng.integers(1, 9, size=(5,)).astype(np.int32) * rng.choice([-1, 1], 5).astype(np.int32)
    ref = {"add": np.add, "sub": np.subtract, "mul": np.multiply,
           # Integer division truncates toward zero, like C.
           "div": lambda x, y: np.trunc(x / y).astype(np.int32),
           "max": np.maximum, "min": np.minimum, "rem": np.fmod}[op]
    expected = ref(a, b)
    out = runner.function(binary_body(op, a, b, expected.shape), [a, b],
                          [expected.shape])
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("dtype", [np.int32, np.int64])
@pytest.mark.parametrize("op", ["div", "rem"])
def test_binary_int_never_traps(runner, op, dtype):
    # Divisors 0 and -1 (with the minimum value, whose negation overflows)
    # used to kill the process with SIGFPE. By zero the result is 0, as
    # numpy's; the minimum divided by -1 wraps to itself, remainder 0.
    low = np.iinfo(dtype).min
    a = np.array([7, -7, 5, low, low, 9, 0, 3], dtype)
    b = np.array([2, 2, 0, -1, 0, -1, 0, -3], dtype)
    with np.errstate(divide="ignore", over="ignore"):
        if op == "div":
            safe = np.where((b == 0) | (b == -1), 1, b)
            expected = np.trunc(a.astype(np.float64) / safe).astype(dtype)
            expected = np.where(b == -1, -a, expected)
        else:
            expected = np.fmod(a, np.where(b == 0, 1, b))
            expected = np.where(b == -1, 0, expected)
        expected = np.where(b == 0, 0, expected).astype(dtype)
    out = runner.function(binary_body(op, a, b, expected.shape), [a, b],
                          [expected.shape])
    np.testing.assert_array_equal(out, expected)


# --- Elementwise unary -------------------------------------------------------

def gelu(x):
    erf = np.vectorize(math.erf)
    return 0.5 * x * (1 + erf(x / math.sqrt(2)))


UNARY = {
    "neg": (np.negative, None), "abs": (np.abs, None), "exp": (np.exp, None),
    "log": (np.log, "pos"), "sqrt": (np.sqrt, "pos"),
    "rsqrt": (lambda x: 1 / np.sqrt(x), "pos"), "tanh": (np.tanh, None),
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), None),
    "relu": (lambda x: np.maximum(x, 0), None), "gelu": (gelu, None),
    "erf": (np.vectorize(math.erf), None), "sin": (np.sin, None),
    "cos": (np.cos, None), "tan": (np.tan, "small"),
    "asin": (np.arcsin, "unit"), "acos": (np.arccos, "unit"),
    "atan": (np.arctan, None), "sinh": (np.sinh, None), "cosh": (np.cosh, None),
    "asinh": (np.arcsinh, None), "acosh": (np.arccosh, "ge1"),
    "atanh": (np.arctanh, "unit"), "floor": (np.floor, None),
    "ceil": (np.ceil, None), "round": (np.round, None), "sign": (np.sign, None),
}
DOMAINS = {None: (-3, 3), "pos": (0.05, 4), "small": (-1.2, 1.2),
           "unit": (-0.95, 0.95), "ge1": (1.05, 4)}


@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary(runner, op):
    fn, domain = UNARY[op]
    x = rand(3, 7, low=DOMAINS[domain][0], high=DOMAINS[domain][1])
    if op == "round":
        x[0, :4] = [0.5, 1.5, 2.5, -0.5]  # Ties go to even.
    out = runner.function(unary_body(op, x), [x], [x.shape])
    close(out, fn(x.astype(np.float64)).astype(np.float32), rtol=2e-5, atol=2e-6)


def test_unary_scalar_and_int(runner):
    x = np.array(-2.5, dtype=np.float32)
    close(runner.function(unary_body("abs", x), [x], [()]), np.abs(x))
    i = np.array([-3, 0, 4], dtype=np.int64)
    np.testing.assert_array_equal(
        runner.function(unary_body("sign", i), [i], [i.shape]), np.sign(i))
    np.testing.assert_array_equal(
        runner.function(unary_body("relu", i), [i], [i.shape]), np.maximum(i, 0))


@pytest.mark.parametrize("bounds", [(0.0, 6.0), (None, 0.5), (-0.5, None)])
def test_clip(runner, bounds):
    x = rand(4, 5, low=-8, high=8)
    lo, hi = bounds
    extra = (" min %r" % lo if lo is not None else "") + (
        " max %r" % hi if hi is not None else "")
    out = runner.function(unary_body("clip", x, extra), [x], [x.shape])
    close(out, np.clip(x, lo, hi))


@pytest.mark.parametrize("pred,fn", [("eq", np.equal), ("ne", np.not_equal),
                                     ("lt", np.less), ("le", np.less_equal),
                                     ("gt", np.greater), ("ge", np.greater_equal)])
def test_compare(runner, pred, fn):
    a = rng.integers(0, 3, size=(4, 3)).astype(np.float32)
    b = rng.integers(0, 3, size=(3,)).astype(np.float32)
    body = ("  %%0 = graph.compare %s, %%a0, %%a1 : %s, %s\n  return %%0 : %s" % (
        pred, tensor_type(a.shape, a.dtype), tensor_type(b.shape, b.dtype),
        tensor_type((4, 3), np.bool_)))
    out = runner.function(body, [a, b], [(4, 3)], [np.bool_])
    np.testing.assert_array_equal(out, fn(a, b))


def test_select(runner):
    c = rng.integers(0, 2, size=(2, 1, 3)).astype(np.bool_)
    a, b = rand(4, 1), rand(2, 4, 3)
    body = ("  %%0 = graph.select %%a0, %%a1, %%a2 : %s, %s, %s\n  return %%0 : %s" % (
        tensor_type(c.shape, c.dtype), tensor_type(a.shape, a.dtype),
        tensor_type(b.shape, b.dtype), tensor_type((2, 4, 3), np.float32)))
    close(runner.function(body, [c, a, b], [(2, 4, 3)], [np.float32]),
          np.where(c, a, b))


@pytest.mark.parametrize("src,dst", [(np.float32, np.int32), (np.int64, np.float32),
                                     (np.float32, np.bool_), (np.bool_, np.float32),
                                     (np.float32, np.float64), (np.int64, np.int8)])
def test_cast(runner, src, dst):
    x = (rng.uniform(-100, 100, size=(3, 4))).astype(src)
    if src == np.bool_:
        x = rng.integers(0, 2, size=(3, 4)).astype(np.bool_)
    if src == np.int64 and dst == np.int8:
        x = rng.integers(-100, 100, size=(3, 4)).astype(np.int64)
    body = ("  %%0 = graph.cast %%a0 : %s to %s\n  return %%0 : %s" % (
        tensor_type(x.shape, x.dtype), {np.int32: "i32", np.float32: "f32",
                                        np.bool_: "i1", np.float64: "f64",
                                        np.int8: "i8"}[dst],
        tensor_type(x.shape, dst)))
    out = runner.function(body, [x], [x.shape], [dst])
    expected = x != 0 if dst == np.bool_ else x.astype(dst)
    np.testing.assert_array_equal(out, expected)


# --- Linear algebra, convolution, pooling -----------------------------------

@pytest.mark.parametrize("shapes", [((4, 3), (3, 5)), ((1, 1), (1, 7)),
                                    ((2, 5, 3), (3, 4)), ((2, 3, 4, 5), (2, 3, 5, 2)),
                                    ((1, 4, 5), (3, 5, 7)), ((5, 3), (2, 3, 6)),
                                    ((17, 33), (33, 9))], ids=str)
def test_matmul(runner, shapes):
    a, b = rand(*shapes[0]), rand(*shapes[1])
    expected = np.matmul(a, b)
    out = runner.function(binary_body("matmul", a, b, expected.shape), [a, b],
                          [expected.shape])
    close(out, expected, rtol=1e-4, atol=1e-5)


def conv_ref(x, w, b, strides, pads, dilations, groups):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    oh = (xp.shape[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (xp.shape[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, o, oh, ow), np.float64)
    og = o // groups
    for g in range(groups):
        for f in range(g * og, (g + 1) * og):
            for i in range(kh):
                for j in range(kw):
                    patch = xp[:, g * cg:(g + 1) * cg,
                               i * dilations[0]: i * dilations[0] + strides[0] * (oh - 1) + 1: strides[0],
                               j * dilations[1]: j * dilations[1] + strides[1] * (ow - 1) + 1: strides[1]]
                    y[:, f] += np.einsum("nchw,c->nhw", patch, w[f, :, i, j])
    if b is not None:
        y += b[None, :, None, None]
    return y.astype(np.float32)


CONVS = [
    dict(x=(1, 3, 8, 8), w=(4, 3, 3, 3), strides=(1, 1), pads=(1, 1, 1, 1), dil=(1, 1), g=1, bias=True),
    dict(x=(2, 3, 9, 7), w=(5, 3, 3, 2), strides=(2, 1), pads=(0, 1, 2, 0), dil=(1, 1), g=1, bias=False),
    dict(x=(1, 4, 10, 10), w=(4, 1, 3, 3), strides=(2, 2), pads=(1, 1, 1, 1), dil=(1, 1), g=4, bias=True),
    dict(x=(1, 4, 7, 7), w=(6, 2, 3, 3), strides=(1, 1), pads=(0, 0, 0, 0), dil=(2, 2), g=2, bias=True),
    dict(x=(1, 1, 5, 5), w=(1, 1, 1, 1), strides=(1, 1), pads=(0, 0, 0, 0), dil=(1, 1), g=1, bias=False),
]


@pytest.mark.parametrize("cfg", CONVS, ids=lambda c: "x%s_w%s_g%d" % (c["x"], c["w"], c["g"]))
def test_conv2d(runner, cfg):
    x, w = rand(*cfg["x"]), rand(*cfg["w"])
    b = rand(cfg["w"][0]) if cfg["bias"] else None
    expected = conv_ref(x, w, b, cfg["strides"], cfg["pads"], cfg["dil"], cfg["g"])
    inputs = [x, w] + ([b] if b is not None else [])
    types = ", ".join(tensor_type(t.shape, t.dtype) for t in inputs)
    operands = ", ".join("%%a%d" % i for i in range(len(inputs)))
    body = ("  %%0 = graph.conv2d %s {strides = array<i64: %d, %d>, pads = array<i64: %d, %d, %d, %d>, "
            "dilations = array<i64: %d, %d>, groups = %d : i64} : %s\n  return %%0 : %s" % (
                operands, *cfg["strides"], *cfg["pads"], *cfg["dil"], cfg["g"], types,
                tensor_type(expected.shape, np.float32)))
    close(runner.function(body, inputs, [expected.shape]), expected, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("shapes", [((0, 4), (4, 8)), ((4, 0), (0, 8)),
                                    ((4, 5), (5, 0)), ((0, 3, 4), (0, 4, 2)),
                                    ((2, 3, 0), (2, 0, 5))], ids=str)
def test_matmul_zero_sized(runner, shapes):
    # A zero-sized dimension crashed kernel tiling (SIGFPE/SIGSEGV). An
    # empty contraction (K = 0) gives zeros.
    a, b = rand(*shapes[0]), rand(*shapes[1])
    expected = np.matmul(a, b)
    out = runner.function(binary_body("matmul", a, b, expected.shape), [a, b],
                          [expected.shape])
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("cfg", [
    dict(x=(1, 0, 8, 8), w=(4, 0, 3, 3), g=1),   # no input channels
    dict(x=(0, 3, 8, 8), w=(4, 3, 3, 3), g=1),   # no images
    dict(x=(1, 3, 8, 8), w=(0, 3, 3, 3), g=1),   # no filters
    dict(x=(0, 4, 8, 8), w=(4, 1, 3, 3), g=4),   # depthwise, no images
], ids=lambda c: "x%s_w%s" % (c["x"], c["w"]))
def test_conv2d_zero_sized(runner, cfg):
    x, w = rand(*cfg["x"]), rand(*cfg["w"])
    b = rand(cfg["w"][0])
    groups = cfg["g"]
    expected = conv_ref(x, w, b, (1, 1), (1, 1, 1, 1), (1, 1), groups)
    types = ", ".join(tensor_type(t.shape, t.dtype) for t in (x, w, b))
    body = ("  %%0 = graph.conv2d %%a0, %%a1, %%a2 {strides = array<i64: 1, 1>, "
            "pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, "
            "groups = %d : i64} : %s\n  return %%0 : %s" % (
                groups, types, tensor_type(expected.shape, np.float32)))
    close(runner.function(body, [x, w, b], [expected.shape]), expected)


def pool_ref(x, kernel, strides, pads, kind, ceil=False, include_pad=False):
    n, c, h, w = x.shape
    def out_size(i, d):
        span = i + pads[d] + pads[d + 2] - kernel[d]
        o = span // strides[d] + 1
        if ceil and span % strides[d] and o * strides[d] < i + pads[d]:
            o += 1
        return o
    oh, ow = out_size(h, 0), out_size(w, 1)
    y = np.zeros((n, c, oh, ow), np.float32)
    for i in range(oh):
        for j in range(ow):
            h0, w0 = i * strides[0] - pads[0], j * strides[1] - pads[1]
            h1, w1 = min(h0 + kernel[0], h + pads[2]), min(w0 + kernel[1], w + pads[3])
            window = x[:, :, max(h0, 0):min(h1, h), max(w0, 0):min(w1, w)]
            if kind == "max":
                y[:, :, i, j] = window.max(axis=(2, 3))
            else:
                count = (h1 - h0) * (w1 - w0) if include_pad else window.shape[2] * window.shape[3]
                y[:, :, i, j] = window.sum(axis=(2, 3)) / count
    return y


@pytest.mark.parametrize("kind", ["max", "avg"])
@pytest.mark.parametrize("cfg", [((3, 3), (2, 2), (1, 1, 1, 1), False, False),
                                 ((2, 2), (2, 2), (0, 0, 0, 0), True, False),
                                 ((3, 2), (1, 2), (1, 0, 1, 1), False, True),
                                 ((3, 3), (2, 2), (1, 1, 1, 1), True, True)], ids=str)
def test_pool(runner, kind, cfg):
    kernel, strides, pads, ceil, include = cfg
    x = rand(2, 3, 7, 6)
    expected = pool_ref(x, kernel, strides, pads, kind, ceil, include)
    attrs = "kernel = array<i64: %d, %d>, strides = array<i64: %d, %d>, pads = array<i64: %d, %d, %d, %d>" % (
        *kernel, *strides, *pads)
    if ceil:
        attrs += ", ceil_mode"
    if include and kind == "avg":
        attrs += ", count_include_pad"
    body = "  %%0 = graph.%s_pool2d %%a0 {%s} : %s\n  return %%0 : %s" % (
        kind, attrs, tensor_type(x.shape, x.dtype), tensor_type(expected.shape, np.float32))
    close(runner.function(body, [x], [expected.shape]), expected, rtol=1e-5)


@pytest.mark.parametrize("shape", [(1, 4, 20, 40), (1, 2, 9, 112)], ids=str)
def test_max_pool_negative_through_pad(runner, shape):
    # All inputs negative: a padding read as 0 instead of -inf would show.
    x = rand(*shape, low=-3.0, high=-1.0)
    kernel, strides, pads = (3, 3), (2, 2), (1, 1, 1, 1)
    expected = pool_ref(x, kernel, strides, pads, "max", False, False)
    body = ("  %%0 = graph.max_pool2d %%a0 {kernel = array<i64: 3, 3>, strides = array<i64: 2, 2>, "
            "pads = array<i64: 1, 1, 1, 1>} : %s\n  return %%0 : %s") % (
        tensor_type(x.shape, x.dtype), tensor_type(expected.shape, np.float32))
    close(runner.function(body, [x], [expected.shape]), expected, rtol=1e-6)


@pytest.mark.parametrize("kind", ["avg", "max"])
def test_global_pool(runner, kind):
    x = rand(2, 5, 3, 7)
    expected = (x.mean if kind == "avg" else x.max)(axis=(2, 3), keepdims=True)
    out = runner.function("  %%0 = graph.global_%s_pool2d %%a0 : %s\n  return %%0 : %s" % (
        kind, tensor_type(x.shape, x.dtype), tensor_type(expected.shape, np.float32)),
        [x], [expected.shape])
    close(out, expected, rtol=1e-5)


# --- Normalization ------------------------------------------------------------

@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax(runner, axis):
    x = rand(3, 5, 4, low=-30, high=30)
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    expected = e / e.sum(axis=axis, keepdims=True)
    out = runner.function(unary_body("softmax", x, " {axis = %d : i64}" % axis), [x], [x.shape])
    close(out, expected, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("axis,bias", [(-1, True), (1, False), (0, True)])
def test_layer_norm(runner, axis, bias):
    x = rand(2, 3, 8)
    norm_shape = x.shape[axis % 3:]
    g, b = rand(*norm_shape), rand(*norm_shape)
    dims = tuple(range(axis % 3, 3))
    mean = x.mean(axis=dims, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=dims, keepdims=True)
    expected = (x - mean) / np.sqrt(var + 1e-5) * g + (b if bias else 0)
    inputs = [x, g] + ([b] if bias else [])
    types = ", ".join(tensor_type(t.shape, t.dtype) for t in inputs)
    body = "  %%0 = graph.layer_norm %s {axis = %d : i64} : %s\n  return %%0 : %s" % (
        ", ".join("%%a%d" % i for i in range(len(inputs))), axis, types, tensor_type(x.shape, x.dtype))
    close(runner.function(body, inputs, [x.shape]), expected.astype(np.float32), rtol=1e-4, atol=1e-5)


def test_batch_norm(runner):
    x = rand(2, 4, 3, 3)
    s, b, m = rand(4), rand(4), rand(4)
    v = rand(4, low=0.1, high=2)
    expected = (x - m[:, None, None]) / np.sqrt(v[:, None, None] + 1e-3) * s[:, None, None] + b[:, None, None]
    types = ", ".join(tensor_type(t.shape, t.dtype) for t in [x, s, b, m, v])
    body = "  %%0 = graph.batch_norm %%a0, %%a1, %%a2, %%a3, %%a4 {epsilon = 1.0e-3 : f64} : %s\n  return %%0 : %s" % (
        types, tensor_type(x.shape, x.dtype))
    close(runner.function(body, [x, s, b, m, v], [x.shape]), expected.astype(np.float32), rtol=1e-5, atol=1e-6)


# --- Reductions ----------------------------------------------------------------

REDUCE = {"sum": np.sum, "mean": np.mean, "max": np.max, "min": np.min, "prod": np.prod}


@pytest.mark.parametrize("op", sorted(REDUCE))
@pytest.mark.parametrize("axes,keep", [((1,), False), ((-1, 0), True), ((), False), ((0, 1, 2), True)], ids=str)
def test_reduce(runner, op, axes, keep):
    x = rand(3, 4, 5, low=0.5, high=1.5)
    np_axes = tuple(axes) if axes else None
    expected = REDUCE[op](x, axis=np_axes, keepdims=keep).astype(np.float32)
    attrs = "axes = array<i64%s>" % (": " + ", ".join(map(str, axes)) if axes else "")
    if keep:
        attrs += ", keep_dims"
    body = "  %%0 = graph.reduce_%s %%a0 {%s} : %s\n  return %%0 : %s" % (
        op, attrs, tensor_type(x.shape, x.dtype), tensor_type(expected.shape, np.float32))
    close(runner.function(body, [x], [expected.shape]), expected, rtol=1e-5)


@pytest.mark.parametrize("op", ["arg_max", "arg_min"])
@pytest.mark.parametrize("axis,keep,last", [(1, False, False), (-1, True, False), (0, False, True)], ids=str)
def test_arg_reduce(runner, op, axis, keep, last):
    x = rng.integers(0, 4, size=(3, 5)).astype(np.float32)  # Many ties.
    fn = np.argmax if op == "arg_max" else np.argmin
    if last:
        expected = x.shape[axis] - 1 - fn(np.flip(x, axis=axis), axis=axis)
    else:
        expected = fn(x, axis=axis)
    if keep:
        expected = np.expand_dims(expected, axis)
    attrs = "axis = %d : i64%s%s" % (axis, ", keep_dims" if keep else "",
                                      ", select_last_index" if last else "")
    body = "  %%0 = graph.%s %%a0 {%s} : %s\n  return %%0 : %s" % (
        op, attrs, tensor_type(x.shape, x.dtype), tensor_type(expected.shape, np.int64))
    np.testing.assert_array_equal(runner.function(body, [x], [expected.shape], [np.int64]), expected)


@pytest.mark.parametrize("exclusive,reverse", [(False, False), (True, False), (False, True), (True, True)])
def test_cumsum(runner, exclusive, reverse):
    x = rand(3, 6)
    y = np.flip(x, 1) if reverse else x
    c = np.cumsum(y, axis=1)
    if exclusive:
        c = np.concatenate([np.zeros((3, 1), np.float32), c[:, :-1]], axis=1)
    expected = np.flip(c, 1) if reverse else c
    attrs = "axis = -1 : i64" + (", exclusive" if exclusive else "") + (", reverse" if reverse else "")
    close(runner.function(unary_body("cumsum", x, " {%s}" % attrs), [x], [x.shape]), expected, rtol=1e-5, atol=1e-6)


# --- Data movement ---------------------------------------------------------------

def shape_attr(shape):
    return "[%s]" % ", ".join(map(str, shape))


@pytest.mark.parametrize("src,dst", [((2, 3, 4), (6, 4)), ((6,), (1, 2, 1, 3)), ((2, 3), (3, 2)), ((1,), ())])
def test_reshape(runner, src, dst):
    x = rand(*src)
    body = "  %%0 = graph.reshape %%a0 %s : %s\n  return %%0 : %s" % (
        shape_attr(dst), tensor_type(x.shape, x.dtype), tensor_type(dst, x.dtype))
    close(runner.function(body, [x], [dst]), x.reshape(dst))


@pytest.mark.parametrize("perm", [(1, 0, 2), (2, 0, 1), (0, 1, 2)])
def test_transpose(runner, perm):
    x = rand(2, 3, 5)
    expected = np.transpose(x, perm)
    body = "  %%0 = graph.transpose %%a0 %s : %s\n  return %%0 : %s" % (
        shape_attr(perm), tensor_type(x.shape, x.dtype), tensor_type(expected.shape, x.dtype))
    close(runner.function(body, [x], [expected.shape]), expected)


def test_broadcast_to(runner):
    x = rand(3, 1)
    body = "  %%0 = graph.broadcast_to %%a0 [2, 3, 4] : %s\n  return %%0 : %s" % (
        tensor_type(x.shape, x.dtype), tensor_type((2, 3, 4), x.dtype))
    close(runner.function(body, [x], [(2, 3, 4)]), np.broadcast_to(x, (2, 3, 4)))


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_concat(runner, axis):
    shapes = [[2, 3, 4]] * 3
    for i, s in enumerate(shapes):
        s = list(s)
        s[axis] = i + 1
        shapes[i] = s
    xs = [rand(*s) for s in shapes]
    expected = np.concatenate(xs, axis=axis)
    types = ", ".join(tensor_type(x.shape, x.dtype) for x in xs)
    body = "  %%0 = graph.concat %%a0, %%a1, %%a2 axis %d : %s\n  return %%0 : %s" % (
        axis, types, tensor_type(expected.shape, np.float32))
    close(runner.function(body, xs, [expected.shape]), expected)


def test_slice(runner):
    x = rand(5, 8, 3)
    expected = x[1:5:2, 0:7:3, 2:3]
    body = ("  %%0 = graph.slice %%a0 {starts = array<i64: 1, 0, 2>, ends = array<i64: 5, 7, 3>, "
            "steps = array<i64: 2, 3, 1>} : %s\n  return %%0 : %s" % (
                tensor_type(x.shape, x.dtype), tensor_type(expected.shape, x.dtype)))
    close(runner.function(body, [x], [expected.shape]), expected)


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge"])
def test_pad(runner, mode):
    x = rand(3, 4)
    pads = (1, 2, 2, 1)
    width = ((pads[0], pads[2]), (pads[1], pads[3]))
    expected = np.pad(x, width, mode=mode, **({"constant_values": 1.5} if mode == "constant" else {}))
    attrs = "pads = array<i64: %d, %d, %d, %d>, mode = #graph<pad_mode %s>" % (*pads, mode)
    if mode == "constant":
        attrs += ", value = 1.5 : f64"
    body = "  %%0 = graph.pad %%a0 {%s} : %s\n  return %%0 : %s" % (
        attrs, tensor_type(x.shape, x.dtype), tensor_type(expected.shape, x.dtype))
    close(runner.function(body, [x], [expected.shape]), expected)


@pytest.mark.parametrize("axis", [0, 1, -1])
def test_gather(runner, axis):
    data = rand(5, 6, 4)
    n = data.shape[axis]
    idx = rng.integers(-n, n, size=(2, 3)).astype(np.int64)
    expected = np.take(data, idx, axis=axis)
    body = "  %%0 = graph.gather %%a0, %%a1 {axis = %d : i64} : %s, %s\n  return %%0 : %s" % (
        axis, tensor_type(data.shape, data.dtype), tensor_type(idx.shape, idx.dtype),
        tensor_type(expected.shape, data.dtype))
    close(runner.function(body, [data, idx], [expected.shape]), expected)


def test_gather_elements(runner):
    data = rand(3, 5)
    idx = rng.integers(-5, 5, size=(3, 4)).astype(np.int64)
    expected = np.take_along_axis(data, np.where(idx < 0, idx + 5, idx), axis=1)
    body = "  %%0 = graph.gather_elements %%a0, %%a1 {axis = 1 : i64} : %s, %s\n  return %%0 : %s" % (
        tensor_type(data.shape, data.dtype), tensor_type(idx.shape, idx.dtype),
        tensor_type(expected.shape, data.dtype))
    close(runner.function(body, [data, idx], [expected.shape]), expected)


def test_expand_squeeze(runner):
    x = rand(3, 4)
    body = ("  %%0 = graph.expand_dims %%a0 [0, -1] : %s\n"
            "  %%1 = graph.squeeze %%0 [0] : %s\n  return %%0, %%1 : %s, %s" % (
                tensor_type(x.shape, x.dtype), tensor_type((1, 3, 4, 1), x.dtype),
                tensor_type((1, 3, 4, 1), x.dtype), tensor_type((3, 4, 1), x.dtype)))
    a, b = runner.function(body, [x], [(1, 3, 4, 1), (3, 4, 1)])
    close(a, x[None, :, :, None])
    close(b, x[:, :, None])


def test_fusion(runner):
    x, b = rand(4, 8), rand(8)
    body = ("  %%0 = graph.fusion (%%a0, %%a1 : %s, %s) {\n"
            "  ^bb0(%%x: %s, %%c: %s):\n"
            "    %%s = graph.add %%x, %%c : %s, %s\n"
            "    %%r = graph.relu %%s : %s\n"
            "    graph.yield %%r : %s\n  }\n  return %%0 : %s" % (
                (tensor_type(x.shape, x.dtype), tensor_type(b.shape, b.dtype)) * 3 +
                (tensor_type(x.shape, x.dtype),) * 3))
    close(runner.function(body, [x, b], [x.shape]), np.maximum(x + b, 0))


def test_bool_ops(runner):
    """i1 is unsigned: true > false for max, min, compare and reductions."""
    a = np.array([1, 1, 0, 0], np.bool_)
    b = np.array([1, 0, 1, 0], np.bool_)
    t = tensor_type(a.shape, a.dtype)
    body = ("  %%0 = graph.max %%a0, %%a1 : %s, %s\n"
            "  %%1 = graph.min %%a0, %%a1 : %s, %s\n"
            "  %%2 = graph.compare lt, %%a0, %%a1 : %s, %s\n"
            "  %%3 = graph.reduce_max %%a1 : %s\n"
            "  %%4 = graph.reduce_min %%a0 : %s\n"
            "  return %%0, %%1, %%2, %%3, %%4 : %s, %s, %s, tensor<i1>, tensor<i1>" % ((t,) * 11))
    outs = runner.function(body, [a, b], [(4,), (4,), (4,), (), ()], [np.bool_] * 5)
    for got, want in zip(outs, [a | b, a & b, a < b, np.array(True), np.array(False)]):
        np.testing.assert_array_equal(got, want)
