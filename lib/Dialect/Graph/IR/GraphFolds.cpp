//===- GraphFolds.cpp - Folders of the graph dialect ----------------------===//
//
// Trivial identities (x + 0, x * 1, identity reshape/transpose/broadcast,
// cancelling squeeze/expand_dims, composing transposes and reshapes) and
// constant folding of elementwise ops. Constant folding is capped in size:
// folding must never duplicate a large weight.
//
//===----------------------------------------------------------------------===//

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/APInt.h"
#include "llvm/ADT/APSInt.h"
#include <cmath>

using namespace mlir;
using namespace strata;
using namespace strata::graph;
using llvm::APFloat;
using llvm::APInt;

/// Largest constant, in elements, that a folder creates from non-splat
/// operands. Splat results are always folded: they cost one element.
static constexpr int64_t kMaxFoldElements = 1024;

//===----------------------------------------------------------------------===//
// Elementwise constant folding
//===----------------------------------------------------------------------===//

namespace {
/// Maps a linear index of the result to a linear index of an operand that
/// broadcasts to it (numpy rules).
class BroadcastIndexer {
public:
  BroadcastIndexer(ArrayRef<int64_t> operandShape,
                   ArrayRef<int64_t> resultShape)
      : resultShape(resultShape) {
    strides.assign(resultShape.size(), 0);
    int64_t stride = 1;
    size_t lead = resultShape.size() - operandShape.size();
    for (int64_t d = operandShape.size() - 1; d >= 0; --d) {
      if (operandShape[d] != 1)
        strides[lead + d] = stride;
      stride *= operandShape[d];
    }
  }

  int64_t operator()(int64_t linear) const {
    int64_t index = 0;
    for (int64_t d = resultShape.size() - 1; d >= 0; --d) {
      index += (linear % resultShape[d]) * strides[d];
      linear /= resultShape[d];
    }
    return index;
  }

private:
  ArrayRef<int64_t> resultShape;
  SmallVector<int64_t> strides;
};
} // namespace

/// Folds an elementwise op whose operands are all dense constants of element
/// values `In` (APFloat or APInt), producing `Out` values with `fn`, which
/// may decline an element (e.g. integer division by zero) by returning
/// std::nullopt.
template <typename In, typename Out, typename Fn>
static Attribute foldElementwise(ArrayRef<Attribute> operands,
                                 RankedTensorType resultType, Fn fn) {
  if (!resultType || !resultType.hasStaticShape())
    return {};
  SmallVector<DenseElementsAttr> attrs;
  bool allSplat = true;
  for (Attribute attr : operands) {
    auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
    if (!dense)
      return {};
    allSplat &= dense.isSplat();
    attrs.push_back(dense);
  }
  int64_t count = allSplat ? 1 : resultType.getNumElements();
  if (count > kMaxFoldElements)
    return {};

  SmallVector<BroadcastIndexer> indexers;
  for (DenseElementsAttr attr : attrs)
    indexers.emplace_back(attr.getType().getShape(), resultType.getShape());
  SmallVector<Out> results;
  results.reserve(count);
  SmallVector<In> args;
  for (int64_t i = 0; i < count; ++i) {
    args.clear();
    for (auto [attr, indexer] : llvm::zip(attrs, indexers))
      args.push_back(*(attr.value_begin<In>() + (allSplat ? 0 : indexer(i))));
    std::optional<Out> value = fn(ArrayRef<In>(args));
    if (!value)
      return {};
    results.push_back(*value);
  }
  if (allSplat)
    return DenseElementsAttr::get(resultType, results.front());
  return DenseElementsAttr::get(resultType, results);
}

using FloatBinaryFn = std::optional<APFloat> (*)(APFloat, const APFloat &);
using IntBinaryFn =
    llvm::function_ref<std::optional<APInt>(const APInt &, const APInt &)>;

