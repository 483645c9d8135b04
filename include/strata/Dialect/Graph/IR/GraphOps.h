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
