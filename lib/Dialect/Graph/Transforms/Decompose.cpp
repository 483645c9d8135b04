//===- Decompose.cpp - Decompose composite graph ops ----------------------===//

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Transforms/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata::graph {
#define GEN_PASS_DEF_GRAPHDECOMPOSEPASS
#include "strata/Dialect/Graph/Transforms/Passes.h.inc"
} // namespace strata::graph

using namespace mlir;
using namespace strata::graph;

/// A splat constant of `type` holding `value`.
static Value splatConstant(PatternRewriter &rewriter, Location loc,
                           RankedTensorType type, double value) {
  Type elementType = type.getElementType();
  Attribute element = isa<FloatType>(elementType)
                          ? Attribute(rewriter.getFloatAttr(elementType, value))
                          : Attribute(rewriter.getIntegerAttr(
                                elementType, static_cast<int64_t>(value)));
  return ConstantOp::create(rewriter, loc,
                            DenseElementsAttr::get(type, element));
}

namespace {
/// batch_norm(x, s, b, m, v) -> x * a + c with a = s * rsqrt(v + eps) and
/// c = b - m * a, both reshaped to C x 1 x ... x 1 to broadcast over the
/// channel dimension.
struct DecomposeBatchNorm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType inputType = op.getInput().getType();
    auto paramType = cast<RankedTensorType>(op.getVariance().getType());
    if (!paramType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic channel count");
    Value eps = splatConstant(
        rewriter, loc, RankedTensorType::get({}, paramType.getElementType()),
        op.getEpsilon().convertToDouble());
    Value varEps = AddOp::create(rewriter, loc, op.getVariance(), eps);
    Value a = MulOp::create(rewriter, loc, op.getScale(),
                            RsqrtOp::create(rewriter, loc, varEps));
    Value c = SubOp::create(rewriter, loc, op.getBias(),
                            MulOp::create(rewriter, loc, op.getMean(), a));
    // Trailing unit dimensions so that C lines up with dimension 1.
    SmallVector<int64_t> axes;
    for (int64_t d = 2; d < inputType.getRank(); ++d)
      axes.push_back(d - 1);
    if (!axes.empty()) {
      a = ExpandDimsOp::create(rewriter, loc, a, axes);
      c = ExpandDimsOp::create(rewriter, loc, c, axes);
    }
    Value scaled = MulOp::create(rewriter, loc, op.getInput(), a);
    rewriter.replaceOpWithNewOp<AddOp>(op, scaled, c);
    return success();
  }
};

/// clip with one bound -> max or min against a splat constant.
struct DecomposeOneSidedClip : OpRewritePattern<ClipOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ClipOp op,
                                PatternRewriter &rewriter) const override {
    if (op.getMin().has_value() == op.getMax().has_value())
      return rewriter.notifyMatchFailure(op, "needs exactly one bound");
    RankedTensorType scalar =
        RankedTensorType::get({}, op.getType().getElementType());
    if (op.getMin()) {
      Value bound = splatConstant(rewriter, op.getLoc(), scalar,
                                  op.getMin()->convertToDouble());
      rewriter.replaceOpWithNewOp<MaxOp>(op, op.getInput(), bound);
    } else {
      Value bound = splatConstant(rewriter, op.getLoc(), scalar,
                                  op.getMax()->convertToDouble());
      rewriter.replaceOpWithNewOp<MinOp>(op, op.getInput(), bound);
    }
    return success();
  }
};

struct GraphDecomposePass
    : strata::graph::impl::GraphDecomposePassBase<GraphDecomposePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateGraphDecomposePatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void strata::graph::populateGraphDecomposePatterns(
    RewritePatternSet &patterns) {
  patterns.add<DecomposeBatchNorm, DecomposeOneSidedClip>(
      patterns.getContext());
}
