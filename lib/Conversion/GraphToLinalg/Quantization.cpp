//===- Quantization.cpp - graph.quantize/dequantize to linalg.generic -----===//
//
// Both become one elementwise linalg.generic; a per-channel scale and zero
// point are reshaped to broadcast along their axis.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

using namespace mlir;

namespace strata::graph_to_linalg {
namespace {

using namespace strata::graph;

/// `operand` (a scale or zero point: a scalar, or 1-D along `axis`) as a
/// tensor that broadcasts against an input of rank `rank`.
Value alongAxis(OpBuilder &b, Location loc, Value operand,
                std::optional<int64_t> axis, int64_t rank) {
  auto type = cast<RankedTensorType>(operand.getType());
  if (type.getRank() == 0)
    return operand;
  SmallVector<int64_t> shape(rank, 1);
  shape[*shape::normalizeAxis(*axis, rank)] = type.getDimSize(0);
  return reshapeTensor(b, loc, operand,
                       RankedTensorType::get(shape, type.getElementType()));
}

/// The scale and zero point of a quantize or dequantize, shaped to
/// broadcast against its input of rank `rank`.
std::pair<Value, Value> parameters(OpBuilder &b, Location loc, Value scale,
                                   Value zeroPoint, std::optional<int64_t> axis,
                                   int64_t rank) {
  return {alongAxis(b, loc, scale, axis, rank),
          alongAxis(b, loc, zeroPoint, axis, rank)};
}

/// saturate(round_half_even(x / scale) + zero_point), in float until the
/// final conversion (exact: the value is then a whole number in range; NaN
/// saturates to the lowest value).
struct QuantizeLowering : OpConversionPattern<QuantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(QuantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    bool isUnsigned = writesUnsigned(op);
    Type quantized = resultType.getElementType();
    auto [scale, zeroPoint] =
        parameters(rewriter, loc, adaptor.getScale(), adaptor.getZeroPoint(),
                   op.getAxis(), rank);
    unsigned width = quantized.getIntOrFloatBitWidth();
    double lowest = isUnsigned ? 0 : -std::ldexp(1.0, width - 1);
    double highest = isUnsigned ? std::ldexp(1.0, width) - 1
                                : std::ldexp(1.0, width - 1) - 1;
    Value result = buildElementwise(
        rewriter, loc, ValueRange{adaptor.getInput(), scale, zeroPoint},
        resultType, [&](OpBuilder &b, Location l, ValueRange args) {
          Type f = args[0].getType();
          Value q = math::RoundEvenOp::create(
              b, l, arith::DivFOp::create(b, l, args[0], args[1]));
          q = arith::AddFOp::create(
              b, l, q, convertScalar(b, l, args[2], f, isUnsigned));
          q = arith::MaxNumFOp::create(b, l, q,
                                       scalarConstant(b, l, f, lowest));
          q = arith::MinNumFOp::create(b, l, q,
                                       scalarConstant(b, l, f, highest));
          return convertScalar(b, l, q, quantized, /*fromUnsigned=*/false,
                               isUnsigned);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// (input - zero_point) * scale: the difference in i32 (exact), then
/// converted to the scale's float type.
struct DequantizeLowering : OpConversionPattern<DequantizeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DequantizeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    bool isUnsigned = readsUnsigned(op);
    auto [scale, zeroPoint] =
        parameters(rewriter, loc, adaptor.getScale(), adaptor.getZeroPoint(),
                   op.getAxis(), rank);
    Value result = buildElementwise(
        rewriter, loc, ValueRange{adaptor.getInput(), scale, zeroPoint},
        resultType, [&](OpBuilder &b, Location l, ValueRange args) {
          Type i32 = b.getI32Type();
          Value difference = arith::SubIOp::create(
              b, l, convertScalar(b, l, args[0], i32, isUnsigned),
              convertScalar(b, l, args[2], i32, isUnsigned));
          return arith::MulFOp::create(
              b, l, convertScalar(b, l, difference, args[1].getType()),
              args[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateQuantizationPatterns(RewritePatternSet &patterns) {
  patterns.add<QuantizeLowering, DequantizeLowering>(patterns.getContext());
}

} // namespace strata::graph_to_linalg
