//===- DirectConvolutions.cpp - Convolutions without im2col ---------------===//
//
// A stride-1 NCHW convolution over a padded image of width Wp is a matmul
// whose B operand needs no copy: computed over "wide" output rows of Wp
// pixels (the last Wp - OW of each row are discarded), output pixel
// p = y * Wp + x reads input element c * Hp * Wp + i * Wp + j + p for the
// window position (c, i, j), so row (c, i, j) of B is the flat image read
// from offset c * Hp * Wp + i * Wp + j. This pass writes such convolutions
// as register-tiled vector kernels that read those rows straight from the
// padded image: no im2col matrix is built. Stride 2 is stride 1 on each of
// the image's 2 x 2 phase images.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "ConvolutionKernels.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUDIRECTCONVOLUTIONSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-direct-convolutions"

/// Output channels per register tile (rows of the tile), and per tile of
/// an image whose wide rows fit in two strips (see rewriteDirect).
static constexpr int64_t kTileFilters = strata::cpu::TargetInfo::kFilterTile;
static constexpr int64_t kSmallImageTileFilters =
    strata::cpu::TargetInfo::kSmallImageFilterTile;

/// The most window positions unrolled within the channel loop; larger
/// windows loop over their rows.
static constexpr int64_t kMaxUnrolledWindow = 9;

/// Larger strides read s x s phase images of few pixels each: left to the
/// im2col lowering.
static constexpr int64_t kMaxStride = 2;

/// Wide pixels per row of `conv`'s output: the padded width, or for stride
/// 2 the width of its phase images.
static int64_t wideRowPixels(strata::PaddedConv conv) {
  return llvm::divideCeil(conv.pad.getResultType().getDimSize(3), conv.stride);
}

/// Whether `conv`'s wide output rows fit in two strips of `width` pixels:
/// a small image, computed as one strip twice as wide (see rewriteDirect).
static bool isSmallImage(strata::PaddedConv conv, int64_t width) {
  return conv.oh * wideRowPixels(conv) <= 2 * width;
}

