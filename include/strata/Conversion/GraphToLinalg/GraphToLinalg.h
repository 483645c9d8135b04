//===- GraphToLinalg.h - Lower the graph dialect to linalg ------*- C++ -*-===//

#ifndef STRATA_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
#define STRATA_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H

namespace mlir {
class RewritePatternSet;
} // namespace mlir

namespace strata {

/// Adds the patterns lowering every graph op to linalg/tensor/arith/math.
void populateGraphToLinalgConversionPatterns(mlir::RewritePatternSet &patterns);

} // namespace strata

#endif // STRATA_CONVERSION_GRAPHTOLINALG_GRAPHTOLINALG_H
