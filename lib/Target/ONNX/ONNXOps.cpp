//===- ONNXOps.cpp - ONNX operators to graph ops --------------------------===//
//
// One handler per ONNX operator type, grouped like the graph dialect:
// elementwise, linear algebra, convolution and pooling, normalization,
// reductions, shape and data movement, constants. Handlers cover the
// attribute-versus-input changes between opsets 7 and 17.
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

#include "strata/Runtime/Tensor.h"

#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <numeric>

using namespace mlir;

namespace strata::onnx_import {
namespace {

using namespace strata::graph;

/// The largest kernel size, stride, dilation or block size a model may
/// give: larger ones are corrupt attributes whose arithmetic would overflow.
constexpr int64_t kMaxWindowAttr = int64_t(1) << 31;

/// The 2-D shape [prod(shape[:axis]), prod(shape[axis:])]: Flatten, and
/// Softmax/LogSoftmax/Hardmax before opset 13.
SmallVector<int64_t, 2> flattenedAt(ArrayRef<int64_t> shape, int64_t axis) {
  SmallVector<int64_t, 2> flat = {1, 1};
  for (auto [d, size] : llvm::enumerate(shape))
    flat[static_cast<int64_t>(d) < axis ? 0 : 1] *= size;
  return flat;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

template <typename OpTy> LogicalResult binary(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  return done(n, n.make<OpTy>((*in)[0], (*in)[1]));
}

LogicalResult pow(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Type base = typeOf((*in)[0]).getElementType();
  if (!isa<FloatType>(base)) {
    // Integer bases: computed in f64 (exact for every result an integer
    // type holds up to 2^53) and truncated back, as ONNX Runtime does.
    Type f64 = n.b.getF64Type();
    FailureOr<Value> x = castTo(n, (*in)[0], f64);
    if (failed(x))
      return failure();
    FailureOr<Value> y = castTo(n, (*in)[1], f64);
    if (failed(y))
      return failure();
    FailureOr<Value> p = n.make<PowOp>(*x, *y);
    if (failed(p))
      return failure();
    return done(n, castTo(n, *p, base));
  }
  FailureOr<Value> exponent = castTo(n, (*in)[1], base);
  if (failed(exponent))
    return failure();
  return done(n, n.make<PowOp>((*in)[0], *exponent));
}

/// Sum, Max, Min, Mean: a left fold of the binary op over all inputs.
template <typename OpTy, bool IsMean = false>
LogicalResult variadic(NodeContext &n) {
  auto in = inputs(n, n.numInputs());
  if (failed(in) || in->empty())
    return n.fail("expects at least one input");
  FailureOr<Value> acc = (*in)[0];
  for (Value v : ArrayRef<Value>(*in).drop_front()) {
    acc = n.make<OpTy>(*acc, v);
    if (failed(acc))
      return failure();
  }
  if (IsMean && in->size() > 1)
    acc = n.make<DivOp>(
        *acc, n.scalar(typeOf(*acc).getElementType(), double(in->size())));
  return done(n, acc);
}

template <typename OpTy> LogicalResult unary(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  return done(n, n.make<OpTy>(x));
}

LogicalResult identity(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  n.setOutput(0, x);
  return success();
}

LogicalResult dropout(NodeContext &n) {
  if (n.attrInt("is_test", 1) == 0 && n.opset < 7)
    return n.fail("training-mode dropout is not supported");
  if (n.hasInput(2)) {
    // Training mode with a ratio of 0 (PyTorch's attention dropout of
    // p = 0.0, exported as training) drops nothing either. The ratio and
    // the mode may be graph inputs whose arrays the caller gave (the model
    // is then specialized on them).
    auto known = [&](size_t i) -> const ConstantData * {
      if (const ConstantData *c = n.constantInput(i))
        return c;
      return n.importer.argumentValue(n.node.input(i));
    };
    const ConstantData *training = known(2);
    const ConstantData *ratio = n.hasInput(1) ? known(1) : nullptr;
    bool dropsNothing =
        ratio && ratio->numElements() == 1 && ratio->asDoubles().front() == 0;
    if (!dropsNothing && (!training || training->asInts().front() != 0))
      return n.fail("training-mode dropout is not supported (only a ratio "
                    "of 0, which drops nothing)");
  }
  Value x = n.input(0);
  if (!x)
    return failure();
  n.setOutput(0, x);
  if (n.wantsOutput(1)) {
    // At inference nothing is dropped: the mask is all true.
    ConstantData mask;
    mask.elementType = n.b.getI1Type();
    mask.shape.assign(typeOf(x).getShape().begin(), typeOf(x).getShape().end());
    mask.bytes.assign(mask.numElements(), 1);
    n.setConstantOutput(1, std::move(mask));
  }
  return success();
}

LogicalResult reciprocal(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  return done(n, n.make<DivOp>(n.scalar(typeOf(x).getElementType(), 1.0), x));
}

/// x for x >= 0, alpha * x otherwise (LeakyRelu, PRelu with a slope tensor).
LogicalResult leakyRelu(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  Type t = typeOf(x).getElementType();
  Value slope;
  if (n.node.op_type() == "PRelu") {
    slope = n.input(1);
    if (!slope)
      return failure();
    // Models converted from opsets before 7 give one slope per channel
    // (dimension 1); numpy broadcasting needs it as C x 1 x ... x 1.
    RankedTensorType st = typeOf(slope), xt = typeOf(x);
    if (st.getRank() == 1 && xt.getRank() > 2 &&
        st.getDimSize(0) == xt.getDimSize(1) &&
        !shape::broadcastShapes(xt.getShape(), st.getShape())) {
      SmallVector<int64_t> axes;
      for (int64_t d = 2; d < xt.getRank(); ++d)
        axes.push_back(d - 1);
      auto e = n.make<ExpandDimsOp>(slope, axes);
      if (failed(e))
        return failure();
      slope = *e;
    }
  } else {
    slope = n.scalar(t, n.attrFloat("alpha", 0.01f));
  }
  Value zero = n.scalar(t, 0.0);
  auto negative = n.make<CompareOp>(ComparePredicate::lt, x, zero);
  if (failed(negative))
    return failure();
  auto scaled = n.make<MulOp>(x, slope);
  if (failed(scaled))
    return failure();
  return done(n, n.make<SelectOp>(*negative, *scaled, x));
}

LogicalResult clip(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  std::optional<double> lo, hi;
  Value loValue, hiValue;
  if (n.opset < 11) {
    if (n.attr("min"))
      lo = n.attrFloat("min", 0);
    if (n.attr("max"))
      hi = n.attrFloat("max", 0);
  } else {
    for (int i = 1; i <= 2; ++i) {
      if (!n.hasInput(i))
        continue;
      Value bound = n.input(i);
      if (!bound)
        return failure();
      if (typeOf(bound).getNumElements() != 1)
        return n.fail(Twine(i == 1 ? "min" : "max") + " (input #" + Twine(i) +
                      ") must be a scalar, got shape " +
                      shape::formatShape(typeOf(bound).getShape()));
      if (const ConstantData *c = n.constantInput(i)) {
        (i == 1 ? lo : hi) = c->asDoubles().front();
      } else {
        (i == 1 ? loValue : hiValue) = n.input(i);
      }
    }
  }
  FailureOr<Value> result = x;
  if (loValue)
    result = n.make<MaxOp>(*result, loValue);
  if (succeeded(result) && hiValue)
    result = n.make<MinOp>(*result, hiValue);
  if (failed(result))
    return failure();
  if (!lo && !hi)
    return done(n, result);
  auto floatAttr = [&](std::optional<double> v) -> FloatAttr {
    return v ? n.b.getF64FloatAttr(*v) : FloatAttr();
  };
  if (lo && hi && *lo > *hi) {
    // ONNX: min > max gives max everywhere.
    lo = hi;
  }
  return done(n, n.make<ClipOp>(*result, floatAttr(lo), floatAttr(hi)));
}

template <ComparePredicate Pred> LogicalResult compare(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  return done(n, n.make<CompareOp>(Pred, (*in)[0], (*in)[1]));
}

LogicalResult where(NodeContext &n) {
  auto in = inputs(n, 3);
  if (failed(in))
    return failure();
  return done(n, n.make<SelectOp>((*in)[0], (*in)[1], (*in)[2]));
}

LogicalResult cast(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  Type to;
  if (n.node.op_type() == "CastLike") {
    Value like = n.input(1);
    if (!like)
      return failure();
    to = typeOf(like).getElementType();
  } else {
    to = elementTypeFor(n.attrInt("to", 0), n.b.getContext());
  }
  if (!to)
    return n.fail("cast to an unsupported element type");
  return done(n, castTo(n, x, to));
}

/// Logical ops on i1 tensors, written with select/compare.
LogicalResult logical(NodeContext &n) {
  StringRef op = n.node.op_type();
  Type i1 = n.b.getI1Type();
  if (op == "Not") {
    Value x = n.input(0);
    if (!x)
      return failure();
    return done(n, n.make<CompareOp>(ComparePredicate::eq, x, n.scalar(i1, 0)));
  }
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Value a = (*in)[0], b = (*in)[1];
  if (op == "Xor")
    return done(n, n.make<CompareOp>(ComparePredicate::ne, a, b));
  if (op == "And")
    return done(n, n.make<SelectOp>(a, b, n.scalar(i1, 0)));
  return done(n, n.make<SelectOp>(a, n.scalar(i1, 1), b)); // Or
}

//===----------------------------------------------------------------------===//
// Activations and math written with graph ops
//===----------------------------------------------------------------------===//

/// Runs `body(e, x)` for a single-input float op, with `e` typed like x.
LogicalResult activation(NodeContext &n,
                         function_ref<Value(Expr &, Value)> body) {
  Value x = n.input(0);
  if (!x)
    return failure();
  Expr e(n);
  e.setType(typeOf(x).getElementType());
  return e.result(body(e, x));
}

LogicalResult elu(NodeContext &n) {
  double alpha = n.attrFloat("alpha", 1.0f);
  return activation(n, [&](Expr &e, Value x) {
    Value neg = e.op<MulOp>(e.op<SubOp>(e.op<ExpOp>(x), e.c(1)), e.c(alpha));
    return e.select(e.cmp(ComparePredicate::lt, x, e.c(0)), neg, x);
  });
}

LogicalResult selu(NodeContext &n) {
  double alpha = n.attrFloat("alpha", 1.67326319217681884765625f);
  double gamma = n.attrFloat("gamma", 1.05070102214813232421875f);
  return activation(n, [&](Expr &e, Value x) {
    Value neg =
        e.op<SubOp>(e.op<MulOp>(e.op<ExpOp>(x), e.c(alpha)), e.c(alpha));
    Value v = e.select(e.cmp(ComparePredicate::le, x, e.c(0)), neg, x);
    return e.op<MulOp>(v, e.c(gamma));
  });
}

LogicalResult celu(NodeContext &n) {
  double alpha = n.attrFloat("alpha", 1.0f);
  return activation(n, [&](Expr &e, Value x) {
    Value expPart = e.op<MulOp>(
        e.op<SubOp>(e.op<ExpOp>(e.op<DivOp>(x, e.c(alpha))), e.c(1)),
        e.c(alpha));
    return e.op<AddOp>(e.op<MaxOp>(x, e.c(0)), e.op<MinOp>(expPart, e.c(0)));
  });
}

LogicalResult hardSigmoid(NodeContext &n) {
  double alpha = n.attrFloat("alpha", 0.2f), beta = n.attrFloat("beta", 0.5f);
  return activation(n, [&](Expr &e, Value x) {
    Value lin = e.op<AddOp>(e.op<MulOp>(x, e.c(alpha)), e.c(beta));
    return e.op<ClipOp>(lin, n.b.getF64FloatAttr(0), n.b.getF64FloatAttr(1));
  });
}

LogicalResult hardSwish(NodeContext &n) {
  return activation(n, [&](Expr &e, Value x) {
    Value lin = e.op<AddOp>(e.op<MulOp>(x, e.c(1.0 / 6)), e.c(0.5));
    Value gate =
        e.op<ClipOp>(lin, n.b.getF64FloatAttr(0), n.b.getF64FloatAttr(1));
    return e.op<MulOp>(x, gate);
  });
}

LogicalResult softplus(NodeContext &n) {
  return activation(n, [&](Expr &e, Value x) {
    return e.op<LogOp>(e.op<AddOp>(e.op<ExpOp>(x), e.c(1)));
  });
}

LogicalResult softsign(NodeContext &n) {
  return activation(n, [&](Expr &e, Value x) {
    return e.op<DivOp>(x, e.op<AddOp>(e.op<AbsOp>(x), e.c(1)));
  });
}

LogicalResult thresholdedRelu(NodeContext &n) {
  double alpha = n.attrFloat("alpha", 1.0f);
  return activation(n, [&](Expr &e, Value x) {
    return e.select(e.cmp(ComparePredicate::gt, x, e.c(alpha)), x, e.c(0));
  });
}

LogicalResult shrink(NodeContext &n) {
  double lambd = n.attrFloat("lambd", 0.5f), bias = n.attrFloat("bias", 0.0f);
  return activation(n, [&](Expr &e, Value x) {
    Value below = e.cmp(ComparePredicate::lt, x, e.c(-lambd));
    Value above = e.cmp(ComparePredicate::gt, x, e.c(lambd));
    Value inner = e.select(above, e.op<SubOp>(x, e.c(bias)), e.c(0));
    return e.select(below, e.op<AddOp>(x, e.c(bias)), inner);
  });
}

LogicalResult isNaN(NodeContext &n) {
  return activation(
      n, [&](Expr &e, Value x) { return e.cmp(ComparePredicate::ne, x, x); });
}

LogicalResult isInf(NodeContext &n) {
  bool pos = n.attrInt("detect_positive", 1),
       neg = n.attrInt("detect_negative", 1);
  return activation(n, [&](Expr &e, Value x) {
    Value i1False = n.scalar(n.b.getI1Type(), 0);
    Value p = pos ? e.cmp(ComparePredicate::eq, x, e.c(INFINITY)) : i1False;
    Value m = neg ? e.cmp(ComparePredicate::eq, x, e.c(-INFINITY)) : i1False;
    return e.select(p, p, m);
  });
}

LogicalResult mod(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Value a = (*in)[0], b = (*in)[1];
  Expr e(n);
  e.setType(typeOf(a).getElementType());
  Value r = e.op<RemOp>(a, b);
  if (n.attrInt("fmod", 0) || isa<FloatType>(e.type))
    return e.result(r);
  // Python-style modulo: the result takes the sign of the divisor.
  Value nonzero = e.cmp(ComparePredicate::ne, r, e.c(0));
  Value signsDiffer =
      e.cmp(ComparePredicate::ne, e.cmp(ComparePredicate::lt, r, e.c(0)),
            e.cmp(ComparePredicate::lt, b, e.c(0)));
  Value adjust = e.select(nonzero, signsDiffer, nonzero);
  return e.result(e.select(adjust, e.op<AddOp>(r, b), r));
}

/// BitShift: a left or right shift by `direction`, on unsigned integers.
LogicalResult bitShift(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  std::string direction = n.attrString("direction", "");
  if (direction == "LEFT")
    return done(n, n.make<ShiftLeftOp>((*in)[0], (*in)[1]));
  if (direction == "RIGHT")
    return done(n, n.make<ShiftRightOp>((*in)[0], (*in)[1]));
  return n.fail("direction must be \"LEFT\" or \"RIGHT\", not \"" + direction +
                "\"");
}

template <typename OpTy> LogicalResult argReduce(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  UnitAttr keep = n.attrInt("keepdims", 1) ? n.b.getUnitAttr() : UnitAttr();
  UnitAttr last =
      n.attrInt("select_last_index", 0) ? n.b.getUnitAttr() : UnitAttr();
  return done(n, n.make<OpTy>(x, n.b.getI64IntegerAttr(n.attrInt("axis", 0)),
                              keep, last));
}

/// Checks the indices (input 1) of a Gather or GatherElements that are
/// known at import time against the size of the data's `axis` (indices are
/// in [-size, size)); indices only known at run time are clamped by the
/// lowering.
LogicalResult checkConstantIndices(NodeContext &n, Value data, int64_t axis) {
  const ConstantData *indices = n.constantInput(1);
  RankedTensorType type = typeOf(data);
  std::optional<int64_t> dim = shape::normalizeAxis(axis, type.getRank());
  if (!indices || !dim || type.isDynamicDim(*dim))
    return success();
  int64_t size = type.getDimSize(*dim);
  for (int64_t index : indices->asInts())
    if (index < -size || index >= size)
      return n.fail("index " + Twine(index) + " is out of range for axis " +
                    Twine(axis) + " of size " + Twine(size));
  return success();
}

LogicalResult gatherElements(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in) ||
      failed(checkConstantIndices(n, (*in)[0], n.attrInt("axis", 0))))
    return failure();
  return done(
      n, n.make<GatherElementsOp>((*in)[0], (*in)[1], n.attrInt("axis", 0)));
}

LogicalResult cumsum(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  auto axis = n.intsInput(1, "axis");
  if (failed(axis))
    return failure();
  UnitAttr exclusive =
      n.attrInt("exclusive", 0) ? n.b.getUnitAttr() : UnitAttr();
  UnitAttr reverse = n.attrInt("reverse", 0) ? n.b.getUnitAttr() : UnitAttr();
  return done(n, n.make<CumsumOp>(x, n.b.getI64IntegerAttr(axis->front()),
                                  exclusive, reverse));
}

LogicalResult trilu(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  int64_t k = 0;
  if (n.hasInput(1)) {
    auto kv = n.intsInput(1, "k");
    if (failed(kv))
      return failure();
    k = kv->front();
  }
  bool upper = n.attrInt("upper", 1) != 0;
  RankedTensorType type = typeOf(x);
  if (type.getRank() < 2)
    return n.fail("input must have rank >= 2");
  int64_t rows = type.getDimSize(type.getRank() - 2);
  int64_t cols = type.getDimSize(type.getRank() - 1);
  ConstantData mask = boolMask({rows, cols}, n.b.getContext(), [&](int64_t f) {
    int64_t i = f / cols, j = f % cols;
    return upper ? j - i >= k : j - i <= k;
  });
  Value m =
      n.importer.materialize(mask, n.node.output(0) + ".mask", n.b, n.loc);
  Expr e(n);
  e.setType(type.getElementType());
  return e.result(e.select(m, x, e.c(0)));
}

LogicalResult depthToSpace(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType t = typeOf(x);
  if (t.getRank() != 4)
    return n.fail("input must be 4-D");
  int64_t b = n.attrInt("blocksize", 0);
  int64_t N = t.getDimSize(0), C = t.getDimSize(1), H = t.getDimSize(2),
          W = t.getDimSize(3);
  bool toSpace = n.node.op_type() == "DepthToSpace";
  if (b < 1 || b > kMaxWindowAttr ||
      (toSpace ? C % (b * b) : (H % b) + (W % b)) != 0)
    return n.fail("blocksize " + Twine(b) + " does not divide the input");
  SmallVector<int64_t> wide, perm, out;
  if (toSpace) {
    bool crd = n.attrString("mode", "DCR") == "CRD";
    wide = crd ? SmallVector<int64_t>{N, C / (b * b), b, b, H, W}
               : SmallVector<int64_t>{N, b, b, C / (b * b), H, W};
    perm = crd ? SmallVector<int64_t>{0, 1, 4, 2, 5, 3}
               : SmallVector<int64_t>{0, 3, 4, 1, 5, 2};
    out = {N, C / (b * b), H * b, W * b};
  } else {
    wide = {N, C, H / b, b, W / b, b};
    perm = {0, 3, 5, 1, 2, 4};
    out = {N, C * b * b, H / b, W / b};
  }
  Expr e(n);
  Value r = e.op<ReshapeOp>(x, wide);
  r = e.op<TransposeOp>(r, perm);
  return e.result(e.op<ReshapeOp>(r, out));
}

LogicalResult eyeLike(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType t = typeOf(x);
  if (t.getRank() != 2)
    return n.fail("input must be 2-D");
  Type elementType = t.getElementType();
  if (const onnx::AttributeProto *dtype = n.attr("dtype"))
    elementType = elementTypeFor(dtype->i(), n.b.getContext());
  if (!elementType)
    return n.fail("unsupported dtype");
  int64_t k = n.attrInt("k", 0), cols = t.getDimSize(1);
  ConstantData mask = boolMask(t.getShape(), n.b.getContext(), [&](int64_t f) {
    return f % cols - f / cols == k;
  });
  Value m = n.importer.materialize(mask, n.node.output(0) + ".eye", n.b, n.loc);
  return done(n, n.make<CastOp>(m, TypeAttr::get(elementType)));
}

LogicalResult instanceNorm(NodeContext &n) {
  auto in = inputs(n, 3);
  if (failed(in))
    return failure();
  Value x = (*in)[0], scale = (*in)[1], bias = (*in)[2];
  int64_t rank = typeOf(x).getRank();
  if (rank < 3)
    return n.fail("input must have rank >= 3");
  SmallVector<int64_t> spatial, paramAxes;
  for (int64_t d = 2; d < rank; ++d) {
    spatial.push_back(d);
    paramAxes.push_back(d - 1);
  }
  Expr e(n);
  e.setType(typeOf(x).getElementType());
  double eps = n.attrFloat("epsilon", 1e-5f);
  Value mean = e.op<ReduceMeanOp>(x, spatial, true);
  Value dev = e.op<SubOp>(x, mean);
  Value var = e.op<ReduceMeanOp>(e.op<MulOp>(dev, dev), spatial, true);
  Value norm = e.op<MulOp>(dev, e.op<RsqrtOp>(e.op<AddOp>(var, e.c(eps))));
  Value s = e.op<ExpandDimsOp>(scale, paramAxes);
  Value b = e.op<ExpandDimsOp>(bias, paramAxes);
  return e.result(e.op<AddOp>(e.op<MulOp>(norm, s), b));
}

LogicalResult lrn(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType t = typeOf(x);
  int64_t size = n.attrInt("size", 1);
  double alpha = n.attrFloat("alpha", 1e-4f), beta = n.attrFloat("beta", 0.75f),
         bias = n.attrFloat("bias", 1.0f);
  int64_t rank = t.getRank();
  if (rank < 3 || size < 1)
    return n.fail("expects rank >= 3 and size >= 1");
  Expr e(n);
  e.setType(t.getElementType());
  Value sq = e.op<MulOp>(x, x);
  // Zero-pad the channels, then add `size` shifted windows.
  SmallVector<int64_t> pads(2 * rank, 0);
  pads[1] = (size - 1) / 2;
  pads[rank + 1] = size - 1 - (size - 1) / 2;
  Value padded =
      e.op<PadOp>(sq, n.b.getDenseI64ArrayAttr(pads),
                  PadModeAttr::get(n.b.getContext(), PadMode::constant),
                  n.b.getF64FloatAttr(0));
  Value sum;
  for (int64_t i = 0; i < size && !e.failed; ++i) {
    SmallVector<int64_t> starts(rank, 0), ends(t.getShape()), steps(rank, 1);
    starts[1] = i;
    ends[1] = i + t.getDimSize(1);
    Value window = e.op<SliceOp>(padded, starts, ends, steps);
    sum = sum ? e.op<AddOp>(sum, window) : window;
  }
  Value denom = e.op<PowOp>(
      e.op<AddOp>(e.op<MulOp>(sum, e.c(alpha / size)), e.c(bias)), e.c(beta));
  return e.result(e.op<DivOp>(x, denom));
}

/// The i64 constant 0, 1, ..., depth - 1 shaped [depth, 1, ..., 1] with
/// `rank` dimensions, so that it broadcasts along the axis `rank` dimensions
/// from the end (OneHot, Hardmax).
/// The most bytes a constant computed at import time may have (a
/// ConstantOfShape, a Range, a OneHot's iota): larger ones are model errors
/// or attacks, not shapes a real model computes.
constexpr int64_t kMaxFoldedBytes = int64_t(1) << 28;

/// Fails, naming the node, unless a constant of `shape` with elements of
/// `elementBytes` may be computed at import time.
LogicalResult checkFoldedSize(NodeContext &n, ArrayRef<int64_t> shape,
                              size_t elementBytes, StringRef what) {
  std::optional<int64_t> bytes =
      checkedNumBytes(shape.data(), shape.size(), int64_t(elementBytes) * 8);
  if (!bytes)
    return n.fail(what + " of shape " + shape::formatShape(shape) +
                  " is invalid (a negative or overflowing dimension)");
  if (*bytes > kMaxFoldedBytes)
    return n.fail(what + " of shape " + shape::formatShape(shape) + " has " +
                  Twine(*bytes) + " bytes, more than the " +
                  Twine(kMaxFoldedBytes) +
                  " a constant computed at import time may have");
  return success();
}

/// An i64 constant of `shape` holding offset, offset + step, ... in
/// row-major order: positions along one axis (the other dimensions of size
/// 1) to broadcast against a tensor, scaled and shifted.
Value iotaConstant(NodeContext &n, ArrayRef<int64_t> shape, int64_t step = 1,
                   int64_t offset = 0) {
  int64_t count = 1;
  for (int64_t d : shape)
    count *= d;
  std::vector<int64_t> values(count);
  for (int64_t i = 0; i < count; ++i)
    values[i] = offset + i * step;
  return n.importer.materialize(int64Data(values, shape, n.b.getContext()),
                                n.node.output(0) + ".iota", n.b, n.loc);
}

Value iotaAlongAxis(NodeContext &n, int64_t depth, int64_t rank) {
  SmallVector<int64_t> shape(rank, 1);
  shape[0] = depth;
  return iotaConstant(n, shape);
}

/// The most elements TopK selects: each is one round of the selection
/// below, so the graph grows with k.
constexpr int64_t kMaxTopK = 256;

/// TopK as k rounds of selection: the arg max (arg min for the smallest)
/// along the axis, its value gathered, then that position masked out with
/// -inf (+inf) for the next round. Ties go to the lower index first, as
/// ONNX specifies; the results are always sorted.
LogicalResult topK(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  int64_t k;
  if (n.opset < 10) {
    k = n.attrInt("k", 0);
  } else {
    auto kv = n.intsInput(1, "k");
    if (failed(kv))
      return failure();
    if (kv->size() != 1)
      return n.fail("k must be a single value");
    k = kv->front();
  }
  RankedTensorType type = typeOf(x);
  std::optional<int64_t> axis =
      shape::normalizeAxis(n.attrInt("axis", -1), type.getRank());
  if (!axis)
    return n.fail("axis is out of range");
  int64_t extent = type.getDimSize(*axis);
  if (k < 0 || k > extent)
    return n.fail("k = " + Twine(k) + " is outside [0, " + Twine(extent) +
                  "], the size of the axis");
  if (k > kMaxTopK)
    return n.fail("k = " + Twine(k) + " is more than the " + Twine(kMaxTopK) +
                  " elements TopK selects (one round each): sorting a "
                  "whole axis is not supported yet");
  if (k == 0)
    return n.fail("k = 0 (an empty result) is not supported");
  bool largest = n.attrInt("largest", 1) != 0;
  Type et = type.getElementType();
  double mask;
  if (isa<FloatType>(et))
    mask = largest ? -std::numeric_limits<double>::infinity()
                   : std::numeric_limits<double>::infinity();
  else if (et.isInteger(64) || et.isInteger(32) || et.isInteger(16) ||
           et.isInteger(8)) {
    unsigned bits = et.getIntOrFloatBitWidth();
    mask = largest ? -std::ldexp(1.0, bits - 1) : std::ldexp(1.0, bits - 1) - 1;
  } else {
    return n.fail("unsupported element type");
  }
  Expr e(n);
  Value positions = iotaAlongAxis(n, extent, type.getRank() - *axis);
  UnitAttr keep = n.b.getUnitAttr();
  SmallVector<Value> values, indices;
  Value rest = x;
  for (int64_t round = 0; round < k && !e.failed; ++round) {
    Value idx = largest ? e.op<ArgMaxOp>(rest, n.b.getI64IntegerAttr(*axis),
                                         keep, UnitAttr())
                        : e.op<ArgMinOp>(rest, n.b.getI64IntegerAttr(*axis),
                                         keep, UnitAttr());
    values.push_back(e.op<GatherElementsOp>(x, idx, *axis));
    indices.push_back(idx);
    if (round + 1 < k) {
      e.setType(et);
      rest = e.select(e.cmp(ComparePredicate::eq, positions, idx), e.c(mask),
                      rest);
    }
  }
  if (e.failed)
    return failure();
  Value v = values.size() == 1 ? values[0]
                               : e.op<ConcatOp>(ValueRange(values), *axis);
  Value i = indices.size() == 1 ? indices[0]
                                : e.op<ConcatOp>(ValueRange(indices), *axis);
  if (e.failed)
    return failure();
  n.setOutput(0, v);
  n.setOutput(1, i);
  return success();
}

LogicalResult oneHot(NodeContext &n) {
  Value indices = n.input(0), values = n.input(2);
  if (!indices || !values)
    return failure();
  const ConstantData *depthData = n.knownInput(1, "depth");
  if (!depthData)
    return failure();
  if (depthData->numElements() != 1)
    return n.fail("depth must be a single value");
  double depthValue = depthData->asDoubles().front();
  if (!(depthValue >= 1 && depthValue <= double(kMaxFoldedBytes)))
    return n.fail("depth " + std::to_string(depthValue) +
                  " is out of range [1, " + Twine(kMaxFoldedBytes) + "]");
  int64_t depth = static_cast<int64_t>(depthValue);
  if (failed(checkFoldedSize(n, {depth}, 8, "the one-hot index range")))
    return failure();
  int64_t rank = typeOf(indices).getRank() + 1;
  std::optional<int64_t> axis =
      shape::normalizeAxis(n.attrInt("axis", -1), rank);
  if (!axis || depth < 1)
    return n.fail("invalid axis or depth");
  Expr e(n);
  e.setType(n.b.getI64Type());
  Value idx = e.op<CastOp>(indices, TypeAttr::get(n.b.getI64Type()));
  // Negative indices count from the end.
  idx = e.select(e.cmp(ComparePredicate::lt, idx, e.c(0)),
                 e.op<AddOp>(idx, e.c(depth)), idx);
  idx = e.op<ExpandDimsOp>(idx, ArrayRef<int64_t>{*axis});
  // iota along the axis: shape [depth, 1, ..., 1] aligned at the axis.
  Value range = iotaAlongAxis(n, depth, rank - *axis);
  Value hot = e.cmp(ComparePredicate::eq, idx, range);
  SmallVector<int64_t> zero = {0}, one = {1}, unit = {1};
  Value off = e.op<SliceOp>(values, zero, one, unit);
  Value on = e.op<SliceOp>(values, one, SmallVector<int64_t>{2}, unit);
  off = e.op<ReshapeOp>(off, ArrayRef<int64_t>{});
  on = e.op<ReshapeOp>(on, ArrayRef<int64_t>{});
  return e.result(e.select(hot, on, off));
}

LogicalResult hardmax(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType type = typeOf(x);
  int64_t rank = type.getRank();
  int64_t axisAttr = n.attrInt("axis", n.opset < 13 ? 1 : -1);
  std::optional<int64_t> norm = shape::normalizeAxis(axisAttr, rank);
  if (!norm)
    return n.fail("axis out of range");
  Expr e(n);
  e.setType(n.b.getI64Type());
  Value in = x;
  int64_t axis = *norm;
  if (n.opset < 13) {
    in = e.op<ReshapeOp>(x, flattenedAt(type.getShape(), *norm));
    axis = 1;
  }
  if (e.failed)
    return failure();
  RankedTensorType inType = typeOf(in);
  Value arg = e.op<ArgMaxOp>(in, n.b.getI64IntegerAttr(axis), n.b.getUnitAttr(),
                             UnitAttr());
  Value range =
      iotaAlongAxis(n, inType.getDimSize(axis), inType.getRank() - axis);
  Value hot = e.cmp(ComparePredicate::eq, arg, range);
  Value y = e.op<CastOp>(hot, TypeAttr::get(type.getElementType()));
  if (!e.failed && typeOf(y) != type)
    y = e.op<ReshapeOp>(y, type.getShape());
  return e.result(y);
}

/// Negative log-likelihood of `logProb` [N, C, d...] at integer `target`
/// [N, d...], weighted per class, with ignore_index and the three
/// reductions. Shared by NegativeLogLikelihoodLoss and
/// SoftmaxCrossEntropyLoss.
Value nllLoss(Expr &e, NodeContext &n, Value logProb, Value target,
              Value weight) {
  // The caller's ops may have failed already (e.g. a softmax of scores of
  // rank 1): nothing to build on.
  if (e.failed || !logProb || !target)
    return Value();
  Type i64 = n.b.getI64Type();
  Type ft = typeOf(logProb).getElementType();
  if (typeOf(logProb).getRank() < 2) {
    (void)n.fail("scores must have a class dimension (rank 2 or more)");
    e.failed = true;
    return Value();
  }
  int64_t classes = typeOf(logProb).getDimSize(1);
  std::optional<int64_t> ignored;
  if (n.attr("ignore_index"))
    ignored = n.attrInt("ignore_index", 0);
  // Targets are classes in [0, C) (or the ignored index). Known ones are
  // checked here; at run time an out-of-range target makes its loss NaN,
  // never a read of another class.
  if (const ConstantData *known = n.constantInput(1))
    for (int64_t c : known->asInts())
      if ((c < 0 || c >= classes) && c != ignored) {
        (void)n.fail("target " + Twine(c) + " is not a class in [0, " +
                     Twine(classes) + ")");
        e.failed = true;
        return Value();
      }
  Type i1 = n.b.getI1Type();
  Value t = e.op<CastOp>(target, TypeAttr::get(i64));
  e.setType(i64);
  Value atLeastZero = e.cmp(ComparePredicate::ge, t, e.c(0));
  Value belowClasses = e.cmp(ComparePredicate::lt, t, e.c(classes));
  Value keep;
  if (ignored)
    keep = e.cmp(ComparePredicate::ne, t, e.c(*ignored));
  e.setType(i1);
  // inRange = (t >= 0 and t < C) or t is ignored.
  Value inRange = e.select(atLeastZero, belowClasses, e.c(0));
  if (keep)
    inRange = e.select(keep, inRange, e.c(1));
  e.setType(i64);
  if (keep)
    t = e.select(keep, t, e.c(0));
  e.setType(ft);
  Value picked = e.op<GatherElementsOp>(
      logProb, e.op<ExpandDimsOp>(t, ArrayRef<int64_t>{1}), 1);
  picked = e.op<SqueezeOp>(picked, ArrayRef<int64_t>{1});
  Value w = weight ? e.op<GatherOp>(weight, t, 0) : Value();
  if (keep)
    w = e.select(keep, w ? w : e.c(1), e.c(0));
  Value loss = e.op<NegOp>(picked);
  if (w)
    loss = e.op<MulOp>(loss, w);
  e.setType(ft);
  loss = e.select(inRange, loss, e.c(std::numeric_limits<double>::quiet_NaN()));
  // The reductions read the loss's shape: stop if building it failed.
  if (e.failed)
    return Value();
  std::string reduction = n.attrString("reduction", "mean");
  if (reduction == "none")
    return loss;
  Value sum = e.op<ReduceSumOp>(loss, ArrayRef<int64_t>{}, false);
  if (reduction == "sum")
    return sum;
  if (!w)
    return e.op<DivOp>(sum, e.c(double(typeOf(loss).getNumElements())));
  // Broadcast weights to the loss shape before summing them.
  Value wFull =
      e.op<MulOp>(w, e.op<BroadcastToOp>(e.c(1), typeOf(loss).getShape()));
  return e.op<DivOp>(sum, e.op<ReduceSumOp>(wFull, ArrayRef<int64_t>{}, false));
}

LogicalResult nllLossOp(NodeContext &n) {
  Value input = n.input(0), target = n.input(1);
  if (!input || !target)
    return failure();
  Value weight = n.hasInput(2) ? n.input(2) : Value();
  Expr e(n);
  return e.result(nllLoss(e, n, input, target, weight));
}

LogicalResult softmaxCrossEntropy(NodeContext &n) {
  Value scores = n.input(0), labels = n.input(1);
  if (!scores || !labels)
    return failure();
  Value weight = n.hasInput(2) ? n.input(2) : Value();
  Expr e(n);
  Value logProb = e.op<LogOp>(e.op<SoftmaxOp>(scores, 1));
  Value loss = nllLoss(e, n, logProb, labels, weight);
  if (e.failed)
    return failure();
  n.setOutput(1, logProb);
  return e.result(loss);
}

//===----------------------------------------------------------------------===//
// Linear algebra
//===----------------------------------------------------------------------===//

LogicalResult matmul(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Value a = (*in)[0], b = (*in)[1];
  bool vecA = typeOf(a).getRank() == 1, vecB = typeOf(b).getRank() == 1;
  // numpy semantics for 1-D operands: promote, multiply, drop the unit dim.
  if (vecA) {
    auto e = n.make<ExpandDimsOp>(a, ArrayRef<int64_t>{0});
    if (failed(e))
      return failure();
    a = *e;
  }
  if (vecB) {
    auto e = n.make<ExpandDimsOp>(b, ArrayRef<int64_t>{1});
    if (failed(e))
      return failure();
    b = *e;
  }
  FailureOr<Value> product = n.make<MatmulOp>(a, b);
  if (failed(product))
    return failure();
  int64_t rank = typeOf(*product).getRank();
  SmallVector<int64_t> squeeze;
  if (vecA)
    squeeze.push_back(rank - 2);
  if (vecB)
    squeeze.push_back(rank - 1);
  if (!squeeze.empty())
    product = n.make<SqueezeOp>(*product, squeeze);
  return done(n, product);
}

} // namespace