/// Folds an arithmetic binary op on constants, with `floatFn` for float and
/// `intFn` (may be null) for integer element types.
static Attribute foldBinaryArith(ArrayRef<Attribute> operands, Type type,
                                 FloatBinaryFn floatFn, IntBinaryFn intFn) {
  auto resultType = dyn_cast<RankedTensorType>(type);
  if (!resultType)
    return {};
  if (isa<FloatType>(resultType.getElementType())) {
    if (!floatFn)
      return {};
    return foldElementwise<APFloat, APFloat>(
        operands, resultType,
        [&](ArrayRef<APFloat> v) { return floatFn(v[0], v[1]); });
  }
  if (intFn)
    return foldElementwise<APInt, APInt>(
        operands, resultType,
        [&](ArrayRef<APInt> v) { return intFn(v[0], v[1]); });
  return {};
}

using FloatUnaryFn = double (*)(double);
using IntUnaryFn = llvm::function_ref<std::optional<APInt>(const APInt &)>;

/// Folds a unary op on a constant: floats are computed in double precision
/// and rounded back to the element type.
static Attribute foldUnaryConstant(Attribute operand, Type type,
                                   FloatUnaryFn floatFn, IntUnaryFn intFn) {
  auto resultType = dyn_cast<RankedTensorType>(type);
  if (!resultType)
    return {};
  if (isa<FloatType>(resultType.getElementType()))
    return foldElementwise<APFloat, APFloat>(
        {operand}, resultType, [&](ArrayRef<APFloat> v) {
          bool losesInfo;
          APFloat x = v[0];
          x.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven,
                    &losesInfo);
          APFloat result(floatFn(x.convertToDouble()));
          result.convert(v[0].getSemantics(), APFloat::rmNearestTiesToEven,
                         &losesInfo);
          return std::optional<APFloat>(result);
        });
  if (intFn)
    return foldElementwise<APInt, APInt>(
        {operand}, resultType, [&](ArrayRef<APInt> v) { return intFn(v[0]); });
  return {};
}

bool strata::graph::isSplatConstant(Value value, int64_t expected) {
  DenseElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || !attr.isSplat())
    return false;
  Type elementType = attr.getElementType();
  if (isa<FloatType>(elementType))
    return attr.getSplatValue<APFloat>().convertToDouble() ==
           static_cast<double>(expected);
  if (elementType.isInteger(1))
    return attr.getSplatValue<bool>() == (expected != 0);
  return attr.getSplatValue<APInt>().getSExtValue() == expected;
}

/// Whether `type`'s elements are unsigned integers (which divide, compare
/// and convert as such).
static bool isUnsignedElement(Type type) {
  return mlir::getElementTypeOrSelf(type).isUnsignedInteger();
}

/// `keep` when `other` is a splat constant equal to `identity` and folding
/// does not change the result type (no broadcast is lost).
static OpFoldResult foldIdentity(Value keep, Value other, int64_t identity,
                                 Type resultType) {
  if (keep.getType() == resultType && isSplatConstant(other, identity))
    return keep;
  return {};
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValueAttr(); }

//===----------------------------------------------------------------------===//
// Binary ops
//===----------------------------------------------------------------------===//

static constexpr auto kRound = APFloat::rmNearestTiesToEven;

OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentity(getLhs(), getRhs(), 0, getType()))
    return r;
  if (OpFoldResult r = foldIdentity(getRhs(), getLhs(), 0, getType()))
    return r;
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        a.add(b, kRound);
        return a;
      },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a + b;
      });
}

OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentity(getLhs(), getRhs(), 0, getType()))
    return r;
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        a.subtract(b, kRound);
        return a;
      },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a - b;
      });
}

OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentity(getLhs(), getRhs(), 1, getType()))
    return r;
  if (OpFoldResult r = foldIdentity(getRhs(), getLhs(), 1, getType()))
    return r;
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        a.multiply(b, kRound);
        return a;
      },
      [](const APInt &a, const APInt &b) -> std::optional<APInt> {
        return a * b;
      });
}

