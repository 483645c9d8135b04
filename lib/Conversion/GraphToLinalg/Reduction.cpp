//===- Reduction.cpp - graph.reduce_* to linalg.reduce --------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

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
      init = extremeConstant(rewriter, loc, elementType, /*lowest=*/true);
      break;
    case ReduceKind::Min:
      init = extremeConstant(rewriter, loc, elementType, /*lowest=*/false);
      break;
    }
    Value result = reduce(
        rewriter, loc, adaptor.getInput(), axes, init,
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
            return fp ? Value(arith::MaximumFOp::create(b, l, x, acc))
                      : Value(arith::MaxSIOp::create(b, l, x, acc));
          case ReduceKind::Min:
            return fp ? Value(arith::MinimumFOp::create(b, l, x, acc))
                      : Value(arith::MinSIOp::create(b, l, x, acc));
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

} // namespace

void populateReductionPatterns(RewritePatternSet &patterns) {
  patterns.add<ReduceLowering<ReduceSumOp, ReduceKind::Sum>,
               ReduceLowering<ReduceMeanOp, ReduceKind::Mean>,
               ReduceLowering<ReduceMaxOp, ReduceKind::Max>,
               ReduceLowering<ReduceMinOp, ReduceKind::Min>,
               ReduceLowering<ReduceProdOp, ReduceKind::Prod>>(
      patterns.getContext());
}

} // namespace strata::graph_to_linalg
