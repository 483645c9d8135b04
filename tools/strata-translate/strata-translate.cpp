//===- strata-translate.cpp - Strata's translation driver -----------------===//
//
// mlir-translate with Strata's translations: `--import-onnx` (ONNX model to
// the graph dialect) plus the upstream ones (`--mlir-to-llvmir`, ...).
//
//===----------------------------------------------------------------------===//

#include "strata/Support/Version.h"
#include "strata/Target/ONNX/ImportONNX.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"
#include "llvm/Support/raw_ostream.h"

/// Whether any argument is a flag other than `-o FILE`: a command with none
/// cannot name a translation.
static bool hasFlags(int argc, char **argv) {
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg(argv[i]);
    if (arg == "-o") {
      ++i;
      continue;
    }
    if (arg.starts_with("-") && arg != "-")
      return true;
  }
  return false;
}

int main(int argc, char **argv) {
  strata::setVersionPrinter();
  // Without a translation, the upstream driver repeats that one must be
  // specified once per translation group: say it once, with Strata's.
  if (argc > 1 && !hasFlags(argc, argv)) {
    llvm::errs() << "strata-translate: error: no translation given; "
                    "--import-onnx imports an ONNX model (strata-translate "
                    "--import-onnx model.onnx -o model.mlir), --help lists "
                    "the others\n";
    return 1;
  }
  mlir::registerAllTranslations();
  strata::registerONNXImportTranslation();
  return mlir::failed(mlir::mlirTranslateMain(
      argc, argv,
      "Strata translation driver\n\n"
      "Strata's translation:\n"
      "  --import-onnx     ONNX model to the graph dialect:\n"
      "                    strata-translate --import-onnx model.onnx -o "
      "model.mlir\n"
      "                    (--dim name=N, --input-shape name=D0xD1x... size "
      "dynamic inputs)\n\n"
      "The other translations below are upstream MLIR's.\n"));
}
