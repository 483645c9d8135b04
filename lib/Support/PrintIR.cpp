//===- PrintIR.cpp - IR dumps for people, and MLIR's debugging flags ------===//

#include "strata/Support/PrintIR.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Operation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"

#include <set>

namespace strata {

void printIR(mlir::Operation *op, llvm::raw_ostream &os, bool withWeights) {
  // The command line's printing flags, if registered and given, apply.
  mlir::OpPrintingFlags flags;
  if (!withWeights) {
    if (!flags.getLargeElementsAttrLimit())
      flags.elideLargeElementsAttrs(16);
    if (!flags.getLargeResourceStringLimit())
      flags.elideLargeResourceString(64);
  }
  op->print(os, flags);
}

llvm::ArrayRef<std::string> registerMLIRDebugFlags() {
  static const std::vector<std::string> names = [] {
    auto &options = llvm::cl::getRegisteredOptions();
    std::set<std::string> before;
    for (const auto &entry : options)
      before.insert(entry.first.str());
    mlir::registerAsmPrinterCLOptions();
    mlir::registerMLIRContextCLOptions();
    mlir::registerPassManagerCLOptions();
    mlir::registerDefaultTimingManagerCLOptions();
    std::vector<std::string> added;
    for (const auto &entry : options)
      if (!before.count(entry.first.str()))
        added.push_back(entry.first.str());
    return added;
  }();
  return names;
}

bool commandLineOptionGiven(llvm::StringRef name) {
  auto &options = llvm::cl::getRegisteredOptions();
  auto it = options.find(name);
  return it != options.end() && it->second->getNumOccurrences() > 0;
}

bool mlirDebugFlagsGiven() {
  for (const std::string &name : registerMLIRDebugFlags())
    if (commandLineOptionGiven(name))
      return true;
  return false;
}

bool setMLIRDebugFlags(llvm::ArrayRef<std::string> flags, std::string &error) {
  llvm::ArrayRef<std::string> known = registerMLIRDebugFlags();
  auto &options = llvm::cl::getRegisteredOptions();
  // Only MLIR's flags: the rest of LLVM's global options are not for this.
  for (const std::string &flag : flags) {
    llvm::StringRef name = llvm::StringRef(flag).ltrim('-').split('=').first;
    if (!llvm::is_contained(known, name.str()) || !options.count(name)) {
      error = "unknown MLIR flag '" + flag +
              "' (for example --mlir-print-ir-after-all, --mlir-timing, "
              "--mlir-elide-elementsattrs-if-larger=16)";
      return false;
    }
  }
  std::vector<const char *> argv = {"strata"};
  for (const std::string &flag : flags)
    argv.push_back(flag.c_str());
  std::string messages;
  llvm::raw_string_ostream os(messages);
  resetMLIRDebugFlags();
  if (!llvm::cl::ParseCommandLineOptions(argv.size(), argv.data(), "", &os)) {
    resetMLIRDebugFlags();
    // Some of the parser's messages go to stderr whatever the stream.
    error = llvm::StringRef(messages).trim().str();
    if (error.empty())
      error = "malformed flags " + llvm::join(flags, " ") +
              " (the parser's message is above)";
    return false;
  }
  return true;
}

void resetMLIRDebugFlags() {
  auto &options = llvm::cl::getRegisteredOptions();
  for (const std::string &name : registerMLIRDebugFlags()) {
    auto it = options.find(name);
    if (it != options.end())
      it->second->reset();
  }
}

} // namespace strata
