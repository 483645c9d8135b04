//===- ReassociateReductions.cpp - Vectorizable floating-point sums -------===//
//
// Marks the accumulating op of every linalg reduction `reassoc` (see the
// pass description in Passes.td), so that LLVM vectorizes the loops they
// become.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUREASSOCIATEREDUCTIONSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

/// Adds `reassoc` to a floating-point add or multiply.
static void allowReassociation(Operation *op) {
  auto fastmath = dyn_cast<arith::ArithFastMathInterface>(op);
  if (!fastmath || !isa<arith::AddFOp, arith::MulFOp>(op))
    return;
  arith::FastMathFlags flags = fastmath.getFastMathFlagsAttr().getValue();
  op->setAttr(fastmath.getFastMathAttrName(),
              arith::FastMathFlagsAttr::get(
                  op->getContext(), flags | arith::FastMathFlags::reassoc));
}

/// Merges each run of adjacent reduction loops that the operands lay out
/// contiguously (a pooled H and W) into one loop: one long inner loop to
/// vectorize, rather than short ones LLVM unrolls whole and vectorizes
/// across, with gathers.
static void collapseReductionLoops(RewriterBase &rewriter,
                                   linalg::GenericOp op) {
  // Windows (a pooling's strided, dilated reads) are not merged.
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap map) { return map.isProjectedPermutation(); }))
    return;
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<ReassociationIndices> groups;
  for (int64_t d = 0, e = iterators.size(); d < e;) {
    int64_t end = d;
    while (end < e && iterators[end] == utils::IteratorType::reduction)
      ++end;
    if (end - d >= 2) {
      ReassociationIndices group;
      for (int64_t i = d; i < end; ++i)
        group.push_back(i);
      if (linalg::areDimSequencesPreserved(op.getIndexingMapsArray(), {group}))
        groups.push_back(group);
    }
    d = std::max(end, d + 1);
  }
  if (groups.empty())
    return;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(op, groups, rewriter);
  if (succeeded(collapsed))
    rewriter.replaceOp(op, collapsed->results);
}

namespace {
struct StrataCPUReassociateReductionsPass
    : strata::cpu::impl::StrataCPUReassociateReductionsPassBase<
          StrataCPUReassociateReductionsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op.getNumReductionLoops() >= 2)
        generics.push_back(op);
    });
    for (linalg::GenericOp op : generics)
      collapseReductionLoops(rewriter, op);
    getOperation().walk([](linalg::LinalgOp op) {
      if (op.getNumReductionLoops() == 0 || op->getNumRegions() != 1 ||
          op.getBlock()->empty())
        return;
      auto yield = dyn_cast<linalg::YieldOp>(op.getBlock()->getTerminator());
      if (!yield)
        return;
      for (auto [i, init] : llvm::enumerate(op.getDpsInitsMutable())) {
        if (i >= yield.getNumOperands())
          break;
        // The op that combines the accumulator with the next value.
        BlockArgument accumulator = op.getMatchingBlockArgument(&init);
        Operation *combiner = yield.getOperand(i).getDefiningOp();
        if (combiner && combiner->getBlock() == op.getBlock() &&
            llvm::is_contained(combiner->getOperands(), accumulator))
          allowReassociation(combiner);
      }
    });
  }
};
} // namespace
