"""Every graph op through the Python builder, compiled and run, checked
against numpy; operator overloading; errors."""

import math

import numpy as np
import pytest

import strata

rng = np.random.default_rng(1)


def rand(*shape, low=-2.0, high=2.0):
    return rng.uniform(low, high, size=shape).astype(np.float32)


def run(build, *inputs):
    """Builds a graph with one input per array via build(g, *values) and
    runs it on the arrays."""
    g = strata.Graph("t")
    values = [g.input("in%d" % i, a.shape, a.dtype) for i, a in enumerate(inputs)]
    out = build(g, *values)
    g.output(*(out if isinstance(out, tuple) else (out,)))
    return strata.compile(g)(*inputs)


def close(a, b, rtol=1e-5, atol=1e-6):
    assert a.shape == b.shape, (a.shape, b.shape)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


UNARY = {
    "neg": np.negative, "abs": np.abs, "exp": np.exp, "tanh": np.tanh,
    "sigmoid": lambda x: 1 / (1 + np.exp(-x)), "relu": lambda x: np.maximum(x, 0),
    "gelu": lambda x: 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2))),
    "erf": np.vectorize(math.erf), "sin": np.sin, "cos": np.cos, "atan": np.arctan,
    "sinh": np.sinh, "cosh": np.cosh, "asinh": np.arcsinh, "floor": np.floor,
    "ceil": np.ceil, "round": np.round, "sign": np.sign,
    "log": None, "sqrt": None, "rsqrt": None, "tan": None, "asin": None,
    "acos": None, "atanh": None, "acosh": None,
}
POSITIVE = {"log": np.log, "sqrt": np.sqrt, "rsqrt": lambda x: 1 / np.sqrt(x)}
UNIT = {"tan": np.tan, "asin": np.arcsin, "acos": np.arccos, "atanh": np.arctanh}


@pytest.mark.parametrize("op", sorted(UNARY))
def test_unary(op):
    if op in POSITIVE:
        x, fn = rand(3, 4, low=0.1, high=3), POSITIVE[op]
    elif op in UNIT:
        x, fn = rand(3, 4, low=-0.9, high=0.9), UNIT[op]
    elif op == "acosh":
        x, fn = rand(3, 4, low=1.1, high=3), np.arccosh
    else:
        x, fn = rand(3, 4), UNARY[op]
    close(run(lambda g, v: getattr(g, op)(v), x), fn(x.astype(np.float64)).astype(np.float32),
          rtol=2e-5, atol=2e-6)


@pytest.mark.parametrize("op,fn", [("add", np.add), ("sub", np.subtract), ("mul", np.multiply),
                                   ("div", np.divide), ("max", np.maximum), ("min", np.minimum),
                                   ("rem", np.fmod), ("pow", np.power)])
def test_binary_broadcast(op, fn):
    a, b = rand(4, 1, 3, low=0.5), rand(5, 1, low=0.5)
    close(run(lambda g, x, y: getattr(g, op)(x, y), a, b), fn(a, b), rtol=1e-5)


def test_operators_and_scalars():
    a, b = rand(2, 3), rand(3)
    out = run(lambda g, x, y: (-(x + y) * 2.0 - 1 / (y * y + 1)) / 3, a, b)
    close(out, (-(a + b) * 2 - 1 / (b * b + 1)) / 3)
    m = rand(3, 4)
    close(run(lambda g, x, y: x @ y, a, m), a @ m, rtol=1e-5)


def test_clip_compare_select_cast():
    x, y = rand(3, 4, low=-8, high=8), rand(4)
    close(run(lambda g, v: g.clip(v, min=0.0, max=6.0), x), np.clip(x, 0, 6))
    np.testing.assert_array_equal(run(lambda g, a, b: g.compare(a, b, "lt"), x, y), x < y)
    close(run(lambda g, a, b: g.select(g.compare(a, b, "gt"), a, b), x, y), np.where(x > y, x, y))
    np.testing.assert_array_equal(run(lambda g, a: g.cast(a, "i32"), x), x.astype(np.int32))
    np.testing.assert_array_equal(run(lambda g, a: g.cast(a, np.float64), x), x.astype(np.float64))


