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

#include "strata/Transforms/Passes.h"

#include "LoopBuilders.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"

namespace strata {
#define GEN_PASS_DEF_STRATADIRECTCONVOLUTIONSPASS
#include "strata/Transforms/Passes.h.inc"
} // namespace strata

using namespace mlir;

/// Output channels per register tile (rows of the tile).
static constexpr int64_t kTileFilters = 8;

/// Larger strides read s x s phase images of few pixels each: left to the
/// im2col lowering.
static constexpr int64_t kMaxStride = 2;

namespace {
/// What a direct convolution needs to know about one conv_2d_nchw_fchw.
struct DirectConv {
  tensor::PadOp pad; // the zero padding of the image
  Value filter;      // F x C x KH x KW
  Operation *init;   // linalg.fill or linalg.broadcast of the bias
  int64_t channels, filters, kh, kw, oh, ow;
  int64_t stride; // the same along both axes
  /// The elementwise op on the convolution's result alone (ReLU, clip),
  /// applied in the tiles; null if none.
  linalg::GenericOp epilogue;
};
} // namespace

/// The elementwise op that reads all of `value` and nothing else but
/// scalars (a ReLU or a clip), with a body of elementwise ops and constants
/// only, which the tiles can apply to their accumulators; null if there is
/// none.
static linalg::GenericOp pointwiseEpilogue(Value value) {
  linalg::GenericOp generic = strata::elementwiseConsumer(value);
  if (!generic || generic.getNumDpsInputs() != 1 ||
      !generic.getRegionOutputArgs()[0].use_empty())
    return nullptr;
  for (Operation &op : generic.getBody()->without_terminator())
    if (!isa<arith::ConstantOp>(op) &&
        (!op.hasTrait<OpTrait::Elementwise>() || op.getNumResults() != 1 ||
         op.getNumRegions() != 0))
      return nullptr;
  return generic;
}

/// Applies the body of `epilogue` (see pointwiseEpilogue) to `acc`, lane by
/// lane: each op of the body on vectors, scalars (from outside, or
/// constants of the body) broadcast.
static Value applyEpilogue(OpBuilder &b, Location loc,
                           linalg::GenericOp epilogue, Value acc) {
  auto type = cast<VectorType>(acc.getType());
  IRMapping vectors, scalars;
  Block *body = epilogue.getBody();
  vectors.map(body->getArgument(0), acc);
  auto vectorOf = [&](Value scalar) -> Value {
    if (Value mapped = vectors.lookupOrNull(scalar))
      return mapped;
    auto vectorType = VectorType::get(type.getShape(), scalar.getType());
    return vector::BroadcastOp::create(b, loc, vectorType,
                                       scalars.lookupOrDefault(scalar));
  };
  for (Operation &op : body->without_terminator()) {
    if (isa<arith::ConstantOp>(op)) {
      b.clone(op, scalars);
      continue;
    }
    SmallVector<Value> operands;
    for (Value operand : op.getOperands())
      operands.push_back(vectorOf(operand));
    OperationState state(
        loc, op.getName(), operands,
        TypeRange{VectorType::get(type.getShape(), op.getResult(0).getType())},
        op.getAttrs());
    vectors.map(op.getResult(0), b.create(state)->getResult(0));
  }
  return vectorOf(body->getTerminator()->getOperand(0));
}

