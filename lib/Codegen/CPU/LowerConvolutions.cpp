//===- LowerConvolutions.cpp - Convolutions as matmuls and vector loops ---===//
//
// NCHW convolutions become matmuls of the filter by the im2col matrix
// (which strata-cpu-vectorize-matmul then register-tiles): built strip by strip
// inside an scf.forall when the image has enough pixels, else whole.
// Depthwise convolutions and pooling windows get the output-width loop
// innermost, so that their loops vectorize along contiguous memory.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "ConvolutionKernels.h"

#include "strata/Codegen/Common/LoopBuilders.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/PatternMatch.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPULOWERCONVOLUTIONSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-lower-convolutions"

/// Accumulates into `acc` (F x OH*OW) the convolution's pixels
/// [first, first + count * width) by column strips of `width` pixels, each
/// built where it is used: in an scf.forall over the strips, strip s is
/// copied into a contiguous (C*KH*KW) x width block, strip[c, i, j, t] =
/// input[0, c, y*sh + i*dh, x*sw + j*dw] for the pixel p = first + s*width
/// + t at (y, x) = (p / OW, p % OW), and multiplied by the filter
/// (F x C*KH*KW) right away while it is in cache.
static Value convByStrips(OpBuilder &b, Location loc, Value input, Value filter,
                          Value acc, ArrayRef<int64_t> window,
                          ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations, int64_t ow,
                          int64_t first, int64_t width, int64_t count,
                          const strata::cpu::KernelConfig &matmul) {
  MLIRContext *ctx = b.getContext();
  auto filterType = cast<RankedTensorType>(filter.getType());
  Type elementType = filterType.getElementType();
  int64_t depth = filterType.getDimSize(1);
  int64_t channels = depth / (window[0] * window[1]);
  auto stripOf = [&](OpBuilder &sb, Location sl, Value s) -> Value {
    auto stripType = RankedTensorType::get(
        {channels, window[0], window[1], width}, elementType);
    Value empty =
        tensor::EmptyOp::create(sb, sl, stripType.getShape(), elementType);
    auto copy = linalg::GenericOp::create(
        sb, sl, TypeRange{stripType}, ValueRange{}, ValueRange{empty},
        ArrayRef<AffineMap>{sb.getMultiDimIdentityMap(4)},
        SmallVector<utils::IteratorType>(4, utils::IteratorType::parallel),
        [&](OpBuilder &nb, Location l, ValueRange) {
          AffineExpr st, c, i, j, t;
          bindDims(ctx, st, c, i, j, t);
          AffineExpr p = st * width + t + first;
          SmallVector<Value> dims = {s};
          for (int64_t d = 0; d < 4; ++d)
            dims.push_back(linalg::IndexOp::create(nb, l, d));
          auto apply = [&](AffineExpr e) {
            return affine::AffineApplyOp::create(nb, l, AffineMap::get(5, 0, e),
                                                 dims);
          };
          Value zero = arith::ConstantIndexOp::create(nb, l, 0);
          Value v = tensor::ExtractOp::create(
              nb, l, input,
              ValueRange{zero, dims[1],
                         apply(p.floorDiv(ow) * strides[0] + i * dilations[0]),
                         apply((p % ow) * strides[1] + j * dilations[1])});
          linalg::YieldOp::create(nb, l, v);
        });
    return tensor::CollapseShapeOp::create(
        sb, sl, RankedTensorType::get({depth, width}, elementType),
        copy.getResult(0), ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
  };
  Operation *strip = nullptr;
  Value result = strata::buildStripMatmuls(b, loc, filter, acc, first, width,
                                           count, stripOf, &strip);
  strata::cpu::setKernelConfig(strip, matmul);
  return result;
}

/// The pixels a 1 x 1 convolution with strides `strides` reads of `input`
/// (1 x C x H x W): input[0, c, y * sh, x * sw] for each output pixel
/// (y, x), as a contiguous 1 x C x OH x OW image, so that the convolution is
/// a plain matmul by it. An scf.forall over the channels reads each row it
/// needs as one vector and keeps every sw-th lane (a shuffle), instead of
/// an im2col copy element by element.
static Value subsampleImage(OpBuilder &b, Location loc, Value input,
                            ArrayRef<int64_t> strides, int64_t oh, int64_t ow) {
  auto inputType = cast<RankedTensorType>(input.getType());
  Type elementType = inputType.getElementType();
  int64_t channels = inputType.getDimSize(1);
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{1, channels, oh, ow}, elementType);
  // Row y of the output is every sw-th pixel of image row y * sh, from the
  // first: one vector read of (ow - 1) * sw + 1 pixels, then a shuffle.
  auto rowType = VectorType::get({(ow - 1) * strides[1] + 1}, elementType);
  SmallVector<int64_t> mask;
  for (int64_t x = 0; x < ow; ++x)
    mask.push_back(x * strides[1]);
  return strata::buildRowsForall(
      b, loc, empty, /*dim=*/1, oh,
      [&](OpBuilder &rb, Location l, Value c, Value y, Value slice) -> Value {
        auto index = [&](int64_t v) -> Value {
          return arith::ConstantIndexOp::create(rb, l, v);
        };
        Value row = affine::AffineApplyOp::create(
            rb, l, AffineMap::get(1, 0, rb.getAffineDimExpr(0) * strides[0]),
            ValueRange{y});
        Value padding = arith::ConstantOp::create(rb, l, elementType,
                                                  rb.getZeroAttr(elementType));
        Value pixels = vector::TransferReadOp::create(
            rb, l, rowType, input, ValueRange{index(0), c, row, index(0)},
            padding, ArrayRef<bool>{true});
        Value picked = vector::ShuffleOp::create(rb, l, pixels, pixels, mask);
        return vector::TransferWriteOp::create(
                   rb, l, picked, slice,
                   ValueRange{index(0), index(0), y, index(0)},
                   ArrayRef<bool>{true})
            .getResult();
      });
}

