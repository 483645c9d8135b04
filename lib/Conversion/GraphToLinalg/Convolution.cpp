//===- Convolution.cpp - conv2d and pooling to linalg ---------------------===//
//
// conv2d becomes linalg.conv_2d_nchw_fchw (groups = 1),
// linalg.depthwise_conv_2d_nchw_chw (one filter per channel) or
// linalg.conv_2d_ngchw_gfchw (other groups); padding is an explicit
// tensor.pad and the bias initializes the accumulator. Pooling becomes
// linalg.pooling_nchw_max/sum; average pooling divides by a compile-time
// divisor table, so padding and ceil_mode windows are counted exactly.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphOps.h"

using namespace mlir;

namespace strata::graph_to_linalg {
namespace {

using namespace strata::graph;

/// Pads an NCHW tensor spatially: `pads` is [top, left, bottom, right];
/// `extraHigh` adds to bottom/right (ceil_mode windows).
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> pads, ArrayRef<int64_t> extraHigh,
                 Value padValue) {
  int64_t low[4] = {0, 0, pads[0], pads[1]};
  int64_t high[4] = {0, 0, pads[2] + extraHigh[0], pads[3] + extraHigh[1]};
  return padTensor(b, loc, input, low, high, padValue);
}

/// Padding to add after the input so that every window of the output fits
/// (ceil_mode makes the last window run past the padded input).
SmallVector<int64_t, 2>
ceilExtra(RankedTensorType input, RankedTensorType output,
          ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
          ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations) {
  SmallVector<int64_t, 2> extra;
  for (int i = 0; i < 2; ++i) {
    int64_t needed = (output.getDimSize(2 + i) - 1) * strides[i] +
                     dilations[i] * (kernel[i] - 1) + 1;
    int64_t have = input.getDimSize(2 + i) + pads[i] + pads[2 + i];
    extra.push_back(std::max<int64_t>(0, needed - have));
  }
  return extra;
}

/// `value` (8-bit integers) extended to `type` elementwise.
Value widenTo(OpBuilder &b, Location loc, Value value, Type type,
              bool isUnsigned) {
  auto valueType = cast<RankedTensorType>(value.getType());
  return buildElementwise(b, loc, ValueRange{value}, valueType.clone(type),
                          [&](OpBuilder &nb, Location l, ValueRange args) {
                            return convertScalar(nb, l, args[0], type,
                                                 isUnsigned);
                          });
}

/// An ungrouped convolution of 8-bit integers (the padded `input`, the
/// `weight`) into the i32 `init`: a linalg.generic of loops (n, f, oh, ow,
/// c, kh, kw) that extends each operand by its own signedness (the named
/// convolutions extend both as signed).
Value integerConv(OpBuilder &b, Conv2DOp op, Value input, Value weight,
                  Value init) {
  MLIRContext *context = b.getContext();
  AffineExpr n, f, oh, ow, c, kh, kw;
  bindDims(context, n, f, oh, ow, c, kh, kw);
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  AffineExpr h = oh * strides[0] + kh * dilations[0];
  AffineExpr w = ow * strides[1] + kw * dilations[1];
  SmallVector<AffineMap> maps = {AffineMap::get(7, 0, {n, c, h, w}, context),
                                 AffineMap::get(7, 0, {f, c, kh, kw}, context),
                                 AffineMap::get(7, 0, {n, f, oh, ow}, context)};
  SmallVector<utils::IteratorType> iterators = parallelIterators(4);
  iterators.append(3, utils::IteratorType::reduction);
  bool inputUnsigned = readsUnsigned(op, 0);
  bool weightUnsigned = readsUnsigned(op, 1);
  Type i32 = cast<RankedTensorType>(init.getType()).getElementType();
  return linalg::GenericOp::create(
             b, op.getLoc(), TypeRange{init.getType()},
             ValueRange{input, weight}, ValueRange{init}, maps, iterators,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               Value x = convertScalar(nb, l, args[0], i32, inputUnsigned);
               Value y = convertScalar(nb, l, args[1], i32, weightUnsigned);
               Value sum = arith::AddIOp::create(
                   nb, l, args[2], arith::MulIOp::create(nb, l, x, y));
               linalg::YieldOp::create(nb, l, sum);
             })
      .getResult(0);
}

