//===- VectorizeDepthwise.cpp - Depthwise convolutions as row vectors -----===//
//
// An NCHW depthwise convolution computes each output row as a sum of
// KH x KW image rows scaled by one filter weight each. This pass tiles the
// convolution (with its bias and elementwise epilogue) to one output row
// per tile and writes each tile as vector code: the row is one vector of OW
// lanes, started from the bias, accumulated by broadcast-weight FMAs over
// the (shifted, and for stride 2 deinterleaved) input rows, passed through
// the epilogue and stored once.
//
//===----------------------------------------------------------------------===//

#include "strata/Transforms/Passes.h"

#include "LoopBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata {
#define GEN_PASS_DEF_STRATAVECTORIZEDEPTHWISEPASS
#include "strata/Transforms/Passes.h.inc"
} // namespace strata

using namespace mlir;

/// Rows wider than this many lanes stay with the generic lowering.
static constexpr int64_t kMaxRowLanes = 256;

/// Whether `op` is a depthwise convolution this pass vectorizes: static
/// f32 shapes and output rows of at most kMaxRowLanes.
static bool isCandidate(linalg::DepthwiseConv2DNchwChwOp op) {
  auto out = dyn_cast<RankedTensorType>(op.getResultTypes()[0]);
  auto in = dyn_cast<RankedTensorType>(op.getInputs()[0].getType());
  auto filter = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
  return op.hasPureTensorSemantics() && out && in && filter &&
         out.hasStaticShape() && in.hasStaticShape() &&
         filter.hasStaticShape() && out.getElementType().isF32() &&
         in.getElementType().isF32() && filter.getElementType().isF32() &&
         out.getDimSize(3) * op.getStrides().getValues<int64_t>()[1] <=
             kMaxRowLanes;
}

/// Where a tile reads its input rows: the tile's own slice, or (when that
/// slice is cut from a zero tensor.pad of the image) the unpadded image, at
/// the slice's (n, c, row) offsets shifted by the pad: rows and columns in
/// the padding then read as zeros without the padded copy being made.
namespace {
struct RowSource {
  Value image;
  SmallVector<OpFoldResult> offsets; // n, c, first row (may be negative)
  int64_t top = 0, left = 0;         // the pad's low padding
  int64_t height, width;             // of `image`
};
} // namespace

static RowSource rowSource(Value input) {
  auto type = cast<RankedTensorType>(input.getType());
  RowSource source{input, {}, 0, 0, type.getDimSize(2), type.getDimSize(3)};
  auto slice = input.getDefiningOp<tensor::ExtractSliceOp>();
  auto pad = slice ? slice.getSource().getDefiningOp<tensor::PadOp>() : nullptr;
  Value zero = pad ? pad.getConstantPaddingValue() : nullptr;
  if (!pad || !zero || !matchPattern(zero, m_AnyZeroFloat()) ||
      !pad.getSourceType().hasStaticShape() || !slice.hasUnitStride() ||
      slice.getSourceType().getRank() != 4 || slice.getType().getRank() != 4)
    return source;
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  if (ShapedType::isDynamicShape(low) || ShapedType::isDynamicShape(high) ||
      low[0] || low[1] || high[0] || high[1])
    return source;
  auto imageType = pad.getSourceType();
  return RowSource{pad.getSource(),
                   SmallVector<OpFoldResult>(
                       ArrayRef(slice.getMixedOffsets()).take_front(3)),
                   low[2],
                   low[3],
                   imageType.getDimSize(2),
                   imageType.getDimSize(3)};
}

