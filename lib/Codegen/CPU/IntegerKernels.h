//===- IntegerKernels.h - What the 8-bit integer kernels take ---*- C++ -*-===//
//
// The products of 8-bit integers accumulating in i32 that graph-fold-qdq
// makes and the linalg conversion writes as generics (each operand extended
// by its own signedness): the predicates kernel selection asks and the
// kernels of strata-cpu-integer-kernels rely on.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LIB_CODEGEN_CPU_INTEGERKERNELS_H
#define STRATA_LIB_CODEGEN_CPU_INTEGERKERNELS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace strata::cpu {

/// A linalg.generic that accumulates ext(in0) * ext(in1) of two i8 tensors
/// into an i32 one, with a constant second operand (the weight) and one
/// operand unsigned and the other signed (the u8 x s8 products of a
/// dot-product instruction).
struct IntegerProduct {
  mlir::linalg::GenericOp op;
  bool lhsUnsigned = false;
  /// Convolutions: the strides (rows, columns); 0 for matmuls.
  int64_t strideH = 0, strideW = 0;
};

/// A matmul `M x K` (i8) by a constant `K x N` (i8) into `M x N` (i32).
std::optional<IntegerProduct> matchIntegerMatmul(mlir::Operation *op);

/// An ungrouped NCHW convolution of a padded i8 image by a constant FCHW
/// i8 filter into i32, dilation 1.
std::optional<IntegerProduct> matchIntegerConv(mlir::Operation *op);

} // namespace strata::cpu

#endif // STRATA_LIB_CODEGEN_CPU_INTEGERKERNELS_H
