//===- GraphOps.cpp - Graph dialect operations ----------------------------===//
//
// Result-type inference and verification. For ops with inferred result types
// the inference function is also the shape verifier: it runs when an op is
// built, when it is parsed, and (through InferTypeOpInterface) when it is
// verified, so every inconsistency is reported once, with the same message.
//
//===----------------------------------------------------------------------===//

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"
#include "strata/Runtime/Tensor.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace strata;
using namespace strata::graph;
using shape::formatShape;
using shape::kDynamic;

#include "strata/Dialect/Graph/IR/GraphDialect.cpp.inc"
#include "strata/Dialect/Graph/IR/GraphEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "strata/Dialect/Graph/IR/GraphAttrs.cpp.inc"

void GraphDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "strata/Dialect/Graph/IR/GraphOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "strata/Dialect/Graph/IR/GraphAttrs.cpp.inc"
      >();
}

LogicalResult strata::graph::verifyBoundedResults(Operation *op) {
  for (auto [i, type] : llvm::enumerate(op->getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape())
      continue;
    ArrayRef<int64_t> shape = tensor.getShape();
    Type element = tensor.getElementType();
    int64_t bits = element.isIntOrFloat() ? element.getIntOrFloatBitWidth() : 8;
    if (!checkedNumBytes(shape.data(), shape.size(), bits))
      return op->emitOpError() << "result #" << i << " of type " << type
                               << " is larger than a tensor can be ("
                               << kMaxTensorBytes << " bytes at most)";
  }
  return success();
}

Operation *GraphDialect::materializeConstant(OpBuilder &builder,
                                             Attribute value, Type type,
                                             Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

//===----------------------------------------------------------------------===//
// Inference helpers
//===----------------------------------------------------------------------===//

namespace {
/// Reports the errors of one op found during result-type inference, worded
/// like Operation::emitOpError so that a message reads the same whether it
/// comes from the parser, a builder or the verifier.
class OpErrors {
public:
  OpErrors(std::optional<Location> loc, StringRef opName)
      : loc(loc), opName(opName) {}

  template <typename... Args> LogicalResult fail(Args &&...args) const {
    return emitOptionalError(loc, "'", opName, "' op ",
                             std::forward<Args>(args)...);
  }

  /// `axis` normalized into [0, rank), or std::nullopt after reporting that
  /// it is out of range.
  std::optional<int64_t> axis(int64_t axis, int64_t rank) const {
    std::optional<int64_t> norm = shape::normalizeAxis(axis, rank);
    if (!norm)
      (void)fail("axis ", axis, " is out of range for rank ", rank);
    return norm;
  }

  /// The ranked tensor type of `value`, or null after reporting an error.
  RankedTensorType ranked(Value value, StringRef what) const {
    auto type =
        dyn_cast_if_present<RankedTensorType>(value ? value.getType() : Type());
    if (!type)
      (void)fail(what, " must be a ranked tensor");
    return type;
  }

private:
  std::optional<Location> loc;
  StringRef opName;
};
} // namespace

/// Completes the inherent attributes of `adaptor`. While an op is parsed, its
/// inference runs before the parser has moved the attributes written in
/// `attr-dict` into properties and before it fills in default values; this
/// does both, so that the adaptor's accessors can be trusted afterwards.
/// Fails, after reporting it, on an attribute of the wrong kind.
template <typename OpTy>
static LogicalResult completeAdaptor(MLIRContext *context,
                                     std::optional<Location> loc,
                                     typename OpTy::Adaptor &adaptor) {
  typename OpTy::Properties properties = adaptor.getProperties();
  if (DictionaryAttr attrs = adaptor.getAttributes()) {
    auto emitError = [&] {
      InFlightDiagnostic diag =
          mlir::emitError(loc ? *loc : UnknownLoc::get(context));
      if (!loc)
        diag.abandon();
      return diag;
    };
    if (failed(OpTy::setPropertiesFromAttr(properties, attrs, emitError)))
      return failure();
  }
  OpTy::populateDefaultProperties(
      OperationName(OpTy::getOperationName(), context), properties);
  adaptor = typename OpTy::Adaptor(adaptor.getOperands(),
                                   adaptor.getAttributes(), properties);
  return success();
}

/// True if every attribute in `attrs` is present; reports the first missing
/// one (by name) otherwise. Only the generic form can omit them.
static bool hasRequiredAttrs(const OpErrors &errors,
                             ArrayRef<std::pair<Attribute, StringRef>> attrs) {
  for (auto [attr, name] : attrs)
    if (!attr) {
      (void)errors.fail("requires attribute '", name, "'");
      return false;
    }
  return true;
}

/// Verifies that `axis` indexes a tensor of `rank` (negative from the end).
static LogicalResult verifyAxis(Operation *op, int64_t axis, int64_t rank) {
  if (!shape::normalizeAxis(axis, rank))
    return op->emitOpError("axis ")
           << axis << " is out of range for rank " << rank;
  return success();
}

/// True if two dimensions may be equal (either is dynamic or both match).
static bool dimsCompatible(int64_t a, int64_t b) {
  return a == kDynamic || b == kDynamic || a == b;
}

static std::string formatDim(int64_t d) {
  return d == kDynamic ? "?" : std::to_string(d);
}

/// Infers the broadcast shape of `types` with `elementType` (or the first
/// operand's element type if null). All operands must share element types
/// unless `checkElementTypes` is false.
static LogicalResult inferBroadcast(const OpErrors &errors,
                                    ArrayRef<RankedTensorType> types,
                                    Type elementType,
                                    SmallVectorImpl<Type> &inferred,
                                    bool checkElementTypes = true) {
  SmallVector<int64_t> result(types.front().getShape());
  for (RankedTensorType type : types.drop_front()) {
    if (checkElementTypes &&
        type.getElementType() != types.front().getElementType())
      return errors.fail(
          "operand element types differ: ", types.front().getElementType(),
          " vs ", type.getElementType());
    std::optional<SmallVector<int64_t>> next =
        shape::broadcastShapes(result, type.getShape());
    if (!next)
      return errors.fail(
          "operands are not broadcast-compatible: ", formatShape(result),
          " vs ", formatShape(type.getShape()));
    result = std::move(*next);
  }
  inferred.push_back(RankedTensorType::get(
      result, elementType ? elementType : types.front().getElementType()));
  return success();
}

/// Shared inference of the binary elementwise ops.
template <typename OpTy>
static LogicalResult
inferBinary(std::optional<Location> loc, typename OpTy::Adaptor adaptor,
            SmallVectorImpl<Type> &inferred, Type elementType = nullptr) {
  OpErrors errors(loc, OpTy::getOperationName());
  RankedTensorType lhs = errors.ranked(adaptor.getLhs(), "lhs");
  RankedTensorType rhs = errors.ranked(adaptor.getRhs(), "rhs");
  if (!lhs || !rhs)
    return failure();
  return inferBroadcast(errors, {lhs, rhs}, elementType, inferred);
}

#define GRAPH_BINARY_INFERENCE(OP)                                             \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *, std::optional<Location> loc, Adaptor adaptor,             \
      SmallVectorImpl<Type> &inferred) {                                       \
    return inferBinary<OP>(loc, adaptor, inferred);                            \
  }
