//===- ToolSetup.h - What strata-run and strata-compile set up alike -*- C++
//-*-===//

#ifndef STRATA_TOOLS_TOOLSETUP_H
#define STRATA_TOOLS_TOOLSETUP_H

#include "CompileReport.h"

#include "strata/Execution/CompiledModel.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"

#include <memory>
#include <string>

namespace strata {

/// More threads than any machine has: a typo, not a request.
inline constexpr int kMaxThreads = 4096;

/// Registers MLIR's debugging flags (--mlir-print-ir-after-all, ...; shown
/// by --help-hidden), hides the options outside `category`, and replaces
/// libLLVM's undocumented "threads" option with the tool's `--threads N`
/// (0, the default: every core), which it returns.
llvm::cl::opt<int> &setUpToolOptions(llvm::cl::OptionCategory &category,
                                     llvm::StringRef threadsHelp);

/// What is wrong with the values of --threads and --sparse-threshold, or an
/// empty string.
std::string checkCompileFlags(int threads,
                              const llvm::cl::opt<double> &sparseThreshold);

/// A context with every dialect loaded, whose errors name ops without
/// printing them (unless --mlir-print-op-on-diagnostic).
std::unique_ptr<mlir::MLIRContext> createToolContext();

/// Options to compile `entry` on `threads` threads (0: every core), the
/// phases shown on `report`.
CompileOptions toolCompileOptions(const std::string &entry, int threads,
                                  double sparseThreshold,
                                  CompileReport &report);

} // namespace strata

#endif // STRATA_TOOLS_TOOLSETUP_H
