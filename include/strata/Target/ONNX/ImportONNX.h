//===- ImportONNX.h - ONNX models to the graph dialect ----------*- C++ -*-===//
//
// Imports an ONNX ModelProto (opsets 1 to 17; below 7, ONNX's version
// converter first upgrades the model to opset 7) into a module holding one
// public func.func in the graph dialect: graph inputs that are not
// initializers become arguments (named with `strata.name`), initializers and
// Constant nodes become graph.constant (large ones as resource blobs, so the
// IR stays compact), graph outputs become results.
//
// Strata compiles static shapes: a graph input's dynamic dimensions (a
// `dim_param` such as "batch", or no size at all) take the sizes that
// ONNXImportOptions gives them, as ONNX Runtime's free-dimension overrides
// do.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TARGET_ONNX_IMPORTONNX_H
#define STRATA_TARGET_ONNX_IMPORTONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <string>
#include <vector>

namespace strata {

class HostTensor;

/// Sizes for the dynamic dimensions of a model's graph inputs, and the
/// values of those that only determine shapes. An override
/// that matches no dynamic dimension, or contradicts a fixed one, is an
/// error (a typo must not go unnoticed).
struct ONNXImportOptions {
  /// Named dimensions (ONNX `dim_param`): {"batch", 8}.
  llvm::StringMap<int64_t> dims;
  /// Whole shapes of graph inputs, by name: {"input", {8, 3, 224, 224}}.
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// The arrays a caller is about to pass, in signature order (null: not
  /// given). Their shapes size the dynamic dimensions that no override
  /// names (fixed dimensions are left to the caller's own check). An
  /// integer array that an operator needs at import (a Reshape's shape,
  /// Expand's shape, Slice's starts, TopK's k: operands that determine
  /// shapes) is read then: the model is specialized on its values, and is
  /// only valid for them. Other operands stay run-time values.
  std::vector<const HostTensor *> arguments;
  /// Values of graph inputs by name, read like `arguments` where an
  /// operator needs them at import (Python's input_values=).
  llvm::StringMap<const HostTensor *> inputValues;

  /// Check mode (strata-run --check, strata.onnx.check): report every
  /// problem and go on past it, where going on makes sense: the nodes that
  /// depend on a node that failed, or on a graph input that cannot be
  /// typed (a dynamic dimension left unsized), are skipped (their problem
  /// is that one).
  /// The import fails whenever there is a problem.
  bool reportAll = false;

  /// Parses the command-line overrides of strata-run and strata-translate:
  /// `--dim` values "name=N" into `dims`, `--input-shape` values
  /// "name=D0xD1x..." into `inputShapes`. False with `error` set (naming
  /// the flag) on the first malformed one.
  bool parseFlags(llvm::ArrayRef<std::string> dimFlags,
                  llvm::ArrayRef<std::string> inputShapeFlags,
                  std::string &error);
};

/// Imports the ONNX model in `path`. On failure, reports every problem
/// through the context's diagnostics (all unsupported operators at once) and
/// returns null.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXFile(llvm::StringRef path, mlir::MLIRContext *context,
               const ONNXImportOptions &options = {});

/// Imports a serialized ONNX model held in memory; `sourceName` names it in
/// diagnostics.
mlir::OwningOpRef<mlir::ModuleOp>
importONNXBytes(llvm::StringRef bytes, llvm::StringRef sourceName,
                mlir::MLIRContext *context,
                const ONNXImportOptions &options = {});

/// What identifies the module importONNXFile(path, options) makes, for the
/// compile cache: a digest of the file, the static type each graph input
/// takes from `options`, and the given values that an import may read (of
/// integer and bool arrays, and of float arrays of up to 8 elements, one
/// per dimension: a Resize's scales, not data). The same for strata-run
/// and Python.
/// Empty if the file cannot be read or parsed (the import says why).
std::string importCacheKey(llvm::StringRef path, mlir::MLIRContext *context,
                           const ONNXImportOptions &options);

/// Registers `--import-onnx` with mlir-translate's registry.
void registerONNXImportTranslation();

} // namespace strata

#endif // STRATA_TARGET_ONNX_IMPORTONNX_H