GRAPH_BINARY_INFERENCE(AddOp)
GRAPH_BINARY_INFERENCE(SubOp)
GRAPH_BINARY_INFERENCE(MulOp)
GRAPH_BINARY_INFERENCE(DivOp)
GRAPH_BINARY_INFERENCE(PowOp)
GRAPH_BINARY_INFERENCE(MaxOp)
GRAPH_BINARY_INFERENCE(MinOp)
GRAPH_BINARY_INFERENCE(RemOp)
GRAPH_BINARY_INFERENCE(ShiftLeftOp)
GRAPH_BINARY_INFERENCE(ShiftRightOp)
#undef GRAPH_BINARY_INFERENCE

/// Checks a list of per-dimension window parameters: its length and that
/// every entry is at least `min`.
static LogicalResult checkWindowParam(const OpErrors &errors, StringRef name,
                                      ArrayRef<int64_t> values, size_t size,
                                      int64_t min) {
  if (values.size() != size)
    return errors.fail("expects ", size, " ", name, ", got ", values.size());
  for (int64_t v : values)
    if (v < min)
      return errors.fail(name, " must be >= ", min, ", got ", v);
  return success();
}

/// Output height and width of a 2-D window op over an NCHW input, or failure
/// after reporting why the window does not fit.
static FailureOr<std::pair<int64_t, int64_t>>
inferWindow2D(const OpErrors &errors, RankedTensorType input,
              ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
              ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations,
              bool ceilMode) {
  if (failed(checkWindowParam(errors, "strides", strides, 2, 1)) ||
      failed(checkWindowParam(errors, "pads", pads, 4, 0)) ||
      failed(checkWindowParam(errors, "dilations", dilations, 2, 1)))
    return failure();
  int64_t out[2];
  static const char *names[2] = {"height", "width"};
  for (int i = 0; i < 2; ++i) {
    int64_t in = input.getDimSize(2 + i);
    if (kernel[i] == kDynamic) {
      out[i] = kDynamic;
      continue;
    }
    out[i] = shape::windowOutputSize(in, kernel[i], strides[i], pads[i],
                                     pads[2 + i], dilations[i], ceilMode);
    if (out[i] != kDynamic && out[i] < 1)
      return errors.fail("window does not fit: input ", names[i], " ", in,
                         " with padding ", pads[i], "+", pads[2 + i],
                         " is smaller than the dilated kernel ",
                         dilations[i] * (kernel[i] - 1) + 1);
  }
  return std::make_pair(out[0], out[1]);
}

//===----------------------------------------------------------------------===//
// ConstantOp
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  ElementsAttr value = adaptor.getValueAttr();
  if (!value)
    return errors.fail("requires a 'value' attribute");
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type)
    return errors.fail("value must be a ranked tensor, got ", value.getType());
  inferred.push_back(type);
  return success();
}

//===----------------------------------------------------------------------===//
// ClipOp
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  if (getMin() && getMax() &&
      getMin()->convertToDouble() > getMax()->convertToDouble())
    return emitOpError("min (")
           << getMin()->convertToDouble() << ") is greater than max ("
           << getMax()->convertToDouble() << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// CompareOp, SelectOp, CastOp