/// The convolution of one image (`input` 1 x C x H x W, already padded) as
/// a matmul: weight (F x C*KH*KW) times the im2col matrix (C*KH*KW x OH*OW),
/// accumulated into `init` (1 x F x OH x OW).
static Value convOneImage(OpBuilder &b, Location loc, Value input, Value weight,
                          Value init, ArrayRef<int64_t> strides,
                          ArrayRef<int64_t> dilations,
                          const strata::cpu::KernelConfig &config) {
  int64_t stripWidth = config.stripWidth;
  strata::cpu::KernelConfig matmul = config.matmul();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  auto outType = cast<RankedTensorType>(init.getType());
  Type elementType = outType.getElementType();
  int64_t channels = inputType.getDimSize(1);
  int64_t filters = weightType.getDimSize(0);
  int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t depth = channels * kh * kw, pixels = oh * ow;

  Value columns;
  // A strided 1x1 convolution is a 1x1 unit-stride one of the pixels it
  // reads (the shortcuts of ResNets' downsampling blocks).
  if (kh == 1 && kw == 1 && (strides[0] > 1 || strides[1] > 1)) {
    input = subsampleImage(b, loc, input, strides, oh, ow);
    inputType = cast<RankedTensorType>(input.getType());
  }
  bool pointwise = kh == 1 && kw == 1 && inputType.getDimSize(2) == oh &&
                   inputType.getDimSize(3) == ow;
  MLIRContext *ctx = b.getContext();
  Value filter = tensor::CollapseShapeOp::create(
      b, loc, RankedTensorType::get({filters, depth}, elementType), weight,
      ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  SmallVector<ReassociationIndices> outGroups = {{0, 1}, {2, 3}};
  auto productType = RankedTensorType::get({filters, pixels}, elementType);
  Value acc =
      tensor::CollapseShapeOp::create(b, loc, productType, init, outGroups);

  if (!pointwise && stripWidth > 1 && pixels / stripWidth >= config.minStrips) {
    // Full strips, then (if the width does not divide OH*OW) one narrower
    // strip with the remaining pixels.
    int64_t full = pixels / stripWidth, rest = pixels % stripWidth;
    Value result =
        convByStrips(b, loc, input, filter, acc, {kh, kw}, strides, dilations,
                     ow, /*first=*/0, stripWidth, full, matmul);
    if (rest)
      result = convByStrips(b, loc, input, filter, result, {kh, kw}, strides,
                            dilations, ow, full * stripWidth, rest, 1, matmul);
    return tensor::ExpandShapeOp::create(b, loc, outType, result, outGroups);
  }

  if (pointwise) {
    // A 1x1 unit-stride convolution reads the image as it is.
    columns = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({depth, pixels}, elementType), input,
        ArrayRef<ReassociationIndices>{{0, 1}, {2, 3}});
  } else {
    // columns[c, i, j, y, x] = input[0, c, y*sh + i*dh, x*sw + j*dw]: the
    // innermost loop (x) reads along an image row.
    AffineExpr c, i, j, y, x;
    bindDims(ctx, c, i, j, y, x);
    auto readMap = AffineMap::get(5, 0,
                                  {getAffineConstantExpr(0, ctx), c,
                                   y * strides[0] + i * dilations[0],
                                   x * strides[1] + j * dilations[1]},
                                  ctx);
    auto columnsType =
        RankedTensorType::get({channels, kh, kw, oh, ow}, elementType);
    Value empty =
        tensor::EmptyOp::create(b, loc, columnsType.getShape(), elementType);
    auto copy = linalg::GenericOp::create(
        b, loc, TypeRange{columnsType}, ValueRange{input}, ValueRange{empty},
        ArrayRef<AffineMap>{readMap, b.getMultiDimIdentityMap(5)},
        SmallVector<utils::IteratorType>(5, utils::IteratorType::parallel),
        [](OpBuilder &nested, Location l, ValueRange args) {
          linalg::YieldOp::create(nested, l, args[0]);
        });
    columns = tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({depth, pixels}, elementType),
        copy.getResult(0), ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4}});
  }
  auto product =
      linalg::MatmulOp::create(b, loc, TypeRange{productType},
                               ValueRange{filter, columns}, ValueRange{acc});
  strata::cpu::setKernelConfig(product, matmul);
  return tensor::ExpandShapeOp::create(b, loc, outType, product.getResult(0),
                                       outGroups);
}

