//===- TensorXOps.cpp - TensorX operations --------------------------------===//

#include "strata/Dialect/TensorX/IR/TensorXOps.h"
#include "strata/Dialect/TensorX/IR/SparseFormats.h"
#include "strata/Support/ConstantData.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace strata::tensorx;

#define GET_OP_CLASSES
#include "strata/Dialect/TensorX/IR/TensorXOps.cpp.inc"

//===----------------------------------------------------------------------===//
// ConvertOp
//===----------------------------------------------------------------------===//

namespace {
enum class FormatKind { Plain, Layout, Sparse, Other };
} // namespace

static FormatKind formatKind(Type type) {
  Attribute encoding = cast<RankedTensorType>(type).getEncoding();
  if (!encoding)
    return FormatKind::Plain;
  if (isa<LayoutAttr>(encoding))
    return FormatKind::Layout;
  if (isa<sparse_tensor::SparseTensorEncodingAttr>(encoding))
    return FormatKind::Sparse;
  return FormatKind::Other;
}

/// Dense formats convert into one another; a sparse format is given to a
/// row-major tensor (a weight) and can be undone, nothing else.
static bool isSupportedConversion(Type source, Type result) {
  FormatKind from = formatKind(source), to = formatKind(result);
  if (from == FormatKind::Other || to == FormatKind::Other)
    return false;
  if (from == FormatKind::Sparse || to == FormatKind::Sparse)
    return from == FormatKind::Plain || to == FormatKind::Plain ||
           source == result;
  return true;
}

LogicalResult ConvertOp::verify() {
  for (Type type : {getSource().getType(), getType()})
    if (formatKind(type) == FormatKind::Other)
      return emitOpError("encoding of ")
             << type
             << " is not a format: expected none, #tensorx.layout or "
                "#sparse_tensor.encoding";
  if (!isSupportedConversion(getSource().getType(), getType()))
    return emitOpError("cannot convert ")
           << getSource().getType() << " to " << getType()
           << ": a sparse format converts only from or to the row-major "
              "layout";
  return success();
}

/// The conversion of a constant f32 weight to a sparse format, as a sparse
/// constant (if the data fits the format).
static Attribute foldToSparse(ElementsAttr source, RankedTensorType type) {
  auto encoding = getSparseEncoding(type);
  if (!encoding || type.getRank() != 2)
    return {};
  std::optional<ArrayRef<float>> data = strata::constantF32Data(source);
  if (!data)
    return {};
  std::optional<SparseFormat> format = SparseFormat::fromEncoding(encoding);
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  if (!format || findViolation(*data, rows, cols, *format))
    return {};
  SmallVector<int64_t> indices;
  SmallVector<float> values;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t c = 0; c < cols; ++c)
      if (float v = (*data)[r * cols + c]; v != 0.0f) {
        indices.push_back(r);
        indices.push_back(c);
        values.push_back(v);
      }
  int64_t nnz = values.size();
  Builder b(type.getContext());
  auto indexType = RankedTensorType::get({nnz, 2}, b.getI64Type());
  auto valueType = RankedTensorType::get({nnz}, type.getElementType());
  return SparseElementsAttr::get(
      type, DenseIntElementsAttr::get(indexType, ArrayRef<int64_t>(indices)),
      DenseElementsAttr::get(valueType, ArrayRef<float>(values)));
}

OpFoldResult ConvertOp::fold(FoldAdaptor adaptor) {
  if (getSource().getType() == getType())
    return getSource();
  if (auto inner = getSource().getDefiningOp<ConvertOp>())
    if (inner.getSource().getType() == getType())
      return inner.getSource();
  if (auto constant = dyn_cast_or_null<ElementsAttr>(adaptor.getSource()))
    if (formatKind(constant.getType()) == FormatKind::Plain)
      return foldToSparse(constant, getType());
  return {};
}

namespace {
/// convert(convert(x, A -> B), B -> C) -> convert(x, A -> C).
struct ComposeConversions : OpRewritePattern<ConvertOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConvertOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getSource().getDefiningOp<ConvertOp>();
    if (!inner ||
        !isSupportedConversion(inner.getSource().getType(), op.getType()))
      return failure();
    rewriter.replaceOpWithNewOp<ConvertOp>(op, op.getType(), inner.getSource());
    return success();
  }
};
} // namespace

void ConvertOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ComposeConversions>(context);
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

/// An activation's format: row-major or a 2-D transposition.
static bool isActivationFormat(RankedTensorType type) {
  if (!type.getEncoding())
    return true;
  LayoutAttr layout = getLayout(type);
  return layout && layout.isPermutationOnly();
}

LogicalResult MatmulOp::verify() {
  RankedTensorType lhs = getLhs().getType(), rhs = getRhs().getType(),
                   result = getType();
  if (lhs.getRank() != 2 || rhs.getRank() != 2 || result.getRank() != 2)
    return emitOpError("operands and result must have rank 2, got ")
           << lhs << ", " << rhs << " -> " << result;
  if (lhs.getDimSize(1) != rhs.getDimSize(0))
    return emitOpError("lhs has ")
           << lhs.getDimSize(1) << " columns but rhs has " << rhs.getDimSize(0)
           << " rows";
  if (result.getDimSize(0) != lhs.getDimSize(0) ||
      result.getDimSize(1) != rhs.getDimSize(1))
    return emitOpError("result shape must be ")
           << lhs.getDimSize(0) << "x" << rhs.getDimSize(1) << ", got "
           << result;
  if (lhs.getElementType() != rhs.getElementType() ||
      lhs.getElementType() != result.getElementType())
    return emitOpError("operands and result must have one element type");
  if (!isActivationFormat(lhs))
    return emitOpError("lhs format must be row-major or a transposition, got ")
           << lhs.getEncoding();
  if (!isActivationFormat(result))
    return emitOpError(
               "result format must be row-major or a transposition, got ")
           << result.getEncoding();
  if (formatKind(rhs) == FormatKind::Other)
    return emitOpError("rhs encoding ")
           << rhs.getEncoding()
           << " is not a format: expected none, #tensorx.layout or "
              "#sparse_tensor.encoding";
  return success();
}
