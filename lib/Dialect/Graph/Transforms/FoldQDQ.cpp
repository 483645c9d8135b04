//===- FoldQDQ.cpp - Quantized operands into integer matmuls and convs ----===//
//
// A QDQ model (ONNX Runtime's quantizer, strata.quantize) computes in float
// between dequantize and quantize; this pass moves its matmuls and
// convolutions into integer arithmetic, which is exact:
//
//   conv2d(dequantize(x, sx, zx), dequantize(w, sw, 0)) + bias
//     == dequantize(conv2d(pad(x, zx), w) + (bias_q - zx * sum(w)), sx*sw, 0)
//
// (padding the 8-bit input with its zero point makes every window's
// correction the same constant), then a dequantize whose value is quantized
// again becomes one requantize, ReLU folded into its saturation; max
// pooling and reshapes move before dequantizes, onto the bytes. What
// cannot be done in integers stays in float; the dequantizes of constants
// left over fold to float constants, so a model whose ops stay in float
// runs as fast as the float model.
//
//===----------------------------------------------------------------------===//

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Transforms/Passes.h"
#include "strata/Support/ConstantData.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>
#include <cstring>

namespace strata::graph {
#define GEN_PASS_DEF_GRAPHFOLDQDQPASS
#include "strata/Dialect/Graph/Transforms/Passes.h.inc"
} // namespace strata::graph

using namespace mlir;
using namespace strata::graph;

namespace {

/// The values of a constant (float or integer elements, a splat expanded),
/// in row-major order; none if `v` is not a graph.constant of those.
std::optional<SmallVector<double>> constantValues(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto attr = dyn_cast<ElementsAttr>(constant.getValue());
  if (!attr)
    return std::nullopt;
  auto type = cast<ShapedType>(attr.getType());
  Type element = type.getElementType();
  int64_t count = type.getNumElements();
  SmallVector<double> values;
  values.reserve(count);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr);
      dense && dense.isSplat()) {
    double splat =
        isa<FloatType>(element)
            ? dense.getSplatValue<APFloat>().convertToDouble()
            : (element.isUnsignedInteger()
                   ? double(dense.getSplatValue<APInt>().getZExtValue())
                   : double(dense.getSplatValue<APInt>().getSExtValue()));
    values.assign(count, splat);
    return values;
  }
  std::optional<ArrayRef<char>> bytes = strata::constantBytes(attr);
  if (!bytes)
    return std::nullopt;
  const char *data = bytes->data();
  for (int64_t i = 0; i < count; ++i) {
    if (element.isF32()) {
      float f;
      std::memcpy(&f, data + 4 * i, 4);
      values.push_back(f);
    } else if (element.isInteger(32)) {
      int32_t x;
      std::memcpy(&x, data + 4 * i, 4);
      values.push_back(x);
    } else if (element.isUnsignedInteger(8)) {
      values.push_back(static_cast<uint8_t>(data[i]));
    } else if (element.isInteger(8)) {
      values.push_back(static_cast<int8_t>(data[i]));
    } else {
      return std::nullopt;
    }
  }
  return values;
}

/// A dequantize with constant scale and zero point (and a constant input
/// if `constantInput`).
struct Dequantized {
  DequantizeOp op;
  SmallVector<double> scale, zeroPoint, input;
  /// The channel axis of per-channel parameters, normalized; none per
  /// tensor.
  std::optional<int64_t> axis;
};

std::optional<Dequantized> matchDequantize(Value v, bool constantInput) {
  auto op = v.getDefiningOp<DequantizeOp>();
  if (!op)
    return std::nullopt;
  Dequantized d{op, {}, {}, {}, std::nullopt};
  std::optional<SmallVector<double>> scale = constantValues(op.getScale());
  std::optional<SmallVector<double>> zp = constantValues(op.getZeroPoint());
  if (!scale || !zp)
    return std::nullopt;
  d.scale = std::move(*scale);
  d.zeroPoint = std::move(*zp);
  if (constantInput) {
    std::optional<SmallVector<double>> input = constantValues(op.getInput());
    if (!input)
      return std::nullopt;
    d.input = std::move(*input);
  }
  if (op.getScale().getType().getRank() == 1) {
    int64_t rank = op.getInput().getType().getRank();
    d.axis = (*op.getAxis() + rank) % rank;
  }
  return d;
}