//===----------------------------------------------------------------------===//

LogicalResult CompareOp::inferReturnTypes(MLIRContext *context,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  return inferBinary<CompareOp>(loc, adaptor, inferred,
                                IntegerType::get(context, 1));
}

LogicalResult SelectOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType cond = errors.ranked(adaptor.getCondition(), "condition");
  RankedTensorType onTrue = errors.ranked(adaptor.getOnTrue(), "on_true");
  RankedTensorType onFalse = errors.ranked(adaptor.getOnFalse(), "on_false");
  if (!cond || !onTrue || !onFalse)
    return failure();
  if (onTrue.getElementType() != onFalse.getElementType())
    return errors.fail("branch element types differ: ", onTrue.getElementType(),
                       " vs ", onFalse.getElementType());
  return inferBroadcast(errors, {cond, onTrue, onFalse},
                        onTrue.getElementType(), inferred,
                        /*checkElementTypes=*/false);
}

LogicalResult CastOp::inferReturnTypes(MLIRContext *,
                                       std::optional<Location> loc,
                                       Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  TypeAttr dtype = adaptor.getDtypeAttr();
  if (!dtype)
    return errors.fail("requires a 'dtype' attribute");
  inferred.push_back(input.clone(dtype.getValue()));
  return success();
}

//===----------------------------------------------------------------------===//
// QuantizeOp, DequantizeOp
//===----------------------------------------------------------------------===//

/// Checks the scale and zero point of a quantize or dequantize of `input`:
/// scalars, or per channel 1-D with one value per index along `axis`.
static LogicalResult verifyQuantization(Operation *op, RankedTensorType input,
                                        RankedTensorType scale,
                                        RankedTensorType zeroPoint,
                                        std::optional<int64_t> axis) {
  if (scale.getShape() != zeroPoint.getShape())
    return op->emitOpError("scale and zero point must have the same shape, "
                           "got ")
           << scale << " and " << zeroPoint;
  if (scale.getRank() > 1)
    return op->emitOpError("scale must be a scalar (per tensor) or 1-D (per "
                           "channel along 'axis'), got ")
           << scale;
  if (scale.getRank() == 0)
    return success();
  if (!axis)
    return op->emitOpError("a 1-D scale (per channel) needs an 'axis'");
  std::optional<int64_t> norm = shape::normalizeAxis(*axis, input.getRank());
  if (!norm)
    return op->emitOpError("axis ")
           << *axis << " is out of range for rank " << input.getRank();
  int64_t channels = input.getDimSize(*norm), count = scale.getDimSize(0);
  if (!ShapedType::isDynamic(channels) && !ShapedType::isDynamic(count) &&
      channels != count)
    return op->emitOpError("per-channel scale has ")
           << count << " values but dimension " << *norm << " of the input has "
           << channels;
  return success();
}

/// A quantize or dequantize's result: `input`'s shape with the element type
/// of `typeSource` (the zero point, or the scale), `axis` (if any) in range.
static LogicalResult inferQuantization(std::optional<Location> loc,
                                       StringRef opName, Value input,
                                       Value typeSource,
                                       StringRef typeSourceName,
                                       std::optional<uint64_t> axis,
                                       SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, opName);
  RankedTensorType inputType = errors.ranked(input, "input");
  RankedTensorType sourceType = errors.ranked(typeSource, typeSourceName);
  if (!inputType || !sourceType)
    return failure();
  if (axis && !errors.axis(static_cast<int64_t>(*axis), inputType.getRank()))
    return failure();
  inferred.push_back(inputType.clone(sourceType.getElementType()));
  return success();
}

LogicalResult QuantizeOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &inferred) {
  return inferQuantization(loc, getOperationName(), adaptor.getInput(),
                           adaptor.getZeroPoint(), "zero point",
                           adaptor.getAxis(), inferred);
}

LogicalResult QuantizeOp::verify() {
  if (getZeroPoint().getType().getElementType().isInteger(32))
    return emitOpError("quantizes to i8 or ui8 (the zero point's type), not ")
           << getZeroPoint().getType().getElementType();
  return verifyQuantization(*this, getInput().getType(), getScale().getType(),
                            getZeroPoint().getType(), getAxis());
}

LogicalResult DequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  return inferQuantization(loc, getOperationName(), adaptor.getInput(),
                           adaptor.getScale(), "scale", adaptor.getAxis(),
                           inferred);
}

LogicalResult DequantizeOp::verify() {
  Type element = getInput().getType().getElementType();
  if (element != getZeroPoint().getType().getElementType())
    return emitOpError("the zero point's element type must be the input's (")
           << element << "), got " << getZeroPoint().getType().getElementType();
  return verifyQuantization(*this, getInput().getType(), getScale().getType(),
                            getZeroPoint().getType(), getAxis());
}

LogicalResult RequantizeOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  return inferQuantization(loc, getOperationName(), adaptor.getInput(),
                           adaptor.getZeroPoint(), "zero point",
                           adaptor.getAxis(), inferred);
}

