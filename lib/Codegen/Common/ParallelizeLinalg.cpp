//===- ParallelizeLinalg.cpp - Share linalg ops out across threads --------===//
//
// Tiles each linalg op on tensors along its outermost parallel dimension
// with more than one index, by 1, as an scf.forall: every iteration is one
// slice of the op (a channel, a row, ...) whose own loops keep their order
// (and so their vectorizable innermost loop). The CPU pipeline runs the
// forall loops on OpenMP threads.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/Common/Passes.h"

#include "llvm/Support/Debug.h"

#include "strata/Codegen/Common/InPlaceInsertions.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata {
#define GEN_PASS_DEF_STRATAPARALLELIZELINALGPASS
#include "strata/Codegen/Common/Passes.h.inc"
} // namespace strata

using namespace mlir;

#define DEBUG_TYPE "strata-parallelize-linalg"

/// The fewest loop iterations (elements times reduction steps) an op needs
/// to be shared out: below this, starting the threads costs more than the
/// work.
static constexpr int64_t kMinParallelWork = 1 << 16;

namespace {
struct StrataParallelizeLinalgPass
    : strata::impl::StrataParallelizeLinalgPassBase<
          StrataParallelizeLinalgPass> {
  void runOnOperation() override {
    // Pads and slice insertions copy data; as linalg ops they are shared
    // out like the rest: a pad becomes a fill and an insertion, and an
    // insertion outside loops a linalg.copy into the destination's slice
    // (unless it puts a value back where it was computed: that copies
    // nothing once bufferized).
    {
      RewritePatternSet patterns(&getContext());
      linalg::populateDecomposePadPatterns(patterns);
      if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
        return signalPassFailure();
    }
    SmallVector<tensor::InsertSliceOp> insertions;
    getOperation()->walk([&](tensor::InsertSliceOp op) {
      if (isa<FunctionOpInterface>(op->getParentOp()) &&
          op.getSourceType().getNumElements() >= kMinParallelWork &&
          !op.getSource().getDefiningOp<linalg::CopyOp>() &&
          !strata::insertsInPlace(op))
        insertions.push_back(op);
    });
    for (tensor::InsertSliceOp op : insertions) {
      OpBuilder b(op);
      Value slice = tensor::ExtractSliceOp::create(
          b, op.getLoc(), op.getSourceType(), op.getDest(),
          op.getMixedOffsets(), op.getMixedSizes(), op.getMixedStrides());
      Value copied =
          linalg::CopyOp::create(b, op.getLoc(), op.getSource(), slice)
              .getResult(0);
      op.getSourceMutable().assign(copied);
    }

    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) {
      // Ops already in a parallel loop (e.g. register tiles) stay as they
      // are, as do ops without a result to share out.
      if (op.hasPureTensorSemantics() && op->getNumResults() > 0 &&
          !op->getParentOfType<scf::ForallOp>())
        ops.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (linalg::LinalgOp op : ops) {
      // Tiling computes each operand's slice from its indexing map, which
      // it cannot do for maps with divisions or remainders: leave those.
      bool divides = false;
      for (AffineMap map : op.getIndexingMapsArray())
        for (AffineExpr result : map.getResults())
          result.walk([&](AffineExpr e) {
            divides |= e.getKind() == AffineExprKind::FloorDiv ||
                       e.getKind() == AffineExprKind::CeilDiv ||
                       e.getKind() == AffineExprKind::Mod;
          });
      if (divides)
        continue;
      SmallVector<int64_t> ranges = op.getStaticLoopRanges();
      auto iterators = op.getIteratorTypesArray();
      std::optional<unsigned> dim;
      for (unsigned d = 0; d < ranges.size() && !dim; ++d)
        if (iterators[d] == utils::IteratorType::parallel && ranges[d] != 1)
          dim = d;
      if (!dim || ShapedType::isDynamic(ranges[*dim]))
        continue;
      // Small ops are not worth a parallel region.
      int64_t work = 1;
      for (int64_t r : ranges)
        work = ShapedType::isDynamic(r) ? kMinParallelWork : work * r;
      if (work < kMinParallelWork) {
        LLVM_DEBUG(llvm::dbgs() << "too small to share out (" << work
                                << " iterations): " << op->getName() << " at "
                                << op->getLoc() << "\n");
        continue;
      }
      LLVM_DEBUG(llvm::dbgs() << "sharing out dimension " << *dim << " ("
                              << ranges[*dim] << " items) of "
                              << op->getName() << " at " << op->getLoc()
                              << "\n");
      SmallVector<OpFoldResult> tileSizes(ranges.size(),
                                          rewriter.getIndexAttr(0));
      tileSizes[*dim] = rewriter.getIndexAttr(1);
      scf::SCFTilingOptions options;
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      options.setTileSizes(tileSizes);
      rewriter.setInsertionPoint(op);
      FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(op.getOperation()), options);
      if (failed(tiled))
        continue;
      rewriter.replaceOp(op, tiled->replacements);
    }
  }
};
} // namespace