def test_matmul_batched():
    a, b = rand(2, 1, 3, 4), rand(5, 4, 6)
    close(run(lambda g, x, y: g.matmul(x, y), a, b), a @ b, rtol=1e-5)


def test_conv_pool():
    x, w, bias = rand(1, 4, 9, 9), rand(6, 2, 3, 3), rand(6)
    torch = pytest.importorskip("torch")
    ref = torch.nn.functional.conv2d(torch.from_numpy(x), torch.from_numpy(w), torch.from_numpy(bias),
                                     stride=2, padding=1, groups=2).numpy()
    out = run(lambda g, a, k, c: g.conv2d(a, k, c, strides=(2, 2), pads=(1, 1, 1, 1), groups=2), x, w, bias)
    close(out, ref, rtol=1e-4, atol=1e-5)
    tx = torch.from_numpy(x)
    close(run(lambda g, a: g.max_pool2d(a, kernel=(3, 3), strides=(2, 2), pads=(1, 1, 1, 1)), x),
          torch.nn.functional.max_pool2d(tx, 3, 2, 1).numpy())
    close(run(lambda g, a: g.avg_pool2d(a, kernel=(2, 2), strides=(2, 2), ceil_mode=True), x),
          torch.nn.functional.avg_pool2d(tx, 2, 2, ceil_mode=True).numpy())
    close(run(lambda g, a: g.global_avg_pool2d(a), x), x.mean(axis=(2, 3), keepdims=True))
    close(run(lambda g, a: g.global_max_pool2d(a), x), x.max(axis=(2, 3), keepdims=True))


def test_normalization():
    x = rand(2, 5, 8)
    e = np.exp(x - x.max(axis=1, keepdims=True))
    close(run(lambda g, a: g.softmax(a, axis=1), x), e / e.sum(axis=1, keepdims=True))
    gamma, beta = rand(8), rand(8)
    mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
    close(run(lambda g, a, s, b: g.layer_norm(a, s, b, epsilon=1e-6), x, gamma, beta),
          (x - mean) / np.sqrt(var + 1e-6) * gamma + beta, rtol=1e-4, atol=1e-5)
    y, p = rand(2, 5, 3, 3), rand(5, low=0.5)
    ref = (y - p[:, None, None]) / np.sqrt(p[:, None, None] + 1e-5) * p[:, None, None] + p[:, None, None]
    close(run(lambda g, a, q: g.batch_norm(a, q, q, q, q), y, p), ref, rtol=1e-5)


def test_reductions_and_indices():
    x = rand(3, 4, 5)
    close(run(lambda g, a: g.reduce_sum(a, axes=(1,)), x), x.sum(axis=1), rtol=1e-5)
    close(run(lambda g, a: g.reduce_mean(a, axes=(-1,), keep_dims=True), x), x.mean(-1, keepdims=True))
    close(run(lambda g, a: g.reduce_max(a), x), np.array(x.max()))
    close(run(lambda g, a: g.reduce_min(a, axes=(0, 2)), x), x.min(axis=(0, 2)))
    close(run(lambda g, a: g.reduce_prod(a, axes=(0,)), x), x.prod(axis=0), rtol=1e-5)
    np.testing.assert_array_equal(run(lambda g, a: g.arg_max(a, axis=2), x), x.argmax(axis=2))
    np.testing.assert_array_equal(run(lambda g, a: g.arg_min(a, axis=0), x), x.argmin(axis=0))
    close(run(lambda g, a: g.cumsum(a, axis=1), x), np.cumsum(x, axis=1), rtol=1e-5, atol=1e-6)


