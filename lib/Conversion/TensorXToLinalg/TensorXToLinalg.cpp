//===- TensorXToLinalg.cpp - The convert-tensorx-to-linalg pass -----------===//
//
// Makes layouts physical (a tensor with a #tensorx.layout gets its physical
// shape) and lowers the tensorx ops to linalg on tensors. Sparse encodings
// stay on their tensors: the CPU kernels take them from there.
//
//===----------------------------------------------------------------------===//

#include "strata/Conversion/Passes.h"
#include "strata/Dialect/TensorX/IR/SparseFormats.h"
#include "strata/Dialect/TensorX/IR/TensorXOps.h"
#include "strata/Support/ConstantData.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/DialectConversion.h"

namespace strata {
#define GEN_PASS_DEF_CONVERTTENSORXTOLINALGPASS
#include "strata/Conversion/Passes.h.inc"
} // namespace strata

using namespace mlir;
using namespace strata;
using namespace strata::tensorx;

namespace {

/// The physical type of a tensor with a layout; other types are unchanged.
RankedTensorType physicalType(RankedTensorType type) {
  LayoutAttr layout = getLayout(type);
  if (!layout)
    return type;
  return RankedTensorType::get(layout.getPhysicalShape(type.getShape()),
                               type.getElementType());
}

/// The bytes of `logical` (row-major, `shape`) laid out by `layout`, or the
/// reverse (`toLayout` false: `data` is physical, the result row-major).
std::vector<char> relayout(ArrayRef<char> data, ArrayRef<int64_t> shape,
                           LayoutAttr layout, int64_t elementBytes,
                           bool toLayout) {
  int64_t rank = shape.size();
  SmallVector<int64_t> tileOf(rank, 1);
  for (auto [dim, size] :
       llvm::zip(layout.getTiledDims(), layout.getTileSizes()))
    tileOf[dim] = size;
  SmallVector<int64_t> physical = layout.getPhysicalShape(shape);
  // Row-major strides of the logical tensor.
  SmallVector<int64_t> strides(rank, 1);
  for (int64_t d = rank - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  std::vector<char> out(data.size());
  int64_t count = data.size() / elementBytes;
  SmallVector<int64_t> coords(physical.size(), 0);
  for (int64_t p = 0; p < count; ++p) {
    // Logical offset of the physical coordinates `coords`.
    int64_t offset = 0;
    ArrayRef<int64_t> perm = layout.getPermutation();
    for (int64_t i = 0; i < rank; ++i)
      offset += coords[i] * tileOf[perm[i]] * strides[perm[i]];
    for (auto [i, dim] : llvm::enumerate(layout.getTiledDims()))
      offset += coords[rank + i] * strides[dim];
    const char *from = data.data() + (toLayout ? offset : p) * elementBytes;
    char *to = out.data() + (toLayout ? p : offset) * elementBytes;
    std::memcpy(to, from, elementBytes);
    for (int64_t i = physical.size() - 1; i >= 0; --i) {
      if (++coords[i] < physical[i])
        break;
      coords[i] = 0;
    }
  }
  return out;
}

/// `value` (of logical type `logical`) relaid by `layout` at compile time,
/// if it is a dense constant.
Value relayoutConstant(OpBuilder &b, Location loc, Value value,
                       RankedTensorType logical, LayoutAttr layout,
                       bool toLayout) {
  Attribute attr;
  if (!matchPattern(value, m_Constant(&attr)))
    return {};
  auto elements = dyn_cast<ElementsAttr>(attr);
  std::optional<ArrayRef<char>> bytes =
      elements ? constantBytes(elements) : std::nullopt;
  if (!bytes)
    return {};
  int64_t elementBytes = bytes->size() / logical.getNumElements();
  std::vector<char> data =
      relayout(*bytes, logical.getShape(), layout, elementBytes, toLayout);
  auto type = toLayout ? physicalType(withEncoding(logical, layout)) : logical;
  return arith::ConstantOp::create(
      b, loc, DenseElementsAttr::getFromRawBuffer(type, data));
}

Value emptyLike(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

/// Row-major `plain` (of logical type `logical`) laid out by `layout`.
Value applyLayout(OpBuilder &b, Location loc, Value plain,
                  RankedTensorType logical, LayoutAttr layout) {
  if (Value folded = relayoutConstant(b, loc, plain, logical, layout, true))
    return folded;
  Value dest = emptyLike(b, loc, physicalType(withEncoding(logical, layout)));
  if (layout.isPermutationOnly())
    return linalg::TransposeOp::create(b, loc, plain, dest,
                                       layout.getPermutation())
        .getResult()[0];
  SmallVector<OpFoldResult> tiles;
  for (int64_t size : layout.getTileSizes())
    tiles.push_back(b.getIndexAttr(size));
  return linalg::PackOp::create(b, loc, plain, dest, layout.getTiledDims(),
                                tiles, std::nullopt, layout.getPermutation())
      .getResult();
}

/// The row-major tensor of logical type `logical` from `physical`, laid out
/// by `layout`.
Value removeLayout(OpBuilder &b, Location loc, Value physical,
                   RankedTensorType logical, LayoutAttr layout) {
  if (Value folded = relayoutConstant(b, loc, physical, logical, layout, false))
    return folded;
  Value dest = emptyLike(b, loc, logical);
  if (layout.isPermutationOnly()) {
    SmallVector<int64_t> inverse(layout.getPermutation().size());
    for (auto [i, d] : llvm::enumerate(layout.getPermutation()))
      inverse[d] = i;
    return linalg::TransposeOp::create(b, loc, physical, dest, inverse)
        .getResult()[0];
  }
  SmallVector<OpFoldResult> tiles;
  for (int64_t size : layout.getTileSizes())
    tiles.push_back(b.getIndexAttr(size));
  return linalg::UnPackOp::create(b, loc, physical, dest, layout.getTiledDims(),
                                  tiles, layout.getPermutation())
      .getResult();
}

struct ConvertLowering : OpConversionPattern<ConvertOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConvertOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType from = op.getSource().getType(), to = op.getType();
    // Reported by the pass before converting (see sparseConversionError).
    if (getSparseEncoding(from) || getSparseEncoding(to))
      return failure();
    Value value = adaptor.getSource();
    if (LayoutAttr layout = getLayout(from))
      value = removeLayout(rewriter, loc, value, withoutEncoding(from), layout);
    if (LayoutAttr layout = getLayout(to))
      value = applyLayout(rewriter, loc, value, withoutEncoding(to), layout);
    rewriter.replaceOp(op, value);
    return success();
  }
};

/// Why `op`, a conversion to or from a sparse format, cannot be lowered:
/// the folder has made sparse constants of the constant weights that fit
/// their format, so what is left is a computed value or a misfit.
std::string sparseConversionError(ConvertOp op) {
  RankedTensorType to = op.getType();
  Attribute attr;
  auto format = SparseFormat::fromEncoding(getSparseEncoding(to));
  if (matchPattern(op.getSource(), m_Constant(&attr)) && format)
    if (auto data = constantF32Data(cast<ElementsAttr>(attr)))
      if (auto violation =
              findViolation(*data, to.getDimSize(0), to.getDimSize(1), *format))
        return *violation;
  return "only constant f32 weights can be sparse";
}

struct MatmulLowering : OpConversionPattern<MatmulOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MatmulOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    RankedTensorType lhsType = op.getLhs().getType(),
                     rhsType = op.getRhs().getType(), resultType = op.getType();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    // A packed weight is unpacked (at compile time when constant).
    if (LayoutAttr layout = getLayout(rhsType))
      rhs = removeLayout(rewriter, loc, rhs, withoutEncoding(rhsType), layout);
    bool lhsTransposed = getLayout(lhsType) != nullptr;
    bool resultTransposed = getLayout(resultType) != nullptr;
    // An identity layout is row-major.
    if (lhsTransposed && getLayout(lhsType).isIdentity())
      lhsTransposed = false;
    if (resultTransposed && getLayout(resultType).isIdentity())
      resultTransposed = false;

