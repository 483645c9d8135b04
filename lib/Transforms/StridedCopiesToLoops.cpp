//===- StridedCopiesToLoops.cpp - memref.copy of strided views as loops ---===//
//
// LLVM lowering turns a memref.copy between non-contiguous views (e.g. into
// the interior of a padded buffer) into a call to the runtime's generic,
// element-at-a-time copy. As a linalg.copy it becomes loops instead, whose
// innermost (contiguous) loop LLVM vectorizes.
//
//===----------------------------------------------------------------------===//

#include "strata/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/PatternMatch.h"

namespace strata {
#define GEN_PASS_DEF_STRATASTRIDEDCOPIESTOLOOPSPASS
#include "strata/Transforms/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {
struct StrataStridedCopiesToLoopsPass
    : strata::impl::StrataStridedCopiesToLoopsPassBase<
          StrataStridedCopiesToLoopsPass> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation()->walk([&](memref::CopyOp copy) {
      auto source = dyn_cast<MemRefType>(copy.getSource().getType());
      auto target = dyn_cast<MemRefType>(copy.getTarget().getType());
      if (source && target &&
          !(source.getLayout().isIdentity() && target.getLayout().isIdentity()))
        copies.push_back(copy);
    });
    IRRewriter rewriter(&getContext());
    for (memref::CopyOp copy : copies) {
      rewriter.setInsertionPoint(copy);
      rewriter.replaceOpWithNewOp<linalg::CopyOp>(copy, copy.getSource(),
                                                  copy.getTarget());
    }
  }
};
} // namespace
