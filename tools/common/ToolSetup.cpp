//===- ToolSetup.cpp - What strata-run and strata-compile set up alike ----===//

#include "ToolSetup.h"

#include "strata/InitAllDialects.h"
#include "strata/Support/PrintIR.h"

namespace cl = llvm::cl;

namespace strata {

cl::opt<int> &setUpToolOptions(cl::OptionCategory &category,
                               llvm::StringRef threadsHelp) {
  registerMLIRDebugFlags();
  cl::HideUnrelatedOptions(category);
  // libLLVM registers an undocumented "threads" option of its own; ours
  // replaces it (and so is created here, after it is removed).
  if (auto it = cl::getRegisteredOptions().find("threads");
      it != cl::getRegisteredOptions().end())
    it->second->removeArgument();
  static cl::opt<int> threads("threads", cl::desc(threadsHelp),
                              cl::value_desc("N"), cl::init(0),
                              cl::cat(category));
  return threads;
}

std::string checkCompileFlags(int threads,
                              const cl::opt<double> &sparseThreshold) {
  if (threads < 0 || threads > kMaxThreads)
    return "--threads must be at least 1 (or 0 for every core) and at most " +
           std::to_string(kMaxThreads);
  if (sparseThreshold.getNumOccurrences() &&
      !(sparseThreshold >= 0 && sparseThreshold <= 1))
    return "--sparse-threshold must be a density between 0 and 1";
  return "";
}

std::unique_ptr<mlir::MLIRContext> createToolContext() {
  mlir::DialectRegistry registry;
  registerAllDialects(registry);
  auto context = std::make_unique<mlir::MLIRContext>(registry);
  context->loadAllAvailableDialects();
  // A failing pass's error names the op; the whole function after it is
  // noise (--mlir-print-op-on-diagnostic brings it back).
  if (!commandLineOptionGiven("mlir-print-op-on-diagnostic"))
    context->printOpOnDiagnostic(false);
  return context;
}

CompileOptions toolCompileOptions(const std::string &entry, int threads,
                                  double sparseThreshold,
                                  CompileReport &report) {
  CompileOptions options;
  options.entry = entry;
  options.threads = threads > 0 ? threads : defaultThreadCount();
  options.sparseThreshold = sparseThreshold;
  options.onPhaseStart = [&report](llvm::StringRef phase) {
    report.startPhase(phase);
  };
  options.onPhaseEnd = [&report](llvm::StringRef phase, double seconds) {
    report.endPhase(phase, seconds);
  };
  return options;
}

} // namespace strata
