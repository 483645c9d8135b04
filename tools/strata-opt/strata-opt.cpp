//===- strata-opt.cpp - Strata optimizer driver ---------------------------===//
//
// mlir-opt with every upstream dialect and pass plus Strata's.
//
//===----------------------------------------------------------------------===//

#include "strata/InitAllDialects.h"
#include "strata/InitAllPasses.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  strata::registerAllDialects(registry);
  strata::registerAllPasses();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Strata optimizer driver\n", registry));
}