struct Conv2DLowering : OpConversionPattern<Conv2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Conv2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    Type elementType = resultType.getElementType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Value weight = adaptor.getWeight();
    auto weightType = cast<RankedTensorType>(weight.getType());
    Value zero = scalarConstant(rewriter, loc, elementType, 0);
    Value input = padSpatial(
        rewriter, loc, adaptor.getInput(), op.getPads(), {0, 0},
        scalarConstant(rewriter, loc, inputType.getElementType(), 0));
    int64_t groups = op.getGroups();
    // 8-bit integers accumulating in i32: extended by their own signedness.
    bool widens =
        !isFloat(elementType) && inputType.getElementType() != elementType;
    if (widens && groups != 1) {
      input = widenTo(rewriter, loc, input, elementType, readsUnsigned(op, 0));
      weight =
          widenTo(rewriter, loc, weight, elementType, readsUnsigned(op, 1));
    }

    // The accumulator starts as the bias broadcast over N, H and W.
    Value init;
    if (Value bias = adaptor.getBias())
      init = linalg::BroadcastOp::create(rewriter, loc, bias,
                                         emptyTensor(rewriter, loc, resultType),
                                         ArrayRef<int64_t>{0, 2, 3})
                 .getResult()[0];
    else
      init = filledTensor(rewriter, loc, resultType, zero);

    Attribute strides = rewriter.getI64TensorAttr(op.getStrides());
    Attribute dilations = rewriter.getI64TensorAttr(op.getDilations());
    int64_t channels = inputType.getDimSize(1);
    int64_t outChannels = weightType.getDimSize(0);

    if (widens && groups == 1) {
      rewriter.replaceOp(op, integerConv(rewriter, op, input, weight, init));
      return success();
    }
    if (groups == 1) {
      rewriter.replaceOp(op, linalg::Conv2DNchwFchwOp::create(
                                 rewriter, loc, TypeRange{resultType},
                                 ValueRange{input, weight}, ValueRange{init},
                                 strides, dilations)
                                 .getResult(0));
      return success();
    }

    if (groups == channels && outChannels == channels) {
      // Depthwise: the weight's unit input-channel dimension goes away.
      auto filterType = RankedTensorType::get(
          {channels, weightType.getDimSize(2), weightType.getDimSize(3)},
          elementType);
      Value filter = tensor::CollapseShapeOp::create(
          rewriter, loc, filterType, weight,
          ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}});
      rewriter.replaceOp(op, linalg::DepthwiseConv2DNchwChwOp::create(
                                 rewriter, loc, TypeRange{resultType},
                                 ValueRange{input, filter}, ValueRange{init},
                                 strides, dilations)
                                 .getResult(0));
      return success();
    }

    // General groups: split channels into (groups, channels per group).
    auto paddedType = cast<RankedTensorType>(input.getType());
    auto groupedInputType = RankedTensorType::get(
        {paddedType.getDimSize(0), groups, channels / groups,
         paddedType.getDimSize(2), paddedType.getDimSize(3)},
        elementType);
    Value groupedInput = tensor::ExpandShapeOp::create(
        rewriter, loc, groupedInputType, input,
        ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
    auto groupedWeightType = RankedTensorType::get(
        {groups, outChannels / groups, weightType.getDimSize(1),
         weightType.getDimSize(2), weightType.getDimSize(3)},
        elementType);
    Value groupedWeight = tensor::ExpandShapeOp::create(
        rewriter, loc, groupedWeightType, weight,
        ArrayRef<ReassociationIndices>{{0, 1}, {2}, {3}, {4}});
    auto groupedResultType = RankedTensorType::get(
        {resultType.getDimSize(0), groups, outChannels / groups,
         resultType.getDimSize(2), resultType.getDimSize(3)},
        elementType);
    SmallVector<ReassociationIndices> resultGroups = {{0}, {1, 2}, {3}, {4}};
    Value groupedInit = tensor::ExpandShapeOp::create(
        rewriter, loc, groupedResultType, init, resultGroups);
    Value conv = linalg::Conv2DNgchwGfchwOp::create(
                     rewriter, loc, TypeRange{groupedResultType},
                     ValueRange{groupedInput, groupedWeight},
                     ValueRange{groupedInit}, strides, dilations)
                     .getResult(0);
    rewriter.replaceOpWithNewOp<tensor::CollapseShapeOp>(op, resultType, conv,
                                                         resultGroups);
    return success();
  }
};

struct MaxPool2DLowering : OpConversionPattern<MaxPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(MaxPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type elementType = resultType.getElementType();
    // linalg's max pooling compares integers as signed: unsigned ones are
    // pooled with their top bit flipped, which maps their order onto the
    // signed order, and flipped back.
    bool flip = readsUnsigned(op) && !isFloat(elementType);
    auto flipTopBit = [&](Value tensor) {
      Value topBit = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getIntegerAttr(
              elementType,
              APInt::getSignMask(elementType.getIntOrFloatBitWidth())));
      return buildElementwise(rewriter, loc, ValueRange{tensor},
                              cast<RankedTensorType>(tensor.getType()),
                              [&](OpBuilder &b, Location l, ValueRange args) {
                                return arith::XOrIOp::create(b, l, args[0],
                                                             topBit);
                              });
    };
    Value lowest = extremeConstant(rewriter, loc, elementType, /*lowest=*/true);
    SmallVector<int64_t, 2> extra =
        ceilExtra(inputType, resultType, op.getKernel(), op.getStrides(),
                  op.getPads(), op.getDilations());
    Value source = flip ? flipTopBit(adaptor.getInput()) : adaptor.getInput();
    Value input =
        padSpatial(rewriter, loc, source, op.getPads(), extra, lowest);
    Value window =
        tensor::EmptyOp::create(rewriter, loc, op.getKernel(), elementType);
    Value pooled =
        linalg::PoolingNchwMaxOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{input, window},
            ValueRange{filledTensor(rewriter, loc, resultType, lowest)},
            rewriter.getI64TensorAttr(op.getStrides()),
            rewriter.getI64TensorAttr(op.getDilations()))
            .getResult(0);
    rewriter.replaceOp(op, flip ? flipTopBit(pooled) : pooled);
    return success();
  }
};