/// Integer division (`remainder`: its remainder) of constants, signed or
/// unsigned; division by zero and the overflowing INT_MIN / -1 are left to
/// run time, which defines them.
static std::optional<APInt> foldIntDivision(const APInt &a, const APInt &b,
                                            bool isUnsigned, bool remainder) {
  if (b.isZero())
    return std::nullopt;
  if (isUnsigned)
    return remainder ? a.urem(b) : a.udiv(b);
  if (a.isMinSignedValue() && b.isAllOnes())
    return std::nullopt;
  return remainder ? a.srem(b) : a.sdiv(b);
}

OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentity(getLhs(), getRhs(), 1, getType()))
    return r;
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        a.divide(b, kRound);
        return a;
      },
      [isUnsigned = isUnsignedElement(getType())](const APInt &a,
                                                  const APInt &b) {
        return foldIntDivision(a, b, isUnsigned, /*remainder=*/false);
      });
}

OpFoldResult PowOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentity(getLhs(), getRhs(), 1, getType()))
    return r;
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        bool losesInfo;
        const llvm::fltSemantics &sem = a.getSemantics();
        APFloat x = a, y = b;
        x.convert(APFloat::IEEEdouble(), kRound, &losesInfo);
        y.convert(APFloat::IEEEdouble(), kRound, &losesInfo);
        APFloat r(std::pow(x.convertToDouble(), y.convertToDouble()));
        r.convert(sem, kRound, &losesInfo);
        return r;
      },
      nullptr);
}

OpFoldResult RemOp::fold(FoldAdaptor adaptor) {
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        a.mod(b);
        return a;
      },
      [isUnsigned = isUnsignedElement(getType())](const APInt &a,
                                                  const APInt &b) {
        return foldIntDivision(a, b, isUnsigned, /*remainder=*/true);
      });
}

OpFoldResult MaxOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::maximum(a, b);
      },
      [isUnsigned = isUnsignedElement(getType())](
          const APInt &a, const APInt &b) -> std::optional<APInt> {
        return (isUnsigned ? a.uge(b) : a.sge(b)) ? a : b;
      });
}

OpFoldResult MinOp::fold(FoldAdaptor adaptor) {
  if (getLhs() == getRhs())
    return getLhs();
  return foldBinaryArith(
      adaptor.getOperands(), getType(),
      [](APFloat a, const APFloat &b) -> std::optional<APFloat> {
        return llvm::minimum(a, b);
      },
      [isUnsigned = isUnsignedElement(getType())](
          const APInt &a, const APInt &b) -> std::optional<APInt> {
        return (isUnsigned ? a.ule(b) : a.sle(b)) ? a : b;
      });
}

/// `a` shifted by `b` bits as graph.shift_left/shift_right do (`signedRight`:
/// an arithmetic right shift); shifts by the width or more saturate.
static APInt shiftBits(const APInt &a, const APInt &b, bool left,
                       bool signedRight) {
  unsigned width = a.getBitWidth();
  bool tooFar = b.uge(width);
  if (left)
    return tooFar ? APInt::getZero(width) : a.shl(b);
  if (signedRight)
    return a.ashr(tooFar ? APInt(width, width - 1) : b);
  return tooFar ? APInt::getZero(width) : a.lshr(b);
}

OpFoldResult ShiftLeftOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentity(getLhs(), getRhs(), 0, getType()))
    return r;
  return foldBinaryArith(adaptor.getOperands(), getType(), nullptr,
                         [](const APInt &a, const APInt &b) {
                           return std::optional<APInt>(
                               shiftBits(a, b, /*left=*/true, false));
                         });
}

