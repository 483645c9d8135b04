//===- onnx_import_fuzzer.cpp - Bytes to an imported, verified module -----===//
//
// libFuzzer target: any bytes as an ONNX model. The importer must either
// return a module that verifies or report an error; a crash, a sanitizer
// report, a hang or an abort is a bug. Seeds: scripts/fuzz.sh makes them
// from the tests' models and Debian's ONNX backend test data.
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "strata/Target/ONNX/ImportONNX.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  mlir::MLIRContext *context = &strata::fuzz::context();
  strata::fuzz::QuietDiagnostics quiet;
  mlir::OwningOpRef<mlir::ModuleOp> module = strata::importONNXBytes(
      llvm::StringRef(reinterpret_cast<const char *>(data), size), "fuzz.onnx",
      context);
  if (module && mlir::failed(mlir::verify(*module)))
    std::abort(); // The importer returned a module that does not verify.
  return 0;
}
