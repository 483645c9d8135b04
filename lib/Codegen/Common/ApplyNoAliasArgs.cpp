//===- ApplyNoAliasArgs.cpp - noalias on distinct kernel buffers ----------===//
//
// strata-outline-kernels knows which buffers of a kernel's call are
// distinct, but a memref argument cannot carry `llvm.noalias` through the
// func-to-LLVM conversion (it becomes a descriptor's worth of arguments).
// The kernel records the lowered positions instead; this pass applies them.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/Common/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

namespace strata {
#define GEN_PASS_DEF_STRATAAPPLYNOALIASARGSPASS
#include "strata/Codegen/Common/Passes.h.inc"
} // namespace strata

using namespace mlir;

/// The attribute strata-outline-kernels records the positions in.
static constexpr llvm::StringLiteral kNoAliasArgs = "strata.noalias_args";

namespace {
struct StrataApplyNoAliasArgsPass
    : strata::impl::StrataApplyNoAliasArgsPassBase<StrataApplyNoAliasArgsPass> {
  void runOnOperation() override {
    getOperation().walk([&](LLVM::LLVMFuncOp fn) {
      auto positions = fn->getAttrOfType<DenseI64ArrayAttr>(kNoAliasArgs);
      if (!positions)
        return;
      fn->removeAttr(kNoAliasArgs);
      unsigned count = fn.getNumArguments();
      for (int64_t position : positions.asArrayRef()) {
        // A position past the arguments or on a non-pointer means the
        // lowering was not the one assumed: leave the argument alone.
        if (position < 0 || position >= count ||
            !isa<LLVM::LLVMPointerType>(fn.getArgument(position).getType()))
          continue;
        fn.setArgAttr(position, LLVM::LLVMDialect::getNoAliasAttrName(),
                      UnitAttr::get(fn.getContext()));
      }
    });
  }
};
} // namespace
