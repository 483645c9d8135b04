//===- EmitCInterface.cpp - Mark public functions for C wrappers ----------===//

#include "strata/Codegen/Common/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace strata {
#define GEN_PASS_DEF_STRATAEMITCINTERFACEPASS
#include "strata/Codegen/Common/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {
struct StrataEmitCInterfacePass
    : strata::impl::StrataEmitCInterfacePassBase<StrataEmitCInterfacePass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal())
        func->setAttr(LLVM::LLVMDialect::getEmitCWrapperAttrName(),
                      UnitAttr::get(&getContext()));
  }
};
} // namespace