LogicalResult RequantizeOp::verify() {
  if (getZeroPoint().getType().getElementType().isInteger(32))
    return emitOpError("requantizes to i8 or ui8 (the zero point's type), "
                       "not ")
           << getZeroPoint().getType().getElementType();
  // The output's zero point is per tensor even when the multiplier is per
  // channel (per-channel weight scales).
  if (getZeroPoint().getType().getRank() == 0)
    return verifyQuantization(*this, getInput().getType(), getScale().getType(),
                              getScale().getType(), getAxis());
  return verifyQuantization(*this, getInput().getType(), getScale().getType(),
                            getZeroPoint().getType(), getAxis());
}

//===----------------------------------------------------------------------===//
// MatmulOp
//===----------------------------------------------------------------------===//

/// Whether `type` is an 8-bit integer (i8 or ui8), the operands of integer
/// matmuls and convolutions.
static bool isByteInteger(Type type) {
  return type.isInteger(8) && !type.isSignedInteger();
}

/// The element type of a matmul's or convolution's result from its
/// operands': the common one, or i32 for 8-bit integers; null (after an
/// error naming `what`) if they cannot be multiplied.
static Type productElementType(OpErrors &errors, Type lhs, Type rhs,
                               StringRef what) {
  if (isByteInteger(lhs) && isByteInteger(rhs))
    return IntegerType::get(lhs.getContext(), 32);
  if (lhs != rhs) {
    (void)errors.fail(what, " element types differ: ", lhs, " vs ", rhs,
                      " (only 8-bit integers, i8 or ui8, may mix)");
    return nullptr;
  }
  return lhs;
}

LogicalResult MatmulOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType lhs = errors.ranked(adaptor.getLhs(), "lhs");
  RankedTensorType rhs = errors.ranked(adaptor.getRhs(), "rhs");
  if (!lhs || !rhs)
    return failure();
  if (lhs.getRank() < 2 || rhs.getRank() < 2)
    return errors.fail("operands must have rank >= 2, got ", lhs.getRank(),
                       " and ", rhs.getRank());
  Type elementType = productElementType(errors, lhs.getElementType(),
                                        rhs.getElementType(), "operand");
  if (!elementType)
    return failure();
  ArrayRef<int64_t> l = lhs.getShape(), r = rhs.getShape();
  int64_t k1 = l.back(), k2 = r[r.size() - 2];
  if (!dimsCompatible(k1, k2))
    return errors.fail("contracting dimensions differ: ", k1, " vs ", k2);
  std::optional<SmallVector<int64_t>> batch =
      shape::broadcastShapes(l.drop_back(2), r.drop_back(2));
  if (!batch)
    return errors.fail("batch dimensions are not broadcast-compatible: ",
                       formatShape(l.drop_back(2)), " vs ",
                       formatShape(r.drop_back(2)));
  batch->push_back(l[l.size() - 2]);
  batch->push_back(r.back());
  inferred.push_back(RankedTensorType::get(*batch, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Conv2DOp
//===----------------------------------------------------------------------===//

LogicalResult Conv2DOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  if (failed(completeAdaptor<Conv2DOp>(context, loc, adaptor)))
    return failure();
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  RankedTensorType weight = errors.ranked(adaptor.getWeight(), "weight");
  if (!input || !weight)
    return failure();
  if (input.getRank() != 4)
    return errors.fail("input must be 4-D (NCHW), got rank ", input.getRank());
  if (weight.getRank() != 4)
    return errors.fail("weight must be 4-D (OIHW), got rank ",
                       weight.getRank());
  Type elementType =
      productElementType(errors, input.getElementType(),
                         weight.getElementType(), "input and weight");
  if (!elementType)
    return failure();
  int64_t groups = adaptor.getGroups();
  if (groups < 1)
    return errors.fail("groups must be >= 1, got ", groups);
  int64_t channels = input.getDimSize(1), outChannels = weight.getDimSize(0);
  int64_t weightChannels = weight.getDimSize(1);
  if (channels != kDynamic && channels % groups != 0)
    return errors.fail("input channels (", channels,
                       ") are not divisible by groups (", groups, ")");
  if (outChannels != kDynamic && outChannels % groups != 0)
    return errors.fail("output channels (", outChannels,
                       ") are not divisible by groups (", groups, ")");
  if (channels != kDynamic && weightChannels != kDynamic &&
      weightChannels * groups != channels)
    return errors.fail("weight input channels (", weightChannels,
                       ") times groups (", groups,
                       ") must equal input channels (", channels, ")");
  if (Value biasValue = adaptor.getBias()) {
    RankedTensorType bias = errors.ranked(biasValue, "bias");
    if (!bias)
      return failure();
    if (bias.getRank() != 1 || !dimsCompatible(bias.getDimSize(0), outChannels))
      return errors.fail("bias must be 1-D of size ", formatDim(outChannels),
                         " (output channels), got ",
                         formatShape(bias.getShape()));
    if (bias.getElementType() != elementType)
      return errors.fail("bias element type ", bias.getElementType(),
                         " differs from the result's, ", elementType);
  }
  int64_t kernel[2] = {weight.getDimSize(2), weight.getDimSize(3)};
  FailureOr<std::pair<int64_t, int64_t>> hw =
      inferWindow2D(errors, input, kernel, adaptor.getStrides(),
                    adaptor.getPads(), adaptor.getDilations(), false);
  if (failed(hw))
    return failure();
  inferred.push_back(RankedTensorType::get(
      {input.getDimSize(0), outChannels, hw->first, hw->second}, elementType));
  return success();
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult
inferPool2D(MLIRContext *context, std::optional<Location> loc,
            typename OpTy::Adaptor adaptor, SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, OpTy::getOperationName());
  if (failed(completeAdaptor<OpTy>(context, loc, adaptor)))
    return failure();
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input ||
      !hasRequiredAttrs(errors, {{adaptor.getKernelAttr(), "kernel"}}))
    return failure();
  if (input.getRank() != 4)
    return errors.fail("input must be 4-D (NCHW), got rank ", input.getRank());
  if (failed(checkWindowParam(errors, "kernel", adaptor.getKernel(), 2, 1)))
    return failure();
  SmallVector<int64_t, 2> dilations = {1, 1};
  if constexpr (std::is_same_v<OpTy, MaxPool2DOp>)
    dilations.assign(adaptor.getDilations().begin(),
                     adaptor.getDilations().end());
  FailureOr<std::pair<int64_t, int64_t>> hw =
      inferWindow2D(errors, input, adaptor.getKernel(), adaptor.getStrides(),
                    adaptor.getPads(), dilations, adaptor.getCeilMode());
  if (failed(hw))
    return failure();
  // A window made only of padding has no defined value.
  ArrayRef<int64_t> kernel = adaptor.getKernel(), pads = adaptor.getPads();
  for (int i = 0; i < 4; ++i)
    if (pads[i] >= kernel[i % 2] * dilations[i % 2])
      return errors.fail("padding (", pads[i],
                         ") must be smaller than the kernel extent (",
                         kernel[i % 2] * dilations[i % 2], ")");
  inferred.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), hw->first, hw->second},
      input.getElementType()));
  return success();
}

