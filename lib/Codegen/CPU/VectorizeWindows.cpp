//===- VectorizeWindows.cpp - Sliding-window ops as row vectors -----------===//
//
// An NCHW depthwise convolution computes each output row as a sum of
// KH x KW image rows scaled by one filter weight each; max and sum pooling
// combine the same rows with a max or an add. This pass tiles these
// window ops (with an initial value and elementwise epilogue) to one output
// row per tile and writes each tile as vector code: the row is one vector
// of OW lanes rounded up to a power of two (the lanes past the row masked
// off), started from the initial value, combined with the (shifted, and for
// stride 2 deinterleaved) input rows, passed through the epilogue and
// stored once. Powers of two because LLVM widens other vector lengths and,
// once it hoists a weight's broadcast out of a sequential row loop, builds
// the widened broadcast lane by lane on every row (3x slower on 56-pixel
// rows).
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "ConvolutionKernels.h"
#include "strata/Codegen/Common/LoopBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUVECTORIZEWINDOWSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-vectorize-windows"

/// Rows wider than this many lanes stay with the generic lowering.
static constexpr int64_t kMaxRowLanes = 256;
/// So do windows of more positions than this: each position is unrolled
/// (a 60 x 80 pooling window would be 4800 row reads per tile).
static constexpr int64_t kMaxWindowPositions = 64;

/// The `strides` or `dilations` (`name`) of a window op this pass handles
/// (two values: rows, columns).
static SmallVector<int64_t> windowAttr(linalg::LinalgOp op, StringRef name) {
  return llvm::to_vector(
      op->getAttrOfType<DenseIntElementsAttr>(name).getValues<int64_t>());
}

/// Whether `op` is a depthwise convolution or a max or sum pooling this
/// pass vectorizes: static f32 shapes, output rows of at most kMaxRowLanes
/// and windows of at most kMaxWindowPositions.
bool strata::cpu::isRowWindow(linalg::LinalgOp op) {
  if (!isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp,
           linalg::PoolingNchwSumOp>(op))
    return false;
  auto out = dyn_cast<RankedTensorType>(op->getResultTypes()[0]);
  auto in = dyn_cast<RankedTensorType>(op.getDpsInputs()[0].getType());
  auto window = dyn_cast<RankedTensorType>(op.getDpsInputs()[1].getType());
  if (!op.hasPureTensorSemantics() || !out || !in || !window ||
      !strata::cpu::hasStaticNonEmptyTensors(op) ||
      !out.getElementType().isF32() || !in.getElementType().isF32())
    return false;
  // The window: dims 1 and 2 of a depthwise filter (C x KH x KW), the
  // pooling window tensor (KH x KW).
  int64_t positions =
      window.getNumElements() /
      (isa<linalg::DepthwiseConv2DNchwChwOp>(op) ? window.getDimSize(0) : 1);
  return positions <= kMaxWindowPositions &&
         out.getDimSize(3) * windowAttr(op, "strides")[1] <= kMaxRowLanes;
}

/// Where a tile reads its input rows: the tile's own slice, or (when that
/// slice is cut from a constant tensor.pad of the image along the rows and
/// columns) the unpadded image, at the slice's (n, c, row) offsets shifted
/// by the pad: rows and columns in the padding then read as the padding
/// value without the padded copy being made.
namespace {
struct RowSource {
  Value image;
  SmallVector<OpFoldResult> offsets; // n, c, first row (may be negative)
  int64_t top = 0, left = 0;         // the pad's low padding
  int64_t height, width;             // of `image`
  Value padding;                     // the pad's value (f32 constant)
};
} // namespace

