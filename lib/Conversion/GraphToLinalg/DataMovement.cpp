//===- DataMovement.cpp - Shape and data-movement graph ops to linalg -----===//
//
// reshape/expand_dims/squeeze become tensor reshapes (views after
// bufferization), transpose linalg.transpose, broadcast_to a broadcasting
// linalg.generic, concat and slice tensor slices, pad tensor.pad (constant)
// or an index-computing linalg.generic (reflect, edge), and gather a
// linalg.generic that extracts by index.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

namespace strata::graph_to_linalg {
namespace {

using namespace strata::graph;

/// reshape, expand_dims and squeeze only reinterpret row-major data.
template <typename OpTy> struct ShapeCastLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, reshapeTensor(rewriter, op.getLoc(),
                                         adaptor.getInput(), op.getType()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<TransposeOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value init = emptyTensor(rewriter, op.getLoc(), op.getType());
    rewriter.replaceOp(op, linalg::TransposeOp::create(rewriter, op.getLoc(),
                                                       adaptor.getInput(), init,
                                                       op.getPerms())
                               .getResult()[0]);
    return success();
  }
};

struct BroadcastToLowering : OpConversionPattern<BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(BroadcastToOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, op.getLoc(), adaptor.getInput(), op.getType(),
            [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<ConcatOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), type.getRank());
    Value result = emptyTensor(rewriter, loc, type);
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      auto inputType = cast<RankedTensorType>(input.getType());
      SmallVector<OpFoldResult> offsets(type.getRank(),
                                        rewriter.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes,
          strides(type.getRank(), rewriter.getIndexAttr(1));
      offsets[axis] = rewriter.getIndexAttr(offset);
      for (int64_t size : inputType.getShape())
        sizes.push_back(rewriter.getIndexAttr(size));
      result = tensor::InsertSliceOp::create(rewriter, loc, input, result,
                                             offsets, sizes, strides);
      offset += inputType.getDimSize(axis);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

struct SliceLowering : OpConversionPattern<SliceOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    SmallVector<OpFoldResult> offsets, sizes, strides;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      // An empty slice may start at the end; tensor.extract_slice wants
      // offsets inside the dimension.
      offsets.push_back(rewriter.getIndexAttr(
          type.getDimSize(d) == 0 ? 0 : op.getStarts()[d]));
      sizes.push_back(rewriter.getIndexAttr(type.getDimSize(d)));
      strides.push_back(
          rewriter.getIndexAttr(op.getSteps().empty() ? 1 : op.getSteps()[d]));
    }
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, type, adaptor.getInput(), offsets, sizes, strides);
    return success();
  }
};

struct PadLowering : OpConversionPattern<PadOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(PadOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    ArrayRef<int64_t> pads = op.getPads();
    Value input = adaptor.getInput();
    if (op.getMode() == PadMode::constant) {
      Value value = scalarConstant(rewriter, loc, type.getElementType(),
                                   op.getValue().convertToDouble());
      rewriter.replaceOp(op,
                         padTensor(rewriter, loc, input, pads.take_front(rank),
                                   pads.drop_front(rank), value));
      return success();
    }
    // reflect/edge: every output element reads one input element whose index
    // is mirrored or clamped into range.
    auto inputType = cast<RankedTensorType>(input.getType());
    bool reflect = op.getMode() == PadMode::reflect;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{},
        ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank)},
        parallelIterators(rank), [&](OpBuilder &b, Location l, ValueRange) {
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d) {
            Value i = arith::SubIOp::create(
                b, l, linalg::IndexOp::create(b, l, d),
                arith::ConstantIndexOp::create(b, l, pads[d]));
            int64_t size = inputType.getDimSize(d);
            Value zero = arith::ConstantIndexOp::create(b, l, 0);
            Value last = arith::ConstantIndexOp::create(b, l, size - 1);
            if (reflect) {
              // -i below the start, 2 * last - i past the end.
              Value neg = arith::SubIOp::create(b, l, zero, i);
              i = arith::MaxSIOp::create(b, l, i, neg);
              Value mirrored = arith::SubIOp::create(
                  b, l, arith::ConstantIndexOp::create(b, l, 2 * (size - 1)),
                  i);
              i = arith::MinSIOp::create(b, l, i, mirrored);
            } else {
              i = arith::MinSIOp::create(
                  b, l, arith::MaxSIOp::create(b, l, i, zero), last);
            }
            indices.push_back(i);
          }
          Value v = tensor::ExtractOp::create(b, l, input, indices);
          linalg::YieldOp::create(b, l, v);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// An integer index into a dimension of `size` as an `index`: negative
/// indices count from the end, and out-of-range ones are clamped so that a
/// bad index can never read outside the tensor.
Value clampedIndex(OpBuilder &b, Location l, Value index, int64_t size) {
  Value i = arith::IndexCastOp::create(b, l, b.getIndexType(), index);
  Value zero = arith::ConstantIndexOp::create(b, l, 0);
  Value isNeg = arith::CmpIOp::create(b, l, arith::CmpIPredicate::slt, i, zero);
  i = arith::SelectOp::create(
      b, l, isNeg,
      arith::AddIOp::create(b, l, i,
                            arith::ConstantIndexOp::create(b, l, size)),
      i);
  return arith::MinSIOp::create(b, l, arith::MaxSIOp::create(b, l, i, zero),
                                arith::ConstantIndexOp::create(b, l, size - 1));
}