/// Whether `d` is an 8-bit activation quantized per tensor.
bool isActivation(Dequantized &d) {
  return !d.axis && d.op.getInput().getType().getElementType().isInteger(8);
}

/// Whether `d` is an i8 constant weight with zero points of 0, per tensor
/// or per channel along `axis`.
bool isSymmetricWeight(Dequantized &d, int64_t axis) {
  Type element = d.op.getInput().getType().getElementType();
  return element.isSignlessInteger(8) && (!d.axis || *d.axis == axis) &&
         llvm::all_of(d.zeroPoint, [](double z) { return z == 0; });
}

Value i32Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  ArrayRef<int32_t> values) {
  auto type = RankedTensorType::get(shape, b.getI32Type());
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

Value f32Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
                  ArrayRef<float> values) {
  auto type = RankedTensorType::get(shape, b.getF32Type());
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, values));
}

/// The product scale sx * sw of an integer product, one per output channel
/// (`channels`) or one (`perChannel` false), in f32 as the float model
/// computes it.
SmallVector<float> productScale(double sx, const Dequantized &w,
                                int64_t channels) {
  SmallVector<float> scale;
  for (int64_t c = 0; c < (w.axis ? channels : 1); ++c)
    scale.push_back(static_cast<float>(sx) *
                    static_cast<float>(w.scale[w.axis ? c : 0]));
  return scale;
}

/// The int32 bias of an integer product, if `bias` is a dequantized int32
/// constant with the product's scale (what quantizers write); an empty
/// vector if there is no bias; none if the bias cannot be added exactly.
std::optional<SmallVector<int64_t>>
integerBias(Value bias, ArrayRef<float> scale, int64_t channels) {
  if (!bias)
    return SmallVector<int64_t>(channels, 0);
  std::optional<Dequantized> b = matchDequantize(bias, /*constantInput=*/true);
  if (!b || !b->op.getInput().getType().getElementType().isInteger(32) ||
      b->op.getInput().getType().getRank() != 1 ||
      b->input.size() != static_cast<size_t>(channels))
    return std::nullopt;
  for (int64_t c = 0; c < channels; ++c) {
    double expected = scale[scale.size() == 1 ? 0 : c];
    double actual = b->scale[b->scale.size() == 1 ? 0 : c];
    if (std::abs(actual - expected) > 1e-6 * std::abs(expected))
      return std::nullopt;
  }
  return SmallVector<int64_t>(b->input.begin(), b->input.end());
}

/// bias[c] - zx * (the sum of the `count` weights of output channel c,
/// element i of channel c at weights[c * step + i * stride]), per channel:
/// the i32 bias of an integer product whose input's zero point is `zx`.
SmallVector<int32_t> biasMinusZeroPointShare(ArrayRef<int64_t> bias, double zx,
                                             ArrayRef<double> weights,
                                             int64_t count, int64_t stride,
                                             int64_t step) {
  SmallVector<int32_t> result;
  for (auto [c, b] : llvm::enumerate(bias)) {
    int64_t sum = 0;
    for (int64_t i = 0; i < count; ++i)
      sum += static_cast<int64_t>(weights[c * step + i * stride]);
    result.push_back(static_cast<int32_t>(b - static_cast<int64_t>(zx) * sum));
  }
  return result;
}

/// The dequantize of the i32 `acc` by `scale` (per channel along `axis`
/// when it has several values), which replaces a float product.
Value dequantizeProduct(OpBuilder &b, Location loc, Value acc,
                        ArrayRef<float> scale, int64_t axis) {
  SmallVector<int64_t> shape;
  IntegerAttr axisAttr;
  if (scale.size() > 1) {
    shape.push_back(scale.size());
    axisAttr = b.getI64IntegerAttr(axis);
  }
  SmallVector<int32_t> zeros(scale.size(), 0);
  return DequantizeOp::create(b, loc, acc, f32Constant(b, loc, shape, scale),
                              i32Constant(b, loc, shape, zeros), axisAttr);
}