/// Rewrites `op` as a direct convolution (see the file comment): an
/// scf.forall over (strip of `width` wide pixels, tile of 8 filters), each
/// iteration holding the 8 x width tile (4 x 2 width on small images) in
/// registers across an scf.for over the channels, within which the KH x KW
/// window positions are unrolled (for large windows, the KW positions of an
/// scf.for over the rows).
static void rewriteDirect(RewriterBase &rewriter, strata::PaddedConv conv,
                          int64_t width) {
  Location loc = conv.op.getLoc();
  Type f32 = rewriter.getF32Type();
  auto paddedType = conv.pad.getResultType();
  int64_t hp = paddedType.getDimSize(2);
  int64_t s = conv.stride;
  // Stride s: the padded image is split into s x s phase images of
  // hq x wq pixels, phase (a, b) holding pixels (s * y + a, s * x + b);
  // window position (i, j) reads phase (i % s, j % s) at (y + i / s,
  // x + j / s), a stride-1 convolution of each phase.
  int64_t wq = wideRowPixels(conv);
  int64_t wide = conv.oh * wq;
  // A small image (at most two strips: ResNet's 7 x 7 layers) is one strip
  // twice as wide and half as many filters per tile: as many accumulators,
  // and every weight is read once rather than once per strip.
  int64_t tileFilters = kTileFilters;
  bool small = isSmallImage(conv, width);
  if (small) {
    width *= 2;
    tileFilters = kSmallImageTileFilters;
  }
  int64_t strips = llvm::divideCeil(wide, width);
  // The last strip reads up to width - 1 pixels and (KW - 1) / s columns
  // past the last row: extra zero rows below the image keep those reads in
  // bounds.
  int64_t hq =
      llvm::divideCeil(hp, s) + llvm::divideCeil(width + (conv.kw - 1) / s, wq);
  int64_t phaseSize = conv.channels * hq * wq;

  Value flat = strata::flatPhaseImages(rewriter, conv, s, hq, wq);
  // After the epilogues' side inputs.
  rewriter.setInsertionPoint(conv.last());
  auto wideType = RankedTensorType::get({conv.filters, strips * width}, f32);
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, wideType.getShape(), f32);
  auto rowType = VectorType::get({width}, f32);
  auto index = [&](OpBuilder &b, int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };

  auto forall = scf::ForallOp::create(
      rewriter, loc,
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(strips),
                             rewriter.getIndexAttr(conv.filters / tileFilters)},
      ValueRange{empty}, std::nullopt);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(forall.getTerminator());
  Value strip = forall.getInductionVars()[0];
  Value tile = forall.getInductionVars()[1];
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  Value p0 = affine::AffineApplyOp::create(
      rewriter, loc, AffineMap::get(1, 0, d0 * width), ValueRange{strip});
  Value f0 = affine::AffineApplyOp::create(
      rewriter, loc, AffineMap::get(1, 0, d0 * tileFilters), ValueRange{tile});

  // The accumulators start from the bias (or the fill value).
  // The tile's output channels, for the bias and the weights.
  SmallVector<Value> filterRows;
  for (int64_t r = 0; r < tileFilters; ++r)
    filterRows.push_back(
        arith::AddIOp::create(rewriter, loc, f0, index(rewriter, r)));
  SmallVector<Value> acc;
  for (int64_t r = 0; r < tileFilters; ++r)
    acc.push_back(vector::BroadcastOp::create(
        rewriter, loc, rowType,
        strata::initialValue(rewriter, loc, conv, filterRows[r])));

  // Accumulates kernel row `i` (an index, constant or not) of channel `c`
  // into `sums`: KW positions, each one row of the image and a broadcast
  // FMA per filter.
  auto accumulateRow = [&](OpBuilder &b, Location l, Value c, Value base,
                           Value i, SmallVector<Value> &sums) {
    AffineExpr bd = b.getAffineDimExpr(0), id = b.getAffineDimExpr(1);
    Value rowBase = affine::makeComposedAffineApply(
        b, l, bd + (id % s) * (s * phaseSize) + id.floorDiv(s) * wq,
        ArrayRef<OpFoldResult>{base, i});
    Value zero = arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(0.0f));
    for (int64_t j = 0; j < conv.kw; ++j) {
      Value offset = arith::AddIOp::create(
          b, l, rowBase, index(b, (j % s) * phaseSize + j / s));
      Value row = vector::TransferReadOp::create(
          b, l, rowType, flat, ValueRange{offset}, zero, ArrayRef<bool>{true});
      for (int64_t r = 0; r < tileFilters; ++r) {
        Value w = tensor::ExtractOp::create(
            b, l, conv.filter, ValueRange{filterRows[r], c, i, index(b, j)});
        Value ws = vector::BroadcastOp::create(b, l, rowType, w);
        sums[r] = vector::FMAOp::create(b, l, ws, row, sums[r]);
      }
    }
  };
  // Small windows are unrolled whole within the channel loop; larger ones
  // (7 x 7) loop over their rows, since 49 positions of 8 FMAs each
  // unrolled make LLVM spill the accumulators.
  bool unrollRows = conv.kh * conv.kw <= kMaxUnrolledWindow;
  auto channelLoop = scf::ForOp::create(
      rewriter, loc, index(rewriter, 0), index(rewriter, conv.channels),
      index(rewriter, 1), acc,
      [&](OpBuilder &b, Location l, Value c, ValueRange args) {
        SmallVector<Value> sums(args);
        AffineExpr cd = b.getAffineDimExpr(0), pd = b.getAffineDimExpr(1);
        Value base = affine::AffineApplyOp::create(
            b, l, AffineMap::get(2, 0, cd * (hq * wq) + pd), ValueRange{c, p0});
        if (unrollRows) {
          for (int64_t i = 0; i < conv.kh; ++i)
            accumulateRow(b, l, c, base, index(b, i), sums);
          scf::YieldOp::create(b, l, sums);
          return;
        }
        auto rowLoop = scf::ForOp::create(
            b, l, index(b, 0), index(b, conv.kh), index(b, 1), sums,
            [&](OpBuilder &rb, Location rl, Value i, ValueRange rowArgs) {
              SmallVector<Value> rowSums(rowArgs);
              accumulateRow(rb, rl, c, base, i, rowSums);
              scf::YieldOp::create(rb, rl, rowSums);
            });
        scf::YieldOp::create(b, l, rowLoop.getResults());
      });

  // Store the tile into its place in the output.
  OpFoldResult one = rewriter.getIndexAttr(1);
  SmallVector<OpFoldResult> offsets = {f0, p0};
  SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(tileFilters),
                                     rewriter.getIndexAttr(width)};
  SmallVector<OpFoldResult> unit = {one, one};
  Value tileValue = tensor::ExtractSliceOp::create(
      rewriter, loc, forall.getRegionIterArgs()[0], offsets, sizes, unit);
  Value c0 = index(rewriter, 0);
  for (int64_t r = 0; r < tileFilters; ++r) {
    // A side input of the epilogues (a residual, OH x OW per channel) is
    // read at the strip's wide pixels: on a small image the strip is the
    // whole image, and image row y goes to lanes y * wq to y * wq + OW.
    auto readSide = [&](Value side) -> Value {
      Value zero = arith::ConstantOp::create(rewriter, loc, f32,
                                             rewriter.getF32FloatAttr(0.0f));
      Value pixels = vector::BroadcastOp::create(rewriter, loc, rowType, zero);
      auto imageRowType = VectorType::get({conv.ow}, f32);
      for (int64_t y = 0; y < conv.oh; ++y) {
        Value imageRow = vector::TransferReadOp::create(
            rewriter, loc, imageRowType, side,
            ValueRange{c0, filterRows[r], index(rewriter, y), c0}, zero,
            ArrayRef<bool>{true});
        pixels = vector::InsertStridedSliceOp::create(
            rewriter, loc, imageRow, pixels, ArrayRef<int64_t>{y * wq},
            ArrayRef<int64_t>{1});
      }
      return pixels;
    };
    Value row = strata::applyEpilogue(rewriter, loc, conv,
                                      channelLoop.getResult(r), readSide);
    tileValue = vector::TransferWriteOp::create(
                    rewriter, loc, row, tileValue,
                    ValueRange{index(rewriter, r), c0}, ArrayRef<bool>{true})
                    .getResult();
  }
  rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(rewriter, loc, tileValue,
                                        forall.getRegionIterArgs()[0], offsets,
                                        sizes, unit);

  // The wide rows, less their last Wp - OW pixels, are the output.
  rewriter.setInsertionPointAfter(forall);
  OpFoldResult zero = rewriter.getIndexAttr(0);
  Value used = tensor::ExtractSliceOp::create(
      rewriter, loc, forall.getResult(0), ArrayRef<OpFoldResult>{zero, zero},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(conv.filters),
                             rewriter.getIndexAttr(wide)},
      ArrayRef<OpFoldResult>{one, one});
  Value rowsView = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({1, conv.filters, conv.oh, wq}, f32),
      used, ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
  Value result = tensor::ExtractSliceOp::create(
      rewriter, loc, rowsView, ArrayRef<OpFoldResult>{zero, zero, zero, zero},
      ArrayRef<OpFoldResult>{one, rewriter.getIndexAttr(conv.filters),
                             rewriter.getIndexAttr(conv.oh),
                             rewriter.getIndexAttr(conv.ow)},
      ArrayRef<OpFoldResult>{one, one, one, one});
  strata::replaceConv(rewriter, conv, result);
}

