//===- Reduction.cpp - graph.reduce_* to linalg.reduce --------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

using namespace mlir;

namespace strata::graph_to_linalg {
namespace {

using namespace strata::graph;

enum class ReduceKind { Sum, Mean, Max, Min, Prod };

/// One linalg.reduce over the normalized axes; the mean divides by the
/// element count afterwards, keep_dims reshapes (a view) to the result type.
template <typename OpTy, ReduceKind Kind>
struct ReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type elementType = inputType.getElementType();
    SmallVector<int64_t> axes =
        *shape::normalizeAxes(op.getAxes(), inputType.getRank());
    bool fp = isFloat(elementType);
    bool isUnsigned = readsUnsigned(op);

    Value init;
    switch (Kind) {
    case ReduceKind::Sum:
    case ReduceKind::Mean:
      init = scalarConstant(rewriter, loc, elementType, 0);
      break;
    case ReduceKind::Prod:
      init = scalarConstant(rewriter, loc, elementType, 1);
      break;
    case ReduceKind::Max:
      init = extremeConstant(rewriter, loc, elementType, /*lowest=*/true,
                             isUnsigned);
      break;
    case ReduceKind::Min:
      init = extremeConstant(rewriter, loc, elementType, /*lowest=*/false,
                             isUnsigned);
      break;
    }
    Value result =
        reduce(rewriter, loc, adaptor.getInput(), axes, init,
               [&](OpBuilder &b, Location l, Value x, Value acc) -> Value {
                 switch (Kind) {
                 case ReduceKind::Sum:
                 case ReduceKind::Mean:
                   return fp ? Value(arith::AddFOp::create(b, l, x, acc))
                             : Value(arith::AddIOp::create(b, l, x, acc));
                 case ReduceKind::Prod:
                   return fp ? Value(arith::MulFOp::create(b, l, x, acc))
                             : Value(arith::MulIOp::create(b, l, x, acc));
                 case ReduceKind::Max:
                   return maxOrMin(b, l, x, acc, /*isMax=*/true, isUnsigned);
                 case ReduceKind::Min:
                   return maxOrMin(b, l, x, acc, /*isMax=*/false, isUnsigned);
                 }
                 llvm_unreachable("unknown reduction");
               });
    if (Kind == ReduceKind::Mean) {
      int64_t count = 1;
      for (int64_t d : axes)
        count *= inputType.getDimSize(d);
      Value divisor = scalarConstant(rewriter, loc, elementType, count);
      result = buildElementwise(
          rewriter, loc, ValueRange{result},
          cast<RankedTensorType>(result.getType()),
          [&](OpBuilder &b, Location l, ValueRange args) -> Value {
            if (fp)
              return arith::DivFOp::create(b, l, args[0], divisor);
            return arith::DivSIOp::create(b, l, args[0], divisor);
          });
    }
    rewriter.replaceOp(op, reshapeTensor(rewriter, loc, result, op.getType()));
    return success();
  }
};

/// arg_max/arg_min: one linalg.generic reducing the axis into two
/// accumulators, the best value so far and its index.
template <typename OpTy, bool IsMax>
struct ArgReduceLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type elementType = inputType.getElementType();
    int64_t rank = inputType.getRank();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), rank);
    RankedTensorType valueType = dropDims(inputType, {axis});
    auto indexType =
        RankedTensorType::get(valueType.getShape(), rewriter.getI64Type());
    Value initValue =
        filledTensor(rewriter, loc, valueType,
                     extremeConstant(rewriter, loc, elementType,
                                     /*lowest=*/IsMax, readsUnsigned(op)));
    Value initIndex =
        filledTensor(rewriter, loc, indexType,
                     scalarConstant(rewriter, loc, rewriter.getI64Type(), 0));
    AffineMap rowMap = selectDims(rank, complement(rank, {axis}), ctx);
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    iterators[axis] = utils::IteratorType::reduction;
    bool last = op.getSelectLastIndex();
    bool fp = isFloat(elementType);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, indexType},
        ValueRange{adaptor.getInput()}, ValueRange{initValue, initIndex},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank), rowMap,
                            rowMap},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value x = args[0], best = args[1], bestIndex = args[2];
          Value index = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value better;
          if (fp)
            better = arith::CmpFOp::create(
                b, l,
                IsMax ? (last ? arith::CmpFPredicate::OGE
                              : arith::CmpFPredicate::OGT)
                      : (last ? arith::CmpFPredicate::OLE
                              : arith::CmpFPredicate::OLT),
                x, best);
          else
            better = arith::CmpIOp::create(
                b, l,
                intPredicate(IsMax ? (last ? arith::CmpIPredicate::sge
                                           : arith::CmpIPredicate::sgt)
                                   : (last ? arith::CmpIPredicate::sle
                                           : arith::CmpIPredicate::slt),
                             elementType, readsUnsigned(op)),
                x, best);
          // The first element always wins, so that an all -inf (or all
          // +inf) row still reports index 0.
          Value first =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, index,
                                    scalarConstant(b, l, b.getI64Type(), 0));
          better = arith::OrIOp::create(b, l, better, first);
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, better, x, best),
                  arith::SelectOp::create(b, l, better, index, bestIndex)});
        });
    rewriter.replaceOp(
        op, reshapeTensor(rewriter, loc, generic.getResult(1), op.getType()));
    return success();
  }
};

/// cumsum: out[..., i, ...] = sum over k of x[..., k, ...] for k <= i (or
/// k < i, k >= i, k > i by exclusive/reverse), as a generic with one extra
/// reduction loop over k. Quadratic in the axis length.
struct CumsumLowering : OpConversionPattern<CumsumOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CumsumOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), rank);
    Type elementType = type.getElementType();
    SmallVector<AffineExpr> inputExprs;
    for (int64_t d = 0; d < rank; ++d)
      inputExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
    AffineMap inputMap = AffineMap::get(rank + 1, 0, inputExprs, ctx);
    SmallVector<int64_t> outDims;
    for (int64_t d = 0; d < rank; ++d)
      outDims.push_back(d);
    AffineMap outputMap = selectDims(rank + 1, outDims, ctx);
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank + 1);
    iterators[rank] = utils::IteratorType::reduction;
    arith::CmpIPredicate pred =
        op.getReverse() ? (op.getExclusive() ? arith::CmpIPredicate::sgt
                                             : arith::CmpIPredicate::sge)
                        : (op.getExclusive() ? arith::CmpIPredicate::slt
                                             : arith::CmpIPredicate::sle);
    bool fp = isFloat(elementType);
    Value zero = scalarConstant(rewriter, loc, elementType, 0);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getInput()},
        ValueRange{filledTensor(rewriter, loc, type, zero)},
        ArrayRef<AffineMap>{inputMap, outputMap}, iterators,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value k = linalg::IndexOp::create(b, l, rank);
          Value i = linalg::IndexOp::create(b, l, axis);
          Value include = arith::CmpIOp::create(b, l, pred, k, i);
          Value term = arith::SelectOp::create(b, l, include, args[0], zero);
          Value sum = fp ? Value(arith::AddFOp::create(b, l, args[1], term))
                         : Value(arith::AddIOp::create(b, l, args[1], term));
          linalg::YieldOp::create(b, l, sum);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

} // namespace

void populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ArgReduceLowering<ArgMaxOp, true>,
               ArgReduceLowering<ArgMinOp, false>, CumsumLowering>(
      patterns.getContext());
  patterns.add<ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<ReduceProdOp, ReduceKind::Prod>>(
      patterns.getContext());
}

} // namespace strata::graph_to_linalg
