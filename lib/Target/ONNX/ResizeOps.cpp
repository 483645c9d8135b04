//===- ResizeOps.cpp - ONNX Resize and Upsample to graph ops --------------===//
//
// Resize is separable: the ONNX specification interpolates one axis at a
// time (the last first), each output element from the n nearest input
// elements along that axis (nearest: 1 of 2, linear: 2, cubic: 4) with
// weights that depend only on the output's position. Shapes are static, so
// the importer computes, per resized axis, the taps' input indices
// (clamped to the edge) and weights, and emits for each tap a gather along
// the axis times a constant weight column, summed. Nearest needs one
// gather. tf_crop_and_resize's positions outside the input become
// `extrapolation_value` by a constant mask.
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace strata::onnx_import {
namespace {

using namespace strata::graph;

/// The interpolation of one resized axis: for each output position, the
/// input indices of its taps and their weights, and whether it lies outside
/// the input (tf_crop_and_resize).
struct AxisTaps {
  int64_t taps = 1;
  std::vector<int64_t> index; // [out][taps]
  std::vector<double> weight; // [out][taps]
  std::vector<bool> outside;  // [out]
};

/// The largest resized dimension: its tables (4 taps of an index and a
/// weight per position) stay below a few hundred MB at import.
constexpr int64_t kMaxResizedExtent = int64_t(1) << 24;

struct ResizeAttrs {
  std::string mode = "nearest";
  std::string coordinates = "half_pixel";
  std::string nearest = "round_prefer_floor";
  double cubicA = -0.75;
  bool excludeOutside = false;
  double extrapolation = 0;
};

/// The input coordinate of output position `o` (ONNX's formulas, with the
/// scale as given or as output / input size).
double sourceCoordinate(const ResizeAttrs &a, int64_t o, int64_t inLen,
                        int64_t outLen, double scale, double roiStart,
                        double roiEnd) {
  double outWidth = scale * double(inLen);
  const std::string &m = a.coordinates;
  if (m == "align_corners")
    return outWidth == 1 ? 0 : o * double(inLen - 1) / (outWidth - 1);
  if (m == "asymmetric")
    return o / scale;
  if (m == "tf_crop_and_resize") {
    double x = outWidth == 1 ? (roiEnd - roiStart) * double(inLen - 1) / 2
                             : o * (roiEnd - roiStart) * double(inLen - 1) /
                                   (outWidth - 1);
    return x + roiStart * double(inLen - 1);
  }
  if (m == "pytorch_half_pixel")
    return outLen == 1 ? -0.5 : (o + 0.5) / scale - 0.5;
  if (m == "tf_half_pixel_for_nn")
    return (o + 0.5) / scale;
  return (o + 0.5) / scale - 0.5; // half_pixel
}

/// The weights of the taps at `ratio` in (0, 1], the distance from the
/// first tap left of (or at) the coordinate.
SmallVector<double, 4> coefficients(const ResizeAttrs &a, double ratio) {
  if (a.mode == "linear")
    return {1 - ratio, ratio};
  if (a.mode == "cubic") {
    double A = a.cubicA, r = ratio, s = 1 - ratio;
    return {((A * (r + 1) - 5 * A) * (r + 1) + 8 * A) * (r + 1) - 4 * A,
            ((A + 2) * r - (A + 3)) * r * r + 1,
            ((A + 2) * s - (A + 3)) * s * s + 1,
            ((A * (s + 1) - 5 * A) * (s + 1) + 8 * A) * (s + 1) - 4 * A};
  }
  // nearest: one of the two taps around the coordinate.
  if (ratio == 1)
    return {0, 1};
  const std::string &m = a.nearest;
  bool second = m == "round_prefer_ceil" ? ratio >= 0.5
                : m == "floor"           ? false
                : m == "ceil"            ? true
                                         : ratio > 0.5;
  return {second ? 0.0 : 1.0, second ? 1.0 : 0.0};
}

AxisTaps axisTaps(const ResizeAttrs &a, int64_t inLen, int64_t outLen,
                  double scale, double roiStart, double roiEnd) {
  AxisTaps t;
  t.taps = a.mode == "cubic" ? 4 : 2;
  for (int64_t o = 0; o < outLen; ++o) {
    double x = sourceCoordinate(a, o, inLen, outLen, scale, roiStart, roiEnd);
    t.outside.push_back(a.coordinates == "tf_crop_and_resize" &&
                        (x < 0 || x > double(inLen - 1)));
    // The first tap left of x (x itself is the second tap when integral).
    int64_t base = int64_t(std::ceil(x)) - 1;
    double ratio = x - double(base);
    SmallVector<double, 4> w = coefficients(a, ratio);
    int64_t first = base - (t.taps / 2 - 1);
    double kept = 0;
    for (int64_t k = 0; k < t.taps; ++k) {
      int64_t i = first + k;
      if (a.excludeOutside && (i < 0 || i >= inLen))
        w[k] = 0;
      kept += w[k];
    }
    for (int64_t k = 0; k < t.taps; ++k) {
      t.index.push_back(std::clamp<int64_t>(first + k, 0, inLen - 1));
      t.weight.push_back(a.excludeOutside && kept != 0 ? w[k] / kept : w[k]);
    }
  }
  return t;
}

/// Interpolates `x` along `axis` with `taps`.
Value resizeAxis(NodeContext &n, Expr &e, Value x, int64_t axis,
                 const AxisTaps &taps) {
  RankedTensorType type = typeOf(x);
  Type ft = type.getElementType();
  int64_t outLen = taps.outside.size();
  // Weights and masks broadcast along the axis: [outLen, 1, ..., 1].
  SmallVector<int64_t> column(type.getRank() - axis, 1);
  column[0] = outLen;
  auto indices = [&](int64_t tap) {
    SmallVector<int64_t> inputIndex;
    for (int64_t o = 0; o < outLen; ++o)
      inputIndex.push_back(taps.index[o * taps.taps + tap]);
    return int64Vector(n, inputIndex);
  };
  auto weights = [&](int64_t tap) {
    // f32 (or f64) weights, cast at run time for the other float types.
    std::vector<double> w(outLen);
    for (int64_t o = 0; o < outLen; ++o)
      w[o] = taps.weight[o * taps.taps + tap];
    Value v = n.importer.materialize(floatData(w, column, ft), "", n.b, n.loc);
    return ft.isF64() || ft.isF32() ? v : e.op<CastOp>(v, TypeAttr::get(ft));
  };
  Value y;
  if (taps.taps == 2 &&
      llvm::all_of(taps.weight, [](double w) { return w == 0 || w == 1; })) {
    // Nearest (or linear at whole positions): one gather of the chosen tap.
    SmallVector<int64_t> chosen;
    for (int64_t o = 0; o < outLen; ++o)
      chosen.push_back(taps.weight[o * 2] == 1 ? taps.index[o * 2]
                                               : taps.index[o * 2 + 1]);
    y = e.op<GatherOp>(x, int64Vector(n, chosen), axis);
  } else {
    for (int64_t tap = 0; tap < taps.taps && !e.failed; ++tap) {
      Value term =
          e.op<MulOp>(e.op<GatherOp>(x, indices(tap), axis), weights(tap));
      y = y ? e.op<AddOp>(y, term) : term;
    }
  }
  if (llvm::any_of(taps.outside, [](bool b) { return b; }) && !e.failed) {
    ConstantData mask = boolMask(column, n.b.getContext(),
                                 [&](int64_t o) { return taps.outside[o]; });
    e.setType(ft);
    y = e.select(n.importer.materialize(mask, "", n.b, n.loc),
                 e.c(n.attrFloat("extrapolation_value", 0)), y);
  }
  return y;
}

/// Resize (opset 10 and 11+) and Upsample (opsets 7 and 9).
LogicalResult resize(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType type = typeOf(x);
  int64_t rank = type.getRank();
  if (!isa<FloatType>(type.getElementType()))
    return n.fail("only float tensors can be resized");
  bool upsample = n.node.op_type() == "Upsample";
  bool modern = !upsample && n.opset >= 11;
  ResizeAttrs a;
  a.mode = n.attrString("mode", "nearest");
  if (a.mode == "bilinear") // Upsample-7's name for linear.
    a.mode = "linear";
  if (a.mode != "nearest" && a.mode != "linear" && a.mode != "cubic")
    return n.fail("mode must be nearest, linear or cubic, not '" + a.mode +
                  "'");
  if (modern) {
    a.coordinates =
        n.attrString("coordinate_transformation_mode", "half_pixel");
    a.nearest = n.attrString("nearest_mode", "round_prefer_floor");
    a.cubicA = n.attrFloat("cubic_coeff_a", -0.75f);
    a.excludeOutside = n.attrInt("exclude_outside", 0) != 0;
  } else {
    // Before opset 11: asymmetric coordinates, nearest rounds down.
    a.coordinates = "asymmetric";
    a.nearest = "floor";
  }
  if (!llvm::is_contained({"half_pixel", "pytorch_half_pixel", "align_corners",
                           "asymmetric", "tf_half_pixel_for_nn",
                           "tf_crop_and_resize"},
                          StringRef(a.coordinates)))
    return n.fail("unknown coordinate_transformation_mode '" + a.coordinates +
                  "'");
  if (!llvm::is_contained(
          {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"},
          StringRef(a.nearest)))
    return n.fail("unknown nearest_mode '" + a.nearest + "'");

  // Scales or sizes, which must be known at import.
  std::vector<double> scales;
  std::vector<int64_t> sizes;
  size_t scalesInput = modern ? 2 : 1, sizesInput = 3;
  if (upsample && n.opset < 9) {
    if (const onnx::AttributeProto *s = n.attr("scales"))
      scales.assign(s->floats().begin(), s->floats().end());
  } else if (modern && n.hasInput(sizesInput)) {
    auto v = n.intsInput(sizesInput, "sizes");
    if (failed(v))
      return failure();
    sizes = *v;
  } else if (n.hasInput(scalesInput)) {
    const ConstantData *s = n.knownInput(scalesInput, "scales");
    if (!s)
      return failure();
    scales = s->asDoubles();
  }
  if (scales.empty() && sizes.empty())
    return n.fail("needs scales or sizes");
  if ((!scales.empty() && int64_t(scales.size()) != rank) ||
      (!sizes.empty() && int64_t(sizes.size()) != rank))
    return n.fail("scales and sizes need one value per dimension (" +
                  Twine(rank) + ")");
  std::vector<double> roi(2 * rank, 0);
  for (int64_t d = 0; d < rank; ++d)
    roi[rank + d] = 1;
  if (a.coordinates == "tf_crop_and_resize") {
    if (!modern || !n.hasInput(1))
      return n.fail("tf_crop_and_resize needs a roi (input #1)");
    const ConstantData *r = n.knownInput(1, "roi");
    if (!r)
      return failure();
    if (r->numElements() != 2 * rank)
      return n.fail("roi must have " + Twine(2 * rank) +
                    " values (starts, then ends), not " +
                    Twine(r->numElements()));
    roi = r->asDoubles();
  }

  Expr e(n);
  e.setType(type.getElementType());
  Value y = x;
  for (int64_t d = rank - 1; d >= 0 && !e.failed; --d) {
    int64_t in = type.getDimSize(d);
    int64_t out;
    double scale;
    if (!sizes.empty()) {
      out = sizes[d];
      scale = in ? double(out) / double(in) : 1;
    } else {
      scale = scales[d];
      if (!(scale > 0) || !std::isfinite(scale))
        return n.fail("scales must be positive and finite, not " +
                      Twine(std::to_string(scale)));
      out = int64_t(std::floor(double(in) * scale));
    }
    // Each resized axis has index and weight tables of up to 4 taps per
    // output position, computed at import.
    if (out < 1 || out > kMaxResizedExtent)
      return n.fail("the output's dimension " + Twine(d) + " would be " +
                    Twine(out) + ", outside [1, " + Twine(kMaxResizedExtent) +
                    "]");
    if (out == in && scale == 1 && roi[d] == 0 && roi[rank + d] == 1)
      continue;
    AxisTaps taps = axisTaps(a, in, out, scale, roi[d], roi[rank + d]);
    y = resizeAxis(n, e, y, d, taps);
  }
  return e.result(y);
}

} // namespace

void addResizeHandlers(llvm::StringMap<Handler> &h) {
  h["Resize"] = resize;
  h["Upsample"] = resize;
}

} // namespace strata::onnx_import