/// conv2d(dequantize(x), dequantize(w)[, dequantize(bias)]) in integers.
LogicalResult foldConv(Conv2DOp conv) {
  std::optional<Dequantized> x = matchDequantize(conv.getInput(), false);
  std::optional<Dequantized> w = matchDequantize(conv.getWeight(), true);
  if (!x || !w || !isActivation(*x) || !isSymmetricWeight(*w, 0) ||
      conv.getGroups() != 1)
    return failure();
  RankedTensorType weightType = w->op.getInput().getType();
  int64_t channels = weightType.getDimSize(0);
  int64_t perChannel = weightType.getNumElements() / channels;
  SmallVector<float> scale = productScale(x->scale[0], *w, channels);
  std::optional<SmallVector<int64_t>> bias =
      integerBias(conv.getBias(), scale, channels);
  if (!bias)
    return failure();
  // Padding with the zero point makes every window contain C*KH*KW
  // quantized values, so the zero point's share is zx * sum(w[f]).
  SmallVector<int32_t> correction =
      biasMinusZeroPointShare(*bias, x->zeroPoint[0], w->input, perChannel,
                              /*stride=*/1, /*step=*/perChannel);
  OpBuilder b(conv);
  Location loc = conv.getLoc();
  Value input = x->op.getInput();
  ArrayRef<int64_t> pads = conv.getPads();
  if (llvm::any_of(pads, [](int64_t p) { return p != 0; }))
    input = PadOp::create(b, loc, input,
                          b.getDenseI64ArrayAttr(
                              {0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]}),
                          PadModeAttr::get(b.getContext(), PadMode::constant),
                          b.getF64FloatAttr(x->zeroPoint[0]));
  Value biasValue;
  if (llvm::any_of(correction, [](int32_t c) { return c != 0; }))
    biasValue = i32Constant(b, loc, {channels}, correction);
  Value acc = Conv2DOp::create(b, loc, input, w->op.getInput(), biasValue,
                               conv.getStrides(), ArrayRef<int64_t>{0, 0, 0, 0},
                               conv.getDilations(), 1);
  conv.replaceAllUsesWith(dequantizeProduct(b, loc, acc, scale, 1));
  conv.erase();
  return success();
}

/// The rank-2 i8 constant of `v` (a dequantized weight, or the transpose
/// of one as Gemm's transB imports) with its dequantize, the data
/// transposed when it was.
std::optional<Dequantized> matchMatmulWeight(Value v, OpBuilder &b) {
  auto transpose = v.getDefiningOp<TransposeOp>();
  std::optional<Dequantized> w = matchDequantize(
      transpose ? transpose.getInput() : v, /*constantInput=*/true);
  if (!w || w->op.getInput().getType().getRank() != 2)
    return std::nullopt;
  if (!transpose)
    return isSymmetricWeight(*w, 1) ? w : std::nullopt;
  if (!isSymmetricWeight(*w, 0))
    return std::nullopt;
  // [N, K] -> [K, N]: the data, and the channel axis with it.
  RankedTensorType type = w->op.getInput().getType();
  int64_t n = type.getDimSize(0), k = type.getDimSize(1);
  SmallVector<double> transposed(k * n);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < k; ++j)
      transposed[j * n + i] = w->input[i * k + j];
  w->input = std::move(transposed);
  if (w->axis)
    w->axis = 1;
  SmallVector<int8_t> bytes(w->input.begin(), w->input.end());
  auto newType = RankedTensorType::get({k, n}, type.getElementType());
  w->op = DequantizeOp::create(
      b, transpose.getLoc(),
      ConstantOp::create(b, transpose.getLoc(),
                         DenseElementsAttr::get(newType, ArrayRef(bytes))),
      w->op.getScale(), w->op.getZeroPoint(),
      w->axis ? b.getI64IntegerAttr(1) : IntegerAttr());
  return w;
}

