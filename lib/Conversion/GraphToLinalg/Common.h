//===- Common.h - Helpers shared by graph-to-linalg patterns ----*- C++ -*-===//
//
// Internal to lib/Conversion/GraphToLinalg: every op family's patterns build
// their linalg ops with these.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LIB_CONVERSION_GRAPHTOLINALG_COMMON_H
#define STRATA_LIB_CONVERSION_GRAPHTOLINALG_COMMON_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace strata::graph_to_linalg {

/// True for float element types (the arith op to use depends on it).
inline bool isFloat(mlir::Type type) {
  return mlir::isa<mlir::FloatType>(type);
}

/// Unsigned integers (ui8 ... ui64) are made signless before the patterns
/// run (linalg and arith take no others; makeIntegersSignless). The graph
/// ops that read or write them keep their signedness as these marks, which
/// the patterns ask through readsUnsigned and writesUnsigned.
inline constexpr llvm::StringLiteral kUnsignedOperandsAttr =
    "strata.unsigned_operands";
inline constexpr llvm::StringLiteral kUnsignedResultsAttr =
    "strata.unsigned_results";

/// Marks every graph op under `root` that reads or writes unsigned
/// integers, then makes every unsigned integer type under it signless:
/// values, block arguments, function signatures, constants and the
/// element types that attributes name.
void makeIntegersSignless(mlir::Operation *root);

/// Whether `op` read unsigned integers before makeIntegersSignless.
inline bool readsUnsigned(mlir::Operation *op) {
  return op->hasAttr(kUnsignedOperandsAttr);
}

/// Whether operand `index` of `op` was unsigned before
/// makeIntegersSignless (the 8-bit operands of integer matmuls and
/// convolutions may differ).
inline bool readsUnsigned(mlir::Operation *op, unsigned index) {
  auto indices =
      op->getAttrOfType<mlir::DenseI64ArrayAttr>(kUnsignedOperandsAttr);
  return indices && llvm::is_contained(indices.asArrayRef(), index);
}

/// Whether `op` produced unsigned integers before makeIntegersSignless.
inline bool writesUnsigned(mlir::Operation *op) {
  return op->hasAttr(kUnsignedResultsAttr);
}

/// The larger (`isMax`) or smaller of two scalars: NaN-propagating for
/// floats, unsigned for i1 (so that true > false) and `isUnsigned`
/// integers, signed for other integers.
mlir::Value maxOrMin(mlir::OpBuilder &b, mlir::Location loc, mlir::Value lhs,
                     mlir::Value rhs, bool isMax, bool isUnsigned = false);

/// An integer comparison predicate for `type`: the signed one, or its
/// unsigned twin for i1 (where true is 1, not -1) and `isUnsigned`
/// integers.
mlir::arith::CmpIPredicate
intPredicate(mlir::arith::CmpIPredicate signedPredicate, mlir::Type type,
             bool isUnsigned = false);

/// A scalar constant of `type` (float or integer) equal to `value`.
mlir::Value scalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Type type, double value);

/// The lowest (`lowest = true`) or highest value of `type`: -inf/+inf for
/// floats, the signed (or `isUnsigned`: unsigned) minimum/maximum for
/// integers. Identities of max/min.
mlir::Value extremeConstant(mlir::OpBuilder &b, mlir::Location loc,
                            mlir::Type type, bool lowest,
                            bool isUnsigned = false);

/// An uninitialized tensor of the (static) `type`.
mlir::Value emptyTensor(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type);

/// A tensor of `type` filled with the scalar `value`.
mlir::Value filledTensor(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::RankedTensorType type, mlir::Value value);

/// The indexing map reading an operand of `operandShape` inside a loop nest
/// over `resultShape`, following numpy broadcasting: dimensions are aligned
/// on the right and a size-1 dimension that is stretched reads index 0.
mlir::AffineMap broadcastMap(mlir::ArrayRef<int64_t> operandShape,
                             mlir::ArrayRef<int64_t> resultShape,
                             mlir::MLIRContext *context);

/// `n` parallel iterator types.
mlir::SmallVector<mlir::utils::IteratorType> parallelIterators(unsigned n);

/// Body of an elementwise computation: the scalars of the inputs in, the
/// scalar result out.
using ScalarBody = mlir::function_ref<mlir::Value(
    mlir::OpBuilder &, mlir::Location, mlir::ValueRange)>;

/// A linalg.generic computing `body` elementwise over `resultType`, reading
/// `inputs` with numpy broadcasting.
mlir::Value buildElementwise(mlir::OpBuilder &b, mlir::Location loc,
                             mlir::ValueRange inputs,
                             mlir::RankedTensorType resultType,
                             ScalarBody body);

/// Reshapes a static tensor to `type` (same element count), as a collapse to
/// 1-D followed by an expansion: both bufferize to views, never copies.
mlir::Value reshapeTensor(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value input, mlir::RankedTensorType type);

/// Pads a static tensor with `low`/`high` elements of `padValue` per
/// dimension; returns `input` itself when there is nothing to pad.
mlir::Value padTensor(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
                      mlir::ArrayRef<int64_t> low, mlir::ArrayRef<int64_t> high,
                      mlir::Value padValue);

/// The map from a loop nest of `rank` dims to the dims listed in `kept`.
mlir::AffineMap selectDims(int64_t rank, mlir::ArrayRef<int64_t> kept,
                           mlir::MLIRContext *ctx);

/// `type` without the dimensions in `dropped`.
mlir::RankedTensorType dropDims(mlir::RankedTensorType type,
                                mlir::ArrayRef<int64_t> dropped);

/// The dimensions of [0, rank) not in `dims`.
mlir::SmallVector<int64_t> complement(int64_t rank,
                                      mlir::ArrayRef<int64_t> dims);

/// A linalg.reduce of `input` over `dims` starting from the scalar `init`,
/// combining an element with the accumulator by `combine`.
mlir::Value
reduce(mlir::OpBuilder &b, mlir::Location loc, mlir::Value input,
       mlir::ArrayRef<int64_t> dims, mlir::Value init,
       mlir::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                      mlir::Value, mlir::Value)>
           combine);

/// Converts a scalar between element types with C-like semantics: float to
/// integer truncates toward zero, anything to i1 compares with zero, i1
/// converts as 0/1, other integers are signed unless `fromUnsigned` (the
/// value) or `toUnsigned` (the result) say they are unsigned.
mlir::Value convertScalar(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value value, mlir::Type to,
                          bool fromUnsigned = false, bool toUnsigned = false);

// Pattern families, one file each.
void populateElementwisePatterns(mlir::RewritePatternSet &patterns);
void populateLinearPatterns(mlir::RewritePatternSet &patterns);
void populateConvolutionPatterns(mlir::RewritePatternSet &patterns);
void populateNormalizationPatterns(mlir::RewritePatternSet &patterns);
void populateQuantizationPatterns(mlir::RewritePatternSet &patterns);
void populateReductionPatterns(mlir::RewritePatternSet &patterns);
void populateDataMovementPatterns(mlir::RewritePatternSet &patterns);

} // namespace strata::graph_to_linalg

#endif // STRATA_LIB_CONVERSION_GRAPHTOLINALG_COMMON_H
