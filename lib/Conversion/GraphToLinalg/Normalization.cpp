//===- Normalization.cpp - softmax, layer_norm, batch_norm to linalg ------===//
//
// Each becomes a short sequence of linalg.reduce/linalg.generic ops with the
// numerically stable formulations: softmax subtracts the row maximum,
// layer_norm computes the variance around the mean (two passes).
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

using namespace mlir;

namespace strata::graph_to_linalg {
namespace {

using namespace strata::graph;

struct SoftmaxLowering : OpConversionPattern<SoftmaxOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SoftmaxOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), rank);
    Type elementType = type.getElementType();
    Value input = adaptor.getInput();

    Value max = reduce(rewriter, loc, input, {axis},
                       extremeConstant(rewriter, loc, elementType, true),
                       [](OpBuilder &b, Location l, Value x, Value acc) {
                         return arith::MaximumFOp::create(b, l, x, acc);
                       });
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap rowMap = selectDims(rank, complement(rank, {axis}), ctx);
    Value exps = linalg::GenericOp::create(
                     rewriter, loc, TypeRange{type}, ValueRange{input, max},
                     ValueRange{emptyTensor(rewriter, loc, type)},
                     ArrayRef<AffineMap>{identity, rowMap, identity},
                     parallelIterators(rank),
                     [](OpBuilder &b, Location l, ValueRange args) {
                       Value shifted =
                           arith::SubFOp::create(b, l, args[0], args[1]);
                       linalg::YieldOp::create(
                           b, l, Value(math::ExpOp::create(b, l, shifted)));
                     })
                     .getResult(0);
    Value sum = reduce(rewriter, loc, exps, {axis},
                       scalarConstant(rewriter, loc, elementType, 0),
                       [](OpBuilder &b, Location l, Value x, Value acc) {
                         return arith::AddFOp::create(b, l, x, acc);
                       });
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, ValueRange{exps, sum},
            ValueRange{emptyTensor(rewriter, loc, type)},
            ArrayRef<AffineMap>{identity, rowMap, identity},
            parallelIterators(rank),
            [](OpBuilder &b, Location l, ValueRange args) {
              linalg::YieldOp::create(
                  b, l, Value(arith::DivFOp::create(b, l, args[0], args[1])));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct LayerNormLowering : OpConversionPattern<LayerNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(LayerNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    Type elementType = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), rank);
    SmallVector<int64_t> normDims, rowDims;
    int64_t count = 1;
    for (int64_t d = 0; d < rank; ++d) {
      if (d >= axis) {
        normDims.push_back(d);
        count *= type.getDimSize(d);
      } else {
        rowDims.push_back(d);
      }
    }
    Value input = adaptor.getInput();
    Value zero = scalarConstant(rewriter, loc, elementType, 0);
    Value invCount = scalarConstant(rewriter, loc, elementType, 1.0 / count);

    Value sum = reduce(rewriter, loc, input, normDims, zero,
                       [](OpBuilder &b, Location l, Value x, Value acc) {
                         return arith::AddFOp::create(b, l, x, acc);
                       });
    // Sum of squared deviations from the mean.
    RankedTensorType rowType = dropDims(type, normDims);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap rowMap = selectDims(rank, rowDims, ctx);
    SmallVector<utils::IteratorType> iterators = parallelIterators(rank);
    for (int64_t d : normDims)
      iterators[d] = utils::IteratorType::reduction;
    Value sqSum =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{rowType}, ValueRange{input, sum},
            ValueRange{filledTensor(rewriter, loc, rowType, zero)},
            ArrayRef<AffineMap>{identity, rowMap, rowMap}, iterators,
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value mean = arith::MulFOp::create(b, l, args[1], invCount);
              Value dev = arith::SubFOp::create(b, l, args[0], mean);
              Value sq = arith::MulFOp::create(b, l, dev, dev);
              linalg::YieldOp::create(
                  b, l, Value(arith::AddFOp::create(b, l, args[2], sq)));
            })
            .getResult(0);

    SmallVector<Value> inputs = {input, sum, sqSum, adaptor.getScale()};
    AffineMap paramMap = selectDims(rank, normDims, ctx);
    SmallVector<AffineMap> maps = {identity, rowMap, rowMap, paramMap};
    if (Value bias = adaptor.getBias()) {
      inputs.push_back(bias);
      maps.push_back(paramMap);
    }
    maps.push_back(identity);
    Value eps = scalarConstant(rewriter, loc, elementType,
                               op.getEpsilon().convertToDouble());
    bool hasBias = static_cast<bool>(adaptor.getBias());
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type}, inputs,
            ValueRange{emptyTensor(rewriter, loc, type)}, maps,
            parallelIterators(rank),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value mean = arith::MulFOp::create(b, l, args[1], invCount);
              Value var = arith::MulFOp::create(b, l, args[2], invCount);
              Value inv = math::RsqrtOp::create(
                  b, l, arith::AddFOp::create(b, l, var, eps));
              Value norm = arith::MulFOp::create(
                  b, l, arith::SubFOp::create(b, l, args[0], mean), inv);
              Value r = arith::MulFOp::create(b, l, norm, args[3]);
              if (hasBias)
                r = arith::AddFOp::create(b, l, r, args[4]);
              linalg::YieldOp::create(b, l, r);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct BatchNormLowering : OpConversionPattern<BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap channel = selectDims(rank, {1}, ctx);
    Value eps = scalarConstant(rewriter, loc, type.getElementType(),
                               op.getEpsilon().convertToDouble());
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{type},
            ValueRange{adaptor.getInput(), adaptor.getScale(),
                       adaptor.getBias(), adaptor.getMean(),
                       adaptor.getVariance()},
            ValueRange{emptyTensor(rewriter, loc, type)},
            ArrayRef<AffineMap>{identity, channel, channel, channel, channel,
                                identity},
            parallelIterators(rank),
            [&](OpBuilder &b, Location l, ValueRange args) {
              Value inv = math::RsqrtOp::create(
                  b, l, arith::AddFOp::create(b, l, args[4], eps));
              Value norm = arith::MulFOp::create(
                  b, l, arith::SubFOp::create(b, l, args[0], args[3]), inv);
              Value r = arith::AddFOp::create(
                  b, l, arith::MulFOp::create(b, l, norm, args[1]), args[2]);
              linalg::YieldOp::create(b, l, r);
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};

} // namespace

void populateNormalizationPatterns(RewritePatternSet &patterns) {
  patterns.add<SoftmaxLowering, LayerNormLowering, BatchNormLowering>(
      patterns.getContext());
}

} // namespace strata::graph_to_linalg