/// A static f32 convolution on tensors, of any named convolution kind.
static bool isStaticF32Conv(linalg::LinalgOp op) {
  auto outType = dyn_cast<RankedTensorType>(op->getResultTypes()[0]);
  return op.hasPureTensorSemantics() && outType &&
         strata::cpu::hasStaticNonEmptyTensors(op) &&
         outType.getElementType().isF32();
}

bool strata::cpu::isIm2colConv(linalg::Conv2DNchwFchwOp op) {
  return isStaticF32Conv(op);
}

bool strata::cpu::isIm2colConv(linalg::Conv2DNgchwGfchwOp op) {
  return isStaticF32Conv(op);
}

/// conv_2d_ngchw_gfchw (input N x G x C/G x H x W, filter G x F/G x C/G x
/// KH x KW) as a loop over the images and, in each, over the groups of the
/// one-image im2col matmul of the group's channels by its filters: a
/// grouped convolution is G small convolutions side by side.
static LogicalResult
groupedConvToMatmuls(RewriterBase &rewriter, linalg::Conv2DNgchwGfchwOp op,
                     const strata::cpu::KernelConfig &config) {
  if (!strata::cpu::isIm2colConv(op))
    return failure();
  SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(op.getDilations().getValues<int64_t>());
  Value input = op.getInputs()[0], weight = op.getInputs()[1];
  int64_t groupCount = cast<RankedTensorType>(weight.getType()).getDimSize(0);
  // With several threads, the groups are shared out (each group's matmul,
  // whole, on one thread) rather than each group's few strips: a fork per
  // group costs more than its work.
  bool shareGroups = config.threads > 1 && groupCount > 1;
  strata::cpu::KernelConfig groupConfig = config;
  if (shareGroups) {
    groupConfig.stripWidth = 1;
    groupConfig.threads = 1;
  }
  rewriter.setInsertionPoint(op);
  Value result = strata::buildBatchLoop(
      rewriter, op.getLoc(), op.getOutputs()[0], /*dropBatchDim=*/true,
      [&](OpBuilder &b, Location l, Value n, Value image) {
        Value groups = strata::batchSlice(b, l, input, n, true);
        auto group = [&](OpBuilder &gb, Location gl, Value g, Value acc) {
          return convOneImage(gb, gl,
                              strata::batchSlice(gb, gl, groups, g, false),
                              strata::batchSlice(gb, gl, weight, g, true), acc,
                              strides, dilations, groupConfig);
        };
        if (shareGroups)
          return strata::buildSlicesForall(b, l, image, /*dim=*/0, groupCount,
                                           groupCount, group);
        return strata::buildBatchLoop(b, l, image, /*dropBatchDim=*/false,
                                      group);
      });
  rewriter.replaceOp(op, result);
  return success();
}

