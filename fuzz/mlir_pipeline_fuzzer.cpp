//===- mlir_pipeline_fuzzer.cpp - Graph IR text through the CPU pipeline --===//
//
// libFuzzer target: any bytes as MLIR text in the graph dialect. What
// parses and verifies goes through the whole CPU pipeline to the LLVM
// dialect (no JIT). Every step must succeed or report an error; a crash, a
// sanitizer report, a hang or an abort is a bug. Input with ops of other
// dialects than func and graph is not compiled: the pipeline's contract is
// graph-level input (lower levels are for developers' lit tests).
//
//===----------------------------------------------------------------------===//

#include "FuzzContext.h"

#include "strata/Pipelines/Pipelines.h"
#include "strata/Support/ParserWorkarounds.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // Large inputs only slow the search down.
  if (size > 4096)
    return 0;
  mlir::MLIRContext *context = &strata::fuzz::context();
  strata::fuzz::QuietDiagnostics quiet;
  // MLIR's lexer reads up to a terminating null, which files and Python
  // strings have and libFuzzer's data does not: copy it into a string.
  std::string text(reinterpret_cast<const char *>(data), size);
  // What MLIR 22's parser crashes on is rejected first, as strata-run does.
  if (strata::findParserCrashers(text))
    return 0;
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::parseSourceString<mlir::ModuleOp>(text, context);
  if (!module)
    return 0;
  bool graphOnly = true;
  module->walk([&](mlir::Operation *op) {
    llvm::StringRef ns =
        op->getDialect() ? op->getDialect()->getNamespace() : "";
    if (op != module->getOperation() && ns != "func" && ns != "graph")
      graphOnly = false;
  });
  if (!graphOnly)
    return 0;
  mlir::PassManager pm(context);
  strata::CPUPipelineOptions options;
  options.threads = 2;
  strata::buildCPUPipeline(pm, options);
  (void)pm.run(*module);
  return 0;
}