struct GatherLowering : OpConversionPattern<GatherOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    auto indicesType = cast<RankedTensorType>(adaptor.getIndices().getType());
    int64_t rank = type.getRank();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), dataType.getRank());
    int64_t indexRank = indicesType.getRank();
    SmallVector<int64_t> indexDims;
    for (int64_t d = 0; d < indexRank; ++d)
      indexDims.push_back(axis + d);
    AffineMap indexMap = selectDims(rank, indexDims, rewriter.getContext());
    int64_t axisSize = dataType.getDimSize(axis);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getIndices()},
        ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{indexMap, rewriter.getMultiDimIdentityMap(rank)},
        parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value i = clampedIndex(b, l, args[0], axisSize);
          SmallVector<Value> indices;
          for (int64_t d = 0; d < axis; ++d)
            indices.push_back(linalg::IndexOp::create(b, l, d));
          indices.push_back(i);
          for (int64_t d = axis + indexRank; d < rank; ++d)
            indices.push_back(linalg::IndexOp::create(b, l, d));
          linalg::YieldOp::create(
              b, l, Value(tensor::ExtractOp::create(b, l, data, indices)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// gather_elements: every output element reads data at its own position
/// with the axis coordinate replaced by the index.
struct GatherElementsLowering : OpConversionPattern<GatherElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(GatherElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    Value data = adaptor.getData();
    auto dataType = cast<RankedTensorType>(data.getType());
    int64_t rank = type.getRank();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), rank);
    int64_t axisSize = dataType.getDimSize(axis);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, ValueRange{adaptor.getIndices()},
        ValueRange{emptyTensor(rewriter, loc, type)},
        ArrayRef<AffineMap>{identity, identity}, parallelIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value i = clampedIndex(b, l, args[0], axisSize);
          SmallVector<Value> indices;
          for (int64_t d = 0; d < rank; ++d)
            indices.push_back(
                d == axis ? i : Value(linalg::IndexOp::create(b, l, d)));
          linalg::YieldOp::create(
              b, l, Value(tensor::ExtractOp::create(b, l, data, indices)));
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// scatter_elements: an scf.for over the updates in row-major order (an
/// update of an element already updated sees the earlier value), each
/// inserting its element into the data carried by the loop.
struct ScatterElementsLowering : OpConversionPattern<ScatterElementsOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ScatterElementsOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto dataType = cast<RankedTensorType>(adaptor.getData().getType());
    auto updatesType = cast<RankedTensorType>(adaptor.getUpdates().getType());
    int64_t rank = dataType.getRank();
    int64_t axis = *shape::normalizeAxis(op.getAxis(), rank);
    int64_t axisSize = dataType.getDimSize(axis);
    ScatterReduction reduction = op.getReduction();
    bool isUnsigned = readsUnsigned(op);
    auto index = [&](OpBuilder &b, Location l, int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, l, v);
    };
    auto loop = scf::ForOp::create(
        rewriter, loc, index(rewriter, loc, 0),
        index(rewriter, loc, updatesType.getNumElements()),
        index(rewriter, loc, 1), ValueRange{adaptor.getData()},
        [&](OpBuilder &b, Location l, Value iv, ValueRange carried) {
          // The update's position, row-major from the flat counter.
          SmallVector<Value> position(rank);
          Value rest = iv;
          for (int64_t d = rank - 1; d >= 0; --d) {
            Value size = index(b, l, updatesType.getDimSize(d));
            position[d] = arith::RemUIOp::create(b, l, rest, size);
            rest = arith::DivUIOp::create(b, l, rest, size);
          }
          Value target =
              tensor::ExtractOp::create(b, l, adaptor.getIndices(), position);
          SmallVector<Value> at = position;
          at[axis] = clampedIndex(b, l, target, axisSize);
          Value value =
              tensor::ExtractOp::create(b, l, adaptor.getUpdates(), position);
          if (reduction != ScatterReduction::none) {
            Value old = tensor::ExtractOp::create(b, l, carried[0], at);
            bool fp = isFloat(value.getType());
            switch (reduction) {
            case ScatterReduction::add:
              value = fp ? Value(arith::AddFOp::create(b, l, old, value))
                         : Value(arith::AddIOp::create(b, l, old, value));
              break;
            case ScatterReduction::mul:
              value = fp ? Value(arith::MulFOp::create(b, l, old, value))
                         : Value(arith::MulIOp::create(b, l, old, value));
              break;
            case ScatterReduction::max:
            case ScatterReduction::min:
              value = maxOrMin(b, l, old, value,
                               reduction == ScatterReduction::max, isUnsigned);
              break;
            case ScatterReduction::none:
              break;
            }
          }
          scf::YieldOp::create(
              b, l,
              Value(tensor::InsertOp::create(b, l, value, carried[0], at)));
        });
    rewriter.replaceOp(op, loop.getResult(0));
    return success();
  }
};

} // namespace

void populateDataMovementPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ShapeCastLowering<ReshapeOp>, ShapeCastLowering<ExpandDimsOp>,
               ShapeCastLowering<SqueezeOp>, TransposeLowering,
               BroadcastToLowering, ConcatLowering, SliceLowering, PadLowering,
               GatherLowering, GatherElementsLowering, ScatterElementsLowering>(
      context);
}

} // namespace strata::graph_to_linalg
