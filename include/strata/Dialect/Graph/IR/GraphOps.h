//===- GraphOps.h - Graph dialect operations --------------------*- C++ -*-===//

#ifndef STRATA_DIALECT_GRAPH_IR_GRAPHOPS_H
#define STRATA_DIALECT_GRAPH_IR_GRAPHOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "strata/Dialect/Graph/IR/GraphDialect.h"

#include "strata/Dialect/Graph/IR/GraphEnums.h.inc"

namespace strata::graph {
/// Checks that every ranked tensor result of `op` has a static element
/// count that int64 holds and at most kMaxTensorBytes bytes.
mlir::LogicalResult verifyBoundedResults(mlir::Operation *op);

/// The BoundedResults trait of every graph op (see GraphBase.td).
template <typename ConcreteType>
class BoundedResults
    : public mlir::OpTrait::TraitBase<ConcreteType, BoundedResults> {
public:
  static mlir::LogicalResult verifyTrait(mlir::Operation *op) {
    return verifyBoundedResults(op);
  }
};
} // namespace strata::graph

#define GET_ATTRDEF_CLASSES
#include "strata/Dialect/Graph/IR/GraphAttrs.h.inc"

#define GET_OP_CLASSES
#include "strata/Dialect/Graph/IR/GraphOps.h.inc"

namespace strata::graph {
/// True if `value` is produced by a constant splat equal to `expected`
/// (integer or float; +0.0 and -0.0 both count as zero).
bool isSplatConstant(mlir::Value value, int64_t expected);
} // namespace strata::graph

#endif // STRATA_DIALECT_GRAPH_IR_GRAPHOPS_H