LogicalResult MaxPool2DOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferPool2D<MaxPool2DOp>(context, loc, adaptor, inferred);
}

LogicalResult AvgPool2DOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  return inferPool2D<AvgPool2DOp>(context, loc, adaptor, inferred);
}

template <typename OpTy>
static LogicalResult inferGlobalPool2D(std::optional<Location> loc,
                                       typename OpTy::Adaptor adaptor,
                                       SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, OpTy::getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  if (input.getRank() != 4)
    return errors.fail("input must be 4-D (NCHW), got rank ", input.getRank());
  inferred.push_back(
      RankedTensorType::get({input.getDimSize(0), input.getDimSize(1), 1, 1},
                            input.getElementType()));
  return success();
}

LogicalResult
GlobalAvgPool2DOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool2D<GlobalAvgPool2DOp>(loc, adaptor, inferred);
}

LogicalResult
GlobalMaxPool2DOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &inferred) {
  return inferGlobalPool2D<GlobalMaxPool2DOp>(loc, adaptor, inferred);
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOp::verify() {
  int64_t rank = getInput().getType().getRank();
  if (rank == 0)
    return emitOpError("input must have rank >= 1");
  return verifyAxis(*this, getAxis(), rank);
}

LogicalResult LayerNormOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  if (failed(completeAdaptor<LayerNormOp>(context, loc, adaptor)))
    return failure();
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  RankedTensorType scale = errors.ranked(adaptor.getScale(), "scale");
  if (!input || !scale)
    return failure();
  std::optional<int64_t> axis =
      errors.axis(static_cast<int64_t>(adaptor.getAxis()), input.getRank());
  if (!axis)
    return failure();
  if (adaptor.getEpsilon().convertToDouble() < 0)
    return errors.fail("epsilon must be >= 0, got ",
                       adaptor.getEpsilon().convertToDouble());
  ArrayRef<int64_t> normalized = input.getShape().drop_front(*axis);
  auto checkParam = [&](RankedTensorType type, StringRef name) {
    if (type.getRank() != static_cast<int64_t>(normalized.size()) ||
        !llvm::all_of(llvm::zip(type.getShape(), normalized), [](auto p) {
          return dimsCompatible(std::get<0>(p), std::get<1>(p));
        }))
      return errors.fail(name, " shape ", formatShape(type.getShape()),
                         " must equal the normalized shape ",
                         formatShape(normalized));
    return success();
  };
  if (failed(checkParam(scale, "scale")))
    return failure();
  if (Value biasValue = adaptor.getBias()) {
    RankedTensorType bias = errors.ranked(biasValue, "bias");
    if (!bias || failed(checkParam(bias, "bias")))
      return failure();
  }
  inferred.push_back(input);
  return success();
}

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *context,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  if (failed(completeAdaptor<BatchNormOp>(context, loc, adaptor)))
    return failure();
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  if (input.getRank() < 2)
    return errors.fail("input must have rank >= 2 (N x C x ...), got rank ",
                       input.getRank());
  if (adaptor.getEpsilon().convertToDouble() < 0)
    return errors.fail("epsilon must be >= 0, got ",
                       adaptor.getEpsilon().convertToDouble());
  int64_t channels = input.getDimSize(1);
  std::pair<Value, StringRef> params[] = {{adaptor.getScale(), "scale"},
                                          {adaptor.getBias(), "bias"},
                                          {adaptor.getMean(), "mean"},
                                          {adaptor.getVariance(), "variance"}};
  for (auto [value, name] : params) {
    RankedTensorType type = errors.ranked(value, name);
    if (!type)
      return failure();
    if (type.getRank() != 1 || !dimsCompatible(type.getDimSize(0), channels))
      return errors.fail(name, " must be 1-D of size ", formatDim(channels),
                         " (channels), got ", formatShape(type.getShape()));
  }
  inferred.push_back(input);
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

