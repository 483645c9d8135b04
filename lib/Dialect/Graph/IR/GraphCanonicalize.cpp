//===- GraphCanonicalize.cpp - Canonicalization patterns ------------------===//
//
// Rewrites that create new ops and so cannot be folders.
//
//===----------------------------------------------------------------------===//

#include "strata/Dialect/Graph/IR/GraphOps.h"

#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace strata::graph;

namespace {
/// Rewrites `x op c`, where `c` is a splat constant equal to the identity of
/// `op` that only widens `x` by broadcasting, to `graph.broadcast_to x`. The
/// folders handle the case where no broadcast happens.
template <typename OpTy, int64_t Identity>
struct BroadcastOfIdentity : OpRewritePattern<OpTy> {
  using OpRewritePattern<OpTy>::OpRewritePattern;

  LogicalResult matchAndRewrite(OpTy op,
                                PatternRewriter &rewriter) const override {
    auto resultType = op.getType();
    if (!resultType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic result shape");
    for (auto [keep, other] : {std::make_pair(op.getLhs(), op.getRhs()),
                               std::make_pair(op.getRhs(), op.getLhs())}) {
      if (keep.getType() == resultType || !isSplatConstant(other, Identity))
        continue;
      rewriter.replaceOpWithNewOp<BroadcastToOp>(op, keep,
                                                 resultType.getShape());
      return success();
    }
    return rewriter.notifyMatchFailure(op, "no broadcasting identity operand");
  }
};
} // namespace

void AddOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<BroadcastOfIdentity<AddOp, 0>>(context);
}

void MulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<BroadcastOfIdentity<MulOp, 1>>(context);
}