OpFoldResult ShiftRightOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdentity(getLhs(), getRhs(), 0, getType()))
    return r;
  return foldBinaryArith(adaptor.getOperands(), getType(), nullptr,
                         [isUnsigned = isUnsignedElement(getType())](
                             const APInt &a, const APInt &b) {
                           return std::optional<APInt>(
                               shiftBits(a, b, /*left=*/false, !isUnsigned));
                         });
}

//===----------------------------------------------------------------------===//
// Unary ops
//===----------------------------------------------------------------------===//

/// Folds `op(op(x))` to `x` for an involution such as neg.
template <typename OpTy> static OpFoldResult foldInvolution(OpTy op) {
  if (auto inner = op.getInput().template getDefiningOp<OpTy>())
    return inner.getInput();
  return {};
}

/// Folds `op(op(x))` to `op(x)` for an idempotent op such as relu.
template <typename OpTy> static OpFoldResult foldIdempotent(OpTy op) {
  if (auto inner = op.getInput().template getDefiningOp<OpTy>())
    return inner.getResult();
  return {};
}

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldInvolution(*this))
    return r;
  return foldUnaryConstant(
      adaptor.getInput(), getType(), [](double x) { return -x; },
      [](const APInt &x) -> std::optional<APInt> { return -x; });
}

OpFoldResult AbsOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdempotent(*this))
    return r;
  return foldUnaryConstant(
      adaptor.getInput(), getType(), [](double x) { return std::fabs(x); },
      [isUnsigned = isUnsignedElement(getType())](const APInt &x)
          -> std::optional<APInt> { return isUnsigned ? x : x.abs(); });
}

OpFoldResult ReluOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdempotent(*this))
    return r;
  return foldUnaryConstant(
      adaptor.getInput(), getType(),
      [](double x) { return x > 0 ? x : (std::isnan(x) ? x : 0.0); },
      [isUnsigned = isUnsignedElement(getType())](
          const APInt &x) -> std::optional<APInt> {
        return x.isNegative() && !isUnsigned ? APInt::getZero(x.getBitWidth())
                                             : x;
      });
}

#define GRAPH_FLOAT_UNARY_FOLD(OP, EXPR)                                       \
  OpFoldResult OP::fold(FoldAdaptor adaptor) {                                 \
    return foldUnaryConstant(                                                  \
        adaptor.getInput(), getType(), [](double x) { return EXPR; },          \
        nullptr);                                                              \
  }
GRAPH_FLOAT_UNARY_FOLD(ExpOp, std::exp(x))
GRAPH_FLOAT_UNARY_FOLD(LogOp, std::log(x))
GRAPH_FLOAT_UNARY_FOLD(SqrtOp, std::sqrt(x))
GRAPH_FLOAT_UNARY_FOLD(RsqrtOp, 1.0 / std::sqrt(x))
GRAPH_FLOAT_UNARY_FOLD(TanhOp, std::tanh(x))
GRAPH_FLOAT_UNARY_FOLD(SigmoidOp, 1.0 / (1.0 + std::exp(-x)))
GRAPH_FLOAT_UNARY_FOLD(GeluOp, 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))))
GRAPH_FLOAT_UNARY_FOLD(ErfOp, std::erf(x))
GRAPH_FLOAT_UNARY_FOLD(SinOp, std::sin(x))
GRAPH_FLOAT_UNARY_FOLD(CosOp, std::cos(x))
GRAPH_FLOAT_UNARY_FOLD(TanOp, std::tan(x))
GRAPH_FLOAT_UNARY_FOLD(AsinOp, std::asin(x))
GRAPH_FLOAT_UNARY_FOLD(AcosOp, std::acos(x))
GRAPH_FLOAT_UNARY_FOLD(AtanOp, std::atan(x))
GRAPH_FLOAT_UNARY_FOLD(SinhOp, std::sinh(x))
GRAPH_FLOAT_UNARY_FOLD(CoshOp, std::cosh(x))
GRAPH_FLOAT_UNARY_FOLD(AsinhOp, std::asinh(x))
GRAPH_FLOAT_UNARY_FOLD(AcoshOp, std::acosh(x))
GRAPH_FLOAT_UNARY_FOLD(AtanhOp, std::atanh(x))
GRAPH_FLOAT_UNARY_FOLD(FloorOp, std::floor(x))
GRAPH_FLOAT_UNARY_FOLD(CeilOp, std::ceil(x))
GRAPH_FLOAT_UNARY_FOLD(RoundOp, std::nearbyint(x))
#undef GRAPH_FLOAT_UNARY_FOLD