template <typename OpTy>
static LogicalResult
inferReduce(MLIRContext *context, std::optional<Location> loc,
            typename OpTy::Adaptor adaptor, SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, OpTy::getOperationName());
  if (failed(completeAdaptor<OpTy>(context, loc, adaptor)))
    return failure();
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  std::optional<SmallVector<int64_t>> axes =
      shape::normalizeAxes(adaptor.getAxes(), input.getRank());
  if (!axes)
    return errors.fail("axes [", adaptor.getAxes(),
                       "] must be distinct and in range for rank ",
                       input.getRank());
  inferred.push_back(input.clone(
      shape::reducedShape(input.getShape(), *axes, adaptor.getKeepDims())));
  return success();
}

#define GRAPH_REDUCE_INFERENCE(OP)                                             \
  LogicalResult OP::inferReturnTypes(                                          \
      MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,      \
      SmallVectorImpl<Type> &inferred) {                                       \
    return inferReduce<OP>(context, loc, adaptor, inferred);                   \
  }
GRAPH_REDUCE_INFERENCE(ReduceSumOp)
GRAPH_REDUCE_INFERENCE(ReduceMeanOp)
GRAPH_REDUCE_INFERENCE(ReduceMaxOp)
GRAPH_REDUCE_INFERENCE(ReduceMinOp)
GRAPH_REDUCE_INFERENCE(ReduceProdOp)
#undef GRAPH_REDUCE_INFERENCE

template <typename OpTy>
static LogicalResult inferArgReduce(MLIRContext *context,
                                    std::optional<Location> loc,
                                    typename OpTy::Adaptor adaptor,
                                    SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, OpTy::getOperationName());
  if (failed(completeAdaptor<OpTy>(context, loc, adaptor)))
    return failure();
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  int64_t axisValue = adaptor.getAxis();
  std::optional<int64_t> axis = errors.axis(axisValue, input.getRank());
  if (!axis)
    return failure();
  inferred.push_back(RankedTensorType::get(
      shape::reducedShape(input.getShape(), {*axis}, adaptor.getKeepDims()),
      IntegerType::get(context, 64)));
  return success();
}

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferArgReduce<ArgMaxOp>(context, loc, adaptor, inferred);
}

LogicalResult ArgMinOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  return inferArgReduce<ArgMinOp>(context, loc, adaptor, inferred);
}

LogicalResult CumsumOp::verify() {
  return verifyAxis(*this, getAxis(), getInput().getType().getRank());
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

/// Checks that a target shape attribute holds only non-negative sizes.
static LogicalResult checkTargetShape(const OpErrors &errors,
                                      ArrayRef<int64_t> target) {
  for (int64_t d : target)
    if (d < 0)
      return errors.fail("target shape must be static and non-negative, got ",
                         d);
  return success();
}

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input || failed(checkTargetShape(errors, adaptor.getShape())))
    return failure();
  int64_t from = shape::numElements(input.getShape());
  int64_t to = shape::numElements(adaptor.getShape());
  if (from != kDynamic && from != to)
    return errors.fail("cannot reshape ", formatShape(input.getShape()), " (",
                       from, " elements) to ", formatShape(adaptor.getShape()),
                       " (", to, " elements)");
  inferred.push_back(input.clone(adaptor.getShape()));
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  ArrayRef<int64_t> perms = adaptor.getPerms();
  if (static_cast<int64_t>(perms.size()) != input.getRank())
    return errors.fail("perms has ", perms.size(),
                       " entries but the input has rank ", input.getRank());
  if (!shape::isPermutation(perms))
    return errors.fail("perms [", perms, "] is not a permutation of [0, ",
                       perms.size(), ")");
  SmallVector<int64_t> result;
  for (int64_t p : perms)
    result.push_back(input.getDimSize(p));
  inferred.push_back(input.clone(result));
  return success();
}

