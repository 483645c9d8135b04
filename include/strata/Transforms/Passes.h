//===- Passes.h - Strata's dialect-independent passes -----------*- C++ -*-===//

#ifndef STRATA_TRANSFORMS_PASSES_H
#define STRATA_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Transform/IR/TransformDialect.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace strata {

/// The number of f32 lanes in the host CPU's widest vector registers.
int64_t hostVectorLanes();

/// The size of the host CPU's L2 cache (per core) in bytes, as the C
/// library reports it; 1 MiB if it does not.
int64_t hostL2CacheBytes();

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "strata/Transforms/Passes.h.inc"

} // namespace strata

#endif // STRATA_TRANSFORMS_PASSES_H