std::optional<strata::PaddedConv>
strata::cpu::matchDirectConv(linalg::Conv2DNchwFchwOp op, int64_t stripWidth) {
  // Epilogues with side inputs (a residual add) only on small images, whose
  // one strip covers the whole image.
  std::optional<PaddedConv> conv =
      matchPaddedConv(op, kMaxStride, kTileFilters, /*sideInputs=*/true);
  if (conv && !isSmallImage(*conv, stripWidth))
    conv = matchPaddedConv(op, kMaxStride, kTileFilters);
  return conv;
}

namespace {
struct StrataCPUDirectConvolutionsPass
    : strata::cpu::impl::StrataCPUDirectConvolutionsPassBase<
          StrataCPUDirectConvolutionsPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<SmallVector<strata::cpu::ConfiguredOp>> ops =
        strata::cpu::opsWithKernel(getOperation(),
                                   strata::cpu::Kernel::DirectConv);
    if (failed(ops))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    for (auto [op, config] : *ops) {
      int64_t width = config.stripWidth;
      auto conv2d = dyn_cast<linalg::Conv2DNchwFchwOp>(op);
      std::optional<strata::PaddedConv> conv =
          conv2d ? strata::cpu::matchDirectConv(conv2d, width) : std::nullopt;
      if (!conv) {
        // Left to strata-cpu-lower-convolutions.
        LLVM_DEBUG(llvm::dbgs() << "not a direct convolution, left as it is: "
                                << *op << "\n");
        continue;
      }
      LLVM_DEBUG(llvm::dbgs() << "direct kernel, strips of " << width
                              << " pixels: " << *op << "\n");
      rewriteDirect(rewriter, *conv, width);
    }
  }
};
} // namespace
