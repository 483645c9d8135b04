//===- SignalOps.cpp - ONNX DFT and STFT to graph ops
//----------------------===//
//
// A DFT of static length is a matmul by constant cosine and sine matrices
// along its axis (moved last): Y = X W with W[n][k] = exp(-+2 pi i n k / N),
// the real and imaginary parts combined as four real products. STFT frames
// the signal with a gather of its windows, multiplies by the window, and
// takes the DFT of each frame.
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

#include <cmath>

using namespace mlir;

namespace strata::onnx_import {
namespace {

using namespace strata::graph;

/// `values` as a constant of `shape` in the expression's float type (f32
/// or f64 data, cast for the other types).
Value floatConstant(NodeContext &n, Expr &e, ArrayRef<double> values,
                    ArrayRef<int64_t> shape) {
  Value v =
      n.importer.materialize(floatData(values, shape, e.type), "", n.b, n.loc);
  return typeOf(v).getElementType() == e.type
             ? v
             : e.op<CastOp>(v, TypeAttr::get(e.type));
}

/// The DFT along the last axis of `real` and `imag` (null: a real signal),
/// of length `length` (the last dimension), keeping `bins` frequencies:
/// the real and imaginary parts of the result.
std::pair<Value, Value> dftLast(NodeContext &n, Expr &e, Value real, Value imag,
                                int64_t length, int64_t bins, bool inverse) {
  std::vector<double> cosines(length * bins), sines(length * bins);
  double sign = inverse ? 1.0 : -1.0;
  for (int64_t t = 0; t < length; ++t)
    for (int64_t k = 0; k < bins; ++k) {
      // The angle reduced modulo the period keeps large t * k exact.
      double angle = 2 * M_PI * double((t * k) % length) / double(length);
      cosines[t * bins + k] = std::cos(angle);
      sines[t * bins + k] = sign * std::sin(angle);
    }
  Value c = floatConstant(n, e, cosines, {length, bins});
  Value s = floatConstant(n, e, sines, {length, bins});
  // (xr + i xi)(c + i s) = (xr c - xi s) + i (xr s + xi c)
  Value yr = e.op<MatmulOp>(real, c), yi = e.op<MatmulOp>(real, s);
  if (imag) {
    yr = e.op<SubOp>(yr, e.op<MatmulOp>(imag, s));
    yi = e.op<AddOp>(yi, e.op<MatmulOp>(imag, c));
  }
  if (inverse) {
    yr = e.op<DivOp>(yr, e.c(double(length)));
    yi = e.op<DivOp>(yi, e.c(double(length)));
  }
  return {yr, yi};
}

/// [..., 2] from real and imaginary parts of one shape.
Value complexOf(Expr &e, Value yr, Value yi) {
  int64_t rank = cast<RankedTensorType>(yr.getType()).getRank();
  Value r = e.op<ExpandDimsOp>(yr, ArrayRef<int64_t>{rank});
  Value i = e.op<ExpandDimsOp>(yi, ArrayRef<int64_t>{rank});
  return e.op<ConcatOp>(ValueRange{r, i}, rank);
}

/// The real part ([..., 0]) and, for a complex signal ([..., 2]), the
/// imaginary part of `x`, without the last dimension.
std::pair<Value, Value> parts(NodeContext &n, Expr &e, Value x) {
  RankedTensorType type = typeOf(x);
  SmallVector<int64_t> shape(type.getShape().drop_back());
  int64_t last = type.getRank() - 1;
  Value real =
      e.op<ReshapeOp>(e.op<GatherOp>(x, int64Vector(n, {0}), last), shape);
  if (type.getShape().back() == 1)
    return {real, Value()};
  Value imag =
      e.op<ReshapeOp>(e.op<GatherOp>(x, int64Vector(n, {1}), last), shape);
  return {real, imag};
}

LogicalResult dft(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType type = typeOf(x);
  int64_t rank = type.getRank();
  if (rank < 2 || !type.hasStaticShape() ||
      (type.getShape().back() != 1 && type.getShape().back() != 2) ||
      !isa<FloatType>(type.getElementType()))
    return n.fail("needs a static float signal of shape [..., N, 1] (real) "
                  "or [..., N, 2] (complex)");
  int64_t axis = n.attrInt("axis", 1);
  if (axis < 0)
    axis += rank;
  if (axis < 0 || axis >= rank - 1)
    return n.fail("axis " + Twine(n.attrInt("axis", 1)) +
                  " must name a dimension before the last");
  bool inverse = n.attrInt("inverse", 0) != 0;
  bool onesided = n.attrInt("onesided", 0) != 0;
  int64_t length = type.getDimSize(axis);
  if (n.hasInput(1)) {
    FailureOr<std::vector<int64_t>> given = n.intsInput(1, "dft_length");
    if (failed(given))
      return failure();
    if (given->size() != 1 || (*given)[0] != length)
      return n.fail("a dft_length other than the signal's length (" +
                    Twine(length) + ") is not supported");
  }
  if (onesided && inverse)
    return n.fail("an inverse one-sided DFT is not supported");
  Expr e(n);
  e.setType(type.getElementType());
  // The axis moved last, and back after.
  SmallVector<int64_t> perm;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  SmallVector<int64_t> back(rank - 1);
  for (int64_t d = 0; d < rank - 1; ++d)
    back[perm[d]] = d;
  auto [real, imag] = parts(n, e, x);
  real = e.op<TransposeOp>(real, perm);
  if (imag)
    imag = e.op<TransposeOp>(imag, perm);
  if (e.failed)
    return failure();
  int64_t bins = onesided ? length / 2 + 1 : length;
  auto [yr, yi] = dftLast(n, e, real, imag, length, bins, inverse);
  return e.result(
      complexOf(e, e.op<TransposeOp>(yr, back), e.op<TransposeOp>(yi, back)));
}

/// STFT of a [batch, length, 1|2] signal: frames of `frame_length` samples
/// every `frame_step`, times the window (if given), each transformed;
/// [batch, frames, bins, 2].
LogicalResult stft(NodeContext &n) {
  Value signal = n.input(0);
  if (!signal)
    return failure();
  RankedTensorType type = typeOf(signal);
  if (type.getRank() != 3 || !type.hasStaticShape() ||
      (type.getShape().back() != 1 && type.getShape().back() != 2) ||
      !isa<FloatType>(type.getElementType()))
    return n.fail("needs a static float signal of shape [batch, length, 1] "
                  "or [batch, length, 2]");
  FailureOr<std::vector<int64_t>> step = n.intsInput(1, "frame_step");
  if (failed(step))
    return failure();
  FailureOr<Value> givenWindow = optionalInput(n, 2);
  if (failed(givenWindow))
    return failure();
  Value window = *givenWindow;
  int64_t frameLength;
  if (n.hasInput(3)) {
    FailureOr<std::vector<int64_t>> given = n.intsInput(3, "frame_length");
    if (failed(given))
      return failure();
    frameLength = given->empty() ? 0 : (*given)[0];
  } else if (window) {
    frameLength = typeOf(window).getNumElements();
  } else {
    return n.fail("needs a window or a frame_length");
  }
  int64_t length = type.getDimSize(1), hop = step->empty() ? 0 : (*step)[0];
  if (frameLength < 1 || frameLength > length || hop < 1)
    return n.fail("frame_length " + Twine(frameLength) + " and frame_step " +
                  Twine(hop) + " do not fit a signal of " + Twine(length));
  if (window && typeOf(window).getNumElements() != frameLength)
    return n.fail("the window has " + Twine(typeOf(window).getNumElements()) +
                  " samples, not frame_length " + Twine(frameLength));
  bool onesided = n.attrInt("onesided", 1) != 0;
  bool complexSignal = type.getShape().back() == 2;
  if (onesided && complexSignal)
    return n.fail("a one-sided STFT of a complex signal is not defined");
  int64_t frames = (length - frameLength) / hop + 1;
  std::vector<int64_t> taps;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t t = 0; t < frameLength; ++t)
      taps.push_back(f * hop + t);
  Expr e(n);
  e.setType(type.getElementType());
  auto [real, imag] = parts(n, e, signal); // [batch, length]
  auto frame = [&](Value part) -> Value {
    if (!part)
      return part;
    Value v = e.op<GatherOp>(part, int64Vector(n, taps), 1);
    v = e.op<ReshapeOp>(
        v, ArrayRef<int64_t>{type.getDimSize(0), frames, frameLength});
    return window ? e.op<MulOp>(v, window) : v;
  };
  real = frame(real);
  imag = frame(imag);
  if (e.failed)
    return failure();
  int64_t bins = onesided ? frameLength / 2 + 1 : frameLength;
  auto [yr, yi] = dftLast(n, e, real, imag, frameLength, bins, false);
  return e.result(complexOf(e, yr, yi));
}

} // namespace

void addSignalHandlers(llvm::StringMap<Handler> &h) {
  h["DFT"] = dft;
  h["STFT"] = stft;
}

} // namespace strata::onnx_import
