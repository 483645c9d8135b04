//===- FuzzContext.h - What the fuzz targets share --------------*- C++ -*-===//
//
// One MLIR context per fuzzing process, with every Strata dialect loaded and
// no threads (faster, and reports stay in one stack), and a handler that
// drops diagnostics: errors are expected, only crashes count.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_FUZZ_FUZZCONTEXT_H
#define STRATA_FUZZ_FUZZCONTEXT_H

#include "strata/InitAllDialects.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"

namespace strata::fuzz {

inline mlir::MLIRContext &context() {
  static mlir::MLIRContext *context = [] {
    auto *c = new mlir::MLIRContext(mlir::MLIRContext::Threading::DISABLED);
    strata::registerAllDialects(*c);
    c->loadAllAvailableDialects();
    return c;
  }();
  return *context;
}

/// Drops the diagnostics emitted while it lives.
struct QuietDiagnostics : mlir::ScopedDiagnosticHandler {
  QuietDiagnostics()
      : ScopedDiagnosticHandler(
            &context(), [](mlir::Diagnostic &) { return mlir::success(); }) {}
};

} // namespace strata::fuzz

#endif // STRATA_FUZZ_FUZZCONTEXT_H
