//===- DirectConvolutions.cpp - Stride-1 convolutions without im2col ------===//
//
// A stride-1 NCHW convolution over a padded image of width Wp is a matmul
// whose B operand needs no copy: computed over "wide" output rows of Wp
// pixels (the last Wp - OW of each row are discarded), output pixel
// p = y * Wp + x reads input element c * Hp * Wp + i * Wp + j + p for the
// window position (c, i, j), so row (c, i, j) of B is the flat image read
// from offset c * Hp * Wp + i * Wp + j. This pass writes such convolutions
// as register-tiled vector kernels that read those rows straight from the
// padded image: no im2col matrix is built.
//
//===----------------------------------------------------------------------===//

#include "strata/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace strata {
#define GEN_PASS_DEF_STRATADIRECTCONVOLUTIONSPASS
#include "strata/Transforms/Passes.h.inc"
} // namespace strata

using namespace mlir;

/// Output channels per register tile (rows of the tile).
static constexpr int64_t kTileFilters = 8;

namespace {
/// What a direct convolution needs to know about one conv_2d_nchw_fchw.
struct DirectConv {
  tensor::PadOp pad; // the zero padding of the image
  Value filter;      // F x C x KH x KW
  Operation *init;   // linalg.fill or linalg.broadcast of the bias
  int64_t channels, filters, kh, kw, oh, ow;
};
} // namespace

/// The parts of `op` if it is a convolution this pass rewrites: one f32
/// image, stride and dilation 1, output channels a multiple of the tile,
/// the image zero-padded by a tensor.pad used only here, and an initial
/// value that is a fill or a per-channel bias broadcast.
static std::optional<DirectConv> matchDirectConv(linalg::Conv2DNchwFchwOp op) {
  auto out = dyn_cast<RankedTensorType>(op.getResultTypes()[0]);
  auto filterType = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
  if (!op.hasPureTensorSemantics() || !out || !out.hasStaticShape() ||
      !filterType || !filterType.hasStaticShape() ||
      !out.getElementType().isF32() || out.getDimSize(0) != 1 ||
      out.getDimSize(1) % kTileFilters != 0)
    return std::nullopt;
  auto isOne = [](int64_t v) { return v == 1; };
  if (!llvm::all_of(op.getStrides().getValues<int64_t>(), isOne) ||
      !llvm::all_of(op.getDilations().getValues<int64_t>(), isOne))
    return std::nullopt;
  auto pad = op.getInputs()[0].getDefiningOp<tensor::PadOp>();
  if (!pad || !pad->hasOneUse() || !pad.getResultType().hasStaticShape() ||
      !pad.getSourceType().getElementType().isF32())
    return std::nullopt;
  auto zero = pad.getConstantPaddingValue();
  if (!zero || !matchPattern(zero, m_AnyZeroFloat()))
    return std::nullopt;
  Operation *init = op.getOutputs()[0].getDefiningOp();
  if (auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(init)) {
    if (broadcast.getInput().getType().getRank() != 1 ||
        broadcast.getDimensions() != ArrayRef<int64_t>{0, 2, 3})
      return std::nullopt;
  } else if (!isa_and_nonnull<linalg::FillOp>(init)) {
    return std::nullopt;
  }
  return DirectConv{pad,
                    op.getInputs()[1],
                    init,
                    filterType.getDimSize(1),
                    filterType.getDimSize(0),
                    filterType.getDimSize(2),
                    filterType.getDimSize(3),
                    out.getDimSize(2),
                    out.getDimSize(3)};
}