LogicalResult BroadcastToOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input || failed(checkTargetShape(errors, adaptor.getShape())))
    return failure();
  if (!shape::isBroadcastableTo(input.getShape(), adaptor.getShape()))
    return errors.fail("cannot broadcast ", formatShape(input.getShape()),
                       " to ", formatShape(adaptor.getShape()));
  inferred.push_back(input.clone(adaptor.getShape()));
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  if (adaptor.getInputs().empty())
    return errors.fail("expects at least one input");
  SmallVector<RankedTensorType> types;
  for (Value v : adaptor.getInputs()) {
    types.push_back(errors.ranked(v, "input"));
    if (!types.back())
      return failure();
  }
  RankedTensorType first = types.front();
  if (!adaptor.getAxisAttr())
    return errors.fail("requires an 'axis' attribute");
  std::optional<int64_t> axis =
      errors.axis(static_cast<int64_t>(adaptor.getAxis()), first.getRank());
  if (!axis)
    return failure();
  SmallVector<int64_t> result(first.getShape());
  for (auto [i, type] : llvm::enumerate(types)) {
    if (i == 0)
      continue;
    if (type.getElementType() != first.getElementType())
      return errors.fail("input #", i, " element type ", type.getElementType(),
                         " differs from ", first.getElementType());
    if (type.getRank() != first.getRank())
      return errors.fail("input #", i, " has rank ", type.getRank(),
                         ", expected ", first.getRank());
    for (int64_t d = 0; d < first.getRank(); ++d) {
      int64_t size = type.getDimSize(d);
      if (d == *axis) {
        result[d] = (result[d] == kDynamic || size == kDynamic)
                        ? kDynamic
                        : result[d] + size;
      } else if (!dimsCompatible(result[d], size)) {
        return errors.fail("input #", i, " has size ", size, " in dimension ",
                           d, ", expected ", result[d]);
      } else if (result[d] == kDynamic) {
        result[d] = size;
      }
    }
  }
  inferred.push_back(first.clone(result));
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *context,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &inferred) {
  if (failed(completeAdaptor<SliceOp>(context, loc, adaptor)))
    return failure();
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input || !hasRequiredAttrs(errors, {{adaptor.getStartsAttr(), "starts"},
                                           {adaptor.getEndsAttr(), "ends"}}))
    return failure();
  int64_t rank = input.getRank();
  ArrayRef<int64_t> starts = adaptor.getStarts(), ends = adaptor.getEnds(),
                    steps = adaptor.getSteps();
  if (static_cast<int64_t>(starts.size()) != rank ||
      static_cast<int64_t>(ends.size()) != rank ||
      (!steps.empty() && static_cast<int64_t>(steps.size()) != rank))
    return errors.fail("starts, ends and steps need one entry per dimension (",
                       rank, "), got ", starts.size(), ", ", ends.size(),
                       " and ", steps.size());
  SmallVector<int64_t> result;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t step = steps.empty() ? 1 : steps[d];
    int64_t dim = input.getDimSize(d);
    if (step < 1)
      return errors.fail("step in dimension ", d, " must be >= 1, got ", step);
    if (starts[d] < 0 || starts[d] > ends[d] ||
        (dim != kDynamic && ends[d] > dim))
      return errors.fail("slice [", starts[d], ", ", ends[d],
                         ") is out of bounds in dimension ", d, " of size ",
                         formatDim(dim));
    result.push_back((ends[d] - starts[d] + step - 1) / step);
  }
  inferred.push_back(input.clone(result));
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *context,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &inferred) {
  if (failed(completeAdaptor<PadOp>(context, loc, adaptor)))
    return failure();
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input || !hasRequiredAttrs(errors, {{adaptor.getPadsAttr(), "pads"}}))
    return failure();
  int64_t rank = input.getRank();
  ArrayRef<int64_t> pads = adaptor.getPads();
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return errors.fail("expects ", 2 * rank, " pads (before and after each of ",
                       rank, " dimensions), got ", pads.size());
  bool reflect = adaptor.getMode() == PadMode::reflect;
  SmallVector<int64_t> result;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t before = pads[d], after = pads[rank + d];
    int64_t dim = input.getDimSize(d);
    if (before < 0 || after < 0)
      return errors.fail("pads must be >= 0 (use graph.slice to crop), got ",
                         before, " and ", after, " in dimension ", d);
    if (reflect && dim != kDynamic && (before >= dim || after >= dim))
      return errors.fail("reflect padding in dimension ", d,
                         " must be smaller than its size ", dim, ", got ",
                         before, " and ", after);
    if (adaptor.getMode() == PadMode::edge && dim == 0 && before + after > 0)
      return errors.fail("edge padding of an empty dimension ", d);
    result.push_back(dim == kDynamic ? kDynamic : dim + before + after);
  }
  inferred.push_back(input.clone(result));
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *context,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  if (failed(completeAdaptor<GatherOp>(context, loc, adaptor)))
    return failure();
  OpErrors errors(loc, getOperationName());
  RankedTensorType data = errors.ranked(adaptor.getData(), "data");
  RankedTensorType indices = errors.ranked(adaptor.getIndices(), "indices");
  if (!data || !indices)
    return failure();
  std::optional<int64_t> axis =
      errors.axis(static_cast<int64_t>(adaptor.getAxis()), data.getRank());
  if (!axis)
    return failure();
  SmallVector<int64_t> result(data.getShape().take_front(*axis));
  llvm::append_range(result, indices.getShape());
  llvm::append_range(result, data.getShape().drop_front(*axis + 1));
  inferred.push_back(data.clone(result));
  return success();
}