/// The RowSource of the tile input `input`; through a pad only if its value
/// is zero or `anyPadding`.
static RowSource rowSource(Value input, bool anyPadding) {
  auto type = cast<RankedTensorType>(input.getType());
  RowSource source{input,  {}, 0, 0, type.getDimSize(2), type.getDimSize(3),
                   nullptr};
  auto slice = input.getDefiningOp<tensor::ExtractSliceOp>();
  auto pad = slice ? slice.getSource().getDefiningOp<tensor::PadOp>() : nullptr;
  Value padding = pad ? pad.getConstantPaddingValue() : nullptr;
  if (!pad || !padding || !matchPattern(padding, m_Constant()) ||
      (!anyPadding && !matchPattern(padding, m_AnyZeroFloat())) ||
      !pad.getSourceType().hasStaticShape() || !slice.hasUnitStride() ||
      slice.getSourceType().getRank() != 4 || slice.getType().getRank() != 4 ||
      !strata::padsRowsAndColumnsOnly(pad))
    return source;
  ArrayRef<int64_t> low = pad.getStaticLow();
  auto imageType = pad.getSourceType();
  return RowSource{pad.getSource(),
                   SmallVector<OpFoldResult>(
                       ArrayRef(slice.getMixedOffsets()).take_front(3)),
                   low[2],
                   low[3],
                   imageType.getDimSize(2),
                   imageType.getDimSize(3),
                   padding};
}

