//===- Linear.cpp - graph.matmul to linalg --------------------------------===//
//
// Plain 2-D products become linalg.matmul; a batched lhs times a 2-D rhs
// folds its batch into M (one big matmul); equal batch shapes become one
// linalg.batch_matmul; other batch broadcasts a linalg.generic whose maps
// broadcast the batch dimensions without copying.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"

using namespace mlir;

namespace strata::graph_to_linalg {
namespace {

using namespace strata::graph;

/// Collapses the leading `count` dimensions of `value` into one.
Value collapseLeading(OpBuilder &b, Location loc, Value value, int64_t count) {
  auto type = cast<RankedTensorType>(value.getType());
  if (count == 1)
    return value;
  SmallVector<ReassociationIndices> groups(1);
  SmallVector<int64_t> shape = {1};
  for (int64_t d = 0; d < count; ++d) {
    groups[0].push_back(d);
    shape[0] *= type.getDimSize(d);
  }
  for (int64_t d = count; d < type.getRank(); ++d) {
    groups.push_back({d});
    shape.push_back(type.getDimSize(d));
  }
  return tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      groups);
}

/// The product of `lhs` and `rhs` (of `op`) as a linalg.generic of loops
/// (batch..., m, n, k) whose maps broadcast the batch dimensions without
/// copying; 8-bit integer operands are extended to the i32 result, each by
/// its own signedness.
Value broadcastingMatmul(OpBuilder &rewriter, MatmulOp op, Value lhs, Value rhs,
                         RankedTensorType resultType) {
  Location loc = op.getLoc();
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type elementType = resultType.getElementType();
  Value zero = scalarConstant(rewriter, loc, elementType, 0);
  bool lhsUnsigned = readsUnsigned(op, 0), rhsUnsigned = readsUnsigned(op, 1);
  MLIRContext *context = rewriter.getContext();
  int64_t batch = resultType.getRank() - 2;
  int64_t numDims = batch + 3;
  ArrayRef<int64_t> outBatch = resultType.getShape().drop_back(2);
  auto dim = [&](int64_t d) { return getAffineDimExpr(d, context); };
  auto operandMap = [&](RankedTensorType type, AffineExpr row, AffineExpr col) {
    AffineMap batchMap =
        broadcastMap(type.getShape().drop_back(2), outBatch, context);
    SmallVector<AffineExpr> exprs(batchMap.getResults());
    exprs.push_back(row);
    exprs.push_back(col);
    return AffineMap::get(numDims, 0, exprs, context);
  };
  AffineExpr m = dim(batch), n = dim(batch + 1), k = dim(batch + 2);
  SmallVector<AffineExpr> outExprs;
  for (int64_t d = 0; d < batch + 2; ++d)
    outExprs.push_back(dim(d));
  SmallVector<AffineMap> maps = {operandMap(lhsType, m, k),
                                 operandMap(rhsType, k, n),
                                 AffineMap::get(numDims, 0, outExprs, context)};
  SmallVector<utils::IteratorType> iterators = parallelIterators(batch + 2);
  iterators.push_back(utils::IteratorType::reduction);
  bool fp = isFloat(elementType);
  auto generic = linalg::GenericOp::create(
      rewriter, loc, TypeRange{resultType}, ValueRange{lhs, rhs},
      ValueRange{filledTensor(rewriter, loc, resultType, zero)}, maps,
      iterators, [&](OpBuilder &b, Location l, ValueRange args) {
        Value x = args[0], y = args[1];
        if (!fp && x.getType() != elementType)
          x = convertScalar(b, l, x, elementType, lhsUnsigned);
        if (!fp && y.getType() != elementType)
          y = convertScalar(b, l, y, elementType, rhsUnsigned);
        Value product = fp ? Value(arith::MulFOp::create(b, l, x, y))
                           : Value(arith::MulIOp::create(b, l, x, y));
        Value sum = fp ? Value(arith::AddFOp::create(b, l, args[2], product))
                       : Value(arith::AddIOp::create(b, l, args[2], product));
        linalg::YieldOp::create(b, l, sum);
      });
  return generic.getResult(0);
}

struct MatmulLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = cast<RankedTensorType>(lhs.getType());
    auto rhsType = cast<RankedTensorType>(rhs.getType());
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    Value zero = scalarConstant(rewriter, loc, elementType, 0);
    int64_t lhsBatch = lhsType.getRank() - 2, rhsBatch = rhsType.getRank() - 2;

    // 8-bit integers accumulating in i32: a generic that extends each
    // operand by its own signedness (linalg.matmul's cast applies to both).
    bool widens =
        !isFloat(elementType) && lhsType.getElementType() != elementType;
    if (widens && rhsBatch == 0) {
      Value flatLhs = collapseLeading(rewriter, loc, lhs, lhsBatch + 1);
      auto flatType = RankedTensorType::get(
          {cast<RankedTensorType>(flatLhs.getType()).getDimSize(0),
           rhsType.getDimSize(1)},
          elementType);
      Value product = broadcastingMatmul(rewriter, op, flatLhs, rhs, flatType);
      rewriter.replaceOp(op, reshapeTensor(rewriter, loc, product, resultType));
      return success();
    }
    if (widens) {
      rewriter.replaceOp(
          op, broadcastingMatmul(rewriter, op, lhs, rhs, resultType));
      return success();
    }

    // [..., M, K] x [K, N]: fold the batch into M.
    if (rhsBatch == 0) {
      Value flatLhs = collapseLeading(rewriter, loc, lhs, lhsBatch + 1);
      auto flatLhsType = cast<RankedTensorType>(flatLhs.getType());
      auto flatType = RankedTensorType::get(
          {flatLhsType.getDimSize(0), rhsType.getDimSize(1)}, elementType);
      Value product =
          linalg::MatmulOp::create(
              rewriter, loc, TypeRange{flatType}, ValueRange{flatLhs, rhs},
              ValueRange{filledTensor(rewriter, loc, flatType, zero)})
              .getResult(0);
      rewriter.replaceOp(op, reshapeTensor(rewriter, loc, product, resultType));
      return success();
    }

    // Equal batch shapes: one batch_matmul over the collapsed batch.
    if (lhsType.getShape().drop_back(2) == rhsType.getShape().drop_back(2)) {
      Value l = collapseLeading(rewriter, loc, lhs, lhsBatch);
      Value r = collapseLeading(rewriter, loc, rhs, rhsBatch);
      auto lt = cast<RankedTensorType>(l.getType());
      auto batchType = RankedTensorType::get(
          {lt.getDimSize(0), lt.getDimSize(1), rhsType.getShape().back()},
          elementType);
      Value product =
          linalg::BatchMatmulOp::create(
              rewriter, loc, TypeRange{batchType}, ValueRange{l, r},
              ValueRange{filledTensor(rewriter, loc, batchType, zero)})
              .getResult(0);
      rewriter.replaceOp(op, reshapeTensor(rewriter, loc, product, resultType));
      return success();
    }

    rewriter.replaceOp(op,
                       broadcastingMatmul(rewriter, op, lhs, rhs, resultType));
    return success();
  }
};

} // namespace

void populateLinearPatterns(RewritePatternSet &patterns) {
  patterns.add<MatmulLowering>(patterns.getContext());
}

} // namespace strata::graph_to_linalg
