//===- ConstantData.cpp - The bytes of dense constants --------------------===//

#include "strata/Support/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

using namespace mlir;

std::optional<ArrayRef<char>> strata::constantBytes(ElementsAttr value) {
  Type elementType = value.getElementType();
  if (!elementType.isIntOrFloat() || elementType.isInteger(1))
    return std::nullopt;
  ArrayRef<char> raw;
  if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    if (dense.isSplat())
      return std::nullopt;
    raw = dense.getRawData();
  } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    raw = blob->getData();
  } else {
    return std::nullopt;
  }
  int64_t bytes =
      value.getNumElements() * ((elementType.getIntOrFloatBitWidth() + 7) / 8);
  if (raw.size() != static_cast<size_t>(bytes))
    return std::nullopt;
  return raw;
}

std::optional<ArrayRef<float>> strata::constantF32Data(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  auto elements =
      constant ? dyn_cast<ElementsAttr>(constant.getValue()) : nullptr;
  if (!elements)
    return std::nullopt;
  return constantF32Data(elements);
}

std::optional<ArrayRef<float>> strata::constantF32Data(ElementsAttr elements) {
  if (!elements.getElementType().isF32())
    return std::nullopt;
  std::optional<ArrayRef<char>> raw = constantBytes(elements);
  if (!raw)
    return std::nullopt;
  return ArrayRef<float>(reinterpret_cast<const float *>(raw->data()),
                         elements.getNumElements());
}
