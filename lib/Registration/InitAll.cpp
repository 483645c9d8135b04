//===- InitAll.cpp - Register every dialect and pass Strata uses ----------===//

#include "strata/InitAllDialects.h"
#include "strata/InitAllPasses.h"

#include "strata/Codegen/CPU/Passes.h"
#include "strata/Codegen/Common/Passes.h"
#include "strata/Conversion/Passes.h"
#include "strata/Dialect/Graph/IR/GraphDialect.h"
#include "strata/Dialect/Graph/Transforms/Passes.h"
#include "strata/Dialect/TensorX/IR/TensorXDialect.h"
#include "strata/Dialect/TensorX/Transforms/Passes.h"
#include "strata/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

void strata::registerAllDialects(mlir::DialectRegistry &registry) {
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  registry
      .insert<strata::graph::GraphDialect, strata::tensorx::TensorXDialect>();
}

void strata::registerAllDialects(mlir::MLIRContext &context) {
  mlir::DialectRegistry registry;
  strata::registerAllDialects(registry);
  context.appendDialectRegistry(registry);
}

void strata::registerAllPasses() {
  mlir::registerAllPasses();
  strata::graph::registerGraphPasses();
  strata::tensorx::registerTensorXPasses();
  strata::registerConversionPasses();
  strata::registerStrataCodegenCommonPasses();
  strata::cpu::registerStrataCPUPasses();
  strata::registerPipelines();
}
