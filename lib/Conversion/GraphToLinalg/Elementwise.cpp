//===- Elementwise.cpp - Elementwise graph ops to linalg.generic ----------===//
//
// constant, the binary and unary elementwise ops, clip, compare, select and
// cast. Each becomes one linalg.generic whose indexing maps do the
// broadcasting; only the scalar body differs from op to op.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"

using namespace mlir;

namespace strata::graph_to_linalg {
namespace {

using namespace strata::graph;

/// Builds the scalar computation of one elementwise op.
template <typename OpTy>
using ScalarFn = Value (*)(OpBuilder &, Location, OpTy, ValueRange);

/// Lowers an elementwise op to a broadcasting linalg.generic whose body is
/// built by a per-op scalar function.
template <typename OpTy>
struct ElementwiseLowering : OpConversionPattern<OpTy> {
  ElementwiseLowering(MLIRContext *context, ScalarFn<OpTy> fn)
      : OpConversionPattern<OpTy>(context), fn(fn) {}

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto resultType = cast<RankedTensorType>(op.getType());
    Value result = buildElementwise(
        rewriter, op.getLoc(), adaptor.getOperands(), resultType,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          return fn(b, loc, op, args);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  ScalarFn<OpTy> fn;
};

/// A scalar builder choosing between a float and an integer arith op.
template <typename FloatOp, typename IntOp, typename OpTy>
Value floatOrInt(OpBuilder &b, Location loc, OpTy, ValueRange args) {
  if (isFloat(args[0].getType()))
    return FloatOp::create(b, loc, args[0], args[1]);
  return IntOp::create(b, loc, args[0], args[1]);
}

/// Integer division (`remainder`: its remainder) with a result wherever the
/// hardware would trap: by zero it is 0 (as numpy's), and the overflowing
/// signed INT_MIN / -1 wraps to INT_MIN (remainder 0). The divisor is made 1
/// in those lanes, so the division itself never traps.
Value safeIntDivision(OpBuilder &b, Location loc, Value lhs, Value rhs,
                      bool remainder, bool isUnsigned) {
  Type type = lhs.getType();
  Value zero = scalarConstant(b, loc, type, 0);
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, zero);
  if (isUnsigned) {
    Value divisor = arith::SelectOp::create(
        b, loc, isZero, scalarConstant(b, loc, type, 1), rhs);
    Value result = remainder
                       ? Value(arith::RemUIOp::create(b, loc, lhs, divisor))
                       : Value(arith::DivUIOp::create(b, loc, lhs, divisor));
    return arith::SelectOp::create(b, loc, isZero, zero, result);
  }
  Value isMinusOne = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, rhs, scalarConstant(b, loc, type, -1));
  Value trapping = arith::OrIOp::create(b, loc, isZero, isMinusOne);
  Value divisor = arith::SelectOp::create(b, loc, trapping,
                                          scalarConstant(b, loc, type, 1), rhs);
  Value result = remainder
                     ? Value(arith::RemSIOp::create(b, loc, lhs, divisor))
                     : Value(arith::DivSIOp::create(b, loc, lhs, divisor));
  Value byMinusOne =
      remainder ? zero : Value(arith::SubIOp::create(b, loc, zero, lhs));
  result = arith::SelectOp::create(b, loc, isMinusOne, byMinusOne, result);
  return arith::SelectOp::create(b, loc, isZero, zero, result);
}

/// `lhs` shifted by `rhs` bits (`left`, or right: arithmetic unless
/// `isUnsigned`). LLVM's shifts by the width or more are poison: those give
/// 0, or for a signed right shift the sign (a shift by width - 1).
Value shiftScalar(OpBuilder &b, Location loc, Value lhs, Value rhs, bool left,
                  bool isUnsigned) {
  Type type = lhs.getType();
  int64_t width = type.getIntOrFloatBitWidth();
  Value tooFar =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::uge, rhs,
                            scalarConstant(b, loc, type, double(width)));
  if (!left && !isUnsigned) {
    Value amount = arith::SelectOp::create(
        b, loc, tooFar, scalarConstant(b, loc, type, double(width - 1)), rhs);
    return arith::ShRSIOp::create(b, loc, lhs, amount);
  }
  Value amount = arith::SelectOp::create(b, loc, tooFar,
                                         scalarConstant(b, loc, type, 0), rhs);
  Value shifted = left ? Value(arith::ShLIOp::create(b, loc, lhs, amount))
                       : Value(arith::ShRUIOp::create(b, loc, lhs, amount));
  return arith::SelectOp::create(b, loc, tooFar,
                                 scalarConstant(b, loc, type, 0), shifted);
}