/// conv_2d_nchw_fchw as one matmul per image.
static LogicalResult convToMatmul(RewriterBase &rewriter,
                                  linalg::Conv2DNchwFchwOp op,
                                  const strata::cpu::KernelConfig &config) {
  auto outType = cast<RankedTensorType>(op.getResultTypes()[0]);
  Value input = op.getInputs()[0], weight = op.getInputs()[1];
  Value init = op.getOutputs()[0];
  if (!strata::cpu::isIm2colConv(op))
    return failure();
  SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
  SmallVector<int64_t> dilations(op.getDilations().getValues<int64_t>());
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);

  int64_t batch = outType.getDimSize(0);
  if (batch == 1) {
    rewriter.replaceOp(op, convOneImage(rewriter, loc, input, weight, init,
                                        strides, dilations, config));
    return success();
  }
  // Several images: a loop over them, one matmul each.
  Value result = strata::buildBatchLoop(
      rewriter, loc, init, /*dropBatchDim=*/false,
      [&](OpBuilder &b, Location l, Value n, Value acc) {
        return convOneImage(b, l, strata::batchSlice(b, l, input, n, false),
                            weight, acc, strides, dilations, config);
      });
  rewriter.replaceOp(op, result);
  return success();
}

/// A sliding-window op over (n, c, oh, ow, kh, kw) as a generic whose loops
/// run (n, c, oh, kh, kw, ow): the innermost loop walks an output row and an
/// input row, which LLVM vectorizes.
bool strata::cpu::isLoopWindow(linalg::LinalgOp op) {
  return isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp,
             linalg::PoolingNchwSumOp>(op) &&
         op.hasPureTensorSemantics() &&
         strata::cpu::hasStaticNonEmptyTensors(op) && op.getNumLoops() == 6;
}

static LogicalResult windowRowInnermost(RewriterBase &rewriter,
                                        linalg::LinalgOp op) {
  if (!strata::cpu::isLoopWindow(op))
    return failure();
  rewriter.setInsertionPoint(op);
  // The loops of the output's (n, c, oh, ow) and the window's (kh, kw), in
  // whatever order the named op declares them.
  SmallVector<unsigned> order;
  for (AffineExpr e :
       op.getIndexingMapMatchingResult(op->getResult(0)).getResults()) {
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim)
      return failure();
    order.push_back(dim.getPosition());
  }
  unsigned width = order.pop_back_val();
  SmallVector<unsigned> reductions;
  op.getReductionDims(reductions);
  if (order.size() != 3 || reductions.size() != 2)
    return failure();
  SmallVector<unsigned> interchange(order);
  interchange.append(reductions.begin(), reductions.end());
  interchange.push_back(width);
  FailureOr<linalg::GenericOp> generic =
      linalg::generalizeNamedOp(rewriter, op);
  if (failed(generic))
    return failure();
  return linalg::interchangeGenericOp(rewriter, *generic, interchange);
}

namespace {
struct StrataCPULowerConvolutionsPass
    : strata::cpu::impl::StrataCPULowerConvolutionsPassBase<
          StrataCPULowerConvolutionsPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<SmallVector<strata::cpu::ConfiguredOp>> convs =
        strata::cpu::opsWithKernel(getOperation(),
                                   strata::cpu::Kernel::Im2colMatmul);
    if (failed(convs))
      return signalPassFailure();
    FailureOr<SmallVector<strata::cpu::ConfiguredOp>> windows =
        strata::cpu::opsWithKernel(getOperation(),
                                   strata::cpu::Kernel::WindowLoops);
    if (failed(windows))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    for (auto [op, config] : *convs) {
      if (auto grouped = dyn_cast<linalg::Conv2DNgchwGfchwOp>(op)) {
        if (failed(groupedConvToMatmuls(rewriter, grouped, config)))
          LLVM_DEBUG(llvm::dbgs() << "not an im2col grouped convolution, "
                                     "left as it is: "
                                  << *op << "\n");
        continue;
      }
      auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op);
      if (!conv || failed(convToMatmul(rewriter, conv, config)))
        LLVM_DEBUG(llvm::dbgs() << "not an im2col convolution, left as it "
                                   "is: "
                                << *op << "\n");
    }
    for (const strata::cpu::ConfiguredOp &configured : *windows) {
      Operation *op = configured.op;
      auto window = dyn_cast<linalg::LinalgOp>(op);
      if (!window || failed(windowRowInnermost(rewriter, window)))
        LLVM_DEBUG(llvm::dbgs()
                   << "not a window op, left as it is: " << *op << "\n");
    }
  }
};
} // namespace
