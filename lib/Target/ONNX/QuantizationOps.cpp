//===- QuantizationOps.cpp - ONNX quantization operators ------------------===//
//
// QuantizeLinear and DequantizeLinear become graph.quantize and
// graph.dequantize; DynamicQuantizeLinear computes its scale and zero point
// with graph ops; MatMulInteger, QLinearMatMul, ConvInteger and QLinearConv
// multiply or convolve the zero-point corrected integers in i32 (exact) and
// the QLinear ones requantize the accumulator with the multiplier
// a_scale * b_scale / y_scale. A QLinearConv or QLinearMatMul with
// constant parameters and a symmetric constant weight is written in QDQ
// form instead, which graph-fold-qdq makes an 8-bit integer product (the
// fast kernels) with the same arithmetic.
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"

#include <cmath>

using namespace mlir;
using namespace strata::graph;

namespace strata::onnx_import {
namespace {

/// A scale or zero point `v` made to broadcast: one element is a scalar
/// (ONNX models give per-tensor parameters both as scalars and as
/// 1-element 1-D tensors); a per-channel (1-D) one gets unit dimensions at
/// `expandAt` to broadcast along its axis (a matmul's left operand's, per
/// row: {1}; a convolution's, per output channel: {1, 2} of the result).
FailureOr<Value> parameter(NodeContext &n, Value v,
                           ArrayRef<int64_t> expandAt = {}) {
  RankedTensorType type = typeOf(v);
  if (type.getRank() == 1 && type.getDimSize(0) == 1)
    return n.make<ReshapeOp>(v, ArrayRef<int64_t>{});
  if (type.getRank() == 1 && !expandAt.empty())
    return n.make<ExpandDimsOp>(v, expandAt);
  return v;
}

/// Fails naming the input when input `i`, a scale, is a constant with a
/// value that is not positive and finite (quantizing by it would divide by
/// zero or flip signs).
LogicalResult checkScale(NodeContext &n, size_t i) {
  const ConstantData *scale = n.constantInput(i);
  if (!scale)
    return success();
  for (double v : scale->asDoubles())
    if (!(v > 0) || !std::isfinite(v))
      return n.fail("scale (input #" + Twine(i) +
                    ") must be positive and finite, got " + std::to_string(v));
  return success();
}

/// Input `i` (a zero point, made a scalar if it has one element), or a zero
/// of `elementType` shaped like `scale` when the node omits it.
FailureOr<Value> zeroPoint(NodeContext &n, size_t i, Value scale,
                           Type elementType) {
  if (n.hasInput(i)) {
    Value zp = n.input(i);
    if (!zp)
      return failure();
    return parameter(n, zp);
  }
  RankedTensorType shape = typeOf(scale);
  return Value(ConstantOp::create(
      n.b, n.loc,
      DenseElementsAttr::get(shape.clone(elementType),
                             n.b.getIntegerAttr(elementType, 0))));
}

std::string typeName(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << type;
  return text;
}

/// The zero point types graph.quantize/dequantize take.
bool isQuantizedType(Type type) {
  return type.isSignlessInteger(8) || type.isUnsignedInteger(8);
}

/// The `axis` of a per-channel (1-D) scale; none for a scalar one.
IntegerAttr channelAxis(NodeContext &n, Value scale) {
  if (typeOf(scale).getRank() == 0)
    return nullptr;
  return n.b.getI64IntegerAttr(n.attrInt("axis", 1));
}

LogicalResult quantizeLinear(NodeContext &n) {
  Value x = n.input(0), s = n.input(1);
  if (!x || !s || failed(checkScale(n, 1)))
    return failure();
  FailureOr<Value> scale = parameter(n, s);
  if (failed(scale))
    return failure();
  // Without a zero point, ONNX quantizes to uint8.
  FailureOr<Value> zp =
      zeroPoint(n, 2, *scale, n.b.getIntegerType(8, /*isSigned=*/false));
  if (failed(zp))
    return failure();
  if (!isQuantizedType(typeOf(*zp).getElementType()))
    return n.fail("quantizes to int8 or uint8 only, not " +
                  typeName(typeOf(*zp).getElementType()));
  FailureOr<Value> input = castTo(n, x, typeOf(*scale).getElementType());
  if (failed(input))
    return failure();
  return done(n,
              n.make<QuantizeOp>(*input, *scale, *zp, channelAxis(n, *scale)));
}

LogicalResult dequantizeLinear(NodeContext &n) {
  Value x = n.input(0), s = n.input(1);
  if (!x || !s || failed(checkScale(n, 1)))
    return failure();
  FailureOr<Value> scale = parameter(n, s);
  if (failed(scale))
    return failure();
  Type element = typeOf(x).getElementType();
  if (!isQuantizedType(element) && !element.isSignlessInteger(32))
    return n.fail("dequantizes int8, uint8 or int32 only, not " +
                  typeName(element));
  if (element.isSignlessInteger(32)) {
    const ConstantData *z = n.hasInput(2) ? n.constantInput(2) : nullptr;
    if (n.hasInput(2) &&
        (!z || llvm::any_of(z->asInts(), [](int64_t v) { return v; })))
      return n.fail("an int32 input's zero point must be 0");
  }
  FailureOr<Value> zp = zeroPoint(n, 2, *scale, element);
  if (failed(zp))
    return failure();
  return done(n, n.make<DequantizeOp>(x, *scale, *zp, channelAxis(n, *scale)));
}

/// y_scale = (max(x, 0) - min(x, 0)) / 255 and y_zero_point =
/// saturate(round(-min(x, 0) / y_scale)) over the whole tensor, then
/// y = quantize(x) to uint8 (ONNX DynamicQuantizeLinear).
LogicalResult dynamicQuantizeLinear(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  Expr e(n);
  e.setType(typeOf(x).getElementType());
  Type u8 = n.b.getIntegerType(8, /*isSigned=*/false);
  SmallVector<int64_t> all;
  for (int64_t d = 0; d < typeOf(x).getRank(); ++d)
    all.push_back(d);
  Value low = e.op<MinOp>(e.op<ReduceMinOp>(x, all, false), e.c(0));
  Value high = e.op<MaxOp>(e.op<ReduceMaxOp>(x, all, false), e.c(0));
  Value scale = e.op<DivOp>(e.op<SubOp>(high, low), e.c(255));
  Value zp = e.op<RoundOp>(e.op<DivOp>(e.op<NegOp>(low), scale));
  zp = e.op<ClipOp>(zp, n.b.getF64FloatAttr(0), n.b.getF64FloatAttr(255));
  zp = e.op<CastOp>(zp, TypeAttr::get(u8));
  Value y = e.op<QuantizeOp>(x, scale, zp, IntegerAttr());
  if (e.failed)
    return failure();
  n.setOutput(0, y);
  n.setOutput(1, scale);
  n.setOutput(2, zp);
  return success();
}

/// `v` - `zp` in i32 (`zp` may be null: `v` widened), a per-channel zero
/// point broadcast along `expandAt` (see parameter).
FailureOr<Value> minusZeroPoint(NodeContext &n, Value v, Value zp,
                                ArrayRef<int64_t> expandAt) {
  Type i32 = n.b.getI32Type();
  FailureOr<Value> wide = castTo(n, v, i32);
  if (failed(wide) || !zp)
    return wide;
  FailureOr<Value> z = parameter(n, zp, expandAt);
  if (succeeded(z))
    z = castTo(n, *z, i32);
  if (failed(z))
    return failure();
  return n.make<SubOp>(*wide, *z);
}

/// (a - a_zero_point) x (b - b_zero_point), accumulated in i32.
FailureOr<Value> integerMatmul(NodeContext &n, size_t a, size_t aZp, size_t b,
                               size_t bZp) {
  Value lhs = n.input(a), rhs = n.input(b);
  FailureOr<Value> lhsZp = optionalInput(n, aZp);
  FailureOr<Value> rhsZp = optionalInput(n, bZp);
  if (!lhs || !rhs || failed(lhsZp) || failed(rhsZp))
    return failure();
  FailureOr<Value> l = minusZeroPoint(n, lhs, *lhsZp, {1});
  FailureOr<Value> r = minusZeroPoint(n, rhs, *rhsZp, {});
  if (failed(l) || failed(r))
    return failure();
  return n.make<MatmulOp>(*l, *r);
}

LogicalResult matMulInteger(NodeContext &n) {
  return done(n, integerMatmul(n, 0, 2, 1, 3));
}

/// The QLinear operators' output: their i32 product `acc` requantized,
/// quantize(acc * lhs_scale * rhs_scale / y_scale) with a unit scale and
/// y's zero point. The scales are inputs 1 and 4 (broadcast along
/// `lhsExpand` and `rhsExpand` when per channel), y's are inputs 6 and 7.
LogicalResult requantize(NodeContext &n, FailureOr<Value> acc,
                         ArrayRef<int64_t> lhsExpand,
                         ArrayRef<int64_t> rhsExpand) {
  Value lhsScale = n.input(1), rhsScale = n.input(4), yScale = n.input(6);
  Value yZp = n.input(7);
  if (failed(acc) || !lhsScale || !rhsScale || !yScale || !yZp)
    return failure();
  FailureOr<Value> lhs = parameter(n, lhsScale, lhsExpand);
  FailureOr<Value> rhs = parameter(n, rhsScale, rhsExpand);
  FailureOr<Value> zp = parameter(n, yZp);
  if (failed(lhs) || failed(rhs) || failed(zp))
    return failure();
  Expr e(n);
  e.setType(typeOf(lhsScale).getElementType());
  Value multiplier = e.op<DivOp>(e.op<MulOp>(*lhs, *rhs), yScale);
  Value real =
      e.op<MulOp>(e.op<CastOp>(*acc, TypeAttr::get(e.type)), multiplier);
  return e.result(e.op<QuantizeOp>(real, e.c(1), *zp, IntegerAttr()));
}

/// Fails naming the first of the QLinear operators' scales (inputs 1, 4
/// and 6) that is a constant and not positive and finite.
LogicalResult checkQLinearScales(NodeContext &n) {
  for (size_t i : {1, 4, 6})
    if (failed(checkScale(n, i)))
      return failure();
  return success();
}

/// The QLinear operators in QDQ form, when graph-fold-qdq will make them
/// 8-bit integer products (their float form never runs): inputs 0 to 7 as
/// QLinearConv/QLinearMatMul number them, all but input 0 constants, the
/// weight's zero point 0 and the input's parameters per tensor; `bias`
/// (QLinearConv's int32 input 8, or null) dequantized by
/// a_scale * w_scale. `product` makes the float op of the dequantized
/// operands. Returns failure (without an error) when the node does not
/// qualify, for the caller to compute it in i32.
FailureOr<Value>
qlinearAsQDQ(NodeContext &n, Value bias, int64_t weightAxis,
             function_ref<FailureOr<Value>(Value, Value, Value)> product) {
  for (size_t i = 1; i < 8; ++i)
    if (!n.hasInput(i) || !n.constantInput(i))
      return failure();
  const ConstantData *wZp = n.constantInput(5);
  const ConstantData *aScale = n.constantInput(1);
  const ConstantData *wScale = n.constantInput(4);
  if (llvm::any_of(wZp->asInts(), [](int64_t z) { return z != 0; }) ||
      aScale->asDoubles().size() != 1 ||
      n.constantInput(2)->asDoubles().size() != 1 ||
      !typeOf(n.input(3)).getElementType().isSignlessInteger(8))
    return failure();
  Value a = n.input(0), w = n.input(3);
  FailureOr<Value> as = parameter(n, n.input(1)), az = parameter(n, n.input(2));
  FailureOr<Value> ws = parameter(n, n.input(4)), wz = parameter(n, n.input(5));
  FailureOr<Value> ys = parameter(n, n.input(6)), yz = parameter(n, n.input(7));
  if (failed(as) || failed(az) || failed(ws) || failed(wz) || failed(ys) ||
      failed(yz))
    return failure();
  IntegerAttr axis;
  if (typeOf(*ws).getRank() == 1)
    axis = n.b.getI64IntegerAttr(weightAxis);
  FailureOr<Value> ad = n.make<DequantizeOp>(a, *as, *az, IntegerAttr());
  FailureOr<Value> wd = n.make<DequantizeOp>(w, *ws, *wz, axis);
  if (failed(ad) || failed(wd))
    return failure();
  Value biasValue;
  if (bias) {
    // The bias's scale: a_scale * w_scale in f32, as quantizers write it.
    std::vector<double> products;
    for (double v : wScale->asDoubles())
      products.push_back(static_cast<float>(aScale->asDoubles()[0]) *
                         static_cast<float>(v));
    std::vector<float> scales(products.begin(), products.end());
    auto shape = typeOf(*ws).getShape();
    auto scaleType = RankedTensorType::get(shape, n.b.getF32Type());
    auto zpType = RankedTensorType::get(shape, n.b.getI32Type());
    Value scale = ConstantOp::create(
        n.b, n.loc, DenseElementsAttr::get(scaleType, ArrayRef(scales)));
    Value zero = ConstantOp::create(
        n.b, n.loc, DenseElementsAttr::get(zpType, n.b.getI32IntegerAttr(0)));
    FailureOr<Value> bd = n.make<DequantizeOp>(
        bias, scale, zero, axis ? n.b.getI64IntegerAttr(0) : IntegerAttr());
    if (failed(bd))
      return failure();
    biasValue = *bd;
  }
  FailureOr<Value> y = product(*ad, *wd, biasValue);
  if (failed(y))
    return failure();
  return n.make<QuantizeOp>(*y, *ys, *yz, IntegerAttr());
}

/// QLinearMatMul: a_scale per row, b_scale per column. A constant 2-D
/// weight with zero points of 0 goes through the QDQ form (8-bit integer
/// products after graph-fold-qdq), else the product is computed in i32.
LogicalResult qlinearMatMul(NodeContext &n) {
  if (failed(checkQLinearScales(n)))
    return failure();
  Value b = n.input(3);
  if (b && typeOf(b).getRank() == 2 && typeOf(n.input(0)).getRank() == 2) {
    FailureOr<Value> y =
        qlinearAsQDQ(n, Value(), 1, [&](Value a, Value w, Value) {
          return n.make<MatmulOp>(a, w);
        });
    if (succeeded(y))
      return done(n, y);
  }
  return requantize(n, integerMatmul(n, 0, 2, 3, 5), {1}, {});
}

/// (x - x_zero_point) convolved with (w - w_zero_point) in i32, plus the
/// i32 `bias` (may be null), with the node's Conv attributes.
FailureOr<Value> integerConv(NodeContext &n, size_t x, size_t xZp, size_t w,
                             size_t wZp, Value bias) {
  Value input = n.input(x), weight = n.input(w);
  if (!input || !weight)
    return failure();
  if (typeOf(input).getRank() == 5)
    return n.fail("3-D quantized convolutions are not supported");
  FailureOr<Value> inputZp = optionalInput(n, xZp);
  FailureOr<Value> weightZp = optionalInput(n, wZp);
  if (failed(inputZp) || failed(weightZp))
    return failure();
  SmallVector<int64_t> trailing;
  for (int64_t d = 1; d < typeOf(weight).getRank(); ++d)
    trailing.push_back(d);
  FailureOr<Value> in = minusZeroPoint(n, input, *inputZp, {});
  FailureOr<Value> wt = minusZeroPoint(n, weight, *weightZp, trailing);
  if (failed(in) || failed(wt))
    return failure();
  return convolve(n, *in, *wt, bias);
}

LogicalResult convInteger(NodeContext &n) {
  return done(n, integerConv(n, 0, 2, 1, 3, Value()));
}

/// QLinearConv: through the QDQ form when it qualifies (qlinearAsQDQ),
/// else the i32 convolution with the i32 bias; w_scale per output channel
/// or not.
LogicalResult qlinearConv(NodeContext &n) {
  if (failed(checkQLinearScales(n)))
    return failure();
  FailureOr<Value> bias = optionalInput(n, 8);
  if (failed(bias))
    return failure();
  Value x = n.input(0);
  if (x && typeOf(x).getRank() == 4 && n.attrInt("group", 1) == 1 &&
      (!*bias || n.constantInput(8))) {
    FailureOr<Value> y =
        qlinearAsQDQ(n, *bias, 0, [&](Value a, Value w, Value b) {
          return convolve(n, a, w, b);
        });
    if (succeeded(y))
      return done(n, y);
  }
  return requantize(n, integerConv(n, 0, 2, 3, 5, *bias), {}, {1, 2});
}

} // namespace

void addQuantizationHandlers(llvm::StringMap<Handler> &h) {
  h["QuantizeLinear"] = quantizeLinear;
  h["DequantizeLinear"] = dequantizeLinear;
  h["DynamicQuantizeLinear"] = dynamicQuantizeLinear;
  h["MatMulInteger"] = matMulInteger;
  h["QLinearMatMul"] = qlinearMatMul;
  h["ConvInteger"] = convInteger;
  h["QLinearConv"] = qlinearConv;
}

} // namespace strata::onnx_import