def test_data_movement():
    x = rand(2, 3, 4)
    close(run(lambda g, a: g.reshape(a, (6, 4)), x), x.reshape(6, 4))
    close(run(lambda g, a: g.transpose(a, (2, 0, 1)), x), x.transpose(2, 0, 1))
    close(run(lambda g, a: g.broadcast_to(a, (5, 2, 3, 4)), x), np.broadcast_to(x, (5, 2, 3, 4)))
    close(run(lambda g, a: g.concat([a, a], axis=-1), x), np.concatenate([x, x], axis=-1))
    close(run(lambda g, a: g.slice(a, (0, 1, 0), (2, 3, 4), (1, 1, 2)), x), x[:, 1:3, ::2])
    close(run(lambda g, a: g.pad(a, (0, 1, 0, 0, 1, 2), mode="edge"), x),
          np.pad(x, ((0, 0), (1, 1), (0, 2)), mode="edge"))
    idx = np.array([[2, 0], [1, 1]], np.int64)
    close(run(lambda g, a, i: g.gather(a, i, axis=2), x, idx), np.take(x, idx, axis=2))
    ie = rng.integers(0, 4, size=(2, 3, 2)).astype(np.int64)
    close(run(lambda g, a, i: g.gather_elements(a, i, axis=2), x, ie), np.take_along_axis(x, ie, axis=2))
    close(run(lambda g, a: g.squeeze(g.expand_dims(a, (0, 2)), (0,)), x), x[:, None])


def test_constants_and_specs():
    g = strata.Graph("net")
    x = g.input("x", (2, 3), "f32")
    w = g.constant(np.arange(6, dtype=np.float32).reshape(3, 2))
    g.output(g.matmul(x, w), name="y")
    g.output(g.reduce_sum(x), name="total")
    assert "graph.matmul" in g.mlir()
    assert [v.shape for v in g.outputs] == [(2, 2), ()]
    m = strata.compile(g)
    assert m.input_specs == [strata.TensorSpec("x", (2, 3), "f32")]
    assert m.output_specs == [strata.TensorSpec("y", (2, 2), "f32"),
                              strata.TensorSpec("total", (), "f32")]
    a = rand(2, 3)
    y, total = m(a)
    close(y, a @ np.arange(6, dtype=np.float32).reshape(3, 2))
    close(total, np.array(a.sum()), rtol=1e-6)
    for level in ("graph", "linalg", "loops", "llvm"):
        assert m.mlir(level=level)
    # The matmul is register-tiled and vectorized at the linalg level.
    assert "vector.fma" in m.mlir(level="linalg")
    assert "llvm.func" in m.mlir(level="llvm")


@pytest.mark.parametrize("count", [6, 100])  # inline and resource constants
def test_constant_in_other_byte_order(count):
    # A big-endian array's bytes used to be taken as they lay in memory.
    values = np.arange(count, dtype=np.float32) - 2.5
    big = values.astype(">f4")
    g = strata.Graph("be")
    x = g.input("x", (count,), "f32")
    g.output(x + g.constant(big))
    m = strata.compile(g)
    np.testing.assert_array_equal(m(np.ones(count, np.float32)), values + 1)


# -- Errors -------------------------------------------------------------------

def test_mlir_text_that_crashes_the_parser_is_an_error():
    # MLIR 22's parser crashes on `array<index: ...>` (found by fuzzing):
    # rejected before parsing, the interpreter lives on.
    text = ("func.func @f() attributes {a = array<index: 1, 2>} "
            "{ return }")
    with pytest.raises(strata.Error, match="dense arrays of 'index'"):
        strata.compile(text)

def test_builder_errors_name_the_problem():
    g = strata.Graph("bad")
    x = g.input("x", (4, 8), "f32")
    before = g.mlir() if g.outputs else None
    with pytest.raises(strata.Error, match="contracting dimensions differ: 8 vs 4"):
        g.matmul(x, x)
    with pytest.raises(strata.Error, match="not broadcast-compatible: 4x8 vs 3"):
        g.add(x, np.zeros(3, np.float32))
    with pytest.raises(strata.Error, match="axis 2 is out of range for rank 2"):
        g.softmax(x, axis=2)
    with pytest.raises(strata.Error, match="unknown predicate"):
        g.compare(x, x, "less")
    with pytest.raises(strata.Error, match="unknown dtype"):
        g.input("y", (2,), "float128x")
    with pytest.raises(ValueError):  # strata.Error is a ValueError.
        g.reshape(x, (5,))
    # A failed op is not added (only the constant made from the numpy operand
    # stays, unused).
    g.output(g.relu(x))
    text = g.mlir()
    assert "graph.add" not in text and "graph.matmul" not in text
    assert text.count("graph.relu") == 1
    assert before is None


