//===- VolumeOps.cpp - 3-D convolution and pooling as 2-D ops -------------===//
//
// 3-D convolutions and pools (video and volume models) run on the 2-D
// kernels, one depth tap at a time:
//  - Conv: for each depth tap kd, the input's depth positions that tap
//    reads (kd * dilation + d * stride, a strided slice) are folded into
//    the batch, [N * D_out, C, H, W], and convolved in 2-D with the weight's
//    kd-th plane; the taps' results are summed, and depth goes back to its
//    place.
//  - Pools: a 2-D pool over H and W with depth folded into the channels,
//    then the depth windows combined by max (or summed and divided by each
//    window's count: averaging a box is separable, including which
//    positions are padding).
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

#include <cstring>
#include <limits>

using namespace mlir;

namespace strata::onnx_import {
namespace {

using namespace strata::graph;

/// The window attributes of a 3-D node: per spatial axis kernel, stride,
/// dilation and the pads before and after.
struct Window3D {
  int64_t kernel[3], stride[3], dilation[3], before[3], after[3];
  int64_t in[3], out[3];
};

FailureOr<Window3D> window3D(NodeContext &n, RankedTensorType x,
                             ArrayRef<int64_t> kernel) {
  Window3D w;
  auto ints = [&](StringRef name, int64_t dflt) -> std::vector<int64_t> {
    std::optional<std::vector<int64_t>> v = n.attrInts(name);
    return v ? *v : std::vector<int64_t>(3, dflt);
  };
  std::vector<int64_t> strides = ints("strides", 1),
                       dilations = ints("dilations", 1);
  if (strides.size() != 3 || dilations.size() != 3 || kernel.size() != 3)
    return n.fail("kernel, strides and dilations need 3 values for a 3-D "
                  "window");
  if (n.attrInt("ceil_mode", 0))
    return n.fail("ceil_mode is not supported for 3-D pooling");
  for (int i = 0; i < 3; ++i)
    if (kernel[i] < 1 || strides[i] < 1 || dilations[i] < 1 ||
        kernel[i] > (1 << 20) || strides[i] > (1 << 20) ||
        dilations[i] > (1 << 20))
      return n.fail("kernel, strides and dilations must be positive");
  FailureOr<SmallVector<int64_t, 6>> pads =
      resolvePads(n, x, kernel, strides, dilations);
  if (failed(pads))
    return failure();
  for (int i = 0; i < 3; ++i) {
    w.kernel[i] = kernel[i];
    w.stride[i] = strides[i];
    w.dilation[i] = dilations[i];
    w.in[i] = x.getDimSize(2 + i);
    w.before[i] = (*pads)[i];
    w.after[i] = (*pads)[3 + i];
    int64_t reach = w.dilation[i] * (w.kernel[i] - 1) + 1;
    if (w.before[i] < 0 || w.after[i] < 0 || w.before[i] >= reach ||
        w.after[i] >= reach)
      return n.fail("pads must be non-negative and smaller than the window");
    int64_t padded = w.in[i] + w.before[i] + w.after[i];
    if (padded < reach)
      return n.fail("the window is larger than the padded input");
    w.out[i] = (padded - reach) / w.stride[i] + 1;
  }
  return w;
}

/// The depth positions `tap` of every output reads from the depth-padded
/// `x` [N, C, D, H, W]: [N, C, D_out, H, W].
Value depthTap(Expr &e, Value x, const Window3D &w, int64_t tap) {
  if (e.failed)
    return nullptr;
  ArrayRef<int64_t> shape = typeOf(x).getShape();
  int64_t first = tap * w.dilation[0];
  return e.op<SliceOp>(
      x, ArrayRef<int64_t>{0, 0, first, 0, 0},
      ArrayRef<int64_t>{shape[0], shape[1],
                        first + (w.out[0] - 1) * w.stride[0] + 1, shape[3],
                        shape[4]},
      ArrayRef<int64_t>{1, 1, w.stride[0], 1, 1});
}

/// `x` padded in depth by the window's pads with `value`.
Value padDepth(NodeContext &n, Expr &e, Value x, const Window3D &w,
               double value) {
  if (w.before[0] == 0 && w.after[0] == 0)
    return x;
  SmallVector<int64_t> pads(10, 0);
  pads[2] = w.before[0];
  pads[5 + 2] = w.after[0];
  return e.op<PadOp>(x, n.b.getDenseI64ArrayAttr(pads),
                     PadModeAttr::get(n.b.getContext(), PadMode::constant),
                     n.b.getF64FloatAttr(value));
}

/// Plane `kd` of a [O, C/g, KD, KH, KW] weight: [O, C/g, KH, KW].
Value weightPlane(NodeContext &n, Expr &e, Value w, int64_t kd) {
  RankedTensorType t = typeOf(w);
  ArrayRef<int64_t> s = t.getShape();
  if (const ConstantData *known = n.constantInput(1)) {
    // Sliced at import, so that the 2-D kernels see a constant filter.
    size_t es =
        known->bytes.size() / std::max<int64_t>(known->numElements(), 1);
    int64_t outer = s[0] * s[1], plane = s[3] * s[4];
    ConstantData p;
    p.elementType = known->elementType;
    p.shape = {s[0], s[1], s[3], s[4]};
    p.bytes.resize(outer * plane * es);
    for (int64_t o = 0; o < outer; ++o)
      std::memcpy(&p.bytes[o * plane * es],
                  &known->bytes[((o * s[2] + kd) * plane) * es], plane * es);
    return n.importer.materialize(
        p, n.node.input(1) + ".plane" + std::to_string(kd), n.b, n.loc);
  }
  Value slice = e.op<SliceOp>(w, ArrayRef<int64_t>{0, 0, kd, 0, 0},
                              ArrayRef<int64_t>{s[0], s[1], kd + 1, s[3], s[4]},
                              ArrayRef<int64_t>{1, 1, 1, 1, 1});
  return e.op<SqueezeOp>(slice, ArrayRef<int64_t>{2});
}

} // namespace

LogicalResult conv3d(NodeContext &n) {
  Value x = n.input(0), w = n.input(1);
  if (!x || !w)
    return failure();
  RankedTensorType xt = typeOf(x), wt = typeOf(w);
  if (wt.getRank() != 5)
    return n.fail("weight must have rank 5 for a 3-D convolution");
  FailureOr<Window3D> win = window3D(n, xt, wt.getShape().drop_front(2));
  if (failed(win))
    return failure();
  int64_t N = xt.getDimSize(0), C = xt.getDimSize(1), O = wt.getDimSize(0);
  Expr e(n);
  e.setType(xt.getElementType());
  Value padded = padDepth(n, e, x, *win, 0);
  Value bias = n.hasInput(2) ? n.input(2) : Value();
  Value sum;
  for (int64_t kd = 0; kd < win->kernel[0] && !e.failed; ++kd) {
    // [N, C, D_out, H, W] -> [N * D_out, C, H, W].
    Value tap = e.op<TransposeOp>(depthTap(e, padded, *win, kd),
                                  ArrayRef<int64_t>{0, 2, 1, 3, 4});
    tap = e.op<ReshapeOp>(
        tap, ArrayRef<int64_t>{N * win->out[0], C, win->in[1], win->in[2]});
    Value plane = weightPlane(n, e, w, kd);
    if (e.failed)
      break;
    FailureOr<Value> y =
        n.make<Conv2DOp>(tap, plane, kd == 0 ? bias : Value(),
                         ArrayRef<int64_t>{win->stride[1], win->stride[2]},
                         ArrayRef<int64_t>{win->before[1], win->before[2],
                                           win->after[1], win->after[2]},
                         ArrayRef<int64_t>{win->dilation[1], win->dilation[2]},
                         n.attrInt("group", 1));
    if (failed(y))
      return failure();
    sum = sum ? e.op<AddOp>(sum, *y) : *y;
  }
  Value y = e.op<ReshapeOp>(
      sum, ArrayRef<int64_t>{N, win->out[0], O, win->out[1], win->out[2]});
  return e.result(e.op<TransposeOp>(y, ArrayRef<int64_t>{0, 2, 1, 3, 4}));
}

LogicalResult pool3d(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  bool max = n.node.op_type() == "MaxPool";
  if (n.wantsOutput(1))
    return n.fail("the Indices output of MaxPool is not supported");
  std::optional<std::vector<int64_t>> kernel = n.attrInts("kernel_shape");
  if (!kernel)
    return n.fail("expects a kernel_shape");
  RankedTensorType xt = typeOf(x);
  FailureOr<Window3D> win = window3D(n, xt, *kernel);
  if (failed(win))
    return failure();
  if (!max &&
      (win->dilation[0] != 1 || win->dilation[1] != 1 || win->dilation[2] != 1))
    return n.fail("dilated average pooling is not supported");
  bool includePad = n.attrInt("count_include_pad", 0) != 0;
  int64_t N = xt.getDimSize(0), C = xt.getDimSize(1);
  Expr e(n);
  e.setType(xt.getElementType());
  // Pool H and W with depth folded into the channels.
  Value flat = e.op<ReshapeOp>(
      x, ArrayRef<int64_t>{N, C * win->in[0], win->in[1], win->in[2]});
  SmallVector<int64_t> k2 = {win->kernel[1], win->kernel[2]},
                       s2 = {win->stride[1], win->stride[2]},
                       p2 = {win->before[1], win->before[2], win->after[1],
                             win->after[2]},
                       d2 = {win->dilation[1], win->dilation[2]};
  Value planes = max ? e.op<MaxPool2DOp>(flat, k2, s2, p2, d2, false)
                     : e.op<AvgPool2DOp>(flat, k2, s2, p2, includePad, false);
  planes = e.op<ReshapeOp>(
      planes, ArrayRef<int64_t>{N, C, win->in[0], win->out[1], win->out[2]});
  // Then the depth windows.
  double fill = max ? -std::numeric_limits<double>::infinity() : 0;
  Value padded = padDepth(n, e, planes, *win, fill);
  Value acc;
  for (int64_t kd = 0; kd < win->kernel[0] && !e.failed; ++kd) {
    Value tap = depthTap(e, padded, *win, kd);
    acc = !acc ? tap : max ? e.op<MaxOp>(acc, tap) : e.op<AddOp>(acc, tap);
  }
  if (!max) {
    // Each depth window's divisor: its taps inside the input, or all of
    // them when padding counts.
    ConstantData counts;
    counts.elementType = n.b.getF32Type();
    counts.shape = {win->out[0], 1, 1};
    counts.bytes.resize(win->out[0] * sizeof(float));
    for (int64_t d = 0; d < win->out[0]; ++d) {
      int64_t inside = 0;
      for (int64_t kd = 0; kd < win->kernel[0]; ++kd) {
        int64_t pos = d * win->stride[0] + kd - win->before[0];
        inside += pos >= 0 && pos < win->in[0];
      }
      float c = includePad ? float(win->kernel[0]) : float(inside);
      std::memcpy(&counts.bytes[d * sizeof(float)], &c, sizeof c);
    }
    Value divisor = n.importer.materialize(counts, "", n.b, n.loc);
    if (!xt.getElementType().isF32())
      divisor = e.op<CastOp>(divisor, TypeAttr::get(xt.getElementType()));
    acc = e.op<DivOp>(acc, divisor);
  }
  return e.result(acc);
}

} // namespace strata::onnx_import
