//===- GridSampleOps.cpp - ONNX GridSample to graph ops
//--------------------===//
//
// GridSample reads the input at positions that are data (the grid), so its
// taps are computed at run time with graph ops: the grid's coordinates are
// unnormalized to pixel positions, moved inside the image by the padding
// mode, and each tap is a gather of elements from the flattened image,
// zero where it falls outside, weighted and summed (bilinear: 4 taps,
// bicubic: 16 with A = -0.75, nearest: 1, rounded half to even). The
// semantics are PyTorch's grid_sample, which ONNX's follows.
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

using namespace mlir;

namespace strata::onnx_import {
namespace {

using namespace strata::graph;

/// The taps' arithmetic over coordinate tensors of shape [N, 1, P] (P
/// output pixels), which broadcast against the image's channels.
struct Sampler {
  NodeContext &n;
  Expr &e;
  Value image; // [N, C, H * W]
  int64_t height, width, channels;
  bool alignCorners;
  std::string padding; // "zeros", "border" or "reflection"

  /// Grid coordinate (-1 to 1) to pixel position along an axis of `size`.
  Value unnormalize(Value g, int64_t size) {
    if (alignCorners)
      return e.op<MulOp>(e.op<AddOp>(g, e.c(1)), e.c((size - 1) / 2.0));
    return e.op<DivOp>(
        e.op<SubOp>(e.op<MulOp>(e.op<AddOp>(g, e.c(1)), e.c(double(size))),
                    e.c(1)),
        e.c(2));
  }

  /// `t` reflected into [low, high] / 2, back and forth.
  Value reflect(Value t, double twiceLow, double twiceHigh) {
    if (twiceLow == twiceHigh)
      return e.op<MulOp>(t, e.c(0));
    double low = twiceLow / 2, span = (twiceHigh - twiceLow) / 2;
    Value a = e.op<AbsOp>(e.op<SubOp>(t, e.c(low)));
    Value extra = e.op<RemOp>(a, e.c(span));
    Value flips = e.op<FloorOp>(e.op<DivOp>(a, e.c(span)));
    Value even =
        e.cmp(ComparePredicate::eq, e.op<RemOp>(flips, e.c(2)), e.c(0));
    return e.select(even, e.op<AddOp>(extra, e.c(low)),
                    e.op<AddOp>(e.op<SubOp>(e.c(span), extra), e.c(low)));
  }

  Value clip(Value t, int64_t size) {
    return e.op<ClipOp>(t, n.b.getF64FloatAttr(0),
                        n.b.getF64FloatAttr(double(size - 1)));
  }

  /// A position moved inside the image by the padding mode (zeros: left
  /// as it is; the tap is then 0 outside).
  Value pad(Value t, int64_t size) {
    if (padding == "border")
      return clip(t, size);
    if (padding == "reflection")
      return clip(alignCorners ? reflect(t, 0, 2.0 * (size - 1))
                               : reflect(t, -1, 2.0 * size - 1),
                  size);
    return t;
  }

  /// The image at whole positions (x, y), 0 outside it: [N, C, P].
  Value tap(Value x, Value y) {
    Type f = e.type;
    auto inside = [&](Value t, int64_t size) {
      Value ge = e.op<CastOp>(e.cmp(ComparePredicate::ge, t, e.c(0)),
                              TypeAttr::get(f));
      Value le =
          e.op<CastOp>(e.cmp(ComparePredicate::le, t, e.c(double(size - 1))),
                       TypeAttr::get(f));
      return e.op<MulOp>(ge, le);
    };
    Value valid = e.op<MulOp>(inside(x, width), inside(y, height));
    Value flat = e.op<AddOp>(e.op<MulOp>(clip(y, height), e.c(double(width))),
                             clip(x, width));
    auto pixels = cast<RankedTensorType>(flat.getType()).getShape();
    Value index =
        e.op<BroadcastToOp>(e.op<CastOp>(flat, TypeAttr::get(n.b.getI64Type())),
                            ArrayRef<int64_t>{pixels[0], channels, pixels[2]});
    Value value = e.op<GatherElementsOp>(image, index, 2);
    return e.op<MulOp>(value, valid);
  }