OpFoldResult SignOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldIdempotent(*this))
    return r;
  return foldUnaryConstant(
      adaptor.getInput(), getType(),
      [](double x) { return x > 0 ? 1.0 : (x < 0 ? -1.0 : x); },
      [isUnsigned = isUnsignedElement(getType())](
          const APInt &x) -> std::optional<APInt> {
        if (x.isZero())
          return x;
        return x.isNegative() && !isUnsigned
                   ? APInt::getAllOnes(x.getBitWidth())
                   : APInt(x.getBitWidth(), 1);
      });
}

OpFoldResult ClipOp::fold(FoldAdaptor) {
  if (!getMin() && !getMax())
    return getInput();
  return {};
}

//===----------------------------------------------------------------------===//
// Select and cast
//===----------------------------------------------------------------------===//

OpFoldResult CompareOp::fold(FoldAdaptor adaptor) {
  auto resultType = dyn_cast<RankedTensorType>(getType());
  if (!resultType)
    return {};
  ComparePredicate predicate = getPredicate();
  if (isa<FloatType>(getLhs().getType().getElementType())) {
    return foldElementwise<APFloat, bool>(
        adaptor.getOperands(), resultType,
        [&](ArrayRef<APFloat> v) -> std::optional<bool> {
          APFloat::cmpResult order = v[0].compare(v[1]);
          bool unordered = order == APFloat::cmpUnordered;
          switch (predicate) {
          case ComparePredicate::eq:
            return order == APFloat::cmpEqual;
          case ComparePredicate::ne:
            return order != APFloat::cmpEqual; // true for NaN, as lowered
          case ComparePredicate::lt:
            return order == APFloat::cmpLessThan;
          case ComparePredicate::le:
            return !unordered && order != APFloat::cmpGreaterThan;
          case ComparePredicate::gt:
            return order == APFloat::cmpGreaterThan;
          case ComparePredicate::ge:
            return !unordered && order != APFloat::cmpLessThan;
          }
          return std::nullopt;
        });
  }
  // Booleans compare as 0 and 1, unsigned integers as such, other integers
  // as signed values.
  bool isBool = getLhs().getType().getElementType().isInteger(1) ||
                isUnsignedElement(getLhs().getType());
  return foldElementwise<APInt, bool>(
      adaptor.getOperands(), resultType,
      [&](ArrayRef<APInt> v) -> std::optional<bool> {
        int order = isBool ? (v[0].ult(v[1]) ? -1 : v[0] != v[1])
                           : (v[0].slt(v[1]) ? -1 : v[0] != v[1]);
        switch (predicate) {
        case ComparePredicate::eq:
          return order == 0;
        case ComparePredicate::ne:
          return order != 0;
        case ComparePredicate::lt:
          return order < 0;
        case ComparePredicate::le:
          return order <= 0;
        case ComparePredicate::gt:
          return order > 0;
        case ComparePredicate::ge:
          return order >= 0;
        }
        return std::nullopt;
      });
}