def test_compile_and_run_errors():
    g = strata.Graph("e")
    g.input("x", (2,), "f32")
    with pytest.raises(strata.Error, match="has no outputs"):
        strata.compile(g)
    with pytest.raises(strata.Error, match="unknown target"):
        strata.compile(g, target="tpu")
    with pytest.raises(strata.Error, match="no such file"):
        strata.compile("missing.onnx")
    g.output(g.inputs[0] * 2.0)
    m = strata.compile(g)
    with pytest.raises(strata.Error, match="takes 1 inputs, got 2"):
        m(np.zeros(2, np.float32), np.zeros(2, np.float32))
    with pytest.raises(strata.Error, match=r"is 3xf32, expected x: 2xf32"):
        m(np.zeros(3, np.float32))
    with pytest.raises(strata.Error, match="dtype float64, expected float32"):
        m(np.zeros(2))
    with pytest.raises(strata.Error, match="has dtype object, expected float32"):
        m(object())
    with pytest.raises(strata.Error, match="unknown level"):
        m.mlir(level="asm")


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.uint32, np.uint64])
def test_unsigned_integers(dtype):
    """Unsigned integers divide, compare, take max/min, shift and convert as
    unsigned values (numpy's results), values above the signed range
    included."""
    info = np.iinfo(dtype)
    a = np.array([info.max, info.max // 2 + 3, 7, 0, 200], dtype)
    b = np.array([3, 2, 9, 5, info.max], dtype)
    bits = np.array([1, 3, 0, info.bits - 1, info.bits + 2], dtype)
    out = run(lambda g, x, y, s: (g.div(x, y), g.rem(x, y), g.max(x, y), g.min(x, y),
                                  g.compare(x, y, "gt"), g.cast(x, "f64"),
                                  g.shift_left(x, s), g.shift_right(x, s)), a, b, bits)
    expected = (a // b, a % b, np.maximum(a, b), np.minimum(a, b), a > b, a.astype(np.float64),
                np.where(bits >= info.bits, 0, a << np.minimum(bits, info.bits - 1)).astype(dtype),
                np.where(bits >= info.bits, 0, a >> np.minimum(bits, info.bits - 1)).astype(dtype))
    for got, want in zip(out, expected):
        assert got.dtype == want.dtype, (got.dtype, want.dtype)
        np.testing.assert_array_equal(got, want)
    f = np.array([250.7, 3.2, 0.0], np.float32)
    np.testing.assert_array_equal(run(lambda g, x: g.cast(x, dtype), f), f.astype(dtype))


@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
def test_quantize_dequantize(dtype):
    """Per tensor and per channel against numpy: round half to even,
    saturation to the zero point's type, and back."""
    info = np.iinfo(dtype)
    x = np.array([[-300.0, -1.25, -0.25, 0.25], [0.75, 1.25, 2.5, 300.0]], np.float32)
    scale, zp = np.float32(0.5), dtype(3)
    q = run(lambda g, v: g.quantize(v, scale, zp), x)
    want = np.clip(np.rint(x / scale) + zp, info.min, info.max).astype(dtype)
    np.testing.assert_array_equal(q, want)
    np.testing.assert_array_equal(run(lambda g, v: g.dequantize(v, scale, zp), q),
                                  (want.astype(np.int32) - zp).astype(np.float32) * scale)
    scales, zps = np.array([0.5, 2.0], np.float32), np.array([1, 7], dtype)
    got = run(lambda g, v: g.quantize(v, scales, zps, axis=0), x)
    want = np.clip(np.rint(x / scales[:, None]) + zps[:, None], info.min, info.max)
    np.testing.assert_array_equal(got, want.astype(dtype))


def test_scalar_constants_keep_rank_0():
    """A 0-d array or number is a rank-0 constant, not a 1-element 1-D one
    (which a per-tensor quantization scale must not become)."""
    g = strata.Graph("t")
    assert g.constant(np.float32(2)).shape == ()
    assert g.constant(3).shape == ()
    assert g.constant(np.arange(6).reshape(2, 3)[:, 1]).shape == (2,)