/// Rewrites the one-row tile `op` (output 1 x 1 x 1 x OW) as vector code:
/// acc = init row; acc += w[i, j] * input row (i, j) for every window
/// position; one store of acc. Read through a zero pad (see rowSource), a
/// window row above or below the image gets weight 0 and a column offset
/// left of the image shifts zeros in.
static void vectorizeRow(RewriterBase &rewriter,
                         linalg::DepthwiseConv2DNchwChwOp op) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  Value input = op.getInputs()[0], filter = op.getInputs()[1];
  Value init = op.getOutputs()[0];
  auto filterType = cast<RankedTensorType>(filter.getType());
  int64_t ow = cast<RankedTensorType>(init.getType()).getDimSize(3);
  SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(op.getDilations().getValues<int64_t>());
  Type f32 = rewriter.getF32Type();
  auto rowType = VectorType::get({ow}, f32);
  AffineMap minor = AffineMap::getMinorIdentityMap(4, 1, ctx);
  RowSource source = rowSource(input);
  bool throughPad = !source.offsets.empty();

  rewriter.setInsertionPoint(op);
  auto index = [&](int64_t i) {
    return arith::ConstantIndexOp::create(rewriter, loc, i).getResult();
  };
  Value c0 = index(0);
  Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                         rewriter.getF32FloatAttr(0.0f));
  Value acc = vector::TransferReadOp::create(rewriter, loc, rowType, init,
                                             ValueRange{c0, c0, c0, c0}, zero,
                                             minor, ArrayRef<bool>{true});
  SmallVector<Value> at = {c0, c0, c0};
  if (throughPad)
    for (int d = 0; d < 3; ++d)
      at[d] = getValueOrCreateConstantIndexOp(rewriter, loc, source.offsets[d]);
  // Stride s: read s * OW lanes (past the end reads 0) and keep every s-th
  // (shifted right, with zeros, for columns left of the image).
  int64_t stride = strides[1];
  int64_t span = stride * ow;
  auto spanType = VectorType::get({span}, f32);
  Value zeros = arith::ConstantOp::create(
      rewriter, loc, spanType, DenseElementsAttr::get(spanType, 0.0f));
  for (int64_t i = 0; i < filterType.getDimSize(1); ++i) {
    // The image row, and whether it is inside the image.
    Value rowIndex = index(i * dilations[0]);
    Value inside;
    if (throughPad) {
      rowIndex = arith::AddIOp::create(rewriter, loc, at[2],
                                       index(i * dilations[0] - source.top));
      Value aboveTop = arith::CmpIOp::create(
          rewriter, loc, arith::CmpIPredicate::slt, rowIndex, c0);
      Value belowBottom =
          arith::CmpIOp::create(rewriter, loc, arith::CmpIPredicate::sge,
                                rowIndex, index(source.height));
      Value outside =
          arith::OrIOp::create(rewriter, loc, aboveTop, belowBottom);
      inside = arith::XOrIOp::create(
          rewriter, loc, outside,
          arith::ConstantIntOp::create(rewriter, loc, 1, 1));
      rowIndex = arith::SelectOp::create(rewriter, loc, inside, rowIndex, c0);
    }
    for (int64_t j = 0; j < filterType.getDimSize(2); ++j) {
      Value weight = tensor::ExtractOp::create(
          rewriter, loc, filter, ValueRange{c0, index(i), index(j)});
      if (inside)
        weight = arith::SelectOp::create(rewriter, loc, inside, weight, zero);
      Value weights =
          vector::BroadcastOp::create(rewriter, loc, rowType, weight);
      int64_t column = j * dilations[1] - source.left;
      int64_t first = std::max<int64_t>(column, 0);
      bool inBounds = first + span <= source.width;
      Value row = vector::TransferReadOp::create(
          rewriter, loc, spanType, source.image,
          ValueRange{at[0], at[1], rowIndex, index(first)}, zero, minor,
          ArrayRef<bool>{inBounds});
      if (stride != 1 || column < 0) {
        // Lane x takes element stride * x + column - first of the span, or
        // a zero when that is left of the image.
        SmallVector<int64_t> lanes;
        for (int64_t x = 0; x < ow; ++x) {
          int64_t e = stride * x + column - first;
          lanes.push_back(e < 0 ? 0 : span + e);
        }
        row = vector::ShuffleOp::create(rewriter, loc, zeros, row,
                                        rewriter.getDenseI64ArrayAttr(lanes));
      }
      acc = vector::FMAOp::create(rewriter, loc, weights, row, acc);
    }
  }
  Value result = vector::TransferWriteOp::create(rewriter, loc, acc, init,
                                                 ValueRange{c0, c0, c0, c0},
                                                 minor, ArrayRef<bool>{true})
                     .getResult();
  rewriter.replaceOp(op, result);
}