  /// The bicubic weights of the 4 taps at offsets -1, 0, 1, 2 from
  /// floor(t), for the fraction `t` (PyTorch's cubic convolution, A =
  /// -0.75).
  SmallVector<Value, 4> cubicWeights(Value t) {
    const double a = -0.75;
    auto near = [&](Value x) { // |x| <= 1
      return e.op<AddOp>(
          e.op<MulOp>(
              e.op<MulOp>(e.op<SubOp>(e.op<MulOp>(x, e.c(a + 2)), e.c(a + 3)),
                          x),
              x),
          e.c(1));
    };
    auto far = [&](Value x) { // 1 < |x| < 2
      Value p = e.op<AddOp>(
          e.op<MulOp>(e.op<SubOp>(e.op<MulOp>(x, e.c(a)), e.c(5 * a)), x),
          e.c(8 * a));
      return e.op<SubOp>(e.op<MulOp>(p, x), e.c(4 * a));
    };
    Value one = e.c(1);
    return {far(e.op<AddOp>(t, one)), near(t), near(e.op<SubOp>(one, t)),
            far(e.op<SubOp>(e.c(2), t))};
  }
};

LogicalResult gridSample(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Value x = (*in)[0], grid = (*in)[1];
  RankedTensorType xType = typeOf(x), gridType = typeOf(grid);
  if (xType.getRank() != 4 || gridType.getRank() != 4 ||
      !xType.hasStaticShape() || !gridType.hasStaticShape() ||
      gridType.getDimSize(3) != 2 ||
      gridType.getDimSize(0) != xType.getDimSize(0))
    return n.fail("needs a static N x C x H x W input and an N x H_out x "
                  "W_out x 2 grid");
  if (!isa<FloatType>(xType.getElementType()))
    return n.fail("samples float images only");
  std::string mode = n.attrString("mode", "bilinear");
  std::string padding = n.attrString("padding_mode", "zeros");
  if (mode != "bilinear" && mode != "nearest" && mode != "bicubic")
    return n.fail("unsupported mode '" + mode + "'");
  if (padding != "zeros" && padding != "border" && padding != "reflection")
    return n.fail("unsupported padding_mode '" + padding + "'");
  int64_t batch = xType.getDimSize(0), channels = xType.getDimSize(1);
  int64_t height = xType.getDimSize(2), width = xType.getDimSize(3);
  int64_t outH = gridType.getDimSize(1), outW = gridType.getDimSize(2);
  Expr e(n);
  e.setType(xType.getElementType());
  FailureOr<Value> g = castTo(n, grid, e.type);
  if (failed(g))
    return failure();
  auto coordinate = [&](int64_t i) {
    Value c = e.op<GatherOp>(*g, int64Vector(n, {i}), 3);
    return e.op<ReshapeOp>(c, ArrayRef<int64_t>{batch, 1, outH * outW});
  };
  Value image =
      e.op<ReshapeOp>(x, ArrayRef<int64_t>{batch, channels, height * width});
  Sampler s{n,
            e,
            image,
            height,
            width,
            channels,
            n.attrInt("align_corners", 0) != 0,
            padding};
  Value ix = s.unnormalize(coordinate(0), width);
  Value iy = s.unnormalize(coordinate(1), height);
  Value out;
  if (mode == "nearest") {
    out = s.tap(e.op<RoundOp>(s.pad(ix, width)),
                e.op<RoundOp>(s.pad(iy, height)));
  } else if (mode == "bilinear") {
    ix = s.pad(ix, width);
    iy = s.pad(iy, height);
    Value x0 = e.op<FloorOp>(ix), y0 = e.op<FloorOp>(iy);
    Value x1 = e.op<AddOp>(x0, e.c(1)), y1 = e.op<AddOp>(y0, e.c(1));
    Value wx1 = e.op<SubOp>(ix, x0), wy1 = e.op<SubOp>(iy, y0);
    Value wx0 = e.op<SubOp>(e.c(1), wx1), wy0 = e.op<SubOp>(e.c(1), wy1);
    auto term = [&](Value xs, Value ys, Value wx, Value wy) {
      return e.op<MulOp>(s.tap(xs, ys), e.op<MulOp>(wx, wy));
    };
    out = e.op<AddOp>(
        e.op<AddOp>(term(x0, y0, wx0, wy0), term(x1, y0, wx1, wy0)),
        e.op<AddOp>(term(x0, y1, wx0, wy1), term(x1, y1, wx1, wy1)));
  } else {
    // Bicubic: the padding applies to each of the 16 taps.
    Value fx = e.op<FloorOp>(ix), fy = e.op<FloorOp>(iy);
    SmallVector<Value, 4> wx = s.cubicWeights(e.op<SubOp>(ix, fx));
    SmallVector<Value, 4> wy = s.cubicWeights(e.op<SubOp>(iy, fy));
    for (int64_t j = 0; j < 4; ++j) {
      Value yj = s.pad(e.op<AddOp>(fy, e.c(double(j - 1))), height);
      for (int64_t i = 0; i < 4; ++i) {
        Value xi = s.pad(e.op<AddOp>(fx, e.c(double(i - 1))), width);
        Value term = e.op<MulOp>(s.tap(xi, yj), e.op<MulOp>(wx[i], wy[j]));
        out = out ? e.op<AddOp>(out, term) : term;
      }
    }
  }
  return e.result(
      e.op<ReshapeOp>(out, ArrayRef<int64_t>{batch, channels, outH, outW}));
}

} // namespace

void addGridSampleHandlers(llvm::StringMap<Handler> &h) {
  h["GridSample"] = gridSample;
}

} // namespace strata::onnx_import
