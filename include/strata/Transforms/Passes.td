//===- Passes.td - Strata's dialect-independent passes -----*- tablegen -*-===//

#ifndef STRATA_TRANSFORMS_PASSES_TD
#define STRATA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def StrataEmitCInterfacePass
    : Pass<"strata-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Mark public functions for C-interface wrappers";
  let description = [{
    Sets `llvm.emit_c_interface` on every public `func.func` with a body, so
    that `convert-func-to-llvm` emits `_mlir_ciface_<name>` wrappers taking
    memref descriptors by pointer: the ABI the strata-run JIT and the Python
    bindings call.
  }];
}

#endif // STRATA_TRANSFORMS_PASSES_TD