/// Tiles `op` (with its initial value and elementwise epilogue) to one
/// output row per tile and vectorizes the tile.
static LogicalResult vectorizeDepthwise(RewriterBase &rewriter,
                                        linalg::DepthwiseConv2DNchwChwOp op) {
  linalg::GenericOp epilogue = strata::elementwiseConsumer(op.getResult(0));
  if (epilogue && epilogue->getBlock() != op->getBlock())
    epilogue = nullptr;
  Operation *root = epilogue ? epilogue.getOperation() : op.getOperation();
  // One output row per tile: n, c and oh by 1 (in that order), ow (and the
  // window) whole.
  auto rootOp = cast<linalg::LinalgOp>(root);
  SmallVector<int64_t> sizes(rootOp.getNumLoops(), 0);
  SmallVector<int64_t> order;
  AffineMap outMap = rootOp.getIndexingMapMatchingResult(root->getResult(0));
  for (AffineExpr e : outMap.getResults())
    order.push_back(cast<AffineDimExpr>(e).getPosition());
  for (unsigned d = 0; d < 3; ++d)
    sizes[order[d]] = 1;
  for (unsigned d = 0; d < rootOp.getNumLoops(); ++d)
    if (!llvm::is_contained(order, d))
      order.push_back(d);
  Operation *init = op.getOutputs()[0].getDefiningOp();
  auto fuse = [&](Operation *producer) {
    return producer == op.getOperation() ||
           (producer == init && strata::isTileableInit(producer));
  };
  FailureOr<SmallVector<Operation *>> tile =
      strata::tileAndFuse(rewriter, root, sizes, /*forall=*/true, fuse, order);
  if (failed(tile))
    return failure();
  for (Operation *tiled : *tile) {
    if (auto conv = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(tiled)) {
      vectorizeRow(rewriter, conv);
      continue;
    }
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, tiled);
    if (failed(vectorized))
      return failure();
    rewriter.replaceOp(tiled, vectorized->replacements);
  }
  return success();
}

namespace {
struct StrataVectorizeDepthwisePass
    : strata::impl::StrataVectorizeDepthwisePassBase<
          StrataVectorizeDepthwisePass> {
  using StrataVectorizeDepthwisePassBase::StrataVectorizeDepthwisePassBase;

  void runOnOperation() override {
    SmallVector<linalg::DepthwiseConv2DNchwChwOp> convs;
    getOperation()->walk([&](linalg::DepthwiseConv2DNchwChwOp op) {
      if (isCandidate(op))
        convs.push_back(op);
    });
    if (convs.empty())
      return;
    IRRewriter rewriter(&getContext());
    for (linalg::DepthwiseConv2DNchwChwOp op : convs)
      if (failed(vectorizeDepthwise(rewriter, op))) {
        op.emitError("strata-vectorize-depthwise: could not tile and "
                     "vectorize this depthwise convolution");
        return signalPassFailure();
      }
    // The tile's row then passes from the convolution to the epilogue in
    // registers: drop the unit dims of the epilogue's vectors and forward
    // each stored row to its load.
    RewritePatternSet patterns(&getContext());
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    vector::TransferReadOp::getCanonicalizationPatterns(patterns,
                                                        &getContext());
    vector::TransferWriteOp::getCanonicalizationPatterns(patterns,
                                                         &getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