/// The parts of `op` if it is a convolution this pass rewrites: one f32
/// image, dilation 1, the same stride (up to kMaxStride) along both axes,
/// output channels a multiple of the tile,
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
  SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
  if (strides[0] != strides[1] || strides[0] > kMaxStride ||
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
                    out.getDimSize(3),
                    strides[0],
                    pointwiseEpilogue(op.getResult(0))};
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
  int64_t s = conv.stride;
  // Stride s: the padded image is split into s x s phase images of
  // hq x wq pixels, phase (a, b) holding pixels (s * y + a, s * x + b);
  // window position (i, j) reads phase (i % s, j % s) at (y + i / s,
  // x + j / s), a stride-1 convolution of each phase.
  int64_t wq = llvm::divideCeil(wp, s);
  int64_t wide = conv.oh * wq;
  int64_t strips = llvm::divideCeil(wide, width);
  // The last strip reads up to width - 1 pixels and (KW - 1) / s columns
  // past the last row: extra zero rows below the image keep those reads in
  // bounds.
  int64_t hq =
      llvm::divideCeil(hp, s) + llvm::divideCeil(width + (conv.kw - 1) / s, wq);
  int64_t phaseSize = conv.channels * hq * wq;

  rewriter.setInsertionPoint(conv.pad);
  SmallVector<OpFoldResult> high = conv.pad.getMixedHighPad();
  high[2] = rewriter.getIndexAttr(*getConstantIntValue(high[2]) + s * hq - hp);
  high[3] = rewriter.getIndexAttr(*getConstantIntValue(high[3]) + s * wq - wp);
  auto extendedType =
      RankedTensorType::get({1, conv.channels, s * hq, s * wq}, f32);
  Value image = tensor::PadOp::create(
      rewriter, conv.pad.getLoc(), extendedType, conv.pad.getSource(),
      conv.pad.getMixedLowPad(), high, conv.pad.getConstantPaddingValue());

  rewriter.setInsertionPoint(op);
  if (s > 1) {
    // [1, C, hq, s, wq, s] -> [s (a), s (b), 1, C, hq, wq]: the phase
    // images.
    Value split = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get({1, conv.channels, hq, s, wq, s}, f32), image,
        ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}, {4, 5}});
    Value phasesInit = tensor::EmptyOp::create(
        rewriter, loc, ArrayRef<int64_t>{s, s, 1, conv.channels, hq, wq}, f32);
    image = linalg::TransposeOp::create(rewriter, loc, split, phasesInit,
                                        ArrayRef<int64_t>{3, 5, 0, 1, 2, 4})
                .getResult()[0];
  }
  Value flat = tensor::CollapseShapeOp::create(
      rewriter, loc, RankedTensorType::get({s * s * phaseSize}, f32), image,
      ArrayRef<ReassociationIndices>{
          llvm::to_vector(llvm::seq<int64_t>(0, s > 1 ? 6 : 4))});
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
  // The tile's output channels, for the bias and the weights.
  SmallVector<Value> filterRows;
  for (int64_t r = 0; r < kTileFilters; ++r)
    filterRows.push_back(
        arith::AddIOp::create(rewriter, loc, f0, index(rewriter, r)));
  SmallVector<Value> acc;
  for (int64_t r = 0; r < kTileFilters; ++r) {
    Value start;
    if (auto fill = dyn_cast<linalg::FillOp>(conv.init))
      start = fill.getInputs()[0];
    else
      start = tensor::ExtractOp::create(
          rewriter, loc, cast<linalg::BroadcastOp>(conv.init).getInput(),
          ValueRange{filterRows[r]});
    acc.push_back(vector::BroadcastOp::create(rewriter, loc, rowType, start));
  }

  auto channelLoop = scf::ForOp::create(
      rewriter, loc, index(rewriter, 0), index(rewriter, conv.channels),
      index(rewriter, 1), acc,
      [&](OpBuilder &b, Location l, Value c, ValueRange args) {
        SmallVector<Value> sums(args);
        AffineExpr cd = b.getAffineDimExpr(0), pd = b.getAffineDimExpr(1);
        Value base = affine::AffineApplyOp::create(
            b, l, AffineMap::get(2, 0, cd * (hq * wq) + pd), ValueRange{c, p0});
        Value zero =
            arith::ConstantOp::create(b, l, f32, b.getF32FloatAttr(0.0f));
        for (int64_t i = 0; i < conv.kh; ++i) {
          for (int64_t j = 0; j < conv.kw; ++j) {
            int64_t phase = (i % s) * s + j % s;
            Value offset = arith::AddIOp::create(
                b, l, base, index(b, phase * phaseSize + i / s * wq + j / s));
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

  // Store the tile into its place in the output.
  OpFoldResult one = rewriter.getIndexAttr(1);
  SmallVector<OpFoldResult> offsets = {f0, p0};
  SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(kTileFilters),
                                     rewriter.getIndexAttr(width)};
  SmallVector<OpFoldResult> unit = {one, one};
  Value tileValue = tensor::ExtractSliceOp::create(
      rewriter, loc, forall.getRegionIterArgs()[0], offsets, sizes, unit);
  Value c0 = index(rewriter, 0);
  for (int64_t r = 0; r < kTileFilters; ++r) {
    Value row = channelLoop.getResult(r);
    if (conv.epilogue)
      row = applyEpilogue(rewriter, loc, conv.epilogue, row);
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
  if (conv.epilogue) {
    // The tiles applied it: its users read the convolution's result.
    rewriter.replaceOp(conv.epilogue, result);
    rewriter.eraseOp(op);
  } else {
    rewriter.replaceOp(op, result);
  }
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