/// matmul(dequantize(x), dequantize(w))[ + dequantize(bias)] in integers,
/// for a constant 2-D weight.
LogicalResult foldMatmul(MatmulOp matmul) {
  std::optional<Dequantized> x = matchDequantize(matmul.getLhs(), false);
  if (!x || !isActivation(*x))
    return failure();
  OpBuilder b(matmul);
  Location loc = matmul.getLoc();
  std::optional<Dequantized> w = matchMatmulWeight(matmul.getRhs(), b);
  if (!w)
    return failure();
  RankedTensorType weightType = w->op.getInput().getType();
  int64_t k = weightType.getDimSize(0), n = weightType.getDimSize(1);
  SmallVector<float> scale = productScale(x->scale[0], *w, n);
  // A bias added to the product alone joins the accumulator.
  AddOp biasAdd;
  SmallVector<int64_t> bias(n, 0);
  if (matmul->hasOneUse())
    if (auto add = dyn_cast<AddOp>(*matmul->user_begin())) {
      Value other =
          add.getLhs() == matmul.getResult() ? add.getRhs() : add.getLhs();
      if (std::optional<SmallVector<int64_t>> q = integerBias(other, scale, n);
          q && add.getType() == matmul.getType()) {
        biasAdd = add;
        bias = std::move(*q);
      }
    }
  SmallVector<int32_t> correction = biasMinusZeroPointShare(
      bias, x->zeroPoint[0], w->input, k, /*stride=*/n, /*step=*/1);
  Value acc = MatmulOp::create(b, loc, x->op.getInput(), w->op.getInput());
  if (llvm::any_of(correction, [](int32_t c) { return c != 0; }))
    acc = AddOp::create(b, loc, acc, i32Constant(b, loc, {n}, correction));
  int64_t rank = matmul.getType().getRank();
  Value result = dequantizeProduct(b, loc, acc, scale, rank - 1);
  if (biasAdd) {
    biasAdd.replaceAllUsesWith(result);
    biasAdd.erase();
  } else {
    matmul.replaceAllUsesWith(result);
  }
  matmul.erase();
  return success();
}

/// quantize([relu](dequantize(acc))) with acc an i32 accumulator:
/// requantize(acc, s / sy, zy), ReLU as a maximum with zy (quantizing is
/// monotonic and maps 0 to zy).
LogicalResult foldRequantize(QuantizeOp quantize) {
  Value input = quantize.getInput();
  auto relu = input.getDefiningOp<ReluOp>();
  if (relu)
    input = relu.getInput();
  std::optional<Dequantized> d = matchDequantize(input, false);
  std::optional<SmallVector<double>> sy = constantValues(quantize.getScale());
  if (!d || !sy || quantize.getScale().getType().getRank() != 0 ||
      !d->op.getInput().getType().getElementType().isInteger(32) ||
      llvm::any_of(d->zeroPoint, [](double z) { return z != 0; }))
    return failure();
  OpBuilder b(quantize);
  Location loc = quantize.getLoc();
  SmallVector<float> multiplier;
  for (double s : d->scale)
    multiplier.push_back(static_cast<float>(s / (*sy)[0]));
  SmallVector<int64_t> shape;
  if (d->axis)
    shape.push_back(multiplier.size());
  Value q = RequantizeOp::create(
      b, loc, d->op.getInput(), f32Constant(b, loc, shape, multiplier),
      quantize.getZeroPoint(),
      d->axis ? b.getI64IntegerAttr(*d->axis) : IntegerAttr());
  if (relu)
    q = MaxOp::create(b, loc, q, quantize.getZeroPoint());
  quantize.replaceAllUsesWith(q);
  quantize.erase();
  return success();
}

/// max_pool2d or reshape of a per-tensor dequantize: the op on the
/// quantized values, then the dequantize (exact: dequantizing by a positive
/// scale is monotonic, and a padded window position, the lowest value of
/// either type, never wins), so that pooling reads bytes and a quantize of
/// the result sees a dequantize again.
LogicalResult commuteDequantize(Operation *op) {
  auto dequantize = op->getOperand(0).getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getScale().getType().getRank() != 0 ||
      !dequantize.getInput().getType().getElementType().isInteger(8))
    return failure();
  std::optional<SmallVector<double>> scale =
      constantValues(dequantize.getScale());
  if (!scale || !((*scale)[0] > 0))
    return failure();
  OpBuilder b(op);
  Operation *onIntegers = b.clone(*op);
  onIntegers->setOperand(0, dequantize.getInput());
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  onIntegers->getResult(0).setType(
      type.clone(dequantize.getInput().getType().getElementType()));
  op->getResult(0).replaceAllUsesWith(DequantizeOp::create(
      b, op->getLoc(), onIntegers->getResult(0), dequantize.getScale(),
      dequantize.getZeroPoint(), IntegerAttr()));
  op->erase();
  return success();
}