std::optional<ConstantData> transposeConstant(const ConstantData &c) {
  if (c.shape.size() != 2)
    return std::nullopt;
  size_t es = c.bytes.size() / std::max<int64_t>(c.numElements(), 1);
  ConstantData t;
  t.elementType = c.elementType;
  t.shape = {c.shape[1], c.shape[0]};
  t.bytes.resize(c.bytes.size());
  for (int64_t i = 0; i < c.shape[0]; ++i)
    for (int64_t j = 0; j < c.shape[1]; ++j)
      std::memcpy(&t.bytes[(j * c.shape[0] + i) * es],
                  &c.bytes[(i * c.shape[1] + j) * es], es);
  return t;
}

ConstantData int64Data(ArrayRef<int64_t> values, ArrayRef<int64_t> shape,
                       MLIRContext *context) {
  ConstantData d;
  d.elementType = IntegerType::get(context, 64);
  d.shape.assign(shape.begin(), shape.end());
  d.bytes.resize(values.size() * 8);
  if (!values.empty()) // memcpy takes no null pointer, even for 0 bytes.
    std::memcpy(d.bytes.data(), values.data(), d.bytes.size());
  return d;
}

ConstantData floatData(ArrayRef<double> values, ArrayRef<int64_t> shape,
                       Type type) {
  bool f64 = type.isF64();
  ConstantData d;
  d.elementType = f64 ? type : Float32Type::get(type.getContext());
  d.shape.assign(shape.begin(), shape.end());
  size_t es = f64 ? sizeof(double) : sizeof(float);
  d.bytes.resize(values.size() * es);
  for (size_t i = 0; i < values.size(); ++i) {
    double v = values[i];
    float f = float(v);
    std::memcpy(&d.bytes[i * es], f64 ? static_cast<void *>(&v) : &f, es);
  }
  return d;
}

