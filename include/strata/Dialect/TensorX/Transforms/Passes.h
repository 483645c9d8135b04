//===- Passes.h - TensorX passes --------------------------------*- C++ -*-===//

#ifndef STRATA_DIALECT_TENSORX_TRANSFORMS_PASSES_H
#define STRATA_DIALECT_TENSORX_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Pass/Pass.h"
#include "strata/Dialect/TensorX/IR/TensorXDialect.h"

namespace strata::tensorx {

#define GEN_PASS_DECL
#include "strata/Dialect/TensorX/Transforms/Passes.h.inc"

/// The attribute a graph.constant carries to ask for (or refuse) a sparse
/// format: "auto", "dense" or a format name.
inline constexpr llvm::StringLiteral kSparseAttrName = "tensorx.sparse";

#define GEN_PASS_REGISTRATION
#include "strata/Dialect/TensorX/Transforms/Passes.h.inc"

} // namespace strata::tensorx

#endif // STRATA_DIALECT_TENSORX_TRANSFORMS_PASSES_H
