//===- Quantization.cpp - graph.(de|re)quantize to linalg.generic ---------===//
//
// Each becomes one elementwise linalg.generic; a per-channel scale and zero
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

/// saturate(round_half_even(x / scale) + zero_point) (quantize) or
/// saturate(round_half_even(x * scale) + zero_point) with x an i32
/// accumulator converted to the scale's type (requantize), in float until
/// the final conversion (exact: the value is then a whole number in range;
/// NaN saturates to the lowest value).
template <typename OpTy> struct QuantizeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  using OpAdaptor = typename OpTy::Adaptor;

  LogicalResult
  matchAndRewrite(OpTy op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    constexpr bool multiplies = std::is_same_v<OpTy, RequantizeOp>;
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
          Type f = args[1].getType();
          Value scaled =
              multiplies ? Value(arith::MulFOp::create(
                               b, l, convertScalar(b, l, args[0], f), args[1]))
                         : Value(arith::DivFOp::create(b, l, args[0], args[1]));
          Value q = math::RoundEvenOp::create(b, l, scaled);
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
  patterns.add<QuantizeLowering<QuantizeOp>, QuantizeLowering<RequantizeOp>,
               DequantizeLowering>(patterns.getContext());
}

} // namespace strata::graph_to_linalg