LogicalResult
GatherElementsOp::inferReturnTypes(MLIRContext *context,
                                   std::optional<Location> loc, Adaptor adaptor,
                                   SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  if (failed(completeAdaptor<GatherElementsOp>(context, loc, adaptor)))
    return failure();
  RankedTensorType data = errors.ranked(adaptor.getData(), "data");
  RankedTensorType indices = errors.ranked(adaptor.getIndices(), "indices");
  if (!data || !indices)
    return failure();
  if (!errors.axis(static_cast<int64_t>(adaptor.getAxis()), data.getRank()))
    return failure();
  if (indices.getRank() != data.getRank())
    return errors.fail("indices must have the rank of data (", data.getRank(),
                       "), got ", indices.getRank());
  inferred.push_back(data.clone(indices.getShape()));
  return success();
}

LogicalResult ScatterElementsOp::inferReturnTypes(
    MLIRContext *context, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  if (failed(completeAdaptor<ScatterElementsOp>(context, loc, adaptor)))
    return failure();
  RankedTensorType data = errors.ranked(adaptor.getData(), "data");
  RankedTensorType indices = errors.ranked(adaptor.getIndices(), "indices");
  RankedTensorType updates = errors.ranked(adaptor.getUpdates(), "updates");
  if (!data || !indices || !updates)
    return failure();
  if (!errors.axis(static_cast<int64_t>(adaptor.getAxis()), data.getRank()))
    return failure();
  if (indices.getRank() != data.getRank())
    return errors.fail("indices must have the rank of data (", data.getRank(),
                       "), got ", indices.getRank());
  if (indices.getShape() != updates.getShape())
    return errors.fail("indices and updates must have one shape, got ",
                       formatShape(indices.getShape()), " and ",
                       formatShape(updates.getShape()));
  if (updates.getElementType() != data.getElementType())
    return errors.fail("updates must have the element type of data (",
                       data.getElementType(), "), got ",
                       updates.getElementType());
  inferred.push_back(data);
  return success();
}

LogicalResult ExpandDimsOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  ArrayRef<int64_t> axes = adaptor.getAxes();
  int64_t rank = input.getRank() + axes.size();
  std::optional<SmallVector<int64_t>> norm =
      axes.empty() ? std::nullopt : shape::normalizeAxes(axes, rank);
  if (!norm)
    return errors.fail("axes [", axes,
                       "] must be non-empty, distinct and in range for the "
                       "result rank ",
                       rank);
  SmallVector<int64_t> result;
  auto in = input.getShape().begin();
  for (int64_t d = 0; d < rank; ++d)
    result.push_back(llvm::is_contained(*norm, d) ? 1 : *in++);
  inferred.push_back(input.clone(result));
  return success();
}

LogicalResult SqueezeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  RankedTensorType input = errors.ranked(adaptor.getInput(), "input");
  if (!input)
    return failure();
  ArrayRef<int64_t> axes = adaptor.getAxes();
  SmallVector<int64_t> removed;
  if (axes.empty()) {
    for (auto [d, size] : llvm::enumerate(input.getShape()))
      if (size == 1)
        removed.push_back(d);
  } else {
    std::optional<SmallVector<int64_t>> norm =
        shape::normalizeAxes(axes, input.getRank());
    if (!norm)
      return errors.fail("axes [", axes,
                         "] must be distinct and in range for rank ",
                         input.getRank());
    for (int64_t d : *norm)
      if (input.getDimSize(d) != 1 && input.getDimSize(d) != kDynamic)
        return errors.fail("cannot squeeze dimension ", d, " of size ",
                           input.getDimSize(d));
    removed = std::move(*norm);
  }
  inferred.push_back(input.clone(
      shape::reducedShape(input.getShape(), removed, /*keepDims=*/false)));
  return success();
}

//===----------------------------------------------------------------------===//
// FusionOp
//===----------------------------------------------------------------------===//

void FusionOp::build(OpBuilder &builder, OperationState &state,
                     TypeRange resultTypes, ValueRange inputs) {
  state.addOperands(inputs);
  state.addTypes(resultTypes);
  Region *body = state.addRegion();
  Block *block = new Block();
  body->push_back(block);
  for (Value input : inputs)
    block->addArgument(input.getType(), input.getLoc());
}

YieldOp FusionOp::getYield() {
  return cast<YieldOp>(getBody().front().getTerminator());
}

LogicalResult FusionOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &inferred) {
  OpErrors errors(loc, getOperationName());
  Region &body = adaptor.getBody();
  if (body.empty() || body.front().empty())
    return errors.fail("body must end with graph.yield");
  auto yield = dyn_cast<YieldOp>(body.front().back());
  if (!yield)
    return errors.fail("body must end with graph.yield");
  llvm::append_range(inferred, yield.getValues().getTypes());
  return success();
}

LogicalResult FusionOp::verifyRegions() {
  Block &block = getBody().front();
  if (block.getNumArguments() != getInputs().size())
    return emitOpError("body has ")
           << block.getNumArguments() << " arguments but the op has "
           << getInputs().size() << " inputs";
  for (auto [i, arg, input] :
       llvm::enumerate(block.getArguments(), getInputs()))
    if (arg.getType() != input.getType())
      return emitOpError("body argument #")
             << i << " has type " << arg.getType() << " but input #" << i
             << " has type " << input.getType();
  return success();
}

#define GET_OP_CLASSES
#include "strata/Dialect/Graph/IR/GraphOps.cpp.inc"