/// quantize(dequantize(q, s, z), s, z) with the same constants is q.
LogicalResult foldRoundTrip(QuantizeOp quantize) {
  auto dequantize = quantize.getInput().getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getInput().getType() != quantize.getType() ||
      dequantize.getAxis() != quantize.getAxis())
    return failure();
  std::optional<SmallVector<double>> s1 = constantValues(dequantize.getScale());
  std::optional<SmallVector<double>> s2 = constantValues(quantize.getScale());
  std::optional<SmallVector<double>> z1 =
      constantValues(dequantize.getZeroPoint());
  std::optional<SmallVector<double>> z2 =
      constantValues(quantize.getZeroPoint());
  if (!s1 || !s2 || !z1 || !z2 || *s1 != *s2 || *z1 != *z2)
    return failure();
  quantize.replaceAllUsesWith(dequantize.getInput());
  quantize.erase();
  return success();
}

/// A dequantize of constants becomes the float constant it computes.
LogicalResult foldConstantDequantize(DequantizeOp op) {
  std::optional<Dequantized> d = matchDequantize(op.getResult(), true);
  RankedTensorType type = op.getType();
  if (!d || !type.getElementType().isF32() || !type.hasStaticShape())
    return failure();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t inner = 1;
  if (d->axis)
    for (int64_t i = *d->axis + 1; i < type.getRank(); ++i)
      inner *= shape[i];
  SmallVector<float> values;
  values.reserve(d->input.size());
  for (size_t i = 0; i < d->input.size(); ++i) {
    size_t c = d->axis ? (i / inner) % shape[*d->axis] : 0;
    values.push_back(static_cast<float>((d->input[i] - d->zeroPoint[c]) *
                                        static_cast<float>(d->scale[c])));
  }
  OpBuilder b(op);
  op.replaceAllUsesWith(f32Constant(b, op.getLoc(), shape, values));
  op.erase();
  return success();
}

/// Erases the graph ops under `root` that nothing uses any more, in one
/// pass from the last op back (a dead op's operands may die with it).
void eraseDead(Operation *root) {
  SmallVector<Operation *> ops;
  root->walk([&](Operation *op) { ops.push_back(op); });
  for (Operation *op : llvm::reverse(ops))
    if (isa<GraphDialect>(op->getDialect()) && op->use_empty() &&
        op->getNumResults() > 0 && op->getNumRegions() == 0)
      op->erase();
}

struct GraphFoldQDQPass
    : strata::graph::impl::GraphFoldQDQPassBase<GraphFoldQDQPass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    SmallVector<Operation *> products;
    root->walk([&](Operation *op) {
      if (isa<Conv2DOp, MatmulOp>(op) &&
          isa<FloatType>(cast<RankedTensorType>(op->getResult(0).getType())
                             .getElementType()))
        products.push_back(op);
    });
    for (Operation *op : products) {
      if (auto conv = dyn_cast<Conv2DOp>(op))
        (void)foldConv(conv);
      else
        (void)foldMatmul(cast<MatmulOp>(op));
    }
    // In program order, so that a chain (pool, then reshape) moves whole.
    SmallVector<Operation *> layouts;
    root->walk([&](Operation *op) {
      if (isa<MaxPool2DOp, ReshapeOp>(op))
        layouts.push_back(op);
    });
    for (Operation *op : layouts)
      (void)commuteDequantize(op);
    SmallVector<QuantizeOp> quantizes;
    root->walk([&](QuantizeOp op) { quantizes.push_back(op); });
    for (QuantizeOp op : quantizes)
      if (failed(foldRequantize(op)))
        (void)foldRoundTrip(op);
    eraseDead(root);
    SmallVector<DequantizeOp> dequantizes;
    root->walk([&](DequantizeOp op) { dequantizes.push_back(op); });
    for (DequantizeOp op : dequantizes)
      (void)foldConstantDequantize(op);
    eraseDead(root);
  }
};

} // namespace
