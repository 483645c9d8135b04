"""The 8-bit integer kernels (strata-cpu-integer-kernels: u8 x s8 products
accumulating in i32, by vpdpbusd on VNNI hosts) are bit-exact against
numpy's integer arithmetic: convolutions of every stride, window and
channel count the kernel tiles unevenly, matmuls with K not a multiple of
4, and the signed-input forms (which the kernel takes with the operands'
roles swapped, or leaves to loops)."""

import numpy as np
import pytest


def dense(array):
    return "dense<%s>" % np.array2string(
        array, separator=", ", threshold=1 << 30).replace("\n", "")


def mlir_type(dtype):
    return {np.uint8: "ui8", np.int8: "i8", np.int32: "i32"}[np.dtype(dtype).type]


def conv_reference(x, w, b, stride, pad):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x.astype(np.int64), ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh = (h + 2 * pad - kh) // stride + 1
    ow = (wd + 2 * pad - kw) // stride + 1
    y = np.zeros((n, f, oh, ow), np.int64)
    for i in range(kh):
        for j in range(kw):
            patch = xp[:, :, i:i + stride * oh:stride, j:j + stride * ow:stride]
            y += np.einsum("nchw,fc->nfhw", patch, w[:, :, i, j].astype(np.int64))
    return (y + b[None, :, None, None]).astype(np.int32)


CONVS = [
    # (n, c, h, w, f, k, stride, pad)
    (1, 16, 9, 9, 16, 3, 1, 1),
    (1, 5, 11, 13, 12, 3, 1, 1),     # C % 4, F % 8, odd sizes
    (2, 8, 8, 8, 8, 1, 1, 0),        # batch, 1x1
    (1, 8, 14, 14, 16, 1, 2, 0),     # strided 1x1 (ResNet downsample)
    (1, 12, 15, 15, 20, 3, 2, 1),    # stride 2
    (1, 3, 32, 32, 8, 7, 2, 3),      # a stem: 3 channels, 7x7 stride 2
    (1, 64, 7, 7, 64, 3, 1, 1),      # small image, deep
]


@pytest.mark.parametrize("n,c,h,w,f,k,stride,pad", CONVS)
@pytest.mark.parametrize("threads", [1, 2])
def test_conv_u8_s8(runner, n, c, h, w, f, k, stride, pad, threads):
    rng = np.random.default_rng(c * 100 + f + k)
    x = rng.integers(0, 256, (n, c, h, w), dtype=np.uint8)
    weight = rng.integers(-128, 128, (f, c, k, k), dtype=np.int8)
    bias = rng.integers(-50000, 50000, f, dtype=np.int32)
    expected = conv_reference(x, weight, bias, stride, pad)
    body = """
  %%w = graph.constant %s : tensor<%dx%dx%dx%dxi8>
  %%b = graph.constant %s : tensor<%dxi32>
  %%y = graph.conv2d %%a0, %%w, %%b {pads = array<i64: %d, %d, %d, %d>, strides = array<i64: %d, %d>}
       : tensor<%dx%dx%dx%dxui8>, tensor<%dx%dx%dx%dxi8>, tensor<%dxi32>
  return %%y : tensor<%dx%dx%dx%dxi32>""" % (
        dense(weight), f, c, k, k, dense(bias), f, pad, pad, pad, pad, stride,
        stride, n, c, h, w, f, c, k, k, f, *expected.shape)
    text = "func.func @f(%%a0: tensor<%dx%dx%dx%dxui8>) -> tensor<%dx%dx%dx%dxi32> {%s\n}\n" % (
        n, c, h, w, *expected.shape, body)
    out = runner.run(text, [x], threads=threads)
    np.testing.assert_array_equal(out, expected)


@pytest.mark.parametrize("m,k,n", [(1, 64, 10), (7, 30, 33), (128, 96, 80)])
@pytest.mark.parametrize("lhs", [np.uint8, np.int8])
def test_matmul(runner, m, k, n, lhs):
    rng = np.random.default_rng(m + k + n)
    info = np.iinfo(lhs)
    a = rng.integers(info.min, info.max + 1, (m, k), dtype=lhs)
    # The weight takes the other signedness (an s8 weight with a u8 input,
    # as quantizers write; a u8 one with an s8 input).
    rhs = np.int8 if lhs == np.uint8 else np.uint8
    rinfo = np.iinfo(rhs)
    b = rng.integers(rinfo.min, rinfo.max + 1, (k, n), dtype=rhs)
    expected = (a.astype(np.int64) @ b.astype(np.int64)).astype(np.int32)
    text = """func.func @f(%%a0: tensor<%dx%dx%s>) -> tensor<%dx%dxi32> {
  %%b = graph.constant %s : tensor<%dx%dx%s>
  %%y = graph.matmul %%a0, %%b : tensor<%dx%dx%s>, tensor<%dx%dx%s>
  return %%y : tensor<%dx%dxi32>
}
""" % (m, k, mlir_type(lhs), m, n, dense(b), k, n, mlir_type(rhs), m, k,
       mlir_type(lhs), k, n, mlir_type(rhs), m, n)
    np.testing.assert_array_equal(runner.run(text, [a]), expected)