/// A scalar builder for a float-only unary math op.
template <typename MathOp, typename OpTy>
Value unaryMath(OpBuilder &b, Location loc, OpTy, ValueRange args) {
  return MathOp::create(b, loc, args[0]);
}

Value negScalar(OpBuilder &b, Location loc, NegOp, ValueRange args) {
  Value x = args[0];
  if (isFloat(x.getType()))
    return arith::NegFOp::create(b, loc, x);
  return arith::SubIOp::create(b, loc, scalarConstant(b, loc, x.getType(), 0),
                               x);
}

Value absScalar(OpBuilder &b, Location loc, AbsOp op, ValueRange args) {
  if (isFloat(args[0].getType()))
    return math::AbsFOp::create(b, loc, args[0]);
  if (readsUnsigned(op))
    return args[0];
  return math::AbsIOp::create(b, loc, args[0]);
}

Value reluScalar(OpBuilder &b, Location loc, ReluOp op, ValueRange args) {
  Value x = args[0];
  return maxOrMin(b, loc, x, scalarConstant(b, loc, x.getType(), 0),
                  /*isMax=*/true, readsUnsigned(op));
}

Value sigmoidScalar(OpBuilder &b, Location loc, SigmoidOp, ValueRange args) {
  Value x = args[0];
  Value one = scalarConstant(b, loc, x.getType(), 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

Value geluScalar(OpBuilder &b, Location loc, GeluOp, ValueRange args) {
  // x * (1 + erf(x / sqrt(2))) / 2
  Value x = args[0];
  Type type = x.getType();
  Value scaled =
      arith::MulFOp::create(b, loc, x, scalarConstant(b, loc, type, M_SQRT1_2));
  Value erf = math::ErfOp::create(b, loc, scaled);
  Value onePlus =
      arith::AddFOp::create(b, loc, scalarConstant(b, loc, type, 1.0), erf);
  Value half =
      arith::MulFOp::create(b, loc, x, scalarConstant(b, loc, type, 0.5));
  return arith::MulFOp::create(b, loc, half, onePlus);
}

Value signScalar(OpBuilder &b, Location loc, SignOp op, ValueRange args) {
  // sign(x): 1 above zero, -1 below, x itself otherwise (0, -0 and NaN).
  Value x = args[0];
  Type type = x.getType();
  Value zero = scalarConstant(b, loc, type, 0);
  Value one = scalarConstant(b, loc, type, 1);
  Value minusOne = scalarConstant(b, loc, type, -1);
  Value gt, lt;
  if (isFloat(type)) {
    gt = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OGT, x, zero);
    lt = arith::CmpFOp::create(b, loc, arith::CmpFPredicate::OLT, x, zero);
  } else {
    bool isUnsigned = readsUnsigned(op);
    gt = arith::CmpIOp::create(
        b, loc, intPredicate(arith::CmpIPredicate::sgt, type, isUnsigned), x,
        zero);
    lt = arith::CmpIOp::create(
        b, loc, intPredicate(arith::CmpIPredicate::slt, type, isUnsigned), x,
        zero);
  }
  Value neg = arith::SelectOp::create(b, loc, lt, minusOne, x);
  return arith::SelectOp::create(b, loc, gt, one, neg);
}

Value clipScalar(OpBuilder &b, Location loc, ClipOp op, ValueRange args) {
  Value x = args[0];
  Type type = x.getType();
  bool isUnsigned = readsUnsigned(op);
  // An unsigned value is at least any bound below 1.
  if (std::optional<APFloat> min = op.getMin();
      min && !(isUnsigned && min->convertToDouble() < 1))
    x = maxOrMin(b, loc, x,
                 scalarConstant(b, loc, type, min->convertToDouble()),
                 /*isMax=*/true, isUnsigned);
  if (std::optional<APFloat> max = op.getMax())
    x = maxOrMin(b, loc, x,
                 scalarConstant(b, loc, type, max->convertToDouble()),
                 /*isMax=*/false, isUnsigned);
  return x;
}

Value compareScalar(OpBuilder &b, Location loc, CompareOp op, ValueRange args) {
  static const arith::CmpFPredicate floatPreds[] = {
      arith::CmpFPredicate::OEQ, arith::CmpFPredicate::UNE,
      arith::CmpFPredicate::OLT, arith::CmpFPredicate::OLE,
      arith::CmpFPredicate::OGT, arith::CmpFPredicate::OGE};
  static const arith::CmpIPredicate intPreds[] = {
      arith::CmpIPredicate::eq,  arith::CmpIPredicate::ne,
      arith::CmpIPredicate::slt, arith::CmpIPredicate::sle,
      arith::CmpIPredicate::sgt, arith::CmpIPredicate::sge};
  auto index = static_cast<unsigned>(op.getPredicate());
  if (isFloat(args[0].getType()))
    return arith::CmpFOp::create(b, loc, floatPreds[index], args[0], args[1]);
  return arith::CmpIOp::create(
      b, loc,
      intPredicate(intPreds[index], args[0].getType(), readsUnsigned(op)),
      args[0], args[1]);
}

Value selectScalar(OpBuilder &b, Location loc, SelectOp, ValueRange args) {
  return arith::SelectOp::create(b, loc, args[0], args[1], args[2]);
}

Value castScalar(OpBuilder &b, Location loc, CastOp op, ValueRange args) {
  return convertScalar(b, loc, args[0], op.getDtype(), readsUnsigned(op),
                       writesUnsigned(op));
}

/// graph.constant -> arith.constant with the same elements (resource blobs
/// stay blobs).
struct ConstantLowering : OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = dyn_cast<TypedAttr>(op.getValue());
    if (!value)
      return rewriter.notifyMatchFailure(op, "untyped constant");
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

} // namespace

void populateElementwisePatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ConstantLowering>(context);
  // Binary ops.
  patterns.add<ElementwiseLowering<AddOp>>(
      context, floatOrInt<arith::AddFOp, arith::AddIOp, AddOp>);
  patterns.add<ElementwiseLowering<SubOp>>(
      context, floatOrInt<arith::SubFOp, arith::SubIOp, SubOp>);
  patterns.add<ElementwiseLowering<MulOp>>(
      context, floatOrInt<arith::MulFOp, arith::MulIOp, MulOp>);
  patterns.add<ElementwiseLowering<DivOp>>(
      context, +[](OpBuilder &b, Location loc, DivOp op, ValueRange args) {
        if (isFloat(args[0].getType()))
          return Value(arith::DivFOp::create(b, loc, args[0], args[1]));
        return safeIntDivision(b, loc, args[0], args[1], /*remainder=*/false,
                               readsUnsigned(op));
      });
  patterns.add<ElementwiseLowering<MaxOp>>(
      context, +[](OpBuilder &b, Location loc, MaxOp op, ValueRange args) {
        return maxOrMin(b, loc, args[0], args[1], /*isMax=*/true,
                        readsUnsigned(op));
      });
  patterns.add<ElementwiseLowering<MinOp>>(
      context, +[](OpBuilder &b, Location loc, MinOp op, ValueRange args) {
        return maxOrMin(b, loc, args[0], args[1], /*isMax=*/false,
                        readsUnsigned(op));
      });
  patterns.add<ElementwiseLowering<RemOp>>(
      context, +[](OpBuilder &b, Location loc, RemOp op, ValueRange args) {
        if (isFloat(args[0].getType()))
          return Value(arith::RemFOp::create(b, loc, args[0], args[1]));
        return safeIntDivision(b, loc, args[0], args[1], /*remainder=*/true,
                               readsUnsigned(op));
      });
  patterns.add<ElementwiseLowering<ShiftLeftOp>>(
      context,
      +[](OpBuilder &b, Location loc, ShiftLeftOp op, ValueRange args) {
        return shiftScalar(b, loc, args[0], args[1], /*left=*/true,
                           readsUnsigned(op));
      });
  patterns.add<ElementwiseLowering<ShiftRightOp>>(
      context,
      +[](OpBuilder &b, Location loc, ShiftRightOp op, ValueRange args) {
        return shiftScalar(b, loc, args[0], args[1], /*left=*/false,
                           readsUnsigned(op));
      });
  patterns.add<ElementwiseLowering<PowOp>>(
      context,
      +[](OpBuilder &b, Location loc, PowOp, ValueRange args) -> Value {
        return math::PowFOp::create(b, loc, args[0], args[1]);
      });
  // Unary ops.
  patterns.add<ElementwiseLowering<NegOp>>(context, negScalar);
  patterns.add<ElementwiseLowering<AbsOp>>(context, absScalar);
  patterns.add<ElementwiseLowering<ExpOp>>(context,
                                           unaryMath<math::ExpOp, ExpOp>);
  patterns.add<ElementwiseLowering<LogOp>>(context,
                                           unaryMath<math::LogOp, LogOp>);
  patterns.add<ElementwiseLowering<SqrtOp>>(context,
                                            unaryMath<math::SqrtOp, SqrtOp>);
  patterns.add<ElementwiseLowering<RsqrtOp>>(context,
                                             unaryMath<math::RsqrtOp, RsqrtOp>);
  patterns.add<ElementwiseLowering<TanhOp>>(context,
                                            unaryMath<math::TanhOp, TanhOp>);
  patterns.add<ElementwiseLowering<ErfOp>>(context,
                                           unaryMath<math::ErfOp, ErfOp>);
  patterns.add<ElementwiseLowering<SinOp>>(context,
                                           unaryMath<math::SinOp, SinOp>);
  patterns.add<ElementwiseLowering<CosOp>>(context,
                                           unaryMath<math::CosOp, CosOp>);
  patterns.add<ElementwiseLowering<TanOp>>(context,
                                           unaryMath<math::TanOp, TanOp>);
  patterns.add<ElementwiseLowering<AsinOp>>(context,
                                            unaryMath<math::AsinOp, AsinOp>);
  patterns.add<ElementwiseLowering<AcosOp>>(context,
                                            unaryMath<math::AcosOp, AcosOp>);
  patterns.add<ElementwiseLowering<AtanOp>>(context,
                                            unaryMath<math::AtanOp, AtanOp>);
  patterns.add<ElementwiseLowering<SinhOp>>(context,
                                            unaryMath<math::SinhOp, SinhOp>);
  patterns.add<ElementwiseLowering<CoshOp>>(context,
                                            unaryMath<math::CoshOp, CoshOp>);
  patterns.add<ElementwiseLowering<AsinhOp>>(context,
                                             unaryMath<math::AsinhOp, AsinhOp>);
  patterns.add<ElementwiseLowering<AcoshOp>>(context,
                                             unaryMath<math::AcoshOp, AcoshOp>);
  patterns.add<ElementwiseLowering<AtanhOp>>(context,
                                             unaryMath<math::AtanhOp, AtanhOp>);
  patterns.add<ElementwiseLowering<FloorOp>>(context,
                                             unaryMath<math::FloorOp, FloorOp>);
  patterns.add<ElementwiseLowering<CeilOp>>(context,
                                            unaryMath<math::CeilOp, CeilOp>);
  patterns.add<ElementwiseLowering<RoundOp>>(
      context, unaryMath<math::RoundEvenOp, RoundOp>);
  patterns.add<ElementwiseLowering<SignOp>>(context, signScalar);
  patterns.add<ElementwiseLowering<SigmoidOp>>(context, sigmoidScalar);
  patterns.add<ElementwiseLowering<ReluOp>>(context, reluScalar);
  patterns.add<ElementwiseLowering<GeluOp>>(context, geluScalar);
  patterns.add<ElementwiseLowering<ClipOp>>(context, clipScalar);
  // Compare, select, cast.
  patterns.add<ElementwiseLowering<CompareOp>>(context, compareScalar);
  patterns.add<ElementwiseLowering<SelectOp>>(context, selectScalar);
  patterns.add<ElementwiseLowering<CastOp>>(context, castScalar);
}

} // namespace strata::graph_to_linalg
