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

using namespace mlir;

/// True for float element types (the arith op to use depends on it).
inline bool isFloat(Type type) { return isa<FloatType>(type); }

/// The larger (`isMax`) or smaller of two scalars: NaN-propagating for
/// floats, unsigned for i1 (so that true > false), signed for integers.
Value maxOrMin(OpBuilder &b, Location loc, Value lhs, Value rhs, bool isMax);

/// An integer comparison predicate for `type`: the signed one, or its
/// unsigned twin for i1 (where true is 1, not -1).
arith::CmpIPredicate intPredicate(arith::CmpIPredicate signedPredicate,
                                  Type type);

/// A scalar constant of `type` (float or integer) equal to `value`.
Value scalarConstant(OpBuilder &b, Location loc, Type type, double value);

/// The lowest (`lowest = true`) or highest value of `type`: -inf/+inf for
/// floats, the signed minimum/maximum for integers. Identities of max/min.
Value extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest);

/// An uninitialized tensor of the (static) `type`.
Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type);

/// A tensor of `type` filled with the scalar `value`.
Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value);

/// The indexing map reading an operand of `operandShape` inside a loop nest
/// over `resultShape`, following numpy broadcasting: dimensions are aligned
/// on the right and a size-1 dimension that is stretched reads index 0.
AffineMap broadcastMap(ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape, MLIRContext *context);

/// `n` parallel iterator types.
SmallVector<utils::IteratorType> parallelIterators(unsigned n);

/// Body of an elementwise computation: the scalars of the inputs in, the
/// scalar result out.
using ScalarBody = function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// A linalg.generic computing `body` elementwise over `resultType`, reading
/// `inputs` with numpy broadcasting.
Value buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                       RankedTensorType resultType, ScalarBody body);

/// Reshapes a static tensor to `type` (same element count), as a collapse to
/// 1-D followed by an expansion: both bufferize to views, never copies.
Value reshapeTensor(OpBuilder &b, Location loc, Value input,
                    RankedTensorType type);

/// Pads a static tensor with `low`/`high` elements of `padValue` per
/// dimension; returns `input` itself when there is nothing to pad.
Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue);

/// The map from a loop nest of `rank` dims to the dims listed in `kept`.
AffineMap selectDims(int64_t rank, ArrayRef<int64_t> kept, MLIRContext *ctx);

/// `type` without the dimensions in `dropped`.
RankedTensorType dropDims(RankedTensorType type, ArrayRef<int64_t> dropped);

/// The dimensions of [0, rank) not in `dims`.
SmallVector<int64_t> complement(int64_t rank, ArrayRef<int64_t> dims);

/// A linalg.reduce of `input` over `dims` starting from the scalar `init`,
/// combining an element with the accumulator by `combine`.
Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
             Value init,
             function_ref<Value(OpBuilder &, Location, Value, Value)> combine);

/// Converts a scalar between element types with C-like semantics: float to
/// integer truncates toward zero, anything to i1 compares with zero, i1
/// converts as 0/1, other integers are signed.
Value convertScalar(OpBuilder &b, Location loc, Value value, Type to);

// Pattern families, one file each.
void populateElementwisePatterns(RewritePatternSet &patterns);
void populateLinearPatterns(RewritePatternSet &patterns);
void populateConvolutionPatterns(RewritePatternSet &patterns);
void populateNormalizationPatterns(RewritePatternSet &patterns);
void populateReductionPatterns(RewritePatternSet &patterns);
void populateDataMovementPatterns(RewritePatternSet &patterns);

} // namespace strata::graph_to_linalg

#endif // STRATA_LIB_CONVERSION_GRAPHTOLINALG_COMMON_H
