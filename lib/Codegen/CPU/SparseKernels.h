//===- SparseKernels.h - What the sparse matmul kernels take ----*- C++ -*-===//
//
// The predicates kernel selection asks (strata-cpu-select-kernels) and the
// kernels of strata-cpu-sparse-matmuls and strata-cpu-vectorize-transposes
// rely on.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LIB_CODEGEN_CPU_SPARSEKERNELS_H
#define STRATA_LIB_CODEGEN_CPU_SPARSEKERNELS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <optional>

namespace strata::cpu {

/// A matmul `M x K` by a `K x N` sparse f32 constant, as
/// convert-tensorx-to-linalg writes it: a linalg.generic whose lhs is
/// read row-major (m, k) or transposed (k, m), whose rhs is a constant
/// with a #sparse_tensor.encoding read as (k, n), and whose result is
/// written row-major or transposed (n, m), starting from zeros.
struct SparseMatmul {
  mlir::linalg::GenericOp op;
  mlir::Value lhs;
  mlir::SparseElementsAttr weight;
  int64_t m = 0, n = 0, k = 0;
  bool lhsTransposed = false, resultTransposed = false;
  /// Weight columns that share one pattern of rows (BSR 1 x b blocks or
  /// wider; 1 otherwise).
  int64_t columnBlock = 1;
};

std::optional<SparseMatmul> matchSparseMatmul(mlir::Operation *op);

/// Whether `op` is a static 2-D f32 linalg.transpose, which the transpose
/// kernel (strata-cpu-vectorize-transposes) takes.
bool isBlockTranspose(mlir::Operation *op);

} // namespace strata::cpu

#endif // STRATA_LIB_CODEGEN_CPU_SPARSEKERNELS_H