/// Rewrites `op` as a direct convolution (see the file comment): an
/// scf.forall over (strip of `width` wide pixels, tile of 8 filters), each
/// iteration holding the 8 x width tile in registers across an scf.for over
/// the channels, within which the KH x KW window positions are unrolled.
static void rewriteDirect(RewriterBase &rewriter, linalg::Conv2DNchwFchwOp op,
                          DirectConv conv, int64_t width) {
  Location loc = op.getLoc();
  Type f32 = rewriter.getF32Type();
  auto paddedType = conv.pad.getResultType();
  int64_t hp = paddedType.getDimSize(2), wp = paddedType.getDimSize(3);
  int64_t wide = conv.oh * wp;
  int64_t strips = llvm::divideCeil(wide, width);
  // The last strip reads up to width - 1 pixels and KW - 1 columns past the
  // last row: extra zero rows below the image keep those reads in bounds.
  int64_t extraRows = llvm::divideCeil(width + conv.kw, wp);
  int64_t rows = hp + extraRows;

  rewriter.setInsertionPoint(conv.pad);
  SmallVector<OpFoldResult> high = conv.pad.getMixedHighPad();
  high[2] = rewriter.getIndexAttr(*getConstantIntValue(high[2]) + extraRows);
  auto extendedType = RankedTensorType::get({1, conv.channels, rows, wp}, f32);
  auto extended = tensor::PadOp::create(
      rewriter, conv.pad.getLoc(), extendedType, conv.pad.getSource(),
      conv.pad.getMixedLowPad(), high, conv.pad.getConstantPaddingValue());

  rewriter.setInsertionPoint(op);
  Value flat = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({conv.channels * rows * wp}, f32),
      extended.getResult(), ArrayRef<ReassociationIndices>{{0, 1, 2, 3}});
  auto wideType = RankedTensorType::get({conv.filters, strips * width}, f32);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, wideType.getShape(), f32);
  auto rowType = VectorType::get({width}, f32);
  auto index = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };

  auto forall = scf::ForallOp::create(
      rewriter, loc,
      ArrayRef<OpFoldResult>{
          rewriter.getIndexAttr(strips),
          rewriter.getIndexAttr(conv.filters / kTileFilters)},
      ValueRange{empty}, std::nullopt);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(forall.getTerminator());
  Value strip = forall.getInductionVars()[0];
  Value tile = forall.getInductionVars()[1];
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  Value p0 = affine::AffineApplyOp::create(
      rewriter, loc, AffineMap::get(1, 0, d0 * width), ValueRange{strip});
  Value f0 = affine::AffineApplyOp::create(
      rewriter, loc, AffineMap::get(1, 0, d0 * kTileFilters), ValueRange{tile});

  // The accumulators start from the bias (or the fill value).
  SmallVector<Value> acc;
  for (int64_t r = 0; r < kTileFilters; ++r) {
    Value start;
    if (auto fill = dyn_cast<linalg::FillOp>(conv.init)) {
      start = fill.getInputs()[0];
    } else {
      Value f = arith::AddIOp::create(rewriter, loc, f0, index(rewriter, r));
      start = tensor::ExtractOp::create(
          rewriter, loc, cast<linalg::BroadcastOp>(conv.init).getInput(),
          ValueRange{f});
    }
    acc.push_back(vector::BroadcastOp::create(rewriter, loc, rowType, start));
  }

  auto channelLoop = scf::ForOp::create(
      rewriter, loc, index(rewriter, 0), index(rewriter, conv.channels),
      index(rewriter, 1), acc,
      [&](OpBuilder &b, Location l, Value c, ValueRange args) {
        SmallVector<Value> sums(args);
        AffineExpr cd = b.getAffineDimExpr(0), pd = b.getAffineDimExpr(1);
        Value base = affine::AffineApplyOp::create(
            b, l, AffineMap::get(2, 0, cd * (rows * wp) + pd),
            ValueRange{c, p0});
        SmallVector<Value> filterRows;
        for (int64_t r = 0; r < kTileFilters; ++r)
          filterRows.push_back(arith::AddIOp::create(b, l, f0, index(b, r)));
        Value zero =
            arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(0.0f));
        for (int64_t i = 0; i < conv.kh; ++i) {
          for (int64_t j = 0; j < conv.kw; ++j) {
            Value offset =
                arith::AddIOp::create(b, l, base, index(b, i * wp + j));
            Value row = vector::TransferReadOp::create(b, l, rowType, flat,
                                                       ValueRange{offset}, zero,
                                                       ArrayRef<bool>{true});
            for (int64_t r = 0; r < kTileFilters; ++r) {
              Value w = tensor::ExtractOp::create(
                  b, l, conv.filter,
                  ValueRange{filterRows[r], c, index(b, i), index(b, j)});
              Value ws = vector::BroadcastOp::create(b, l, rowType, w);
              sums[r] = vector::FMAOp::create(b, l, ws, row, sums[r]);
            }
          }
        }
        scf::YieldOp::create(b, l, sums);
      });

  // Store the tile and put it in place.
  auto tileType = RankedTensorType::get({kTileFilters, width}, f32);
  Value tileValue =
      tensor::EmptyOp::create(rewriter, loc, tileType.getShape(), f32);
  Value c0 = index(rewriter, 0);
  for (int64_t r = 0; r < kTileFilters; ++r)
    tileValue = vector::TransferWriteOp::create(
                    rewriter, loc, channelLoop.getResult(r), tileValue,
                    ValueRange{index(rewriter, r), c0}, ArrayRef<bool>{true})
                    .getResult();
  rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
  OpFoldResult one = rewriter.getIndexAttr(1);
  tensor::ParallelInsertSliceOp::create(
      rewriter, loc, tileValue, forall.getRegionIterArgs()[0],
      ArrayRef<OpFoldResult>{f0, p0},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(kTileFilters),
                             rewriter.getIndexAttr(width)},
      ArrayRef<OpFoldResult>{one, one});

  // The wide rows, less their last Wp - OW pixels, are the output.
  rewriter.setInsertionPointAfter(forall);
  OpFoldResult zero = rewriter.getIndexAttr(0);
  Value used = tensor::ExtractSliceOp::create(
      rewriter, loc, forall.getResult(0), ArrayRef<OpFoldResult>{zero, zero},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(conv.filters),
                             rewriter.getIndexAttr(wide)},
      ArrayRef<OpFoldResult>{one, one});
  Value rowsView = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({1, conv.filters, conv.oh, wp}, f32),
      used, ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
  Value result = tensor::ExtractSliceOp::create(
      rewriter, loc, rowsView, ArrayRef<OpFoldResult>{zero, zero, zero, zero},
      ArrayRef<OpFoldResult>{one, rewriter.getIndexAttr(conv.filters),
                             rewriter.getIndexAttr(conv.oh),
                             rewriter.getIndexAttr(conv.ow)},
      ArrayRef<OpFoldResult>{one, one, one, one});
  rewriter.replaceOp(op, result);
  rewriter.eraseOp(conv.pad);
  if (conv.init->use_empty())
    rewriter.eraseOp(conv.init);
}

namespace {
struct StrataDirectConvolutionsPass
    : strata::impl::StrataDirectConvolutionsPassBase<
          StrataDirectConvolutionsPass> {
  using StrataDirectConvolutionsPassBase::StrataDirectConvolutionsPassBase;

  void runOnOperation() override {
    SmallVector<linalg::Conv2DNchwFchwOp> convs;
    getOperation()->walk(
        [&](linalg::Conv2DNchwFchwOp op) { convs.push_back(op); });
    int64_t width = stripWidth > 0 ? stripWidth : 2 * strata::hostVectorLanes();
    IRRewriter rewriter(&getContext());
    for (linalg::Conv2DNchwFchwOp op : convs)
      if (std::optional<DirectConv> conv = matchDirectConv(op))
        rewriteDirect(rewriter, op, *conv, width);
  }
};
} // namespace
