//===- TensorXDialect.cpp - TensorX dialect and the layout attribute ------===//

#include "strata/Dialect/TensorX/IR/TensorXDialect.h"
#include "strata/Dialect/TensorX/IR/TensorXOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/SmallBitVector.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace strata::tensorx;

#include "strata/Dialect/TensorX/IR/TensorXDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "strata/Dialect/TensorX/IR/TensorXAttrs.cpp.inc"

void TensorXDialect::initialize() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "strata/Dialect/TensorX/IR/TensorXAttrs.cpp.inc"
      >();
  addOperations<
#define GET_OP_LIST
#include "strata/Dialect/TensorX/IR/TensorXOps.cpp.inc"
      >();
}

Operation *TensorXDialect::materializeConstant(OpBuilder &builder,
                                               Attribute value, Type type,
                                               Location loc) {
  auto typed = dyn_cast<TypedAttr>(value);
  if (!typed || typed.getType() != type)
    return nullptr;
  return arith::ConstantOp::create(builder, loc, type, typed);
}

//===----------------------------------------------------------------------===//
// LayoutAttr
//===----------------------------------------------------------------------===//

LayoutAttr LayoutAttr::getPermutation(MLIRContext *context,
                                      ArrayRef<int64_t> permutation) {
  return LayoutAttr::get(context, permutation, {}, {});
}

bool LayoutAttr::isIdentity() const {
  if (!isPermutationOnly())
    return false;
  for (auto [i, d] : llvm::enumerate(getPermutation()))
    if (static_cast<int64_t>(i) != d)
      return false;
  return true;
}

SmallVector<int64_t>
LayoutAttr::getPhysicalShape(ArrayRef<int64_t> shape) const {
  SmallVector<int64_t> outer(shape);
  for (auto [dim, size] : llvm::zip(getTiledDims(), getTileSizes()))
    outer[dim] = ShapedType::isDynamic(outer[dim]) ? ShapedType::kDynamic
                                                   : outer[dim] / size;
  SmallVector<int64_t> physical;
  for (int64_t d : getPermutation())
    physical.push_back(outer[d]);
  llvm::append_range(physical, getTileSizes());
  return physical;
}

LogicalResult LayoutAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                                 ArrayRef<int64_t> permutation,
                                 ArrayRef<int64_t> tiledDims,
                                 ArrayRef<int64_t> tileSizes) {
  int64_t rank = permutation.size();
  llvm::SmallBitVector seen(rank);
  for (int64_t d : permutation) {
    if (d < 0 || d >= rank || seen.test(d))
      return emitError() << "#tensorx.layout: [" << permutation
                         << "] is not a permutation of 0.." << rank - 1;
    seen.set(d);
  }
  if (tiledDims.size() != tileSizes.size())
    return emitError() << "#tensorx.layout: " << tiledDims.size()
                       << " tiled dimensions but " << tileSizes.size()
                       << " tile sizes";
  llvm::SmallBitVector tiled(rank);
  for (auto [dim, size] : llvm::zip(tiledDims, tileSizes)) {
    if (dim < 0 || dim >= rank)
      return emitError() << "#tensorx.layout: tiled dimension " << dim
                         << " is out of range for rank " << rank;
    if (tiled.test(dim))
      return emitError() << "#tensorx.layout: dimension " << dim
                         << " is tiled twice";
    tiled.set(dim);
    if (size < 1)
      return emitError() << "#tensorx.layout: tile size " << size
                         << " of dimension " << dim << " must be positive";
  }
  return success();
}

LogicalResult
LayoutAttr::verifyEncoding(ArrayRef<int64_t> shape, Type elementType,
                           function_ref<InFlightDiagnostic()> emitError) const {
  int64_t rank = getPermutation().size();
  if (static_cast<int64_t>(shape.size()) != rank)
    return emitError() << *this << " is a layout of rank " << rank
                       << " and cannot apply to a tensor of rank "
                       << shape.size();
  for (auto [dim, size] : llvm::zip(getTiledDims(), getTileSizes())) {
    if (ShapedType::isDynamic(shape[dim]))
      return emitError() << *this << ": tiled dimension " << dim
                         << " must be static";
    if (shape[dim] % size != 0)
      return emitError() << *this << ": block " << size
                         << " does not divide dimension " << dim << " of size "
                         << shape[dim]
                         << "; pad the tensor explicitly (graph.pad) first";
  }
  return success();
}

// <[p0, p1, ...]> or <[p0, ...], tiles = [d : s, ...]>
Attribute LayoutAttr::parse(AsmParser &parser, Type) {
  SmallVector<int64_t> permutation, tiledDims, tileSizes;
  auto parseInt = [&](SmallVectorImpl<int64_t> &into) -> ParseResult {
    int64_t v;
    if (parser.parseInteger(v))
      return failure();
    into.push_back(v);
    return success();
  };
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                     [&] { return parseInt(permutation); }))
    return {};
  if (succeeded(parser.parseOptionalComma())) {
    if (parser.parseKeyword("tiles") || parser.parseEqual() ||
        parser.parseCommaSeparatedList(
            AsmParser::Delimiter::Square, [&]() -> ParseResult {
              if (parseInt(tiledDims) || parser.parseColon())
                return failure();
              return parseInt(tileSizes);
            }))
      return {};
  }
  if (parser.parseGreater())
    return {};
  return LayoutAttr::getChecked(
      [&] { return parser.emitError(parser.getNameLoc()); },
      parser.getContext(), permutation, tiledDims, tileSizes);
}

void LayoutAttr::print(AsmPrinter &printer) const {
  printer << "<[";
  llvm::interleaveComma(getPermutation(), printer);
  printer << "]";
  if (!isPermutationOnly()) {
    printer << ", tiles = [";
    llvm::interleaveComma(
        llvm::zip(getTiledDims(), getTileSizes()), printer, [&](auto pair) {
          printer << std::get<0>(pair) << " : " << std::get<1>(pair);
        });
    printer << "]";
  }
  printer << ">";
}

//===----------------------------------------------------------------------===//
// Type helpers
//===----------------------------------------------------------------------===//

LayoutAttr strata::tensorx::getLayout(Type type) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor ? dyn_cast_or_null<LayoutAttr>(tensor.getEncoding())
                : LayoutAttr();
}

sparse_tensor::SparseTensorEncodingAttr
strata::tensorx::getSparseEncoding(Type type) {
  return sparse_tensor::getSparseTensorEncoding(type);
}

RankedTensorType strata::tensorx::withoutEncoding(RankedTensorType type) {
  return RankedTensorType::get(type.getShape(), type.getElementType());
}

RankedTensorType strata::tensorx::withEncoding(RankedTensorType type,
                                               Attribute encoding) {
  return RankedTensorType::get(type.getShape(), type.getElementType(),
                               encoding);
}
