//===- UntieSharedDestinations.cpp - One fresh destination per writer -----===//
//
// CSE merges identical initial values (a broadcast bias, a zero fill) of
// different ops; each op then writes into the same tensor and
// bufferization has to copy it for all but one of them. Recomputing such a
// cheap value once per writer costs no more than the copy and avoids it.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/Common/Passes.h"

#include "llvm/Support/Debug.h"

#include "strata/Codegen/Common/InPlaceInsertions.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace strata {
#define GEN_PASS_DEF_STRATAUNTIESHAREDDESTINATIONSPASS
#include "strata/Codegen/Common/Passes.h.inc"
} // namespace strata

using namespace mlir;

#define DEBUG_TYPE "strata-untie-shared-destinations"

/// Whether `value` is cheap to recompute: an empty tensor, a fill or
/// broadcast of one, or a reshape or slice of such a value.
static bool isRecomputable(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def)
    return false;
  if (isa<tensor::EmptyOp>(def))
    return true;
  if (isa<linalg::FillOp, linalg::BroadcastOp>(def))
    return isRecomputable(
        cast<DestinationStyleOpInterface>(def).getDpsInitOperand(0)->get());
  if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
          tensor::ExtractSliceOp>(def))
    return isRecomputable(def->getOperand(0));
  return false;
}

/// Clones the ops computing `value` (see isRecomputable) before `before`.
static Value recompute(OpBuilder &builder, Value value) {
  Operation *def = value.getDefiningOp();
  IRMapping mapping;
  if (isa<linalg::FillOp, linalg::BroadcastOp>(def)) {
    Value init =
        cast<DestinationStyleOpInterface>(def).getDpsInitOperand(0)->get();
    mapping.map(init, recompute(builder, init));
  } else if (isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
                 tensor::ExtractSliceOp>(def)) {
    mapping.map(def->getOperand(0), recompute(builder, def->getOperand(0)));
  }
  Operation *clone = builder.clone(*def, mapping);
  return clone->getResult(cast<OpResult>(value).getResultNumber());
}

/// The tensor `value` is a view of: reshapes and slices are followed to
/// their source, since writing through them writes the source's buffer.
static Value viewedTensor(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<tensor::CollapseShapeOp, tensor::ExpandShapeOp,
             tensor::ExtractSliceOp>(def))
      break;
    value = def->getOperand(0);
  }
  return value;
}

/// The insertions that put the result written through `destination` (an
/// init of a destination-style op or a shared output of an scf.forall) back
/// where it was computed (see strata::insertsInPlace).
static SmallVector<tensor::InsertSliceOp>
inPlaceInsertions(OpOperand *destination) {
  Operation *writer = destination->getOwner();
  OpResult result;
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(writer))
    result = dps.getTiedOpResult(destination);
  else if (auto forall = dyn_cast<scf::ForallOp>(writer))
    result = forall.getTiedOpResult(destination);
  SmallVector<tensor::InsertSliceOp> insertions;
  if (!result)
    return insertions;
  for (Operation *user : result.getUsers())
    if (auto insert = dyn_cast<tensor::InsertSliceOp>(user);
        insert && insert.getSource() == result &&
        strata::insertsInPlace(insert))
      insertions.push_back(insert);
  return insertions;
}

namespace {
struct StrataUntieSharedDestinationsPass
    : strata::impl::StrataUntieSharedDestinationsPassBase<
          StrataUntieSharedDestinationsPass> {
  void runOnOperation() override {
    // Destination operands (inits of destination-style ops such as linalg
    // ops and tensor insertions, shared outputs of scf.forall), by the
    // tensor they write into.
    llvm::MapVector<Value, SmallVector<OpOperand *>> destinations;
    getOperation()->walk([&](Operation *op) {
      // Putting a value back where it was computed writes nothing new.
      if (auto insert = dyn_cast<tensor::InsertSliceOp>(op);
          insert && strata::insertsInPlace(insert))
        return;
      if (auto dps = dyn_cast<DestinationStyleOpInterface>(op)) {
        for (OpOperand &init : dps.getDpsInitsMutable())
          if (isa<RankedTensorType>(init.get().getType()))
            destinations[viewedTensor(init.get())].push_back(&init);
      } else if (auto forall = dyn_cast<scf::ForallOp>(op)) {
        for (OpOperand &out : forall.getOutputsMutable())
          destinations[viewedTensor(out.get())].push_back(&out);
      }
    });
    OpBuilder builder(&getContext());
    for (auto &[tensor, uses] : destinations) {
      if (uses.size() < 2)
        continue;
      // The first writer keeps the tensor; the others get their own copy of
      // its computation (through the same reshapes).
      for (OpOperand *use : llvm::drop_begin(uses)) {
        if (!isRecomputable(use->get()))
          continue;
        SmallVector<tensor::InsertSliceOp> followers = inPlaceInsertions(use);
        LLVM_DEBUG(llvm::dbgs() << "own destination for "
                                << use->getOwner()->getName() << " at "
                                << use->getOwner()->getLoc() << "\n");
        builder.setInsertionPoint(use->getOwner());
        use->set(recompute(builder, use->get()));
        // Where the writer's result is put back into the tensor it was
        // computed in, it is put back into the new one.
        if (auto slice = use->get().getDefiningOp<tensor::ExtractSliceOp>())
          for (tensor::InsertSliceOp insert : followers)
            insert.getDestMutable().assign(slice.getSource());
      }
    }
  }
};
} // namespace
