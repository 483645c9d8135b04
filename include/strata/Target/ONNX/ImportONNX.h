//===- ImportONNX.h - ONNX models to the graph dialect ----------*- C++ -*-===//
//
// Imports an ONNX ModelProto (opsets 7 to 17) into a module holding one
// public func.func in the graph dialect: graph inputs that are not
// initializers become arguments (named with `strata.name`), initializers and
// Constant nodes become graph.constant (large ones as resource blobs, so the
// IR stays compact), graph outputs become results.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGET_ONNX_IMPORTONNX_H
#define STRATA_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

namespace strata {

/// Imports the ONNX model in `path`. On failure, reports every problem
/// through the context's diagnostics (all unsupported operators at once) and
/// returns null.
mlir::OwningOpRef<mlir::ModuleOp> importONNXFile(llvm::StringRef path,
                                                 mlir::MLIRContext *context);

/// Imports a serialized ONNX model held in memory; `sourceName` names it in
/// diagnostics.
mlir::OwningOpRef<mlir::ModuleOp> importONNXBytes(llvm::StringRef bytes,
                                                  llvm::StringRef sourceName,
                                                  mlir::MLIRContext *context);

/// Registers `--import-onnx` with mlir-translate's registry.
void registerONNXImportTranslation();

} // namespace strata

#endif // STRATA_TARGET_ONNX_IMPORTONNX_H