/// Rewrites the one-row tile `op` (output 1 x 1 x 1 x OW) as vector code:
/// acc = init row, combined with the input row of every window position
/// (i, j): acc += w[i, j] * row for a depthwise convolution, acc =
/// max(acc, row) or acc + row for pooling; one store of acc. Read through a
/// pad (see rowSource), a window row above or below the image gets weight
/// 0 (convolution) or is the padding value (pooling), and a column offset
/// left of the image shifts zeros or the padding value in. The initial
/// value of a fill or of a broadcast element is broadcast, not read; the
/// pointwise `epilogue` (if any, the tile of the op's elementwise consumer)
/// is applied to the row in registers and replaced with it.
static void vectorizeRow(RewriterBase &rewriter, linalg::LinalgOp op,
                         linalg::GenericOp epilogue, int64_t vectorLanes) {
  Location loc = op.getLoc();
  MLIRContext *ctx = rewriter.getContext();
  auto depthwise = dyn_cast<linalg::DepthwiseConv2DNchwChwOp>(*op);
  Value input = op.getDpsInputs()[0], window = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  // Window rows and columns: the filter's dims 1 and 2 (C x KH x KW), or
  // the pooling window tensor (KH x KW).
  auto windowType = cast<RankedTensorType>(window.getType());
  int64_t kh = windowType.getDimSize(depthwise ? 1 : 0);
  int64_t kw = windowType.getDimSize(depthwise ? 2 : 1);
  int64_t ow = cast<RankedTensorType>(init.getType()).getDimSize(3);
  SmallVector<int64_t> strides = windowAttr(op, "strides");
  SmallVector<int64_t> dilations = windowAttr(op, "dilations");
  Type f32 = rewriter.getF32Type();
  // A row within one vector register stays as it is (LLVM widens it to
  // the register); a wider one is rounded up to a power of two.
  int64_t lanes = ow <= vectorLanes ? ow : llvm::PowerOf2Ceil(ow);
  bool wholeRow = lanes == ow; // else the lanes past the row are masked off
  auto rowType = VectorType::get({lanes}, f32);
  AffineMap minor = AffineMap::getMinorIdentityMap(4, 1, ctx);
  RowSource source = rowSource(input, /*anyPadding=*/!depthwise);
  bool throughPad = !source.offsets.empty();

  rewriter.setInsertionPoint(op);
  auto index = [&](int64_t i) {
    return arith::ConstantIndexOp::create(rewriter, loc, i).getResult();
  };
  Value c0 = index(0);
  Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                         rewriter.getF32FloatAttr(0.0f));
  // What reads outside the image give: zeros for the convolution (whose
  // weight is 0 there anyway), the padding value for pooling.
  Value outsideValue = throughPad && !depthwise ? source.padding : zero;
  auto readRow = [&](Value tile) -> Value {
    return vector::TransferReadOp::create(rewriter, loc, rowType, tile,
                                          ValueRange{c0, c0, c0, c0}, zero,
                                          minor, ArrayRef<bool>{wholeRow});
  };
  // The initial row, and the tensor the result row is written into.
  Value acc, dest = init;
  if (auto fill = init.getDefiningOp<linalg::FillOp>()) {
    acc = vector::BroadcastOp::create(rewriter, loc, rowType,
                                      fill.getInputs()[0]);
    dest = fill.getOutputs()[0];
  } else if (auto broadcast = init.getDefiningOp<linalg::BroadcastOp>();
             broadcast &&
             broadcast.getInput().getType().getNumElements() == 1) {
    SmallVector<Value> at(broadcast.getInput().getType().getRank(), c0);
    acc = vector::BroadcastOp::create(
        rewriter, loc, rowType,
        tensor::ExtractOp::create(rewriter, loc, broadcast.getInput(), at));
    dest = broadcast.getInit();
  } else {
    acc = readRow(init);
  }
  SmallVector<Value> at = {c0, c0, c0};
  if (throughPad)
    for (int d = 0; d < 3; ++d)
      at[d] = getValueOrCreateConstantIndexOp(rewriter, loc, source.offsets[d]);
  // Stride s: read s * OW lanes (past the end reads the outside value) and
  // keep every s-th (shifted right, with the outside value, for columns
  // left of the image).
  int64_t stride = strides[1];
  int64_t span = stride * lanes;
  auto spanType = VectorType::get({span}, f32);
  Value outside =
      vector::BroadcastOp::create(rewriter, loc, spanType, outsideValue);
  for (int64_t i = 0; i < kh; ++i) {
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
      Value beyond = arith::OrIOp::create(rewriter, loc, aboveTop, belowBottom);
      inside = arith::XOrIOp::create(
          rewriter, loc, beyond,
          arith::ConstantIntOp::create(rewriter, loc, 1, 1));
      rowIndex = arith::SelectOp::create(rewriter, loc, inside, rowIndex, c0);
    }
    for (int64_t j = 0; j < kw; ++j) {
      int64_t column = j * dilations[1] - source.left;
      int64_t first = std::max<int64_t>(column, 0);
      bool inBounds = first + span <= source.width;
      Value row = vector::TransferReadOp::create(
          rewriter, loc, spanType, source.image,
          ValueRange{at[0], at[1], rowIndex, index(first)}, outsideValue, minor,
          ArrayRef<bool>{inBounds});
      if (stride != 1 || column < 0) {
        // Lane x takes element stride * x + column - first of the span, or
        // the outside value when that is left of the image.
        SmallVector<int64_t> mask;
        for (int64_t x = 0; x < lanes; ++x) {
          int64_t e = stride * x + column - first;
          mask.push_back(e < 0 ? 0 : span + e);
        }
        row = vector::ShuffleOp::create(rewriter, loc, outside, row,
                                        rewriter.getDenseI64ArrayAttr(mask));
      }
      // A row outside the image reads as the outside value: zeros for
      // the convolution, the padding value for pooling. (Selecting the
      // row, not the weight: a select of the weight, once LLVM hoists the
      // weight's broadcast out of a sequential row loop, becomes a select
      // of whole broadcast vectors built lane by lane when the row is not
      // a power of two lanes wide.)
      if (inside)
        row = arith::SelectOp::create(
            rewriter, loc, inside, row,
            vector::BroadcastOp::create(rewriter, loc, rowType, outsideValue));
      if (depthwise) {
        Value weight = tensor::ExtractOp::create(
            rewriter, loc, window, ValueRange{c0, index(i), index(j)});
        Value weights =
            vector::BroadcastOp::create(rewriter, loc, rowType, weight);
        acc = vector::FMAOp::create(rewriter, loc, weights, row, acc);
        continue;
      }
      if (isa<linalg::PoolingNchwMaxOp>(*op))
        acc = arith::MaximumFOp::create(rewriter, loc, acc, row);
      else
        acc = arith::AddFOp::create(rewriter, loc, acc, row);
    }
  }
  auto writeRow = [&](Value row, Value tile) -> Value {
    return vector::TransferWriteOp::create(rewriter, loc, row, tile,
                                           ValueRange{c0, c0, c0, c0}, minor,
                                           ArrayRef<bool>{wholeRow})
        .getResult();
  };
  if (!epilogue) {
    rewriter.replaceOp(op, writeRow(acc, dest));
    return;
  }
  // At the epilogue, after its side inputs' slices and its destination.
  rewriter.setInsertionPoint(epilogue);
  acc = strata::applyEpilogues(rewriter, loc, {epilogue}, op->getResult(0), acc,
                               readRow);
  rewriter.replaceOp(epilogue, writeRow(acc, epilogue.getDpsInits()[0]));
  rewriter.eraseOp(op);
}

