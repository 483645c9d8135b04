//===- LoopBuilders.h - Loop nests shared by codegen passes -----*- C++ -*-===//
//
// Strip loops shared by strata-cpu-vectorize-matmul (constant B packed into
// strips) and strata-cpu-lower-convolutions (im2col strips built where they are
// used); tile-and-fuse of an op with its epilogue and initial value, shared
// by strata-cpu-vectorize-matmul and strata-cpu-vectorize-windows.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_COMMON_LOOPBUILDERS_H
#define STRATA_CODEGEN_COMMON_LOOPBUILDERS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::linalg {
class GenericOp;
} // namespace mlir::linalg

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

/// An scf.forall with one item per index along dimension `dim` of `init`
/// (a static tensor), each an scf.for over `rows` rows: item i takes its
/// slice of `init` (index i along `dim`, whole along the others, unit
/// dimension kept), lets `body` update it for each row y from i, y and the
/// slice so far, and puts the result back. Returns the forall's result.
mlir::Value buildRowsForall(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value init, int64_t dim,
    int64_t rows,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value index, mlir::Value row,
                                   mlir::Value slice)>
        body);

/// Runs `body(first, slice)` on `items` equal slices of `init` (a static
/// tensor) along dimension `dim`, whose first `extent` indices it covers
/// (`items` divides `extent`): in an scf.forall with one item per slice
/// when `items > 1`, else once on all of `init`. `first` is the slice's
/// first index along `dim`. Returns the updated tensor.
mlir::Value buildSlicesForall(
    mlir::OpBuilder &b, mlir::Location loc, mlir::Value init, int64_t dim,
    int64_t extent, int64_t items,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::Value first, mlir::Value slice)>
        body);

/// The largest divisor of `total` that is at most `limit` (at least 1): the
/// number of equal slices buildSlicesForall can share out for `limit`
/// work items.
int64_t largestDivisorAtMost(int64_t total, int64_t limit);

/// Whether `op` computes an initial value cheaply enough to redo it in
/// every tile: a linalg.fill or a linalg.broadcast.
bool isTileableInit(mlir::Operation *op);

/// The elementwise linalg.generic (all loops parallel, one result, every
/// map a projected permutation) that reads all of `value`, as one input
/// with the identity map, and writes a result of the same shape (identity
/// map); null if `value` has another use or no such user.
mlir::linalg::GenericOp elementwiseConsumer(mlir::Value value);

/// Tiles `root` by `sizes` (0: not tiled) into one scf.forall (`forall`)
/// or nested scf.for loops, in the loop order `interchange` if given,
/// recomputing in each tile the producers that `fuse` accepts, and replaces
/// `root` (erasing it and the producers left unused). Returns the ops in
/// the tile, the tiled root first.
mlir::FailureOr<llvm::SmallVector<mlir::Operation *>>
tileAndFuse(mlir::RewriterBase &rewriter, mlir::Operation *root,
            llvm::ArrayRef<int64_t> sizes, bool forall,
            llvm::function_ref<bool(mlir::Operation *)> fuse,
            llvm::ArrayRef<int64_t> interchange = {});

} // namespace strata

#endif // STRATA_CODEGEN_COMMON_LOOPBUILDERS_H
