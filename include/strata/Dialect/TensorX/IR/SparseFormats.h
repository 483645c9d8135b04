//===- SparseFormats.h - Sparse formats of matmul weights -------*- C++ -*-===//
//
// The sparse formats tensorx gives a K x N matmul weight, as upstream
// `#sparse_tensor.encoding`s, and the analysis of a weight's non-zeros that
// chooses one (tensorx-sparsify) or checks that a requested one fits.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECT_TENSORX_IR_SPARSEFORMATS_H
#define STRATA_DIALECT_TENSORX_IR_SPARSEFORMATS_H

#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace strata::tensorx {

/// A sparse format of a K x N matrix (a matmul's weight).
struct SparseFormat {
  enum class Kind {
    CSR, ///< (k, n) -> (k : dense, n : compressed)
    CSC, ///< (k, n) -> (n : dense, k : compressed): a column per output
    BSR, ///< blocks of blockRows x blockCols, stored if not all zero
    /// At most `n` non-zeros in every group of `m` consecutive elements
    /// along K: (k, n) -> (n : dense, k : structured[n, m]).
    Structured,
  };
  Kind kind = Kind::CSC;
  int64_t blockRows = 1, blockCols = 1; ///< BSR
  int64_t n = 0, m = 0;                 ///< Structured

  /// "csr", "csc", "bsr1x4", "2:4", ...
  std::string name() const;
  /// The format called `name` ("csr", "csc", "bsr<R>x<C>", "<n>:<m>").
  static std::optional<SparseFormat> parse(llvm::StringRef name);

  /// The upstream encoding of a K x N tensor in this format.
  mlir::sparse_tensor::SparseTensorEncodingAttr
  encoding(mlir::MLIRContext *context) const;
  /// The format `encoding` describes, if it is one of the above.
  static std::optional<SparseFormat>
  fromEncoding(mlir::sparse_tensor::SparseTensorEncodingAttr encoding);
};

/// Non-zeros of `data` divided by its size.
double density(llvm::ArrayRef<float> data);

/// Why the K x N row-major `data` does not fit `format`, naming the first
/// offending element or block; none if it fits. (CSR and CSC hold
/// anything; a BSR block must divide the shape; n:m needs m to divide K
/// and at most n non-zeros per group.)
std::optional<std::string> findViolation(llvm::ArrayRef<float> data,
                                         int64_t rows, int64_t cols,
                                         const SparseFormat &format);

/// The format the structure of `data` calls for: BSR 4x4 or 1x4 when the
/// non-zeros fill their blocks (at least 80%), 2:4 when every group of 4
/// along K has at most 2, else CSC.
SparseFormat chooseSparseFormat(llvm::ArrayRef<float> data, int64_t rows,
                                int64_t cols);

} // namespace strata::tensorx

#endif // STRATA_DIALECT_TENSORX_IR_SPARSEFORMATS_H
