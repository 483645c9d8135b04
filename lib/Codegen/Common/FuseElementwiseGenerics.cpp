//===- FuseElementwiseGenerics.cpp - One generic per pointwise tree -------===//
//
// Merges pointwise linalg.generic producers into their only consumer (see
// the pass description in Passes.td): an activation that reads its input
// twice becomes one epilogue op that kernels take.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/Common/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata {
#define GEN_PASS_DEF_STRATAFUSEELEMENTWISEGENERICSPASS
#include "strata/Codegen/Common/Passes.h.inc"
} // namespace strata

using namespace mlir;

/// A generic computing each output element from the elements of its
/// operands at the same (or a broadcast) position.
static bool isPointwise(linalg::GenericOp op) {
  return op && op.hasPureTensorSemantics() &&
         op.getNumParallelLoops() == op.getNumLoops() &&
         llvm::all_of(
             op.getIndexingMapsArray(),
             [](AffineMap map) { return map.isProjectedPermutation(); }) &&
         llvm::all_of(op.getDpsInitsMutable(), [&](OpOperand &init) {
           return op.getMatchingIndexingMap(&init).isIdentity();
         });
}

namespace {
struct StrataFuseElementwiseGenericsPass
    : strata::impl::StrataFuseElementwiseGenericsPassBase<
          StrataFuseElementwiseGenericsPass> {
  void runOnOperation() override {
    linalg::ControlFusionFn control = [](OpOperand *fused) {
      auto producer = fused->get().getDefiningOp<linalg::GenericOp>();
      auto consumer = dyn_cast<linalg::GenericOp>(fused->getOwner());
      // Nothing computed twice: the consumer is the producer's only user.
      return isPointwise(producer) && isPointwise(consumer) &&
             producer->getNumResults() == 1 &&
             llvm::all_of(producer->getUsers(), [&](Operation *user) {
               return user == consumer.getOperation();
             });
    };
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateEraseUnusedOperandsAndResultsPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
