//===- GraphDialect.h - Graph dialect ---------------------------*- C++ -*-===//

#ifndef STRATA_DIALECT_GRAPH_IR_GRAPHDIALECT_H
#define STRATA_DIALECT_GRAPH_IR_GRAPHDIALECT_H

#include "mlir/IR/Dialect.h"

#include "strata/Dialect/Graph/IR/GraphDialect.h.inc"

#endif // STRATA_DIALECT_GRAPH_IR_GRAPHDIALECT_H