OpFoldResult SelectOp::fold(FoldAdaptor adaptor) {
  if (getOnTrue() == getOnFalse() && getOnTrue().getType() == getType())
    return getOnTrue();
  if (auto cond =
          dyn_cast_if_present<SplatElementsAttr>(adaptor.getCondition())) {
    Value chosen = cond.getSplatValue<bool>() ? getOnTrue() : getOnFalse();
    if (chosen.getType() == getType())
      return chosen;
  }
  // Constant operands (shape computations: ONNX's Where on the outputs of
  // Equal and ConstantOfShape) fold element by element.
  auto resultType = dyn_cast<RankedTensorType>(getType());
  if (!resultType)
    return {};
  return foldElementwise<Attribute, Attribute>(
      adaptor.getOperands(), resultType,
      [](ArrayRef<Attribute> v) -> std::optional<Attribute> {
        return cast<IntegerAttr>(v[0]).getValue().isZero() ? v[2] : v[1];
      });
}

/// Converts one constant element with the semantics of graph.cast.
static Attribute castElement(Attribute element, Type to) {
  bool losesInfo;
  if (auto f = dyn_cast<FloatAttr>(element)) {
    APFloat v = f.getValue();
    if (auto toFloat = dyn_cast<FloatType>(to)) {
      v.convert(toFloat.getFloatSemantics(), APFloat::rmNearestTiesToEven,
                &losesInfo);
      return FloatAttr::get(to, v);
    }
    if (to.isInteger(1))
      return IntegerAttr::get(to, APInt(1, !v.isZero()));
    llvm::APSInt i(to.getIntOrFloatBitWidth(), to.isUnsignedInteger());
    bool exact;
    if (v.convertToInteger(i, APFloat::rmTowardZero, &exact) &
        APFloat::opInvalidOp)
      return {};
    return IntegerAttr::get(to, i);
  }
  auto i = cast<IntegerAttr>(element).getValue();
  Type from = cast<IntegerAttr>(element).getType();
  bool isBool = from.isInteger(1) || from.isUnsignedInteger(); // zero-extend
  if (auto toFloat = dyn_cast<FloatType>(to)) {
    APFloat v(toFloat.getFloatSemantics());
    v.convertFromAPInt(i, /*isSigned=*/!isBool, APFloat::rmNearestTiesToEven);
    return FloatAttr::get(to, v);
  }
  if (to.isInteger(1))
    return IntegerAttr::get(to, APInt(1, !i.isZero()));
  unsigned width = to.getIntOrFloatBitWidth();
  return IntegerAttr::get(to,
                          isBool ? i.zextOrTrunc(width) : i.sextOrTrunc(width));
}

OpFoldResult CastOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!input || (!input.isSplat() && input.getNumElements() > kMaxFoldElements))
    return {};
  Type to = getType().getElementType();
  if (input.isSplat()) {
    Attribute v = castElement(input.getSplatValue<Attribute>(), to);
    return v ? DenseElementsAttr::get(getType(), v) : Attribute();
  }
  SmallVector<Attribute> values;
  for (Attribute element : input.getValues<Attribute>()) {
    values.push_back(castElement(element, to));
    if (!values.back())
      return {};
  }
  return DenseElementsAttr::get(getType(), values);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Reshapes a constant to `type` when that creates no large copy.
static Attribute reshapeConstant(Attribute input, Type type) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(input);
  auto shaped = dyn_cast<ShapedType>(type);
  if (!dense || !shaped || !shaped.hasStaticShape())
    return {};
  if (!dense.isSplat() && dense.getNumElements() > kMaxFoldElements)
    return {};
  return dense.reshape(shaped);
}

/// True if `op` only reinterprets its input's row-major data with another
/// shape (reshape, expand_dims and squeeze).
static bool isShapeCastOp(Operation *op) {
  return isa_and_nonnull<ReshapeOp, ExpandDimsOp, SqueezeOp>(op);
}