/// Tiles `op` (with its initial value and elementwise epilogue) to one
/// output row per tile and vectorizes the tile.
static LogicalResult vectorizeWindow(RewriterBase &rewriter,
                                     linalg::LinalgOp op,
                                     const strata::cpu::KernelConfig &config) {
  linalg::GenericOp epilogue = strata::elementwiseConsumer(op->getResult(0));
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
  Operation *init = op.getDpsInits()[0].getDefiningOp();
  auto fuse = [&](Operation *producer) {
    return producer == op.getOperation() ||
           (producer == init && strata::isTileableInit(producer));
  };
  // Tiling erases `op` (the root, or a producer fused whole).
  OperationName windowName = op->getName();
  FailureOr<SmallVector<Operation *>> tile =
      strata::tileAndFuse(rewriter, root, sizes, /*forall=*/true, fuse, order);
  if (failed(tile))
    return failure();
  // The window's tile, and its epilogue's if the row kernel applies it in
  // registers.
  auto windowTile = llvm::find_if(
      *tile, [&](Operation *tiled) { return tiled->getName() == windowName; });
  if (windowTile == tile->end())
    return failure();
  auto windowOp = cast<linalg::LinalgOp>(*windowTile);
  linalg::GenericOp epilogueTile =
      strata::pointwiseEpilogue(windowOp->getResult(0), /*sideInputs=*/true);
  vectorizeRow(rewriter, windowOp, epilogueTile, config.vectorLanes);
  for (Operation *tiled : *tile) {
    if (tiled == windowOp || tiled == epilogueTile)
      continue;
    // An initial value the row kernel broadcast instead of reading.
    if (tiled->use_empty()) {
      rewriter.eraseOp(tiled);
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
struct StrataCPUVectorizeWindowsPass
    : strata::cpu::impl::StrataCPUVectorizeWindowsPassBase<
          StrataCPUVectorizeWindowsPass> {
  using StrataCPUVectorizeWindowsPassBase::StrataCPUVectorizeWindowsPassBase;

  void runOnOperation() override {
    FailureOr<SmallVector<strata::cpu::ConfiguredOp>> ops =
        strata::cpu::opsWithKernel(getOperation(),
                                   strata::cpu::Kernel::WindowRows);
    if (failed(ops))
      return signalPassFailure();
    SmallVector<std::pair<linalg::LinalgOp, strata::cpu::KernelConfig>> windows;
    for (const strata::cpu::ConfiguredOp &configured : *ops) {
      Operation *op = configured.op;
      auto window = dyn_cast<linalg::LinalgOp>(op);
      if (window && strata::cpu::isRowWindow(window))
        windows.push_back({window, configured.config});
      else
        LLVM_DEBUG(llvm::dbgs()
                   << "not a row window, left as it is: " << *op << "\n");
    }
    if (windows.empty())
      return;
    IRRewriter rewriter(&getContext());
    for (auto [op, config] : windows) {
      Location loc = op.getLoc(); // `op` is gone after the rewrite
      if (failed(vectorizeWindow(rewriter, op, config))) {
        emitError(loc, "strata-cpu-vectorize-windows: could not tile and "
                       "vectorize this window op");
        return signalPassFailure();
      }
    }
    // The tile's row then passes from the window op to the epilogue in
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
