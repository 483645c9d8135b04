//===- InitAllDialects.h - Register every dialect Strata uses ---*- C++ -*-===//
//
// The one registration point for dialects: every tool and the Python bindings
// call registerAllDialects so that they all accept the same IR.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_INITALLDIALECTS_H
#define STRATA_INITALLDIALECTS_H

namespace mlir {
class DialectRegistry;
class MLIRContext;
} // namespace mlir

namespace strata {

/// Adds Strata's dialects and every upstream dialect (with their interface
/// and extension implementations) to `registry`.
void registerAllDialects(mlir::DialectRegistry &registry);

/// Appends all dialects to the context's registry.
void registerAllDialects(mlir::MLIRContext &context);

} // namespace strata

#endif // STRATA_INITALLDIALECTS_H