struct AvgPool2DLowering : OpConversionPattern<AvgPool2DOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(AvgPool2DOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> kernel = op.getKernel(), strides = op.getStrides(),
                      pads = op.getPads();
    int64_t dilations[2] = {1, 1};
    SmallVector<int64_t, 2> extra =
        ceilExtra(inputType, resultType, kernel, strides, pads, dilations);
    Value zero = scalarConstant(rewriter, loc, elementType, 0);
    Value input =
        padSpatial(rewriter, loc, adaptor.getInput(), pads, extra, zero);
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elementType);
    Value sum =
        linalg::PoolingNchwSumOp::create(
            rewriter, loc, TypeRange{resultType}, ValueRange{input, window},
            ValueRange{filledTensor(rewriter, loc, resultType, zero)},
            rewriter.getI64TensorAttr(strides),
            rewriter.getI64TensorAttr(dilations))
            .getResult(0);

    // Divisor per output position: the window clipped to the padded input
    // (count_include_pad) or to the input itself; never the ceil_mode
    // overhang.
    int64_t outH = resultType.getDimSize(2), outW = resultType.getDimSize(3);
    auto count = [&](int64_t out, int i) {
      int64_t in = inputType.getDimSize(2 + i);
      int64_t start = out * strides[i] - pads[i];
      int64_t end = std::min(start + kernel[i], in + pads[2 + i]);
      if (!op.getCountIncludePad()) {
        start = std::max<int64_t>(start, 0);
        end = std::min(end, in);
      }
      return std::max<int64_t>(end - start, 1);
    };
    SmallVector<double> divisors;
    bool uniform = true;
    for (int64_t h = 0; h < outH; ++h)
      for (int64_t w = 0; w < outW; ++w) {
        divisors.push_back(static_cast<double>(count(h, 0) * count(w, 1)));
        uniform &= divisors.back() == divisors.front();
      }
    auto divisorType = RankedTensorType::get(
        uniform ? SmallVector<int64_t>{} : SmallVector<int64_t>{outH, outW},
        elementType);
    SmallVector<Attribute> values;
    for (double d : uniform ? ArrayRef<double>(divisors).take_front(1)
                            : ArrayRef<double>(divisors))
      values.push_back(rewriter.getFloatAttr(elementType, d));
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, values));
    rewriter.replaceOp(
        op,
        buildElementwise(rewriter, loc, ValueRange{sum, divisor}, resultType,
                         [](OpBuilder &b, Location l, ValueRange args) {
                           return arith::DivFOp::create(b, l, args[0], args[1]);
                         }));
    return success();
  }
};

/// Global pooling: a linalg.reduce over H and W, then (for the average) a
/// division by H * W.
template <typename OpTy, bool IsMax>
struct GlobalPoolLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType resultType = op.getType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Type elementType = resultType.getElementType();
    auto reducedType = RankedTensorType::get(
        {resultType.getDimSize(0), resultType.getDimSize(1)}, elementType);
    Value initValue = IsMax ? extremeConstant(rewriter, loc, elementType, true)
                            : scalarConstant(rewriter, loc, elementType, 0);
    auto reduce = linalg::ReduceOp::create(
        rewriter, loc, ValueRange{adaptor.getInput()},
        ValueRange{filledTensor(rewriter, loc, reducedType, initValue)},
        ArrayRef<int64_t>{2, 3},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value r =
              IsMax ? Value(arith::MaximumFOp::create(b, l, args[0], args[1]))
                    : Value(arith::AddFOp::create(b, l, args[0], args[1]));
          linalg::YieldOp::create(b, l, r);
        });
    Value result = reduce.getResult(0);
    if (!IsMax) {
      double size = static_cast<double>(inputType.getDimSize(2) *
                                        inputType.getDimSize(3));
      Value divisor = scalarConstant(rewriter, loc, elementType, size);
      result = buildElementwise(rewriter, loc, ValueRange{result}, reducedType,
                                [&](OpBuilder &b, Location l, ValueRange args) {
                                  return arith::DivFOp::create(b, l, args[0],
                                                               divisor);
                                });
    }
    rewriter.replaceOpWithNewOp<tensor::ExpandShapeOp>(
        op, resultType, result, ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    return success();
  }
};

} // namespace

void populateConvolutionPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  patterns.add<Conv2DLowering, MaxPool2DLowering, AvgPool2DLowering>(context);
  patterns.add<GlobalPoolLowering<GlobalAvgPool2DOp, false>,
               GlobalPoolLowering<GlobalMaxPool2DOp, true>>(context);
}

} // namespace strata::graph_to_linalg
