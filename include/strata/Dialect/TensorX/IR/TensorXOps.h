//===- TensorXOps.h - TensorX attributes and operations ---------*- C++ -*-===//

#ifndef STRATA_DIALECT_TENSORX_IR_TENSORXOPS_H
#define STRATA_DIALECT_TENSORX_IR_TENSORXOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TensorEncoding.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "strata/Dialect/TensorX/IR/TensorXDialect.h"

#define GET_ATTRDEF_CLASSES
#include "strata/Dialect/TensorX/IR/TensorXAttrs.h.inc"

#define GET_OP_CLASSES
#include "strata/Dialect/TensorX/IR/TensorXOps.h.inc"

namespace strata::tensorx {
/// The layout of `type`, if its encoding is a #tensorx.layout.
LayoutAttr getLayout(mlir::Type type);
/// The sparse encoding of `type`, if it has one.
mlir::sparse_tensor::SparseTensorEncodingAttr
getSparseEncoding(mlir::Type type);
/// `type` without its encoding.
mlir::RankedTensorType withoutEncoding(mlir::RankedTensorType type);
/// `type` with `encoding` (none when null).
mlir::RankedTensorType withEncoding(mlir::RankedTensorType type,
                                    mlir::Attribute encoding);
} // namespace strata::tensorx

#endif // STRATA_DIALECT_TENSORX_IR_TENSORXOPS_H