/// Shared folding of the shape-cast ops: identity, a chain of shape casts
/// that returns to its source type, and constants.
static OpFoldResult foldShapeCast(Operation *op, Attribute constInput) {
  Value input = op->getOperand(0);
  Type type = op->getResult(0).getType();
  if (input.getType() == type)
    return input;
  if (Operation *inner = input.getDefiningOp();
      isShapeCastOp(inner) && inner->getOperand(0).getType() == type)
    return inner->getOperand(0);
  return reshapeConstant(constInput, type);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor adaptor) {
  if (OpFoldResult r = foldShapeCast(*this, adaptor.getInput()))
    return r;
  // reshape(shape_cast(x)) -> reshape(x).
  if (Operation *inner = getInput().getDefiningOp(); isShapeCastOp(inner)) {
    getInputMutable().assign(inner->getOperand(0));
    return getResult();
  }
  return {};
}

OpFoldResult ExpandDimsOp::fold(FoldAdaptor adaptor) {
  return foldShapeCast(*this, adaptor.getInput());
}

OpFoldResult SqueezeOp::fold(FoldAdaptor adaptor) {
  return foldShapeCast(*this, adaptor.getInput());
}

/// Row-major strides of a static shape.
static SmallVector<int64_t> stridesOf(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t d = static_cast<int64_t>(shape.size()) - 2; d >= 0; --d)
    strides[d] = strides[d + 1] * shape[d + 1];
  return strides;
}

/// Small non-splat constant results of data-movement folds: the elements of
/// `source` picked by `sourceIndex(resultLinearIndex)`.
static Attribute gatherElements(DenseElementsAttr source, ShapedType type,
                                function_ref<int64_t(int64_t)> sourceIndex) {
  if (!type.hasStaticShape() || type.getNumElements() > kMaxFoldElements)
    return {};
  auto values = source.getValues<Attribute>();
  SmallVector<Attribute> result;
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
    result.push_back(values[sourceIndex(i)]);
  return DenseElementsAttr::get(type, result);
}

OpFoldResult TransposeOp::fold(FoldAdaptor adaptor) {
  ArrayRef<int64_t> perms = getPerms();
  if (llvm::equal(perms, llvm::seq<int64_t>(0, perms.size())))
    return getInput();
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  // Small constants (shape computations, such as Swin's padding amounts).
  if (auto data = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput())) {
    RankedTensorType type = getType();
    SmallVector<int64_t> sourceStrides = stridesOf(data.getType().getShape());
    SmallVector<int64_t> resultStrides = stridesOf(type.getShape());
    if (Attribute folded = gatherElements(data, type, [&](int64_t linear) {
          int64_t source = 0;
          for (int64_t d = 0; d < type.getRank(); ++d)
            source += ((linear / resultStrides[d]) % type.getDimSize(d)) *
                      sourceStrides[perms[d]];
          return source;
        }))
      return folded;
  }
  // transpose(transpose(x, inner), outer) -> transpose(x, inner[outer]).
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t p : perms)
      composed.push_back(inner.getPerms()[p]);
    getInputMutable().assign(inner.getInput());
    setPerms(composed);
    if (llvm::equal(composed, llvm::seq<int64_t>(0, composed.size())))
      return getInput();
    return getResult();
  }
  return {};
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  // Small constants (index grids of shape computations), numpy-style.
  if (auto data = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput())) {
    RankedTensorType type = getType();
    ArrayRef<int64_t> from = data.getType().getShape();
    int64_t offset = type.getRank() - int64_t(from.size());
    SmallVector<int64_t> sourceStrides = stridesOf(from);
    SmallVector<int64_t> resultStrides = stridesOf(type.getShape());
    if (offset >= 0)
      if (Attribute folded = gatherElements(data, type, [&](int64_t linear) {
            int64_t source = 0;
            for (int64_t d = offset; d < type.getRank(); ++d)
              if (from[d - offset] != 1)
                source += ((linear / resultStrides[d]) % type.getDimSize(d)) *
                          sourceStrides[d - offset];
            return source;
          }))
        return folded;
  }
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor adaptor) {
  if (getInputs().size() == 1)
    return getInputs().front();
  // All-constant concatenations of small tensors (shape computations).
  SmallVector<DenseElementsAttr> inputs;
  for (Attribute attr : adaptor.getInputs()) {
    auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
    if (!dense)
      return {};
    inputs.push_back(dense);
  }
  RankedTensorType type = getType();
  if (!type.hasStaticShape() || type.getNumElements() > kMaxFoldElements)
    return {};
  int64_t axis = *shape::normalizeAxis(getAxis(), type.getRank());
  int64_t outer = 1, inner = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= type.getDimSize(d);
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  SmallVector<Attribute> values;
  for (int64_t o = 0; o < outer; ++o)
    for (DenseElementsAttr input : inputs) {
      int64_t chunk = input.getType().getDimSize(axis) * inner;
      auto elements = input.getValues<Attribute>();
      for (int64_t i = 0; i < chunk; ++i)
        values.push_back(elements[input.isSplat() ? 0 : o * chunk + i]);
    }
  return DenseElementsAttr::get(type, values);
}

