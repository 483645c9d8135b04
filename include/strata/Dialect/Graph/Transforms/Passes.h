//===- Passes.h - Graph dialect passes --------------------------*- C++ -*-===//

#ifndef STRATA_DIALECT_GRAPH_TRANSFORMS_PASSES_H
#define STRATA_DIALECT_GRAPH_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"
#include "strata/Dialect/Graph/IR/GraphDialect.h"

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace strata::graph {

#define GEN_PASS_DECL
#include "strata/Dialect/Graph/Transforms/Passes.h.inc"

/// Adds the patterns of `graph-decompose` to `patterns`.
void populateGraphDecomposePatterns(mlir::RewritePatternSet &patterns);

#define GEN_PASS_REGISTRATION
#include "strata/Dialect/Graph/Transforms/Passes.h.inc"

} // namespace strata::graph

#endif // STRATA_DIALECT_GRAPH_TRANSFORMS_PASSES_H
