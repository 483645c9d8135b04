//===- Passes.h - Strata conversion passes ----------------------*- C++ -*-===//

#ifndef STRATA_CONVERSION_PASSES_H
#define STRATA_CONVERSION_PASSES_H

#include "strata/Conversion/GraphToLinalg/GraphToLinalg.h"

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"

namespace strata {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "strata/Conversion/Passes.h.inc"

} // namespace strata

#endif // STRATA_CONVERSION_PASSES_H
