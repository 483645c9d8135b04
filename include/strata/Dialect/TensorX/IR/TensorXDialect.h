//===- TensorXDialect.h - TensorX dialect -----------------------*- C++ -*-===//

#ifndef STRATA_DIALECT_TENSORX_IR_TENSORXDIALECT_H
#define STRATA_DIALECT_TENSORX_IR_TENSORXDIALECT_H

#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/IR/Dialect.h"

#include "strata/Dialect/TensorX/IR/TensorXDialect.h.inc"

#endif // STRATA_DIALECT_TENSORX_IR_TENSORXDIALECT_H
