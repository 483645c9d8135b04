//===- StripMatmuls.h - A matmul as a parallel loop over B's strips -*- C++
//-*-===//
//
// Shared by strata-vectorize-matmul (constant B packed into strips) and
// strata-lower-convolutions (im2col strips built where they are used).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LIB_TRANSFORMS_LOOPBUILDERS_H
#define STRATA_LIB_TRANSFORMS_LOOPBUILDERS_H

#include "mlir/IR/Builders.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace strata {

/// Accumulates into `acc` (M x N) `lhs` (M x K) times `count` column strips
/// of B, strip s covering the columns [first + s * width, first + (s + 1) *
/// width): an scf.forall over the strips, each computing one linalg.matmul
/// of `lhs` by the K x width block that `stripOf` builds (inside the loop)
/// for the strip index. Returns the updated accumulator; `matmul`, if given,
/// receives the strip matmul.
mlir::Value
buildStripMatmuls(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                  mlir::Value acc, int64_t first, int64_t width, int64_t count,
                  llvm::function_ref<mlir::Value(mlir::OpBuilder &,
                                                 mlir::Location, mlir::Value)>
                      stripOf,
                  mlir::Operation **matmul = nullptr);

/// The `index`-th slice along dimension 0 of `batched`, without that
/// dimension (`dropBatchDim`) or with it as a unit dimension.
mlir::Value batchSlice(mlir::OpBuilder &b, mlir::Location loc,
                       mlir::Value batched, mlir::Value index,
                       bool dropBatchDim);

/// A loop over dimension 0 of `init` that replaces each batch slice of it
/// by what `body` computes from the batch index and that slice (sliced as
/// by batchSlice with `dropBatchDim`). Returns the loop's result.
mlir::Value buildBatchLoop(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value init, bool dropBatchDim,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value index, mlir::Value slice)>
        body);

} // namespace strata

#endif // STRATA_LIB_TRANSFORMS_LOOPBUILDERS_H
