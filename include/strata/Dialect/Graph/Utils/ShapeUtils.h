//===- ShapeUtils.h - Shape arithmetic shared by graph ops ------*- C++ -*-===//
//
// Pure functions on static/dynamic shapes: numpy broadcasting, axis
// normalization, convolution/pooling output sizes and reductions. Every graph
// op's result-type inference and the ONNX importer use these, so the rules
// live in exactly one place. A dynamic dimension is mlir::ShapedType::kDynamic.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECT_GRAPH_UTILS_SHAPEUTILS_H
#define STRATA_DIALECT_GRAPH_UTILS_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypeInterfaces.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include <optional>
#include <string>

namespace strata {
namespace shape {

constexpr int64_t kDynamic = mlir::ShapedType::kDynamic;

/// Broadcasts two shapes following numpy/ONNX rules. Returns std::nullopt
/// when two static dimensions differ and neither is 1. A dynamic dimension
/// against 1 stays dynamic; against a static N > 1 it becomes N.
std::optional<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs);

/// True if `from` broadcasts to exactly `to` (numpy rules, one direction).
bool isBroadcastableTo(llvm::ArrayRef<int64_t> from,
                       llvm::ArrayRef<int64_t> to);

/// Maps an axis in [-rank, rank) to [0, rank); std::nullopt if out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Output size of a convolution or pooling window along one dimension:
/// floor((in + padBefore + padAfter - dilation * (kernel - 1) - 1) / stride)
/// + 1, rounded up instead under `ceilMode` (the last window must then start
/// inside the input or the leading padding, as in ONNX and PyTorch). Returns
/// kDynamic for a dynamic `in`; a result < 1 means the window does not fit.
int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t padBefore, int64_t padAfter, int64_t dilation,
                         bool ceilMode = false);

/// Product of the dimensions, or kDynamic if any is dynamic; -1 if the
/// product overflows int64 (counted by strata::checkedNumElements).
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// True if `perms` is a permutation of [0, perms.size()).
bool isPermutation(llvm::ArrayRef<int64_t> perms);

/// Normalizes reduction axes (empty means all) against `rank` and sorts them.
/// Returns std::nullopt if an axis is out of range or repeated.
std::optional<llvm::SmallVector<int64_t>>
normalizeAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);

/// The shape left after reducing the (normalized, sorted) `axes`.
llvm::SmallVector<int64_t> reducedShape(llvm::ArrayRef<int64_t> shape,
                                        llvm::ArrayRef<int64_t> axes,
                                        bool keepDims);

/// Renders a shape as `2x?x3` (`scalar` for rank 0) for diagnostics.
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace shape
} // namespace strata

#endif // STRATA_DIALECT_GRAPH_UTILS_SHAPEUTILS_H