    RankedTensorType outType = physicalType(resultType);
    Type elementType = resultType.getElementType();
    Value zero = arith::ConstantOp::create(rewriter, loc, elementType,
                                           rewriter.getZeroAttr(elementType));
    Value init = linalg::FillOp::create(rewriter, loc, zero,
                                        emptyLike(rewriter, loc, outType))
                     .getResult(0);
    if (!lhsTransposed && !resultTransposed && !getSparseEncoding(rhsType)) {
      rewriter.replaceOp(
          op, linalg::MatmulOp::create(rewriter, loc, TypeRange{outType},
                                       ValueRange{lhs, rhs}, ValueRange{init})
                  .getResult(0));
      return success();
    }
    // Loops (p0, p1, k) over the physical result, whose map is the identity.
    AffineExpr p0 = getAffineDimExpr(0, context),
               p1 = getAffineDimExpr(1, context),
               k = getAffineDimExpr(2, context);
    AffineExpr m = resultTransposed ? p1 : p0, n = resultTransposed ? p0 : p1;
    auto map = [&](AffineExpr a, AffineExpr b) {
      return AffineMap::get(3, 0, {a, b}, context);
    };
    SmallVector<AffineMap> maps = {lhsTransposed ? map(k, m) : map(m, k),
                                   map(k, n), map(p0, p1)};
    SmallVector<utils::IteratorType> iterators = {
        utils::IteratorType::parallel, utils::IteratorType::parallel,
        utils::IteratorType::reduction};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{outType}, ValueRange{lhs, rhs},
        ValueRange{init}, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          Value product = arith::MulFOp::create(b, l, args[0], args[1]);
          linalg::YieldOp::create(
              b, l, Value(arith::AddFOp::create(b, l, args[2], product)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ConvertTensorXToLinalgPass
    : strata::impl::ConvertTensorXToLinalgPassBase<ConvertTensorXToLinalgPass> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    WalkResult walk = getOperation()->walk([](ConvertOp op) {
      if (!getSparseEncoding(op.getSource().getType()) &&
          !getSparseEncoding(op.getType()))
        return WalkResult::advance();
      op.emitOpError("cannot convert ")
          << op.getSource().getType() << " to " << op.getType() << ": "
          << sparseConversionError(op);
      return WalkResult::interrupt();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    TypeConverter types;
    types.addConversion([](Type type) { return type; });
    types.addConversion(
        [](RankedTensorType type) -> Type { return physicalType(type); });
    ConversionTarget target(*context);
    target.addIllegalDialect<TensorXDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(context);
    patterns.add<ConvertLowering, MatmulLowering>(types, context);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