OpFoldResult GatherOp::fold(FoldAdaptor adaptor) {
  // Every element of a splat is the same, whichever the indices pick (a
  // shape [6] gathered at 0 in Swin's mask computation).
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getData()))
    if (getType().hasStaticShape())
      return splat.resizeSplat(getType());
  auto data = dyn_cast_if_present<DenseElementsAttr>(adaptor.getData());
  auto indices = dyn_cast_if_present<DenseElementsAttr>(adaptor.getIndices());
  if (!data || !indices || data.isSplat())
    return {};
  RankedTensorType type = getType();
  ArrayRef<int64_t> dataShape = data.getType().getShape();
  int64_t axis = *shape::normalizeAxis(getAxis(), dataShape.size());
  int64_t indexRank = indices.getType().getRank();
  SmallVector<int64_t> idx;
  for (const APInt &v : indices.getValues<APInt>()) {
    int64_t i = v.getSExtValue();
    if (i < -dataShape[axis] || i >= dataShape[axis])
      return {}; // Out of range: leave it to run time.
    idx.push_back(i < 0 ? i + dataShape[axis] : i);
  }
  SmallVector<int64_t> dataStrides = stridesOf(dataShape);
  SmallVector<int64_t> resultStrides = stridesOf(type.getShape());
  SmallVector<int64_t> indexStrides = stridesOf(indices.getType().getShape());
  return gatherElements(data, type, [&](int64_t linear) {
    // Result index = data[:axis] ++ indices ++ data[axis+1:].
    int64_t source = 0, indexLinear = 0;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t coord = (linear / resultStrides[d]) % type.getDimSize(d);
      if (d < axis)
        source += coord * dataStrides[d];
      else if (d < axis + indexRank)
        indexLinear += coord * indexStrides[d - axis];
      else
        source += coord * dataStrides[d - indexRank + 1];
    }
    return source + idx[indexLinear] * dataStrides[axis];
  });
}

OpFoldResult SliceOp::fold(FoldAdaptor adaptor) {
  if (getInput().getType() == getType() &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  if (auto splat = dyn_cast_if_present<SplatElementsAttr>(adaptor.getInput()))
    return splat.resizeSplat(getType());
  auto input = dyn_cast_if_present<DenseElementsAttr>(adaptor.getInput());
  if (!input)
    return {};
  RankedTensorType type = getType();
  SmallVector<int64_t> inStrides = stridesOf(input.getType().getShape());
  SmallVector<int64_t> outStrides = stridesOf(type.getShape());
  return gatherElements(input, type, [&](int64_t linear) {
    int64_t source = 0;
    for (int64_t d = 0; d < type.getRank(); ++d) {
      int64_t coord = (linear / outStrides[d]) % type.getDimSize(d);
      int64_t step = getSteps().empty() ? 1 : getSteps()[d];
      source += (getStarts()[d] + coord * step) * inStrides[d];
    }
    return source;
  });
}

OpFoldResult PadOp::fold(FoldAdaptor) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }))
    return getInput();
  return {};
}
