//===- StridedCopiesToLoops.cpp - Strided memref copies as vector loops ---===//
//
// LLVM lowering turns a memref.copy between non-contiguous views (e.g. into
// the interior of a padded buffer) into a call to the runtime's generic,
// element-at-a-time copy; as scalar loops (linalg.copy lowered to loops),
// LLVM unrolls short rows and then cannot vectorize them, not knowing that
// source and target do not overlap. Here such copies become loops over
// their rows, each row copied as vectors.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "strata/Codegen/CPU/TargetInfo.h"
#include "llvm/Support/Debug.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUSTRIDEDCOPIESTOLOOPSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-strided-copies-to-loops"

/// Vectors of a row copy's chunk: four, for a few loads in flight.
static constexpr int64_t kVectorsPerChunk = 4;

/// Whether `type` is a static memref whose rows (innermost dimension) are
/// contiguous.
static bool hasContiguousRows(MemRefType type) {
  if (!type.hasStaticShape() || type.getRank() == 0)
    return false;
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(type.getStridesAndOffset(strides, offset)) &&
         strides.back() == 1;
}

/// Copies `source` to `target` (same static shape, contiguous rows) as loops
/// over all dimensions but the last, each row copied in vectors of `chunk`
/// elements and one shorter vector for the rest.
static void buildRowCopy(OpBuilder &b, Location loc, Value source, Value target,
                         int64_t chunk) {
  auto type = cast<MemRefType>(source.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = shape.size(), length = shape.back();
  Type element = type.getElementType();
  SmallVector<Value> indices;
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  OpBuilder::InsertionGuard guard(b);
  for (int64_t d = 0; d + 1 < rank; ++d) {
    auto loop = scf::ForOp::create(b, loc, index(0), index(shape[d]), index(1));
    b.setInsertionPoint(loop.getBody()->getTerminator());
    indices.push_back(loop.getInductionVar());
  }
  Value padding =
      arith::ConstantOp::create(b, loc, element, b.getZeroAttr(element));
  auto copyPiece = [&](Value column, int64_t width) {
    SmallVector<Value> at(indices);
    at.push_back(column);
    auto vectorType = VectorType::get({width}, element);
    Value row = vector::TransferReadOp::create(b, loc, vectorType, source, at,
                                               padding, ArrayRef<bool>{true});
    vector::TransferWriteOp::create(b, loc, row, target, at,
                                    ArrayRef<bool>{true});
  };
  int64_t full = length / chunk, rest = length % chunk;
  if (full == 1) {
    copyPiece(index(0), chunk);
  } else if (full > 1) {
    auto loop =
        scf::ForOp::create(b, loc, index(0), index(full * chunk), index(chunk));
    OpBuilder::InsertionGuard inner(b);
    b.setInsertionPoint(loop.getBody()->getTerminator());
    copyPiece(loop.getInductionVar(), chunk);
  }
  if (rest > 0)
    copyPiece(index(full * chunk), rest);
}

namespace {
struct StrataCPUStridedCopiesToLoopsPass
    : strata::cpu::impl::StrataCPUStridedCopiesToLoopsPassBase<
          StrataCPUStridedCopiesToLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t lanes = vectorLanes > 0
                        ? int64_t(vectorLanes)
                        : strata::cpu::TargetInfo::host().vectorLanes;
    int64_t chunk = kVectorsPerChunk * lanes;
    SmallVector<Operation *> copies;
    getOperation()->walk([&](Operation *op) {
      Value source, target;
      if (auto copy = dyn_cast<memref::CopyOp>(op)) {
        source = copy.getSource();
        target = copy.getTarget();
      } else if (auto copy = dyn_cast<linalg::CopyOp>(op)) {
        if (!copy.hasPureBufferSemantics())
          return;
        source = copy.getInputs()[0];
        target = copy.getOutputs()[0];
      } else {
        return;
      }
      auto sourceType = dyn_cast<MemRefType>(source.getType());
      auto targetType = dyn_cast<MemRefType>(target.getType());
      // Copies between contiguous buffers stay memref.copy (a memcpy).
      if (!sourceType || !targetType ||
          (sourceType.getLayout().isIdentity() &&
           targetType.getLayout().isIdentity() && isa<memref::CopyOp>(op)))
        return;
      copies.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (Operation *op : copies) {
      LLVM_DEBUG(llvm::dbgs()
                 << "rewriting " << op->getName() << " at " << op->getLoc()
                 << " (chunks of " << chunk << " elements)\n");
      rewriter.setInsertionPoint(op);
      Value source = op->getOperand(0), target = op->getOperand(1);
      auto sourceType = cast<MemRefType>(source.getType());
      auto targetType = cast<MemRefType>(target.getType());
      if (hasContiguousRows(sourceType) && hasContiguousRows(targetType) &&
          sourceType.getElementType().isIntOrFloat()) {
        buildRowCopy(rewriter, op->getLoc(), source, target, chunk);
        rewriter.eraseOp(op);
      } else if (isa<memref::CopyOp>(op)) {
        rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, source, target);
      }
    }
  }
};
} // namespace
