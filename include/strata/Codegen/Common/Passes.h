//===- Passes.h - Target-neutral codegen passes -----------------*- C++ -*-===//

#ifndef STRATA_CODEGEN_COMMON_PASSES_H
#define STRATA_CODEGEN_COMMON_PASSES_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Pass/Pass.h"

namespace strata {

#define GEN_PASS_DECL
#define GEN_PASS_REGISTRATION
#include "strata/Codegen/Common/Passes.h.inc"

} // namespace strata

#endif // STRATA_CODEGEN_COMMON_PASSES_H