def test_conv_both_signed_stays_exact(runner):
    """Two signed operands are not the kernel's (no u8 x s8 instruction
    takes them): the loops compute them, exactly."""
    rng = np.random.default_rng(3)
    x = rng.integers(-128, 128, (1, 4, 6, 6), dtype=np.int8)
    weight = rng.integers(-128, 128, (8, 4, 3, 3), dtype=np.int8)
    expected = conv_reference(x, weight, np.zeros(8, np.int32), 1, 0)
    text = """func.func @f(%%a0: tensor<1x4x6x6xi8>) -> tensor<1x8x4x4xi32> {
  %%w = graph.constant %s : tensor<8x4x3x3xi8>
  %%y = graph.conv2d %%a0, %%w : tensor<1x4x6x6xi8>, tensor<8x4x3x3xi8>
  return %%y : tensor<1x8x4x4xi32>
}
""" % dense(weight)
    np.testing.assert_array_equal(runner.run(text, [x]), expected)


def requantize_reference(acc, multiplier, zero_point, relu):
    """saturate(round_half_even(f32(acc) * multiplier) + zp) in float32, as
    graph.requantize computes; ReLU as a maximum with the zero point."""
    scaled = np.float32(acc.astype(np.float32) * multiplier)
    q = np.clip(np.round(scaled) + np.float32(zero_point), 0, 255)
    q = q.astype(np.uint8)
    return np.maximum(q, zero_point) if relu else q


@pytest.mark.parametrize("stride,relu", [(1, True), (2, False)])
@pytest.mark.parametrize("threads", [1, 2])
def test_conv_requantize_epilogue(runner, stride, relu, threads):
    """The requantize (and ReLU) after a convolution is applied to the
    kernel's accumulators: the u8 result straight from the kernel."""
    rng = np.random.default_rng(stride)
    n, c, h, w, f = 1, 12, 13, 13, 20
    x = rng.integers(0, 256, (n, c, h, w), dtype=np.uint8)
    weight = rng.integers(-128, 128, (f, c, 3, 3), dtype=np.int8)
    bias = rng.integers(-5000, 5000, f, dtype=np.int32)
    multiplier = (rng.random(f) * 1e-3).astype(np.float32)
    acc = conv_reference(x, weight, bias, stride, 1)
    expected = requantize_reference(acc, multiplier[None, :, None, None], 7,
                                    relu)
    relu_line = ("  %%r = graph.max %%q, %%z : tensor<%s>, tensor<ui8>\n"
                 "  return %%r : tensor<%s>" if relu else
                 "  return %%q : tensor<%s>") % (
        ("%dx%dx%dx%dxui8" % expected.shape,) * (2 if relu else 1))
    text = """func.func @f(%%a0: tensor<%dx%dx%dx%dxui8>) -> tensor<%dx%dx%dx%dxui8> {
  %%w = graph.constant %s : tensor<%dx%dx3x3xi8>
  %%b = graph.constant %s : tensor<%dxi32>
  %%m = graph.constant %s : tensor<%dxf32>
  %%z = graph.constant dense<7> : tensor<ui8>
  %%acc = graph.conv2d %%a0, %%w, %%b {pads = array<i64: 1, 1, 1, 1>, strides = array<i64: %d, %d>}
       : tensor<%dx%dx%dx%dxui8>, tensor<%dx%dx3x3xi8>, tensor<%dxi32>
  %%q = graph.requantize %%acc, %%m, %%z {axis = 1 : i64} : tensor<%dx%dx%dx%dxi32>, tensor<%dxf32>, tensor<ui8>
%s
}
""" % (n, c, h, w, *expected.shape, dense(weight), f, c, dense(bias), f,
       dense(multiplier), f, stride, stride, n, c, h, w, f, c, f,
       *expected.shape, f, relu_line)
    np.testing.assert_array_equal(runner.run(text, [x], threads=threads),
                                  expected)


def test_matmul_bias_requantize_epilogue(runner):
    """A per-column i32 add (the zero point's share and the bias) and a
    per-column requantize after a matmul, applied in the kernel."""
    rng = np.random.default_rng(11)
    m, k, n = 5, 40, 37
    a = rng.integers(0, 256, (m, k), dtype=np.uint8)
    b = rng.integers(-128, 128, (k, n), dtype=np.int8)
    c = rng.integers(-20000, 20000, n, dtype=np.int32)
    multiplier = (rng.random(n) * 1e-3).astype(np.float32)
    acc = (a.astype(np.int64) @ b.astype(np.int64) + c).astype(np.int32)
    expected = requantize_reference(acc, multiplier, 3, False)
    text = """func.func @f(%%a0: tensor<%dx%dxui8>) -> tensor<%dx%dxui8> {
  %%b = graph.constant %s : tensor<%dx%dxi8>
  %%c = graph.constant %s : tensor<%dxi32>
  %%m = graph.constant %s : tensor<%dxf32>
  %%z = graph.constant dense<3> : tensor<ui8>
  %%p = graph.matmul %%a0, %%b : tensor<%dx%dxui8>, tensor<%dx%dxi8>
  %%s = graph.add %%p, %%c : tensor<%dx%dxi32>, tensor<%dxi32>
  %%q = graph.requantize %%s, %%m, %%z {axis = 1 : i64} : tensor<%dx%dxi32>, tensor<%dxf32>, tensor<ui8>
  return %%q : tensor<%dx%dxui8>
}
""" % (m, k, m, n, dense(b), k, n, dense(c), n, dense(multiplier), n, m, k,
       k, n, m, n, n, m, n, n, m, n)
    np.testing.assert_array_equal(runner.run(text, [a]), expected)