ConstantData boolMask(ArrayRef<int64_t> shape, MLIRContext *ctx,
                      function_ref<bool(int64_t)> pred) {
  ConstantData d;
  d.elementType = IntegerType::get(ctx, 1);
  d.shape.assign(shape.begin(), shape.end());
  int64_t count = d.numElements();
  d.bytes.resize(count);
  for (int64_t i = 0; i < count; ++i)
    d.bytes[i] = pred(i);
  return d;
}

namespace {

LogicalResult gemm(NodeContext &n) {
  Value a = n.input(0);
  if (!a)
    return failure();
  FailureOr<Value> lhs = a;
  if (n.attrInt("transA", 0))
    lhs = n.make<TransposeOp>(a, ArrayRef<int64_t>{1, 0});
  if (failed(lhs))
    return failure();
  FailureOr<Value> rhs;
  const ConstantData *bConst = n.constantInput(1);
  if (n.attrInt("transB", 0)) {
    if (std::optional<ConstantData> t =
            bConst ? transposeConstant(*bConst) : std::nullopt) {
      rhs = n.importer.materialize(*t, n.node.input(1) + ".T", n.b, n.loc);
    } else {
      Value b = n.input(1);
      if (!b)
        return failure();
      rhs = n.make<TransposeOp>(b, ArrayRef<int64_t>{1, 0});
    }
  } else {
    Value b = n.input(1);
    if (!b)
      return failure();
    rhs = b;
  }
  if (failed(rhs))
    return failure();
  FailureOr<Value> y = n.make<MatmulOp>(*lhs, *rhs);
  if (failed(y))
    return failure();
  Type t = typeOf(*y).getElementType();
  float alpha = n.attrFloat("alpha", 1.0f), beta = n.attrFloat("beta", 1.0f);
  if (alpha != 1.0f)
    y = n.make<MulOp>(*y, n.scalar(t, alpha));
  if (succeeded(y) && n.hasInput(2) && beta != 0.0f) {
    Value c = n.input(2);
    if (!c)
      return failure();
    FailureOr<Value> bias = c;
    if (beta != 1.0f)
      bias = n.make<MulOp>(c, n.scalar(t, beta));
    if (failed(bias))
      return failure();
    y = n.make<AddOp>(*y, *bias);
  }
  return done(n, y);
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

} // namespace

FailureOr<SmallVector<int64_t, 6>>
resolvePads(NodeContext &n, RankedTensorType input, ArrayRef<int64_t> kernel,
            ArrayRef<int64_t> strides, ArrayRef<int64_t> dilations, bool oneD) {
  size_t spatial = kernel.size();
  std::string autoPad = n.attrString("auto_pad", "NOTSET");
  SmallVector<int64_t, 6> pads(2 * spatial, 0);
  if (autoPad == "NOTSET") {
    if (auto p = n.attrInts("pads")) {
      size_t expected = oneD ? 2 : 2 * spatial;
      if (p->size() != expected)
        return n.fail("expects " + Twine(expected) + " pads for a " +
                      Twine(oneD ? 1 : spatial) + "-D window, got " +
                      Twine(p->size()));
      if (oneD)
        pads = {0, (*p)[0], 0, (*p)[1]};
      else
        pads.assign(p->begin(), p->end());
    }
    return pads;
  }
  if (autoPad == "VALID")
    return pads;
  if (autoPad != "SAME_UPPER" && autoPad != "SAME_LOWER")
    return n.fail("unknown auto_pad '" + autoPad + "'");
  for (size_t i = 0; i < spatial; ++i) {
    if (strides[i] < 1 || strides[i] > kMaxWindowAttr || dilations[i] < 1 ||
        dilations[i] > kMaxWindowAttr || kernel[i] < 1 ||
        kernel[i] > kMaxWindowAttr)
      return n.fail("kernel, strides and dilations must be in [1, " +
                    Twine(kMaxWindowAttr) + "]");
    int64_t in = input.getDimSize(2 + i);
    int64_t out = (in + strides[i] - 1) / strides[i];
    int64_t total = std::max<int64_t>(
        0, (out - 1) * strides[i] + dilations[i] * (kernel[i] - 1) + 1 - in);
    int64_t small = total / 2, large = total - small;
    pads[i] = autoPad == "SAME_UPPER" ? small : large;
    pads[spatial + i] = autoPad == "SAME_UPPER" ? large : small;
  }
  return pads;
}

namespace {

std::vector<int64_t> intsOr(NodeContext &n, StringRef name,
                            std::vector<int64_t> defaultValue) {
  std::optional<std::vector<int64_t>> v = n.attrInts(name);
  return v ? *v : defaultValue;
}

/// 1-D windows (convolution and pooling over [N, C, L]) run as 2-D ones
/// over [N, C, 1, L]. This checks the input's rank, gives the 2-D form of
/// `v` (`v` itself for 2-D, else a unit first spatial dim), and sets
/// `oneD`.
FailureOr<Value> windowInput(NodeContext &n, Value v, StringRef what,
                             bool &oneD) {
  int64_t rank = typeOf(v).getRank();
  if (rank != 3 && rank != 4)
    return n.fail("only 1-D and 2-D " + what +
                  " (3-D and 4-D inputs) are supported, got rank " +
                  Twine(rank));
  oneD = rank == 3;
  if (!oneD)
    return v;
  return n.make<ExpandDimsOp>(v, ArrayRef<int64_t>{2});
}

/// A window attribute (strides, dilations, kernel_shape) in its 2-D form:
/// a 1-D node's single value gets a leading 1; absent, all ones.
std::vector<int64_t> windowInts(NodeContext &n, StringRef name, bool oneD) {
  std::vector<int64_t> v = intsOr(
      n, name, oneD ? std::vector<int64_t>{1} : std::vector<int64_t>{1, 1});
  if (oneD)
    v.insert(v.begin(), 1);
  return v;
}

/// The result of a window op on the 2-D form, back in the node's rank.
FailureOr<Value> windowResult(NodeContext &n, FailureOr<Value> y, bool oneD) {
  if (failed(y) || !oneD)
    return y;
  return n.make<SqueezeOp>(*y, ArrayRef<int64_t>{2});
}

} // namespace

FailureOr<Value> convolve(NodeContext &n, Value x, Value w, Value bias) {
  int64_t rank = typeOf(x).getRank();
  if (rank < 3 || rank > 5)
    return n.fail("only 1-D, 2-D and 3-D convolutions (inputs of rank 3 to "
                  "5) are supported, got rank " +
                  Twine(rank));
  bool oneD = false;
  FailureOr<Value> x2 = windowInput(n, x, "convolutions", oneD);
  if (failed(x2))
    return failure();
  if (typeOf(w).getRank() != typeOf(x).getRank())
    return n.fail("weight must have the input's rank (" +
                  Twine(typeOf(x).getRank()) + "), not " +
                  Twine(typeOf(w).getRank()));
  FailureOr<Value> w2 =
      oneD ? n.make<ExpandDimsOp>(w, ArrayRef<int64_t>{2}) : w;
  if (failed(w2))
    return failure();
  std::vector<int64_t> strides = windowInts(n, "strides", oneD);
  std::vector<int64_t> dilations = windowInts(n, "dilations", oneD);
  auto wt = typeOf(*w2);
  int64_t kernel[2] = {wt.getDimSize(2), wt.getDimSize(3)};
  auto pads = resolvePads(n, typeOf(*x2), kernel, strides, dilations, oneD);
  if (failed(pads))
    return failure();
  return windowResult(n,
                      n.make<Conv2DOp>(*x2, *w2, bias, strides, *pads,
                                       dilations, n.attrInt("group", 1)),
                      oneD);
}

namespace {

LogicalResult conv(NodeContext &n) {
  Value x = n.input(0), w = n.input(1);
  if (!x || !w)
    return failure();
  if (typeOf(x).getRank() == 5)
    return conv3d(n);
  FailureOr<Value> bias = optionalInput(n, 2);
  if (failed(bias))
    return failure();
  return done(n, convolve(n, x, w, *bias));
}

/// ConvTranspose's weight [C, M/g, kh, kw] as the weight of the equivalent
/// convolution, [M, C/g, kh, kw] with each kernel flipped, computed at
/// import.
ConstantData transposedConvWeight(const ConstantData &w, int64_t groups) {
  int64_t c = w.shape[0], mg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  int64_t cg = c / groups, k = kh * kw;
  size_t es = w.bytes.size() / std::max<int64_t>(w.numElements(), 1);
  ConstantData t;
  t.elementType = w.elementType;
  t.shape = {mg * groups, cg, kh, kw};
  t.bytes.resize(w.bytes.size());
  for (int64_t g = 0; g < groups; ++g)
    for (int64_t ci = 0; ci < cg; ++ci)
      for (int64_t mi = 0; mi < mg; ++mi)
        for (int64_t p = 0; p < k; ++p) {
          int64_t from = (((g * cg + ci) * mg + mi) * k) + p;
          int64_t to = (((g * mg + mi) * cg + ci) * k) + (k - 1 - p);
          std::memcpy(&t.bytes[to * es], &w.bytes[from * es], es);
        }
  return t;
}

/// ConvTranspose as a convolution: the input with stride - 1 zeros inserted
/// between its elements, padded by dilation * (kernel - 1) minus the
/// node's pads (cropped where that is negative, plus output_padding at the
/// end), convolved with stride 1 by the flipped, transposed weight. The
/// inserted zeros cost stride^2 times the multiply-adds of a direct
/// kernel.
LogicalResult convTranspose(NodeContext &n) {
  Value x0 = n.input(0), w0 = n.input(1);
  if (!x0 || !w0)
    return failure();
  bool oneD = false;
  FailureOr<Value> xIn = windowInput(n, x0, "transposed convolutions", oneD);
  if (failed(xIn))
    return failure();
  if (typeOf(w0).getRank() != typeOf(x0).getRank())
    return n.fail("weight must have the input's rank (" +
                  Twine(typeOf(x0).getRank()) + "), not " +
                  Twine(typeOf(w0).getRank()));
  Expr e(n);
  e.setType(typeOf(x0).getElementType());
  Value x = *xIn;
  int64_t groups = n.attrInt("group", 1);
  RankedTensorType xt = typeOf(x);
  int64_t N = xt.getDimSize(0), C = xt.getDimSize(1);
  int64_t wc = typeOf(w0).getDimSize(0), mg = typeOf(w0).getDimSize(1);
  if (groups < 1 || C % groups != 0 || wc != C)
    return n.fail("weight has " + Twine(wc) + " input channels and group " +
                  Twine(groups) + " for an input of " + Twine(C) +
                  " channels: the weight is [C, M / group, kernel...]");
  ArrayRef<int64_t> wShape = typeOf(w0).getShape();
  int64_t kernel[2] = {oneD ? 1 : wShape[2], wShape.back()};
  std::vector<int64_t> strides = windowInts(n, "strides", oneD);
  std::vector<int64_t> dilations = windowInts(n, "dilations", oneD);
  std::vector<int64_t> outPad =
      intsOr(n, "output_padding", std::vector<int64_t>(oneD ? 1 : 2, 0));
  if (oneD)
    outPad.insert(outPad.begin(), 0);
  if (strides.size() != 2 || dilations.size() != 2 || outPad.size() != 2)
    return n.fail("strides, dilations and output_padding must have one "
                  "value per spatial dimension");
  int64_t in[2] = {xt.getDimSize(2), xt.getDimSize(3)};
  SmallVector<int64_t, 4> pads(4, 0);
  for (int i = 0; i < 2; ++i)
    if (strides[i] < 1 || strides[i] > kMaxWindowAttr || dilations[i] < 1 ||
        dilations[i] > kMaxWindowAttr || outPad[i] < 0 ||
        outPad[i] >= std::max(strides[i], dilations[i]))
      return n.fail("strides and dilations must be in [1, " +
                    Twine(kMaxWindowAttr) +
                    "] and output_padding below the stride or dilation");
  // The full output extent before padding is removed.
  auto fullExtent = [&](int i) {
    return strides[i] * (in[i] - 1) + outPad[i] +
           (kernel[i] - 1) * dilations[i] + 1;
  };
  std::string autoPad = n.attrString("auto_pad", "NOTSET");
  std::optional<std::vector<int64_t>> outputShape = n.attrInts("output_shape");
  if (outputShape || autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    // Pads from the wanted output size (the input's times the stride for
    // the SAME modes), split as the specification says.
    std::vector<int64_t> out;
    if (outputShape) {
      out = *outputShape;
      if (out.size() == (oneD ? 3u : 4u))
        out.erase(out.begin(), out.begin() + 2);
      if (oneD && out.size() == 1)
        out.insert(out.begin(), 1);
      if (out.size() != 2)
        return n.fail("output_shape must have one value per spatial "
                      "dimension");
    } else {
      out = {in[0] * strides[0], in[1] * strides[1]};
    }
    for (int i = 0; i < 2; ++i) {
      // A negative total (an output up to stride - 1 larger than the full
      // one) extends the output at the end, as output_padding does.
      int64_t total = fullExtent(i) - out[i];
      if (total < 1 - strides[i])
        return n.fail("output_shape " + Twine(out[i]) + " exceeds " +
                      Twine(fullExtent(i) + strides[i] - 1) +
                      ", the largest output of this input, kernel and "
                      "stride");
      int64_t half = llvm::divideFloorSigned(total, 2);
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? half : total - half;
      pads[2 + i] = upper ? total - half : half;
    }
  } else if (autoPad == "NOTSET") {
    if (auto p = n.attrInts("pads")) {
      if (p->size() != (oneD ? 2u : 4u))
        return n.fail("expects " + Twine(oneD ? 2 : 4) + " pads, got " +
                      Twine(p->size()));
      if (oneD)
        pads = {0, (*p)[0], 0, (*p)[1]};
      else
        pads.assign(p->begin(), p->end());
      if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
        return n.fail("pads must be non-negative");
    }
  } else if (autoPad != "VALID") {
    return n.fail("unknown auto_pad '" + autoPad + "'");
  }
  for (int i = 0; i < 2; ++i)
    if (pads[i] + pads[2 + i] >= fullExtent(i))
      return n.fail("pads remove the whole output");

  // Zeros between the input's elements: [N, C, H, 1, W, 1] padded to
  // [N, C, H, s, W, s], flattened and cropped to (H - 1) * s + 1 rows.
  if (strides[0] > 1 || strides[1] > 1) {
    int64_t sh = strides[0], sw = strides[1];
    Value v = e.op<ReshapeOp>(x, ArrayRef<int64_t>{N, C, in[0], 1, in[1], 1});
    SmallVector<int64_t> zeros(12, 0);
    zeros[6 + 3] = sh - 1;
    zeros[6 + 5] = sw - 1;
    v = e.op<PadOp>(v, n.b.getDenseI64ArrayAttr(zeros),
                    PadModeAttr::get(n.b.getContext(), PadMode::constant),
                    n.b.getF64FloatAttr(0));
    v = e.op<ReshapeOp>(v, ArrayRef<int64_t>{N, C, in[0] * sh, in[1] * sw});
    x = e.op<SliceOp>(
        v, ArrayRef<int64_t>{0, 0, 0, 0},
        ArrayRef<int64_t>{N, C, (in[0] - 1) * sh + 1, (in[1] - 1) * sw + 1},
        ArrayRef<int64_t>{1, 1, 1, 1});
  }
  // Convolution pads; a negative one crops the input instead.
  SmallVector<int64_t, 4> convPads(4, 0), crop(4, 0);
  for (int i = 0; i < 2; ++i) {
    int64_t reach = dilations[i] * (kernel[i] - 1);
    int64_t begin = reach - pads[i], end = reach - pads[2 + i] + outPad[i];
    convPads[i] = std::max<int64_t>(begin, 0);
    convPads[2 + i] = std::max<int64_t>(end, 0);
    crop[i] = std::max<int64_t>(-begin, 0);
    crop[2 + i] = std::max<int64_t>(-end, 0);
  }
  if (llvm::any_of(crop, [](int64_t c) { return c > 0; }) && !e.failed) {
    ArrayRef<int64_t> shape = typeOf(x).getShape();
    x = e.op<SliceOp>(
        x, ArrayRef<int64_t>{0, 0, crop[0], crop[1]},
        ArrayRef<int64_t>{N, C, shape[2] - crop[2], shape[3] - crop[3]},
        ArrayRef<int64_t>{1, 1, 1, 1});
  }
  // The equivalent convolution's weight.
  Value w;
  if (const ConstantData *known = n.constantInput(1)) {
    ConstantData w4 = *known;
    if (oneD)
      w4.shape.insert(w4.shape.begin() + 2, 1);
    w = n.importer.materialize(transposedConvWeight(w4, groups),
                               n.node.input(1) + ".conv", n.b, n.loc);
  } else {
    Value w4 = oneD ? e.op<ExpandDimsOp>(w0, ArrayRef<int64_t>{2}) : w0;
    int64_t cg = C / groups;
    // [g, C/g, M/g, kh, kw] -> [g, M/g, C/g, kh, kw], kernels reversed.
    w4 = e.op<ReshapeOp>(
        w4, ArrayRef<int64_t>{groups, cg, mg, kernel[0], kernel[1]});
    w4 = e.op<TransposeOp>(w4, ArrayRef<int64_t>{0, 2, 1, 3, 4});
    for (int i = 0; i < 2; ++i) {
      if (kernel[i] == 1)
        continue;
      SmallVector<int64_t> reversed;
      for (int64_t j = kernel[i] - 1; j >= 0; --j)
        reversed.push_back(j);
      w4 = e.op<GatherOp>(w4, int64Vector(n, reversed), 3 + i);
    }
    w = e.op<ReshapeOp>(
        w4, ArrayRef<int64_t>{groups * mg, cg, kernel[0], kernel[1]});
  }
  Value bias = n.hasInput(2) ? n.input(2) : Value();
  if (e.failed)
    return failure();
  return done(n,
              windowResult(n,
                           n.make<Conv2DOp>(x, w, bias, ArrayRef<int64_t>{1, 1},
                                            convPads, dilations, groups),
                           oneD));
}

/// MaxPool's Indices output for a 2-D pooling of `x` into `y`: the flat
/// index in `x` (row-major, or column-major per image with storage_order
/// 1) of each window's first maximum. The windows are unfolded from the
/// -inf padded input, one strided slice per window position, and the
/// arg_max's position turned back into input coordinates.
FailureOr<Value> maxPoolIndices(NodeContext &n, Value x, Value y,
                                ArrayRef<int64_t> kernel,
                                ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads,
                                ArrayRef<int64_t> dilations) {
  RankedTensorType xType = typeOf(x), yType = typeOf(y);
  if (!xType.hasStaticShape() || !isa<FloatType>(xType.getElementType()))
    return n.fail("the Indices output needs a static float input");
  int64_t batch = xType.getDimSize(0), channels = xType.getDimSize(1);
  int64_t h = xType.getDimSize(2), w = xType.getDimSize(3);
  int64_t oh = yType.getDimSize(2), ow = yType.getDimSize(3);
  // High padding up to the last window's end (ceil_mode's overhang too).
  int64_t bottom = std::max<int64_t>(
      pads[2],
      (oh - 1) * strides[0] + (kernel[0] - 1) * dilations[0] + 1 - h - pads[0]);
  int64_t right = std::max<int64_t>(
      pads[3],
      (ow - 1) * strides[1] + (kernel[1] - 1) * dilations[1] + 1 - w - pads[1]);
  Expr e(n);
  e.setType(xType.getElementType());
  Value padded = e.op<PadOp>(
      x,
      n.b.getDenseI64ArrayAttr({0, 0, pads[0], pads[1], 0, 0, bottom, right}),
      PadModeAttr::get(n.b.getContext(), PadMode::constant),
      n.b.getF64FloatAttr(-std::numeric_limits<double>::infinity()));
  SmallVector<Value> windows;
  for (int64_t i = 0; i < kernel[0]; ++i)
    for (int64_t j = 0; j < kernel[1]; ++j) {
      int64_t top = i * dilations[0], left = j * dilations[1];
      Value slice = e.op<SliceOp>(
          padded, ArrayRef<int64_t>{0, 0, top, left},
          ArrayRef<int64_t>{batch, channels, top + (oh - 1) * strides[0] + 1,
                            left + (ow - 1) * strides[1] + 1},
          ArrayRef<int64_t>{1, 1, strides[0], strides[1]});
      windows.push_back(e.op<ExpandDimsOp>(slice, ArrayRef<int64_t>{4}));
    }
  Value stacked = e.op<ConcatOp>(ValueRange(windows), 4);
  Value arg =
      e.op<ArgMaxOp>(stacked, n.b.getI64IntegerAttr(4), UnitAttr(), UnitAttr());
  e.setType(n.b.getI64Type());
  Value row = e.op<AddOp>(iotaConstant(n, {1, 1, oh, 1}, strides[0], -pads[0]),
                          e.op<MulOp>(e.op<DivOp>(arg, e.c(double(kernel[1]))),
                                      e.c(double(dilations[0]))));
  Value column =
      e.op<AddOp>(iotaConstant(n, {1, 1, 1, ow}, strides[1], -pads[1]),
                  e.op<MulOp>(e.op<RemOp>(arg, e.c(double(kernel[1]))),
                              e.c(double(dilations[1]))));
  Value image = iotaConstant(n, {batch, channels, 1, 1}, h * w);
  Value within = n.attrInt("storage_order", 0) == 1
                     ? e.op<AddOp>(e.op<MulOp>(column, e.c(double(h))), row)
                     : e.op<AddOp>(e.op<MulOp>(row, e.c(double(w))), column);
  Value index = e.op<AddOp>(image, within);
  if (e.failed)
    return failure();
  return index;
}

template <typename OpTy> LogicalResult pool(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  int64_t rank = typeOf(x).getRank();
  if (rank < 3 || rank > 5)
    return n.fail("only 1-D, 2-D and 3-D pooling (inputs of rank 3 to 5) "
                  "is supported, got rank " +
                  Twine(rank));
  if (rank == 5)
    return pool3d(n);
  bool oneD = false;
  FailureOr<Value> x2 = windowInput(n, x, "pooling", oneD);
  if (failed(x2))
    return failure();
  if (n.wantsOutput(1) && oneD)
    return n.fail("the Indices output of a 1-D MaxPool is not supported");
  std::optional<std::vector<int64_t>> given = n.attrInts("kernel_shape");
  if (!given || given->size() != (oneD ? 1u : 2u))
    return n.fail("expects a " + Twine(oneD ? 1 : 2) +
                  "-D kernel_shape for a " + Twine(oneD ? 3 : 4) + "-D input");
  std::vector<int64_t> kernel = windowInts(n, "kernel_shape", oneD);
  std::vector<int64_t> strides = windowInts(n, "strides", oneD);
  std::vector<int64_t> dilations = windowInts(n, "dilations", oneD);
  auto pads = resolvePads(n, typeOf(*x2), kernel, strides, dilations, oneD);
  if (failed(pads))
    return failure();
  bool ceil = n.attrInt("ceil_mode", 0) != 0;
  if constexpr (std::is_same_v<OpTy, MaxPool2DOp>) {
    FailureOr<Value> y =
        n.make<MaxPool2DOp>(*x2, kernel, strides, *pads, dilations, ceil);
    if (succeeded(y) && n.wantsOutput(1)) {
      FailureOr<Value> indices =
          maxPoolIndices(n, *x2, *y, kernel, strides, *pads, dilations);
      if (failed(indices))
        return failure();
      n.setOutput(1, *indices);
    }
    return done(n, windowResult(n, y, oneD));
  } else {
    if (dilations != std::vector<int64_t>{1, 1})
      return n.fail("dilated average pooling is not supported");
    return done(n,
                windowResult(n,
                             n.make<AvgPool2DOp>(
                                 *x2, kernel, strides, *pads,
                                 n.attrInt("count_include_pad", 0) != 0, ceil),
                             oneD));
  }
}

template <typename OpTy> LogicalResult globalPool(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  bool oneD = false;
  FailureOr<Value> x2 = windowInput(n, x, "global pooling", oneD);
  if (failed(x2))
    return failure();
  return done(n, windowResult(n, n.make<OpTy>(*x2), oneD));
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

/// Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at
/// `axis` (default 1) and normalized over the flattened trailing part.
LogicalResult softmax(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType type = typeOf(x);
  int64_t rank = type.getRank();
  bool log = n.node.op_type() == "LogSoftmax";
  int64_t axis = n.attrInt("axis", n.opset < 13 ? 1 : -1);
  std::optional<int64_t> norm = shape::normalizeAxis(axis, rank);
  if (!norm)
    return n.fail("axis " + Twine(axis) + " is out of range for rank " +
                  Twine(rank));
  FailureOr<Value> in = x;
  int64_t softmaxAxis = *norm;
  if (n.opset < 13 && *norm != rank - 1) {
    in = n.make<ReshapeOp>(x, flattenedAt(type.getShape(), *norm));
    softmaxAxis = 1;
  }
  if (failed(in))
    return failure();
  FailureOr<Value> y = n.make<SoftmaxOp>(*in, softmaxAxis);
  if (succeeded(y) && log)
    y = n.make<LogOp>(*y);
  if (succeeded(y) && typeOf(*y) != type)
    y = n.make<ReshapeOp>(*y, type.getShape());
  return done(n, y);
}

/// BatchNormalization in training mode: normalized by the batch's own
/// mean and (population) variance over every axis but the channels', and
/// the running statistics updated as input * momentum + batch * (1 -
/// momentum).
LogicalResult batchNormTraining(NodeContext &n, ArrayRef<Value> v) {
  RankedTensorType type = typeOf(v[0]);
  int64_t rank = type.getRank();
  if (rank < 2)
    return n.fail("needs an input of rank 2 or more");
  SmallVector<int64_t> axes = {0}, channel(rank, 1);
  for (int64_t d = 2; d < rank; ++d)
    axes.push_back(d);
  channel[1] = type.getDimSize(1);
  Expr e(n);
  e.setType(type.getElementType());
  auto perChannel = [&](Value p) { return e.op<ReshapeOp>(p, channel); };
  Value mean = e.op<ReduceMeanOp>(v[0], axes, true);
  Value centered = e.op<SubOp>(v[0], mean);
  Value var = e.op<ReduceMeanOp>(e.op<MulOp>(centered, centered), axes, true);
  double eps = n.attrFloat("epsilon", 1e-5f);
  Value y = e.op<AddOp>(
      e.op<MulOp>(
          e.op<DivOp>(centered, e.op<SqrtOp>(e.op<AddOp>(var, e.c(eps)))),
          perChannel(v[1])),
      perChannel(v[2]));
  double momentum = n.attrFloat("momentum", 0.9f);
  SmallVector<int64_t> flat = {type.getDimSize(1)};
  auto running = [&](Value input, Value batch) {
    return e.op<AddOp>(
        e.op<MulOp>(input, e.c(momentum)),
        e.op<MulOp>(e.op<ReshapeOp>(batch, flat), e.c(1 - momentum)));
  };
  Value runningMean = running(v[3], mean), runningVar = running(v[4], var);
  if (e.failed)
    return failure();
  n.setOutput(0, y);
  if (n.wantsOutput(1))
    n.setOutput(1, runningMean);
  if (n.wantsOutput(2))
    n.setOutput(2, runningVar);
  return success();
}

LogicalResult batchNorm(NodeContext &n) {
  auto in = inputs(n, 5);
  if (failed(in))
    return failure();
  auto &v = *in;
  if (n.attrInt("training_mode", 0) != 0 || n.wantsOutput(1))
    return batchNormTraining(n, v);
  return done(n, n.make<BatchNormOp>(
                     v[0], v[1], v[2], v[3], v[4],
                     n.b.getF64FloatAttr(n.attrFloat("epsilon", 1e-5f))));
}

LogicalResult layerNorm(NodeContext &n) {
  Value x = n.input(0), scale = n.input(1);
  if (!x || !scale)
    return failure();
  Value bias = n.hasInput(2) ? n.input(2) : Value();
  int64_t rank = typeOf(x).getRank();
  int64_t axis = n.attrInt("axis", -1);
  float eps = n.attrFloat("epsilon", 1e-5f);
  std::optional<int64_t> norm = shape::normalizeAxis(axis, rank);
  if (!norm)
    return n.fail("axis " + Twine(axis) + " is out of range");
  // ONNX broadcasts scale and bias to the normalized shape.
  ArrayRef<int64_t> normShape = typeOf(x).getShape().drop_front(*norm);
  for (Value *p : {&scale, &bias}) {
    if (!*p || typeOf(*p).getShape() == normShape)
      continue;
    auto b = n.make<BroadcastToOp>(*p, normShape);
    if (failed(b))
      return failure();
    *p = *b;
  }
  auto y = n.make<LayerNormOp>(x, scale, bias, n.b.getI64IntegerAttr(*norm),
                               n.b.getF64FloatAttr(eps));
  if (failed(y))
    return failure();
  n.setOutput(0, *y);
  if (n.wantsOutput(1) || n.wantsOutput(2)) {
    // Mean and 1/stddev over the normalized axes, kept as size-1 dims.
    SmallVector<int64_t> axes;
    for (int64_t d = *norm; d < rank; ++d)
      axes.push_back(d);
    auto mean = n.make<ReduceMeanOp>(x, axes, true);
    if (failed(mean))
      return failure();
    auto dev = n.make<SubOp>(x, *mean);
    if (failed(dev))
      return failure();
    auto sq = n.make<MulOp>(*dev, *dev);
    if (failed(sq))
      return failure();
    auto var = n.make<ReduceMeanOp>(*sq, axes, true);
    if (failed(var))
      return failure();
    auto varEps =
        n.make<AddOp>(*var, n.scalar(typeOf(x).getElementType(), eps));
    if (failed(varEps))
      return failure();
    auto inv = n.make<RsqrtOp>(*varEps);
    if (failed(inv))
      return failure();
    n.setOutput(1, *mean);
    n.setOutput(2, *inv);
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

/// The reduction axes: an attribute before ReduceSum-13 (and for the others
/// in opsets up to 17), an optional input after. `noop` is set when an empty
/// axes list means "do nothing" (noop_with_empty_axes).
FailureOr<std::vector<int64_t>> reductionAxes(NodeContext &n, bool &noop) {
  noop = false;
  bool axesInput = n.node.op_type() == "ReduceSum" && n.opset >= 13;
  std::vector<int64_t> axes;
  if (axesInput) {
    if (n.hasInput(1)) {
      auto v = n.intsInput(1, "axes");
      if (failed(v))
        return failure();
      axes = *v;
    }
    noop = axes.empty() && n.attrInt("noop_with_empty_axes", 0) != 0;
  } else if (auto a = n.attrInts("axes")) {
    axes = *a;
  }
  return axes;
}

enum class Reduce {
  Sum,
  Mean,
  Max,
  Min,
  Prod,
  L1,
  L2,
  LogSum,
  LogSumExp,
  SumSquare
};

template <Reduce Kind> LogicalResult reduce(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  bool noop;
  auto axes = reductionAxes(n, noop);
  if (failed(axes))
    return failure();
  if (noop) {
    n.setOutput(0, x);
    return success();
  }
  bool keep = n.attrInt("keepdims", 1) != 0;
  Type t = typeOf(x).getElementType();
  FailureOr<Value> in = x;
  switch (Kind) {
  case Reduce::L1:
    in = n.make<AbsOp>(x);
    break;
  case Reduce::L2:
  case Reduce::SumSquare:
    in = n.make<MulOp>(x, x);
    break;
  default:
    break;
  }
  if (failed(in))
    return failure();
  FailureOr<Value> r;
  switch (Kind) {
  case Reduce::Mean:
    r = n.make<ReduceMeanOp>(*in, *axes, keep);
    break;
  case Reduce::Max:
    r = n.make<ReduceMaxOp>(*in, *axes, keep);
    break;
  case Reduce::Min:
    r = n.make<ReduceMinOp>(*in, *axes, keep);
    break;
  case Reduce::Prod:
    r = n.make<ReduceProdOp>(*in, *axes, keep);
    break;
  case Reduce::LogSumExp: {
    // max + log(sum(exp(x - max))), stable for large inputs.
    auto max = n.make<ReduceMaxOp>(x, *axes, true);
    if (failed(max))
      return failure();
    auto shifted = n.make<SubOp>(x, *max);
    if (failed(shifted))
      return failure();
    auto e = n.make<ExpOp>(*shifted);
    if (failed(e))
      return failure();
    auto s = n.make<ReduceSumOp>(*e, *axes, true);
    if (failed(s))
      return failure();
    auto l = n.make<LogOp>(*s);
    if (failed(l))
      return failure();
    r = n.make<AddOp>(*l, *max);
    if (succeeded(r) && !keep) {
      SmallVector<int64_t> squeeze =
          *shape::normalizeAxes(*axes, typeOf(x).getRank());
      r = n.make<SqueezeOp>(*r, squeeze);
    }
    return done(n, r);
  }
  default:
    r = n.make<ReduceSumOp>(*in, *axes, keep);
  }
  if (failed(r))
    return failure();
  if (Kind == Reduce::L2)
    r = n.make<SqrtOp>(*r);
  else if (Kind == Reduce::LogSum)
    r = n.make<LogOp>(*r);
  (void)t;
  return done(n, r);
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

LogicalResult reshape(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  auto shapeIn = n.intsInput(1, "shape");
  if (failed(shapeIn))
    return failure();
  RankedTensorType type = typeOf(x);
  bool allowZero = n.attrInt("allowzero", 0) != 0;
  std::vector<int64_t> shape = *shapeIn;
  int64_t known = 1, inferred = -1;
  for (size_t i = 0; i < shape.size(); ++i) {
    if (shape[i] == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= type.getRank())
        return n.fail("shape entry 0 at position " + Twine(i) +
                      " has no input dimension to copy");
      shape[i] = type.getDimSize(i);
    }
    if (shape[i] == -1) {
      if (inferred >= 0)
        return n.fail("shape has more than one -1");
      inferred = i;
      continue;
    }
    if (shape[i] < 0)
      return n.fail("invalid shape entry " + Twine(shape[i]));
    std::optional<int64_t> product = llvm::checkedMul(known, shape[i]);
    if (!product)
      return n.fail("shape " + shape::formatShape(shape) +
                    " has more elements than a tensor can have");
    known = *product;
  }
  if (inferred >= 0) {
    if (known == 0 || type.getNumElements() % known != 0)
      return n.fail("cannot infer the -1 dimension of the shape");
    shape[inferred] = type.getNumElements() / known;
  }
  return done(n, n.make<ReshapeOp>(x, shape));
}

LogicalResult flatten(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType type = typeOf(x);
  int64_t axis = n.attrInt("axis", 1);
  if (axis < 0)
    axis += type.getRank();
  if (axis < 0 || axis > type.getRank())
    return n.fail("axis out of range");
  return done(n, n.make<ReshapeOp>(x, flattenedAt(type.getShape(), axis)));
}

LogicalResult transpose(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  int64_t rank = typeOf(x).getRank();
  std::vector<int64_t> perm;
  if (auto p = n.attrInts("perm"))
    perm = *p;
  else
    for (int64_t d = rank - 1; d >= 0; --d)
      perm.push_back(d);
  return done(n, n.make<TransposeOp>(x, perm));
}

LogicalResult expand(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  auto target = n.intsInput(1, "shape");
  if (failed(target))
    return failure();
  // Expand broadcasts in both directions: the result is the broadcast shape.
  std::optional<SmallVector<int64_t>> shape =
      shape::broadcastShapes(typeOf(x).getShape(), *target);
  if (!shape)
    return n.fail("cannot expand " + shape::formatShape(typeOf(x).getShape()) +
                  " to " + shape::formatShape(*target));
  if (ArrayRef<int64_t>(*shape) == typeOf(x).getShape()) {
    n.setOutput(0, x);
    return success();
  }
  return done(n, n.make<BroadcastToOp>(x, *shape));
}

LogicalResult concat(NodeContext &n) {
  auto in = inputs(n, n.numInputs());
  if (failed(in))
    return failure();
  return done(n, n.make<ConcatOp>(ValueRange(*in), n.attrInt("axis", 0)));
}

LogicalResult slice(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType type = typeOf(x);
  int64_t rank = type.getRank();
  std::vector<int64_t> starts, ends, axes, steps;
  if (n.opset < 10) {
    starts = intsOr(n, "starts", {});
    ends = intsOr(n, "ends", {});
    axes = intsOr(n, "axes", {});
  } else {
    auto s = n.intsInput(1, "starts"), e = n.intsInput(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (n.hasInput(3)) {
      auto a = n.intsInput(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (n.hasInput(4)) {
      auto st = n.intsInput(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (starts.size() != ends.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return n.fail("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> s(rank, 0), e(type.getShape()), st(rank, 1);
  SmallVector<bool> sliced(rank, false);
  // Axes walked backwards (negative steps): their indices, gathered after
  // the slice of the other axes.
  SmallVector<std::pair<int64_t, SmallVector<int64_t>>> reversed;
  for (size_t i = 0; i < axes.size(); ++i) {
    std::optional<int64_t> axis = shape::normalizeAxis(axes[i], rank);
    if (!axis)
      return n.fail("axis " + Twine(axes[i]) + " is out of range");
    if (sliced[*axis])
      return n.fail("axis " + Twine(axes[i]) + " is sliced twice");
    sliced[*axis] = true;
    int64_t dim = type.getDimSize(*axis);
    if (steps[i] == 0)
      return n.fail("steps must not be zero");
    // Negative indices count from the end; forwards everything clamps to
    // [0, dim], backwards the start to [0, dim - 1] and the end to
    // [-1, dim - 1].
    auto clamp = [&](int64_t v, int64_t lo, int64_t hi) {
      if (v < 0)
        v += dim;
      return std::min(std::max(v, lo), hi);
    };
    if (steps[i] > 0) {
      s[*axis] = clamp(starts[i], 0, dim);
      e[*axis] = std::max(clamp(ends[i], 0, dim), s[*axis]);
      st[*axis] = steps[i];
      continue;
    }
    SmallVector<int64_t> indices;
    int64_t end = ends[i] < -dim ? -1 : clamp(ends[i], -1, dim - 1);
    for (int64_t j = clamp(starts[i], 0, dim - 1); j > end; j += steps[i])
      indices.push_back(j);
    reversed.push_back({*axis, std::move(indices)});
  }
  FailureOr<Value> y = n.make<SliceOp>(x, s, e, st);
  for (auto &[axis, indices] : reversed) {
    if (failed(y))
      return failure();
    y = n.make<GatherOp>(*y, int64Vector(n, indices), axis);
  }
  return done(n, y);
}

LogicalResult pad(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  std::vector<int64_t> pads;
  double value = 0;
  if (n.opset < 11) {
    pads = intsOr(n, "pads", {});
    value = n.attrFloat("value", 0);
  } else {
    auto p = n.intsInput(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (n.hasInput(2)) {
      const ConstantData *c = n.knownInput(2, "constant_value");
      if (!c)
        return failure();
      if (c->numElements() != 1)
        return n.fail("constant_value must be a scalar");
      value = c->asDoubles().front();
    }
  }
  std::string modeName = n.attrString("mode", "constant");
  PadMode mode;
  if (modeName == "constant")
    mode = PadMode::constant;
  else if (modeName == "reflect")
    mode = PadMode::reflect;
  else if (modeName == "edge")
    mode = PadMode::edge;
  else
    return n.fail("unknown pad mode '" + modeName + "'");
  for (int64_t p : pads)
    if (p < 0)
      return n.fail("negative pads (cropping) are not supported");
  return done(n, n.make<PadOp>(x, n.b.getDenseI64ArrayAttr(pads),
                               PadModeAttr::get(n.b.getContext(), mode),
                               n.b.getF64FloatAttr(value)));
}

LogicalResult gather(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in) ||
      failed(checkConstantIndices(n, (*in)[0], n.attrInt("axis", 0))))
    return failure();
  return done(n, n.make<GatherOp>((*in)[0], (*in)[1], n.attrInt("axis", 0)));
}

/// The row-major offsets of index tuples (the last dimension of `indices`,
/// i64) into dimensions `dims`, negative entries counted from the end: the
/// rows of the data with those dimensions flattened.
Value tupleOffsets(NodeContext &n, Expr &e, Value indices,
                   ArrayRef<int64_t> dims) {
  int64_t k = dims.size();
  std::vector<int64_t> sizes(dims.begin(), dims.end()), strides(k, 1);
  for (int64_t j = k - 2; j >= 0; --j)
    strides[j] = strides[j + 1] * dims[j + 1];
  MLIRContext *ctx = n.b.getContext();
  Value sizeVector =
      n.importer.materialize(int64Data(sizes, {k}, ctx), "", n.b, n.loc);
  Value index = e.select(e.cmp(ComparePredicate::lt, indices, e.c(0)),
                         e.op<AddOp>(indices, sizeVector), indices);
  Value strideVector =
      n.importer.materialize(int64Data(strides, {k}, ctx), "", n.b, n.loc);
  int64_t last = typeOf(indices).getRank() - 1;
  return e.op<ReduceSumOp>(e.op<MulOp>(index, strideVector),
                           ArrayRef<int64_t>{last}, false);
}

/// GatherND as a gather along axis 0 of the data with its batch and indexed
/// dimensions flattened: each index tuple (negative entries counted from
/// the end) becomes its row-major offset, plus its batch's first row.
LogicalResult gatherND(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Value data = (*in)[0];
  RankedTensorType dataType = typeOf(data), indexType = typeOf((*in)[1]);
  int64_t batch = n.attrInt("batch_dims", 0);
  int64_t rank = dataType.getRank(), indexRank = indexType.getRank();
  if (!dataType.hasStaticShape() || !indexType.hasStaticShape())
    return n.fail("needs static shapes");
  int64_t k = indexRank ? indexType.getShape().back() : 0;
  if (indexRank < 1 || batch < 0 || batch >= indexRank || batch + k > rank)
    return n.fail("batch_dims " + Twine(batch) + " and index tuples of " +
                  Twine(k) + " do not fit data of rank " + Twine(rank) +
                  " and indices of rank " + Twine(indexRank));
  for (int64_t d = 0; d < batch; ++d)
    if (dataType.getDimSize(d) != indexType.getDimSize(d))
      return n.fail("batch dimension " + Twine(d) + " differs: " +
                    Twine(dataType.getDimSize(d)) + " in the data, " +
                    Twine(indexType.getDimSize(d)) + " in the indices");
  ArrayRef<int64_t> dims = dataType.getShape().slice(batch, k);
  int64_t block = 1;
  for (int64_t d : dims)
    block *= d;
  Expr e(n);
  e.setType(n.b.getI64Type());
  FailureOr<Value> wide = castTo(n, (*in)[1], e.type);
  if (failed(wide))
    return failure();
  Value offset = tupleOffsets(n, e, *wide, dims);
  if (batch > 0) {
    // Each batch's first row, shaped to broadcast over its index tuples.
    SmallVector<int64_t> shape(indexType.getShape().take_front(batch));
    shape.resize(indexRank - 1, 1);
    offset = e.op<AddOp>(offset, iotaConstant(n, shape, block));
  }
  int64_t rows = block;
  for (int64_t d = 0; d < batch; ++d)
    rows *= dataType.getDimSize(d);
  SmallVector<int64_t> flatShape = {rows};
  llvm::append_range(flatShape, dataType.getShape().drop_front(batch + k));
  Value flat = e.op<ReshapeOp>(data, flatShape);
  return e.result(e.op<GatherOp>(flat, offset, 0));
}

/// ReverseSequence as a gather of elements along the time axis: time step
/// t of batch b reads step len[b] - 1 - t when t < len[b], else itself.
LogicalResult reverseSequence(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Value x = (*in)[0];
  RankedTensorType type = typeOf(x);
  int64_t timeAxis = n.attrInt("time_axis", 0);
  int64_t batchAxis = n.attrInt("batch_axis", 1);
  if (type.getRank() < 2 || !type.hasStaticShape() ||
      !((timeAxis == 0 && batchAxis == 1) || (timeAxis == 1 && batchAxis == 0)))
    return n.fail("needs a static input of rank 2 or more with time_axis "
                  "and batch_axis 0 and 1 (in either order)");
  // The time step and the lengths, shaped to broadcast to [T, B] or [B, T]
  // (with unit trailing dimensions).
  SmallVector<int64_t> timeShape(type.getRank(), 1),
      lenShape(type.getRank(), 1);
  timeShape[timeAxis] = type.getDimSize(timeAxis);
  lenShape[batchAxis] = type.getDimSize(batchAxis);
  Expr e(n);
  e.setType(n.b.getI64Type());
  Value t = iotaConstant(n, timeShape);
  FailureOr<Value> lens = castTo(n, (*in)[1], e.type);
  if (failed(lens))
    return failure();
  Value len = e.op<ReshapeOp>(*lens, lenShape);
  Value index = e.select(e.cmp(ComparePredicate::lt, t, len),
                         e.op<SubOp>(e.op<SubOp>(len, e.c(1)), t), t);
  index = e.op<BroadcastToOp>(index, type.getShape());
  return e.result(e.op<GatherElementsOp>(x, index, timeAxis));
}

/// Unsqueeze/Squeeze: axes as an attribute before opset 13, an input after.
FailureOr<std::vector<int64_t>> squeezeAxes(NodeContext &n) {
  if (n.opset < 13)
    return intsOr(n, "axes", {});
  if (!n.hasInput(1))
    return std::vector<int64_t>{};
  return n.intsInput(1, "axes");
}

/// Unsqueeze (ExpandDimsOp) and Squeeze (SqueezeOp).
template <typename OpTy> LogicalResult squeezeLike(NodeContext &n) {
  Value x = n.input(0);
  auto axes = squeezeAxes(n);
  if (!x || failed(axes))
    return failure();
  return done(n, n.make<OpTy>(x, *axes));
}

LogicalResult split(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  RankedTensorType type = typeOf(x);
  std::optional<int64_t> axis =
      shape::normalizeAxis(n.attrInt("axis", 0), type.getRank());
  if (!axis)
    return n.fail("axis out of range");
  int64_t dim = type.getDimSize(*axis);
  std::vector<int64_t> sizes;
  if (n.opset < 13) {
    sizes = intsOr(n, "split", {});
  } else if (n.hasInput(1)) {
    auto s = n.intsInput(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  }
  int64_t parts = n.numOutputs();
  if (llvm::any_of(sizes, [](int64_t size) { return size < 0; }))
    return n.fail("split sizes must not be negative");
  if (sizes.empty()) {
    int64_t each = (dim + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::min(each, dim - i * each));
  }
  if (static_cast<int64_t>(sizes.size()) != parts ||
      std::accumulate(sizes.begin(), sizes.end(), int64_t(0)) != dim)
    return n.fail("split sizes do not add up to the dimension");
  int64_t offset = 0;
  for (int64_t i = 0; i < parts; ++i) {
    SmallVector<int64_t> s(type.getRank(), 0), e(type.getShape()),
        st(type.getRank(), 1);
    s[*axis] = offset;
    e[*axis] = offset + sizes[i];
    offset += sizes[i];
    auto part = n.make<SliceOp>(x, s, e, st);
    if (failed(part))
      return failure();
    n.setOutput(i, *part);
  }
  return success();
}

LogicalResult tile(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  auto repeats = n.intsInput(1, "repeats");
  if (failed(repeats))
    return failure();
  RankedTensorType type = typeOf(x);
  if (static_cast<int64_t>(repeats->size()) != type.getRank())
    return n.fail("repeats must have one entry per dimension");
  // [a, b] -> [1, a, 1, b] -> broadcast [r0, a, r1, b] -> [r0*a, r1*b].
  SmallVector<int64_t> axes, wide, result;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    std::optional<int64_t> size =
        (*repeats)[d] < 0 ? std::nullopt
                          : llvm::checkedMul((*repeats)[d], type.getDimSize(d));
    if (!size)
      return n.fail("repeat " + Twine((*repeats)[d]) + " of dimension " +
                    Twine(d) + " is negative or too large");
    axes.push_back(2 * d);
    wide.push_back((*repeats)[d]);
    wide.push_back(type.getDimSize(d));
    result.push_back(*size);
  }
  auto e = n.make<ExpandDimsOp>(x, axes);
  if (failed(e))
    return failure();
  auto b = n.make<BroadcastToOp>(*e, wide);
  if (failed(b))
    return failure();
  return done(n, n.make<ReshapeOp>(*b, result));
}

//===----------------------------------------------------------------------===//
// Constants and shapes (known at import time)
//===----------------------------------------------------------------------===//

LogicalResult constant(NodeContext &n) {
  MLIRContext *ctx = n.b.getContext();
  for (const onnx::AttributeProto &a : n.node.attribute()) {
    std::string error;
    if (a.name() == "value") {
      std::optional<ConstantData> d = decodeTensor(a.t(), ctx, error);
      if (!d)
        return n.fail(error);
      n.setConstantOutput(0, std::move(*d));
      return success();
    }
    if (a.name() == "value_float" || a.name() == "value_floats") {
      std::vector<float> v =
          a.name() == "value_float"
              ? std::vector<float>{a.f()}
              : std::vector<float>(a.floats().begin(), a.floats().end());
      ConstantData d;
      d.elementType = Float32Type::get(ctx);
      if (a.name() == "value_floats")
        d.shape = {static_cast<int64_t>(v.size())};
      d.bytes.resize(v.size() * 4);
      if (!v.empty())
        std::memcpy(d.bytes.data(), v.data(), d.bytes.size());
      n.setConstantOutput(0, std::move(d));
      return success();
    }
    if (a.name() == "value_int") {
      n.setConstantOutput(0, int64Data({a.i()}, {}, ctx));
      return success();
    }
    if (a.name() == "value_ints") {
      std::vector<int64_t> v(a.ints().begin(), a.ints().end());
      n.setConstantOutput(0,
                          int64Data(v, {static_cast<int64_t>(v.size())}, ctx));
      return success();
    }
  }
  return n.fail("has no supported value attribute");
}

LogicalResult shapeOf(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  ArrayRef<int64_t> shape = typeOf(x).getShape();
  int64_t rank = shape.size();
  auto clampIndex = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::min(std::max<int64_t>(v, 0), rank);
  };
  int64_t start = clampIndex(n.attrInt("start", 0));
  int64_t end = clampIndex(n.attrInt("end", rank));
  std::vector<int64_t> dims(shape.begin() + start,
                            shape.begin() + std::max(start, end));
  n.setConstantOutput(0, int64Data(dims, {static_cast<int64_t>(dims.size())},
                                   n.b.getContext()));
  return success();
}

LogicalResult sizeOf(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  n.setConstantOutput(
      0, int64Data({typeOf(x).getNumElements()}, {}, n.b.getContext()));
  return success();
}

/// The graph.scatter_elements reduction named `name` (ONNX's attribute).
FailureOr<ScatterReductionAttr> scatterReduction(NodeContext &n,
                                                 StringRef name) {
  std::optional<ScatterReduction> r = symbolizeScatterReduction(name);
  if (!r)
    return n.fail("unsupported reduction '" + name +
                  "' (none, add, mul, max or min)");
  return ScatterReductionAttr::get(n.b.getContext(), *r);
}

/// ScatterElements (and opset 9's Scatter).
LogicalResult scatterElements(NodeContext &n) {
  auto in = inputs(n, 3);
  if (failed(in))
    return failure();
  FailureOr<ScatterReductionAttr> reduction =
      scatterReduction(n, n.attrString("reduction", "none"));
  if (failed(reduction))
    return failure();
  return done(n, n.make<ScatterElementsOp>(
                     (*in)[0], (*in)[1], (*in)[2],
                     n.b.getI64IntegerAttr(n.attrInt("axis", 0)), *reduction));
}

/// MaxUnpool: zeros of the pooling's input shape ((in - 1) * stride - pads
/// + kernel) with each value scattered to its flat index over that shape,
/// then padded with zeros at the end of each dimension to `output_shape`
/// when given.
LogicalResult maxUnpool(NodeContext &n) {
  auto in = inputs(n, 2);
  if (failed(in))
    return failure();
  Value x = (*in)[0];
  RankedTensorType type = typeOf(x);
  std::optional<std::vector<int64_t>> kernel = n.attrInts("kernel_shape");
  if (!type.hasStaticShape() || type.getRank() < 3 || !kernel ||
      int64_t(kernel->size()) != type.getRank() - 2)
    return n.fail("needs a static input of rank 3 or more and a kernel_shape "
                  "per spatial dimension");
  int64_t spatial = kernel->size();
  std::vector<int64_t> strides =
      n.attrInts("strides").value_or(std::vector<int64_t>(spatial, 1));
  std::vector<int64_t> pads =
      n.attrInts("pads").value_or(std::vector<int64_t>(2 * spatial, 0));
  if (int64_t(strides.size()) != spatial || int64_t(pads.size()) != 2 * spatial)
    return n.fail("strides and pads must match kernel_shape");
  SmallVector<int64_t> shape(type.getShape().take_front(2));
  for (int64_t d = 0; d < spatial; ++d)
    shape.push_back((type.getDimSize(2 + d) - 1) * strides[d] - pads[d] -
                    pads[spatial + d] + (*kernel)[d]);
  SmallVector<int64_t> padding(2 * type.getRank(), 0);
  if (n.hasInput(2)) {
    FailureOr<std::vector<int64_t>> given = n.intsInput(2, "output_shape");
    if (failed(given))
      return failure();
    if (int64_t(given->size()) != type.getRank())
      return n.fail("output_shape must have " + Twine(type.getRank()) +
                    " values");
    for (int64_t d = 0; d < type.getRank(); ++d) {
      if ((*given)[d] < shape[d])
        return n.fail("output_shape " + shape::formatShape(*given) +
                      " is smaller than the unpooled " +
                      shape::formatShape(shape));
      padding[type.getRank() + d] = (*given)[d] - shape[d];
    }
  }
  int64_t total = 1;
  for (int64_t d : shape)
    total *= d;
  Expr e(n);
  e.setType(type.getElementType());
  Value zeros = e.op<BroadcastToOp>(e.c(0), ArrayRef<int64_t>{total});
  FailureOr<Value> index = castTo(n, (*in)[1], n.b.getI64Type());
  if (failed(index))
    return failure();
  int64_t count = type.getNumElements();
  Value flatIndex = e.op<ReshapeOp>(*index, ArrayRef<int64_t>{count});
  Value values = e.op<ReshapeOp>(x, ArrayRef<int64_t>{count});
  FailureOr<ScatterReductionAttr> none = scatterReduction(n, "none");
  if (failed(none))
    return failure();
  Value out = e.op<ScatterElementsOp>(zeros, flatIndex, values,
                                      n.b.getI64IntegerAttr(0), *none);
  out = e.op<ReshapeOp>(out, shape);
  if (llvm::any_of(padding, [](int64_t p) { return p != 0; }))
    out = e.op<PadOp>(out, n.b.getDenseI64ArrayAttr(padding),
                      PadModeAttr::get(n.b.getContext(), PadMode::constant),
                      n.b.getF64FloatAttr(0));
  return e.result(out);
}

/// ScatterND into run-time data: the data with its indexed dimensions
/// flattened into rows, each index tuple's row offset, and a scatter of the
/// updates' rows along axis 0.
LogicalResult scatterNDAtRunTime(NodeContext &n, StringRef reductionName) {
  auto in = inputs(n, 3);
  if (failed(in))
    return failure();
  FailureOr<ScatterReductionAttr> reduction =
      scatterReduction(n, reductionName);
  if (failed(reduction))
    return failure();
  Value data = (*in)[0], updates = (*in)[2];
  RankedTensorType dataType = typeOf(data), indexType = typeOf((*in)[1]);
  if (!dataType.hasStaticShape() || !indexType.hasStaticShape() ||
      !typeOf(updates).hasStaticShape())
    return n.fail("needs static shapes");
  int64_t rank = dataType.getRank(), indexRank = indexType.getRank();
  int64_t k = indexRank ? indexType.getShape().back() : 0;
  if (indexRank < 1 || k < 1 || k > rank)
    return n.fail("the last dimension of indices (" + Twine(k) +
                  ") must be in [1, " + Twine(rank) + "]");
  ArrayRef<int64_t> dims = dataType.getShape().take_front(k);
  ArrayRef<int64_t> slice = dataType.getShape().drop_front(k);
  int64_t rows = 1, tuples = 1;
  for (int64_t d : dims)
    rows *= d;
  for (int64_t d : indexType.getShape().drop_back())
    tuples *= d;
  Expr e(n);
  e.setType(n.b.getI64Type());
  FailureOr<Value> wide = castTo(n, (*in)[1], e.type);
  if (failed(wide))
    return failure();
  Value offsets = tupleOffsets(n, e, *wide, dims);
  SmallVector<int64_t> rowsShape = {rows}, updateShape = {tuples},
                       offsetShape = {tuples};
  llvm::append_range(rowsShape, slice);
  llvm::append_range(updateShape, slice);
  offsetShape.resize(updateShape.size(), 1);
  Value flatData = e.op<ReshapeOp>(data, rowsShape);
  Value flatUpdates = e.op<ReshapeOp>(updates, updateShape);
  Value index =
      e.op<BroadcastToOp>(e.op<ReshapeOp>(offsets, offsetShape), updateShape);
  Value scattered = e.op<ScatterElementsOp>(
      flatData, index, flatUpdates, n.b.getI64IntegerAttr(0), *reduction);
  return e.result(e.op<ReshapeOp>(scattered, dataType.getShape()));
}

/// ScatterND: of constants (a mask built from static shapes, as Swin's
/// shifted-window attention builds one) computed at import, else a scatter
/// at run time.
LogicalResult scatterND(NodeContext &n) {
  const ConstantData *data = n.constantInput(0);
  const ConstantData *indices = n.constantInput(1);
  const ConstantData *updates = n.constantInput(2);
  std::string reduction = n.attrString("reduction", "none");
  if (!data || !indices || !updates)
    return scatterNDAtRunTime(n, reduction);
  if (reduction != "none" && reduction != "add" && reduction != "mul")
    return n.fail("unsupported reduction '" + reduction + "'");
  if (updates->elementType != data->elementType)
    return n.fail("updates and data differ in element type");
  int64_t rank = data->shape.size();
  if (indices->shape.empty())
    return n.fail("indices must have rank >= 1");
  int64_t k = indices->shape.back();
  if (k < 1 || k > rank)
    return n.fail("the last dimension of indices (" + Twine(k) +
                  ") must be in [1, " + Twine(rank) + "]");
  // Each index tuple writes a slice of the data's trailing dimensions.
  int64_t slice = 1;
  for (int64_t d = k; d < rank; ++d)
    slice *= data->shape[d];
  int64_t tuples = indices->numElements() / k;
  if (updates->numElements() != tuples * slice)
    return n.fail("updates have " + Twine(updates->numElements()) +
                  " elements, not " + Twine(tuples * slice));
  size_t es = data->bytes.size() / std::max<int64_t>(data->numElements(), 1);
  bool isFloat = isa<FloatType>(data->elementType);
  if (reduction != "none" &&
      !(data->elementType.isF32() || data->elementType.isInteger(64)))
    return n.fail("reductions are supported for f32 and i64 only");
  ConstantData out = *data;
  std::vector<int64_t> idx = indices->asInts();
  for (int64_t t = 0; t < tuples; ++t) {
    int64_t offset = 0;
    for (int64_t d = 0; d < k; ++d) {
      int64_t i = idx[t * k + d], dim = data->shape[d];
      if (i < -dim || i >= dim)
        return n.fail("index " + Twine(i) + " is out of range for dimension " +
                      Twine(d) + " of size " + Twine(dim));
      offset = offset * dim + (i < 0 ? i + dim : i);
    }
    char *to = &out.bytes[offset * slice * es];
    const char *from = &updates->bytes[t * slice * es];
    if (reduction == "none") {
      std::memcpy(to, from, slice * es);
      continue;
    }
    for (int64_t j = 0; j < slice; ++j) {
      if (isFloat) {
        float a, b;
        std::memcpy(&a, to + j * es, 4);
        std::memcpy(&b, from + j * es, 4);
        a = reduction == "add" ? a + b : a * b;
        std::memcpy(to + j * es, &a, 4);
      } else {
        int64_t a, b;
        std::memcpy(&a, to + j * es, 8);
        std::memcpy(&b, from + j * es, 8);
        a = reduction == "add" ? a + b : a * b;
        std::memcpy(to + j * es, &a, 8);
      }
    }
  }
  n.setConstantOutput(0, std::move(out));
  return success();
}

LogicalResult constantOfShape(NodeContext &n) {
  auto shape = n.intsInput(0, "shape");
  if (failed(shape))
    return failure();
  ConstantData d;
  d.shape = *shape;
  const onnx::AttributeProto *value = n.attr("value");
  ConstantData element;
  if (value) {
    std::string error;
    std::optional<ConstantData> e =
        decodeTensor(value->t(), n.b.getContext(), error);
    if (!e)
      return n.fail(error);
    element = std::move(*e);
  } else {
    element.elementType = Float32Type::get(n.b.getContext());
    element.bytes.assign(4, 0);
  }
  d.elementType = element.elementType;
  if (element.numElements() != 1)
    return n.fail("value must hold one element, got " +
                  Twine(element.numElements()));
  size_t es = element.bytes.size();
  if (failed(checkFoldedSize(n, d.shape, es, "the output")))
    return failure();
  int64_t count = d.numElements();
  d.bytes.resize(count * es);
  for (int64_t i = 0; i < count; ++i)
    std::memcpy(&d.bytes[i * es], element.bytes.data(), es);
  n.setConstantOutput(0, std::move(d));
  return success();
}

/// Compress: the slices along `axis` (of the flattened input without one)
/// whose condition is true. The condition decides the output's size, so it
/// must be known at import; it becomes a gather of the kept indices.
LogicalResult compress(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  const ConstantData *condition = n.knownInput(1, "condition");
  if (!condition)
    return failure();
  Expr e(n);
  e.setType(typeOf(x).getElementType());
  int64_t axis = 0;
  if (n.attr("axis")) {
    std::optional<int64_t> a =
        shape::normalizeAxis(n.attrInt("axis", 0), typeOf(x).getRank());
    if (!a)
      return n.fail("axis is out of range");
    axis = *a;
  } else {
    x = e.op<ReshapeOp>(x, ArrayRef<int64_t>{typeOf(x).getNumElements()});
  }
  if (e.failed)
    return failure();
  std::vector<int64_t> flags = condition->asInts();
  int64_t extent = typeOf(x).getDimSize(axis);
  if (int64_t(flags.size()) > extent)
    return n.fail("condition has " + Twine(flags.size()) +
                  " values for an axis of " + Twine(extent));
  SmallVector<int64_t> kept;
  for (int64_t i = 0, e = flags.size(); i < e; ++i)
    if (flags[i])
      kept.push_back(i);
  return e.result(e.op<GatherOp>(x, int64Vector(n, kept), axis));
}

/// HannWindow, HammingWindow, BlackmanWindow: constants of the given size
/// (periodic by default: the period is the size, else size - 1).
LogicalResult window(NodeContext &n) {
  const ConstantData *sizeData = n.knownInput(0, "size");
  if (!sizeData)
    return failure();
  if (sizeData->numElements() != 1)
    return n.fail("size must be a scalar");
  int64_t size = sizeData->asInts().front();
  if (size < 0 || size > kMaxFoldedBytes / 8)
    return n.fail("size " + Twine(size) + " is out of range");
  Type out = elementTypeFor(n.attrInt("output_datatype", 1), n.b.getContext());
  if (!out)
    return n.fail("unsupported output_datatype");
  bool periodic = n.attrInt("periodic", 1) != 0;
  double period = periodic ? double(size) : double(size - 1);
  StringRef op = n.node.op_type();
  std::vector<double> w(size);
  for (int64_t i = 0; i < size; ++i) {
    double t = period > 0 ? 2 * M_PI * double(i) / period : 0;
    w[i] = op == "HannWindow" ? 0.5 - 0.5 * std::cos(t)
           : op == "HammingWindow"
               ? 25.0 / 46 - 21.0 / 46 * std::cos(t)
               : 0.42 - 0.5 * std::cos(t) + 0.08 * std::cos(2 * t);
  }
  Value v = n.importer.materialize(floatData(w, {size}, n.b.getF64Type()), "",
                                   n.b, n.loc);
  return done(n, castTo(n, v, out));
}

/// MeanVarianceNormalization: (x - mean) / sqrt(variance) over `axes`.
LogicalResult meanVarianceNormalization(NodeContext &n) {
  Value x = n.input(0);
  if (!x)
    return failure();
  std::vector<int64_t> axes = intsOr(n, "axes", {0, 2, 3});
  int64_t rank = typeOf(x).getRank();
  for (int64_t &a : axes) {
    std::optional<int64_t> d = shape::normalizeAxis(a, rank);
    if (!d)
      return n.fail("axis " + Twine(a) + " is out of range");
    a = *d;
  }
  Expr e(n);
  e.setType(typeOf(x).getElementType());
  Value mean = e.op<ReduceMeanOp>(x, axes, true);
  Value dev = e.op<SubOp>(x, mean);
  Value var = e.op<ReduceMeanOp>(e.op<MulOp>(dev, dev), axes, true);
  // ONNX's function body adds 1e-9 before the square root.
  return e.result(e.op<DivOp>(dev, e.op<SqrtOp>(e.op<AddOp>(var, e.c(1e-9)))));
}

LogicalResult range(NodeContext &n) {
  // The three determine the output's size: known, or given arrays.
  const ConstantData *s = n.knownInput(0, "start");
  const ConstantData *l = s ? n.knownInput(1, "limit") : nullptr;
  const ConstantData *d = l ? n.knownInput(2, "delta") : nullptr;
  if (!d)
    return failure();
  if (s->numElements() != 1 || l->numElements() != 1 || d->numElements() != 1)
    return n.fail("start, limit and delta must be scalars");
  double start = s->asDoubles().front(), limit = l->asDoubles().front(),
         delta = d->asDoubles().front();
  if (delta == 0)
    return n.fail("delta must not be zero");
  double steps = std::ceil((limit - start) / delta);
  size_t es = s->bytes.size();
  if (!std::isfinite(steps) || steps > double(kMaxFoldedBytes / es))
    return n.fail("the range from " + std::to_string(start) + " to " +
                  std::to_string(limit) + " by " + std::to_string(delta) +
                  " has too many elements to compute at import time");
  int64_t count = std::max<int64_t>(0, static_cast<int64_t>(steps));
  ConstantData out;
  out.elementType = s->elementType;
  out.shape = {count};
  out.bytes.resize(count * es);
  for (int64_t i = 0; i < count; ++i) {
    double v = start + i * delta;
    char *p = &out.bytes[i * es];
    if (out.elementType.isF32()) {
      float f = v;
      std::memcpy(p, &f, 4);
    } else if (out.elementType.isF64()) {
      std::memcpy(p, &v, 8);
    } else if (out.elementType.isInteger(64)) {
      int64_t x = static_cast<int64_t>(v);
      std::memcpy(p, &x, 8);
    } else if (out.elementType.isInteger(32)) {
      int32_t x = static_cast<int32_t>(v);
      std::memcpy(p, &x, 4);
    } else {
      return n.fail("unsupported element type");
    }
  }
  n.setConstantOutput(0, std::move(out));
  return success();
}

} // namespace

const llvm::StringMap<Handler> &opHandlers() {
  static const llvm::StringMap<Handler> handlers = [] {
    llvm::StringMap<Handler> h;
    // Elementwise.
    h["Add"] = binary<AddOp>;
    h["Sub"] = binary<SubOp>;
    h["Mul"] = binary<MulOp>;
    h["Div"] = binary<DivOp>;
    h["Pow"] = pow;
    h["Sum"] = variadic<AddOp>;
    h["Max"] = variadic<MaxOp>;
    h["Min"] = variadic<MinOp>;
    h["Mean"] = variadic<AddOp, true>;
    h["Neg"] = unary<NegOp>;
    h["Abs"] = unary<AbsOp>;
    h["Exp"] = unary<ExpOp>;
    h["Log"] = unary<LogOp>;
    h["Sqrt"] = unary<SqrtOp>;
    h["Tanh"] = unary<TanhOp>;
    h["Sigmoid"] = unary<SigmoidOp>;
    h["Relu"] = unary<ReluOp>;
    h["Erf"] = unary<ErfOp>;
    h["Reciprocal"] = reciprocal;
    h["Sin"] = unary<SinOp>;
    h["Cos"] = unary<CosOp>;
    h["Tan"] = unary<TanOp>;
    h["Asin"] = unary<AsinOp>;
    h["Acos"] = unary<AcosOp>;
    h["Atan"] = unary<AtanOp>;
    h["Sinh"] = unary<SinhOp>;
    h["Cosh"] = unary<CoshOp>;
    h["Asinh"] = unary<AsinhOp>;
    h["Acosh"] = unary<AcoshOp>;
    h["Atanh"] = unary<AtanhOp>;
    h["Floor"] = unary<FloorOp>;
    h["Ceil"] = unary<CeilOp>;
    h["Round"] = unary<RoundOp>;
    h["Sign"] = unary<SignOp>;
    h["IsNaN"] = isNaN;
    h["IsInf"] = isInf;
    h["Mod"] = mod;
    h["BitShift"] = bitShift;
    h["Elu"] = elu;
    h["Selu"] = selu;
    h["Celu"] = celu;
    h["HardSigmoid"] = hardSigmoid;
    h["HardSwish"] = hardSwish;
    h["Softplus"] = softplus;
    h["Softsign"] = softsign;
    h["ThresholdedRelu"] = thresholdedRelu;
    h["Shrink"] = shrink;
    h["LeakyRelu"] = leakyRelu;
    h["PRelu"] = leakyRelu;
    h["Clip"] = clip;
    h["Identity"] = identity;
    h["Dropout"] = dropout;
    h["Equal"] = compare<ComparePredicate::eq>;
    h["Less"] = compare<ComparePredicate::lt>;
    h["LessOrEqual"] = compare<ComparePredicate::le>;
    h["Greater"] = compare<ComparePredicate::gt>;
    h["GreaterOrEqual"] = compare<ComparePredicate::ge>;
    h["Where"] = where;
    h["Cast"] = cast;
    h["CastLike"] = cast;
    h["Not"] = logical;
    h["And"] = logical;
    h["Or"] = logical;
    h["Xor"] = logical;
    // Linear algebra, convolution, pooling.
    h["MatMul"] = matmul;
    h["Gemm"] = gemm;
    h["Conv"] = conv;
    h["ConvTranspose"] = convTranspose;
    h["MaxPool"] = pool<MaxPool2DOp>;
    h["AveragePool"] = pool<AvgPool2DOp>;
    h["GlobalAveragePool"] = globalPool<GlobalAvgPool2DOp>;
    h["GlobalMaxPool"] = globalPool<GlobalMaxPool2DOp>;
    // Normalization.
    h["Softmax"] = softmax;
    h["LogSoftmax"] = softmax;
    h["BatchNormalization"] = batchNorm;
    h["LayerNormalization"] = layerNorm;
    h["InstanceNormalization"] = instanceNorm;
    h["MeanVarianceNormalization"] = meanVarianceNormalization;
    h["LRN"] = lrn;
    h["Hardmax"] = hardmax;
    h["NegativeLogLikelihoodLoss"] = nllLossOp;
    h["SoftmaxCrossEntropyLoss"] = softmaxCrossEntropy;
    // Reductions.
    h["ReduceSum"] = reduce<Reduce::Sum>;
    h["ReduceMean"] = reduce<Reduce::Mean>;
    h["ReduceMax"] = reduce<Reduce::Max>;
    h["ReduceMin"] = reduce<Reduce::Min>;
    h["ReduceProd"] = reduce<Reduce::Prod>;
    h["ReduceL1"] = reduce<Reduce::L1>;
    h["ReduceL2"] = reduce<Reduce::L2>;
    h["ReduceLogSum"] = reduce<Reduce::LogSum>;
    h["ReduceLogSumExp"] = reduce<Reduce::LogSumExp>;
    h["ReduceSumSquare"] = reduce<Reduce::SumSquare>;
    h["ArgMax"] = argReduce<ArgMaxOp>;
    h["ArgMin"] = argReduce<ArgMinOp>;
    h["CumSum"] = cumsum;
    // Shape and data movement.
    h["Reshape"] = reshape;
    h["Flatten"] = flatten;
    h["Transpose"] = transpose;
    h["Expand"] = expand;
    h["Concat"] = concat;
    h["Slice"] = slice;
    h["Pad"] = pad;
    h["Gather"] = gather;
    h["GatherND"] = gatherND;
    h["ReverseSequence"] = reverseSequence;
    h["Unsqueeze"] = squeezeLike<ExpandDimsOp>;
    h["Squeeze"] = squeezeLike<SqueezeOp>;
    h["Split"] = split;
    h["Tile"] = tile;
    h["GatherElements"] = gatherElements;
    h["Trilu"] = trilu;
    h["DepthToSpace"] = depthToSpace;
    h["SpaceToDepth"] = depthToSpace;
    h["EyeLike"] = eyeLike;
    h["OneHot"] = oneHot;
    h["TopK"] = topK;
    h["Compress"] = compress;
    // Known at import time.
    h["Constant"] = constant;
    h["Shape"] = shapeOf;
    h["Size"] = sizeOf;
    h["ConstantOfShape"] = constantOfShape;
    h["ScatterND"] = scatterND;
    h["ScatterElements"] = scatterElements;
    h["Scatter"] = scatterElements;
    h["MaxUnpool"] = maxUnpool;
    h["Range"] = range;
    h["HannWindow"] = window;
    h["HammingWindow"] = window;
    h["BlackmanWindow"] = window;
    addRecurrentHandlers(h);
    addResizeHandlers(h);
    addEinsumHandlers(h);
    addQuantizationHandlers(h);
    addGridSampleHandlers(h);
    addSignalHandlers(h);
    return h;
  }();
  return handlers;
}

} // namespace strata::onnx_import
