//===- InPlaceInsertions.cpp - Insertions bufferization makes free --------===//

#include "strata/Codegen/Common/InPlaceInsertions.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

using namespace mlir;

bool strata::insertsInPlace(tensor::InsertSliceOp insert) {
  auto result = dyn_cast<OpResult>(insert.getSource());
  if (!result)
    return false;
  OpOperand *destination = nullptr;
  Operation *producer = result.getOwner();
  if (auto dps = dyn_cast<DestinationStyleOpInterface>(producer))
    destination = dps.getTiedOpOperand(result);
  else if (auto forall = dyn_cast<scf::ForallOp>(producer))
    destination = forall.getTiedOpOperand(result);
  if (!destination)
    return false;
  auto slice = destination->get().getDefiningOp<tensor::ExtractSliceOp>();
  return slice && slice.getSource() == insert.getDest() &&
         slice.isSameAs(insert, isEqualConstantIntOrValue);
}
