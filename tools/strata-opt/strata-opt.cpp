//===- strata-opt.cpp - Strata optimizer driver ---------------------------===//
//
// mlir-opt with every upstream dialect and pass plus Strata's.
//
//===----------------------------------------------------------------------===//

#include "strata/InitAllDialects.h"
#include "strata/InitAllPasses.h"
#include "strata/Support/Version.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Debug.h"

#include <memory>
#include <string>
#include <vector>

/// LLVM's `-debug` and `-debug-only` exist only in an LLVM built with
/// assertions (Debian's is not). A debug build of Strata, whose LLVM_DEBUG
/// output is compiled in, then gets its own: `-debug-only=<DEBUG_TYPE>` of
/// the passes to watch (each pass names its DEBUG_TYPE after its flag).
static void addDebugOptions() {
#ifndef NDEBUG
  if (llvm::cl::getRegisteredOptions().count("debug-only"))
    return;
  static llvm::cl::opt<bool, /*ExternalStorage=*/true> debug(
      "debug", llvm::cl::desc("Print all debug output"),
      llvm::cl::location(llvm::DebugFlag), llvm::cl::Hidden);
  static std::vector<std::string> types;
  static llvm::cl::list<std::string> debugOnly(
      "debug-only",
      llvm::cl::desc("Print the debug output of these DEBUG_TYPEs (e.g. "
                     "strata-cpu-select-kernels)"),
      llvm::cl::value_desc("type,..."), llvm::cl::CommaSeparated,
      llvm::cl::callback([](const std::string &type) {
        types.push_back(type);
        std::vector<const char *> names;
        for (const std::string &t : types)
          names.push_back(t.c_str());
        llvm::DebugFlag = true;
        llvm::setCurrentDebugTypes(names.data(), names.size());
      }));
#endif
}

/// The ONNX file among the arguments (strata-opt reads MLIR), if any.
static const char *onnxArgument(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "-o") {
      ++i; // An output file, whatever its name.
      continue;
    }
    if (!arg.starts_with("-") && arg.ends_with(".onnx"))
      return argv[i];
  }
  return nullptr;
}

int main(int argc, char **argv) {
  // Parsing a binary protobuf as MLIR prints it back as garbage.
  if (const char *onnx = onnxArgument(argc, argv)) {
    llvm::errs() << "strata-opt: error: '" << onnx
                 << "' is an ONNX model and strata-opt reads MLIR: import it "
                    "first (strata-translate --import-onnx "
                 << onnx << " -o model.mlir), or run it with strata-run\n";
    return 1;
  }
  strata::setVersionPrinter();
  mlir::DialectRegistry registry;
  strata::registerAllDialects(registry);
  strata::registerAllPasses();
  addDebugOptions();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Strata optimizer driver\n", registry));
}
