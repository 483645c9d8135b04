//===- strata-translate.cpp - Strata's translation driver -----------------===//
//
// mlir-translate with Strata's translations: `--import-onnx` (ONNX model to
// the graph dialect) plus the upstream ones (`--mlir-to-llvmir`, ...).
//
//===----------------------------------------------------------------------===//

#include "strata/Target/ONNX/ImportONNX.h"

#include "mlir/InitAllTranslations.h"
#include "mlir/Tools/mlir-translate/MlirTranslateMain.h"

int main(int argc, char **argv) {
  mlir::registerAllTranslations();
  strata::registerONNXImportTranslation();
  return mlir::failed(
      mlir::mlirTranslateMain(argc, argv, "Strata translation driver\n"));
}
