//===- Passes.h - Strata's dialect-independent passes -----------*- C++ -*-===//

#ifndef STRATA_TRANSFORMS_PASSES_H
#define STRATA_TRANSFORMS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace strata {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "strata/Transforms/Passes.h.inc"

} // namespace strata

#endif // STRATA_TRANSFORMS_PASSES_H
