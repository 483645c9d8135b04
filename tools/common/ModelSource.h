//===- ModelSource.h - Read the model a tool was given ----------*- C++ -*-===//
//
// strata-run and strata-compile take the same model arguments: a .mlir file
// or an .onnx file with sizes for its dynamic dimensions (--dim,
// --input-shape, or the shapes of the --input arrays).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TOOLS_MODELSOURCE_H
#define STRATA_TOOLS_MODELSOURCE_H

#include "strata/Runtime/Tensor.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"

#include <string>
#include <vector>

namespace strata {

/// Exit code for bad usage or bad input data.
inline constexpr int kBadInput = 2;
/// Exit code for a model that fails to parse or compile.
inline constexpr int kCompileError = 1;

struct ModelSource {
  /// The tool's name, for messages.
  std::string tool;
  std::string path;
  std::vector<std::string> dims, inputShapes;
  /// Arrays given as inputs: their shapes size an ONNX model's dynamic
  /// dimensions.
  std::vector<const HostTensor *> arguments;
  /// Report every problem of an ONNX model, not only the first
  /// (ONNXImportOptions::reportAll).
  bool reportAll = false;

  /// What identifies the model for the compile cache (for ONNX,
  /// importCacheKey: the same as Python's). Empty if the file cannot be
  /// read (read() then says why).
  std::string cacheKey(mlir::MLIRContext *context) const;

  /// Imports or parses the model. On failure, the diagnostics are printed
  /// and `status` is the exit code.
  mlir::OwningOpRef<mlir::ModuleOp> read(mlir::MLIRContext *context,
                                         llvm::SourceMgr &sourceMgr,
                                         int &status) const;
};

} // namespace strata

#endif // STRATA_TOOLS_MODELSOURCE_H
