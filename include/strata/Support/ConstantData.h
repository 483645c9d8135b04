//===- ConstantData.h - The bytes of dense constants ------------*- C++ -*-===//
//
// Reads the data of dense and resource constants as it lies in memory, for
// the passes and the code generation that copy, repack or compress weights.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_SUPPORT_CONSTANTDATA_H
#define STRATA_SUPPORT_CONSTANTDATA_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/Value.h"

#include <optional>

namespace strata {

/// The bytes of an integer or float constant as laid out in memory
/// (row-major, element after element): the raw data of a non-splat
/// DenseElementsAttr or the blob of a DenseResourceElementsAttr. None for
/// splats, i1 data (bit-packed in attributes), resources without a blob and
/// data whose size does not match the type.
std::optional<llvm::ArrayRef<char>> constantBytes(mlir::ElementsAttr value);

/// The data of `value` if it is a non-splat f32 arith.constant.
std::optional<llvm::ArrayRef<float>> constantF32Data(mlir::Value value);

/// The data of a non-splat f32 elements attribute.
std::optional<llvm::ArrayRef<float>> constantF32Data(mlir::ElementsAttr value);

} // namespace strata

#endif // STRATA_SUPPORT_CONSTANTDATA_H
