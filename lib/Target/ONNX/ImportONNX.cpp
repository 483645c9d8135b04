//===- ImportONNX.cpp - ONNX models to the graph dialect ------------------===//

#include "strata/Target/ONNX/ImportONNX.h"
#include "strata/Support/Digest.h"

#include "llvm/Support/CommandLine.h"

#include "Importer.h"

#include "strata/InitAllDialects.h"
#include "strata/Runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Tools/mlir-translate/Translation.h"
#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cmath>
#include <cstring>
#include <limits>

using namespace mlir;

namespace strata::onnx_import {

bool namesAreDefined(const onnx::GraphProto &graph, std::string &error) {
  llvm::StringSet<> defined;
  for (const onnx::ValueInfoProto &in : graph.input())
    defined.insert(in.name());
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::NodeProto &node : graph.node()) {
    for (const onnx::AttributeProto &a : node.attribute())
      if (a.has_g() || a.graphs_size()) {
        error = "node '" + node.name() + "' (" + node.op_type() +
                ") has a subgraph, which Strata does not support";
        return false;
      }
    for (const std::string &in : node.input())
      if (!in.empty() && !defined.contains(in)) {
        error = "node '" + node.name() + "' (" + node.op_type() + ") uses '" +
                in + "', which is not defined before it";
        return false;
      }
    for (const std::string &out : node.output())
      defined.insert(out);
  }
  for (const onnx::ValueInfoProto &out : graph.output())
    if (!defined.contains(out.name())) {
      error = "graph output '" + out.name() + "' is never defined";
      return false;
    }
  return true;
}

int64_t ConstantData::numElements() const {
  // Shapes are checked when constants are made (decodeTensor, folds).
  return checkedNumElements(shape).value_or(0);
}

template <typename T>
static void appendAs(const ConstantData &data, std::vector<T> &out) {
  int64_t n = data.numElements();
  const char *p = data.bytes.data();
  Type t = data.elementType;
  for (int64_t i = 0; i < n; ++i) {
    if (t.isF32()) {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      out.push_back(static_cast<T>(v));
    } else if (t.isF64()) {
      double v;
      std::memcpy(&v, p + 8 * i, 8);
      out.push_back(static_cast<T>(v));
    } else if (t.isInteger(64)) {
      int64_t v;
      std::memcpy(&v, p + 8 * i, 8);
      out.push_back(static_cast<T>(v));
    } else if (t.isInteger(32)) {
      int32_t v;
      std::memcpy(&v, p + 4 * i, 4);
      out.push_back(static_cast<T>(v));
    } else if (t.isInteger(16)) {
      int16_t v;
      std::memcpy(&v, p + 2 * i, 2);
      out.push_back(static_cast<T>(v));
    } else if (t.isInteger(8)) {
      out.push_back(static_cast<T>(static_cast<int8_t>(p[i])));
    } else if (t.isInteger(1)) {
      out.push_back(static_cast<T>(p[i] != 0));
    } else {
      out.push_back(T());
    }
  }
}

std::vector<int64_t> ConstantData::asInts() const {
  std::vector<int64_t> out;
  appendAs(*this, out);
  return out;
}

std::vector<double> ConstantData::asDoubles() const {
  std::vector<double> out;
  appendAs(*this, out);
  return out;
}

Type elementTypeFor(int32_t onnxType, MLIRContext *context) {
  Builder b(context);
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::INT16:
    return b.getI16Type();
  case onnx::TensorProto::INT8:
    return b.getI8Type();
  // Unsigned integers keep their signedness in the graph dialect (ui8...):
  // division, comparison, min/max and conversions depend on it.
  case onnx::TensorProto::UINT8:
    return b.getIntegerType(8, /*isSigned=*/false);
  case onnx::TensorProto::UINT16:
    return b.getIntegerType(16, /*isSigned=*/false);
  case onnx::TensorProto::UINT32:
    return b.getIntegerType(32, /*isSigned=*/false);
  case onnx::TensorProto::UINT64:
    return b.getIntegerType(64, /*isSigned=*/false);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return nullptr;
  }
}

static const char *onnxTypeName(int32_t type) {
  return onnx::TensorProto::DataType_IsValid(type)
             ? onnx::TensorProto::DataType_Name(
                   static_cast<onnx::TensorProto::DataType>(type))
                   .c_str()
             : "unknown";
}

/// Bytes per element in ConstantData (i1 takes one byte).
static size_t storageSize(Type type) {
  return type.isInteger(1) ? 1 : type.getIntOrFloatBitWidth() / 8;
}

std::optional<ConstantData> decodeTensor(const onnx::TensorProto &tensor,
                                         MLIRContext *context,
                                         std::string &error) {
  ConstantData data;
  data.elementType = elementTypeFor(tensor.data_type(), context);
  if (!data.elementType) {
    error = std::string("tensor '") + tensor.name() + "' has element type " +
            onnxTypeName(tensor.data_type()) +
            ", which Strata does not support";
    return std::nullopt;
  }
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "tensor '" + tensor.name() +
            "' keeps its data in an external file, which is not supported yet";
    return std::nullopt;
  }
  for (int64_t d : tensor.dims()) {
    if (d < 0) {
      error = "tensor '" + tensor.name() + "' has a negative dimension";
      return std::nullopt;
    }
    data.shape.push_back(d);
  }
  size_t elementSize = storageSize(data.elementType);
  std::optional<int64_t> bytes = checkedNumBytes(
      data.shape.data(), data.shape.size(), int64_t(elementSize) * 8);
  if (!bytes) {
    error = "tensor '" + tensor.name() + "' has dims whose size overflows or " +
            "is larger than a tensor can be";
    return std::nullopt;
  }
  int64_t n = *bytes / int64_t(elementSize);
  // The data present is checked against the dims before anything is
  // allocated for them.
  auto mismatch = [&](size_t have) {
    error = "tensor '" + tensor.name() + "' holds " + std::to_string(have) +
            " values but its shape needs " + std::to_string(n);
    return std::nullopt;
  };
  if (tensor.has_raw_data()) {
    const std::string &raw = tensor.raw_data();
    if (int64_t(raw.size()) != *bytes) {
      error = "tensor '" + tensor.name() + "' has " +
              std::to_string(raw.size()) + " bytes of raw data, expected " +
              std::to_string(*bytes);
      return std::nullopt;
    }
    data.bytes.assign(raw.begin(), raw.end());
    return data;
  }
  int64_t have;
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    have = tensor.float_data_size();
    break;
  case onnx::TensorProto::DOUBLE:
    have = tensor.double_data_size();
    break;
  case onnx::TensorProto::INT64:
    have = tensor.int64_data_size();
    break;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    have = tensor.uint64_data_size();
    break;
  default:
    // INT32, INT16, INT8, UINT16, UINT8, BOOL, FLOAT16, BFLOAT16 live in
    // int32_data.
    have = tensor.int32_data_size();
  }
  if (have != n)
    return mismatch(have);
  data.bytes.resize(*bytes);
  char *out = data.bytes.data();
  switch (tensor.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (n)
      std::memcpy(out, tensor.float_data().data(), n * 4);
    break;
  case onnx::TensorProto::DOUBLE:
    if (n)
      std::memcpy(out, tensor.double_data().data(), n * 8);
    break;
  case onnx::TensorProto::INT64:
    if (n)
      std::memcpy(out, tensor.int64_data().data(), n * 8);
    break;
  case onnx::TensorProto::UINT64:
    if (n)
      std::memcpy(out, tensor.uint64_data().data(), n * 8);
    break;
  case onnx::TensorProto::UINT32:
    for (int64_t i = 0; i < n; ++i) {
      uint64_t v = tensor.uint64_data(i);
      if (v > UINT32_MAX) {
        error = "tensor '" + tensor.name() + "' value #" + std::to_string(i) +
                " (" + std::to_string(v) + ") does not fit its element type " +
                "UINT32";
        return std::nullopt;
      }
      auto v32 = static_cast<uint32_t>(v);
      std::memcpy(out + i * 4, &v32, 4);
    }
    break;
  default: {
    // Each value must fit its element type: a bool is 0 or 1 (any other
    // value is true), integers must be in range, and 16-bit floats are bit
    // patterns.
    bool isBool = tensor.data_type() == onnx::TensorProto::BOOL;
    bool isFloat = isa<FloatType>(data.elementType);
    unsigned bits = data.elementType.getIntOrFloatBitWidth();
    bool isUnsigned = data.elementType.isUnsignedInteger();
    for (int64_t i = 0; i < n; ++i) {
      int32_t v = tensor.int32_data(i);
      if (isBool) {
        v = v != 0;
      } else if (!isFloat && bits < 32) {
        int64_t lo = isUnsigned ? 0 : -(int64_t(1) << (bits - 1));
        int64_t hi = isUnsigned ? (int64_t(1) << bits) - 1
                                : (int64_t(1) << (bits - 1)) - 1;
        if (v < lo || v > hi) {
          error = "tensor '" + tensor.name() + "' value #" + std::to_string(i) +
                  " (" + std::to_string(v) +
                  ") does not fit its element type " +
                  onnxTypeName(tensor.data_type());
          return std::nullopt;
        }
      }
      std::memcpy(out + i * elementSize, &v, elementSize);
    }
  }
  }
  return data;
}

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

LogicalResult NodeContext::fail(const Twine &message) const {
  return emitError(loc) << "ONNX node '" << node.name() << "' ("
                        << node.op_type() << "): " << message;
}

LogicalResult
NodeContext::namingNode(llvm::function_ref<LogicalResult()> build) {
  std::string errors;
  LogicalResult result = success();
  {
    ScopedDiagnosticHandler capture(b.getContext(), [&](Diagnostic &diag) {
      if (diag.getSeverity() != DiagnosticSeverity::Error)
        return failure();
      llvm::raw_string_ostream os(errors);
      os << (errors.empty() ? "" : "; ") << diag;
      return success();
    });
    result = build();
  }
  if (!errors.empty())
    (void)fail(errors);
  return result;
}

Value NodeContext::input(size_t i) {
  if (!hasInput(i)) {
    (void)fail("missing input #" + Twine(i));
    return nullptr;
  }
  Value v = importer.lookup(node.input(i), b, loc);
  if (!v)
    (void)fail("input '" + node.input(i) + "' is not defined before use");
  return v;
}

const ConstantData *NodeContext::constantInput(size_t i) const {
  if (!hasInput(i))
    return nullptr;
  return importer.lookupConstant(node.input(i));
}

const ConstantData *Importer::argumentValue(StringRef name) {
  auto known = specialized.find(name);
  if (known != specialized.end())
    return &known->second;
  auto position = argumentPositions.find(name);
  if (position == argumentPositions.end())
    return nullptr;
  const HostTensor *given = options.inputValues.lookup(name);
  if (!given && position->second < options.arguments.size())
    given = options.arguments[position->second];
  if (!given)
    return nullptr;
  const HostTensor &array = *given;
  ConstantData data;
  switch (array.dtype()) {
  case DType::I64:
    data.elementType = IntegerType::get(context, 64);
    break;
  case DType::I32:
    data.elementType = IntegerType::get(context, 32);
    break;
  case DType::F32: // Resize's scales
    data.elementType = Float32Type::get(context);
    break;
  case DType::F64:
    data.elementType = Float64Type::get(context);
    break;
  case DType::Bool: // Compress's condition
    data.elementType = IntegerType::get(context, 1);
    break;
  default:
    return nullptr;
  }
  data.shape = array.shape();
  const char *bytes = static_cast<const char *>(array.data());
  data.bytes.assign(bytes,
                    bytes + array.numElements() * dtypeSize(array.dtype()));
  return &specialized.try_emplace(name, std::move(data)).first->second;
}

const ConstantData *NodeContext::knownInput(size_t i, StringRef what) {
  // Only operands that must be known (shapes, axes, counts, scales) are
  // read from a graph input's given array: an operand that is merely folded
  // when constant stays a run-time value.
  const ConstantData *data = constantInput(i);
  if (!data && hasInput(i))
    data = importer.argumentValue(node.input(i));
  if (!data)
    (void)fail(what + " (input #" + Twine(i) +
               ") must be known at import time, since Strata compiles for "
               "static shapes: an initializer, a constant, or a graph input "
               "whose array is given (strata-run --input), which the model "
               "is then compiled for");
  return data;
}

FailureOr<std::vector<int64_t>> NodeContext::intsInput(size_t i,
                                                       StringRef what) {
  const ConstantData *data = knownInput(i, what);
  if (!data)
    return failure();
  if (!data->elementType.isIntOrIndex()) {
    (void)fail(what + " (input #" + Twine(i) + ") must be integers");
    return failure();
  }
  return data->asInts();
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const onnx::AttributeProto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

/// The ONNX type of `a`: its `type` field, or for models that leave it
/// unset (old exporters) the kind of value it carries.
static onnx::AttributeProto::AttributeType
attributeType(const onnx::AttributeProto &a) {
  using T = onnx::AttributeProto;
  if (a.type() != T::UNDEFINED)
    return a.type();
  if (a.has_f())
    return T::FLOAT;
  if (a.has_i())
    return T::INT;
  if (a.has_s())
    return T::STRING;
  if (a.has_t())
    return T::TENSOR;
  if (a.floats_size())
    return T::FLOATS;
  if (a.ints_size())
    return T::INTS;
  if (a.strings_size())
    return T::STRINGS;
  return T::UNDEFINED;
}

/// The attribute `name` of `node` if it has the ONNX type `type`; if it has
/// another, records the error in `error` (the first one only) and returns
/// null, so that the caller's default is used until the error is reported.
static const onnx::AttributeProto *
typedAttr(const onnx::NodeProto &node, StringRef name,
          onnx::AttributeProto::AttributeType type, std::string &error) {
  for (const onnx::AttributeProto &a : node.attribute()) {
    if (a.name() != name)
      continue;
    onnx::AttributeProto::AttributeType actual = attributeType(a);
    if (actual == type)
      return &a;
    if (error.empty())
      error = "attribute '" + name.str() + "' is " +
              onnx::AttributeProto::AttributeType_Name(actual) + ", expected " +
              onnx::AttributeProto::AttributeType_Name(type);
    return nullptr;
  }
  return nullptr;
}

int64_t NodeContext::attrInt(StringRef name, int64_t defaultValue) const {
  const onnx::AttributeProto *a =
      typedAttr(node, name, onnx::AttributeProto::INT, attrError);
  return a ? a->i() : defaultValue;
}

float NodeContext::attrFloat(StringRef name, float defaultValue) const {
  const onnx::AttributeProto *a =
      typedAttr(node, name, onnx::AttributeProto::FLOAT, attrError);
  return a ? a->f() : defaultValue;
}

std::string NodeContext::attrString(StringRef name,
                                    StringRef defaultValue) const {
  const onnx::AttributeProto *a =
      typedAttr(node, name, onnx::AttributeProto::STRING, attrError);
  return a ? a->s() : defaultValue.str();
}

std::optional<std::vector<int64_t>>
NodeContext::attrInts(StringRef name) const {
  const onnx::AttributeProto *a =
      typedAttr(node, name, onnx::AttributeProto::INTS, attrError);
  if (!a)
    return std::nullopt;
  return std::vector<int64_t>(a->ints().begin(), a->ints().end());
}

void NodeContext::setOutput(size_t i, Value value) {
  if (wantsOutput(i))
    importer.defineValue(node.output(i), value);
}

Value NodeContext::foldCreated(Operation *op) {
  SmallVector<OpFoldResult> folded;
  if (failed(op->fold(folded)) || folded.size() != 1)
    return op->getResult(0);
  if (auto value = dyn_cast<Value>(folded[0])) {
    if (value == op->getResult(0)) // Folded in place.
      return value;
    op->erase();
    return value;
  }
  auto attr = dyn_cast_if_present<ElementsAttr>(cast<Attribute>(folded[0]));
  if (!attr || attr.getType() != op->getResult(0).getType())
    return op->getResult(0);
  op->erase();
  return graph::ConstantOp::create(b, loc, attr);
}

void NodeContext::setConstantOutput(size_t i, ConstantData data) {
  if (wantsOutput(i))
    importer.defineConstant(node.output(i), std::move(data));
}

/// `value` as an int64 without undefined behavior: NaN is 0, values beyond
/// the range saturate.
static int64_t saturatingInt(double value) {
  if (std::isnan(value))
    return 0;
  if (value >= 9.2233720368547758e18)
    return std::numeric_limits<int64_t>::max();
  if (value <= -9.2233720368547758e18)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(value);
}

Value NodeContext::scalar(Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  Attribute element =
      isa<FloatType>(elementType)
          ? Attribute(b.getFloatAttr(elementType, value))
          : Attribute(b.getIntegerAttr(elementType, saturatingInt(value)));
  return graph::ConstantOp::create(b, loc,
                                   DenseElementsAttr::get(type, element));
}

//===----------------------------------------------------------------------===//
// Importer
//===----------------------------------------------------------------------===//

void Importer::defineValue(StringRef name, Value value) {
  values[name] = value;
  auto constant = value.getDefiningOp<graph::ConstantOp>();
  auto dense = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                        : DenseElementsAttr();
  if (!dense)
    return;
  ConstantData data;
  data.elementType = dense.getElementType();
  data.shape.assign(dense.getType().getShape().begin(),
                    dense.getType().getShape().end());
  if (data.elementType.isInteger(1)) {
    for (bool bit : dense.getValues<bool>())
      data.bytes.push_back(bit);
  } else {
    ArrayRef<char> raw = dense.getRawData();
    int64_t count = data.numElements();
    if (dense.isSplat())
      for (int64_t i = 0; i < count; ++i)
        data.bytes.insert(data.bytes.end(), raw.begin(), raw.end());
    else
      data.bytes.assign(raw.begin(), raw.end());
  }
  constants[name] = std::move(data);
}

void Importer::defineConstant(StringRef name, ConstantData data) {
  values.erase(name);
  constants[name] = std::move(data);
}

const ConstantData *Importer::lookupConstant(StringRef name) const {
  auto it = constants.find(name);
  return it == constants.end() ? nullptr : &it->second;
}

Value Importer::materialize(const ConstantData &data, StringRef name,
                            OpBuilder &b, Location loc) {
  auto type = RankedTensorType::get(data.shape, data.elementType);
  ElementsAttr attr;
  constexpr int64_t kInlineElements = 64;
  if (data.elementType.isInteger(1)) {
    SmallVector<bool> bits;
    for (char c : data.bytes)
      bits.push_back(c != 0);
    attr = DenseElementsAttr::get(type, bits);
  } else if (data.numElements() <= kInlineElements) {
    attr = DenseElementsAttr::getFromRawBuffer(type, data.bytes);
  } else if (size_t es = data.bytes.size() / data.numElements(); llvm::all_of(
                 llvm::seq<size_t>(1, data.numElements()), [&](size_t i) {
                   return std::memcmp(&data.bytes[i * es], &data.bytes[0],
                                      es) == 0;
                 })) {
    // One value repeated (a ConstantOfShape, a mask's background): a splat
    // (a raw buffer of one element), which costs nothing and which folders
    // see through.
    attr = DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(data.bytes.data(), es));
  } else {
    std::string key = "onnx." + name.str();
    attr = DenseResourceElementsAttr::get(
        type, key,
        HeapAsmResourceBlob::allocateAndCopyWithAlign(
            data.bytes, storageSize(data.elementType)));
  }
  return graph::ConstantOp::create(b, loc, attr);
}

Value Importer::lookup(StringRef name, OpBuilder &b, Location loc) {
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  const ConstantData *data = lookupConstant(name);
  if (!data)
    return nullptr;
  Value v = materialize(*data, name, b, loc);
  values[name] = v;
  return v;
}

/// How a dynamic dimension of a graph input is named in messages: its
/// dim_param, else its position.
static std::string describeDim(const onnx::TensorShapeProto_Dimension &dim,
                               size_t index) {
  if (dim.has_dim_param() && !dim.dim_param().empty())
    return "'" + dim.dim_param() + "' (dimension " + std::to_string(index) +
           ")";
  return "(dimension " + std::to_string(index) + ", unnamed)";
}

/// The static type of a graph input/output, or failure with a message. A
/// dynamic dimension takes the size `dynamicSize` gives it (none: an error,
/// with `howToSize` telling the user how to give one).
static FailureOr<RankedTensorType>
typeOf(const onnx::ValueInfoProto &info, MLIRContext *context,
       std::string &error,
       llvm::function_ref<std::optional<int64_t>(
           const onnx::TensorShapeProto_Dimension &, size_t)>
           dynamicSize = nullptr,
       llvm::function_ref<std::string(const onnx::TensorShapeProto_Dimension &,
                                      size_t)>
           howToSize = nullptr) {
  if (!info.type().has_tensor_type()) {
    error = "'" + info.name() + "' is not a tensor";
    return failure();
  }
  const onnx::TypeProto::Tensor &t = info.type().tensor_type();
  Type elementType = elementTypeFor(t.elem_type(), context);
  if (!elementType) {
    error = std::string("'") + info.name() + "' has element type " +
            onnxTypeName(t.elem_type()) + ", which Strata does not support";
    return failure();
  }
  if (!t.has_shape()) {
    error = "'" + info.name() +
            "' has no shape; Strata compiles static shapes: give it with "
            "--input-shape " +
            info.name() +
            "=D0xD1x... (strata-run, strata-translate) or "
            "input_shapes={\"" +
            info.name() + "\": (...)} (Python)";
    return failure();
  }
  SmallVector<int64_t> shape;
  for (const auto &[index, dim] : llvm::enumerate(t.shape().dim())) {
    if (dim.has_dim_value()) {
      shape.push_back(dim.dim_value());
      continue;
    }
    std::optional<int64_t> size =
        dynamicSize ? dynamicSize(dim, index) : std::nullopt;
    if (!size) {
      error = "'" + info.name() + "' has a dynamic dimension " +
              describeDim(dim, index) + "; Strata compiles static shapes: " +
              (howToSize ? howToSize(dim, index)
                         : std::string("export the model with fixed input "
                                       "sizes"));
      return failure();
    }
    shape.push_back(*size);
  }
  if (!checkedNumBytes(shape.data(), shape.size(),
                       elementType.getIntOrFloatBitWidth())) {
    error = "'" + info.name() + "' has a shape larger than a tensor can be (" +
            std::to_string(kMaxTensorBytes) + " bytes at most)";
    return failure();
  }
  return RankedTensorType::get(shape, elementType);
}

FailureOr<RankedTensorType>
Importer::inputType(const onnx::ValueInfoProto &info, size_t position,
                    std::string &error) const {
  const SmallVector<int64_t> *whole = nullptr;
  auto it = options.inputShapes.find(info.name());
  const HostTensor *argument = position < options.arguments.size()
                                   ? options.arguments[position]
                                   : nullptr;
  // An input declared without a shape (some exporters leave it out) takes
  // the one its override or its array gives, whole.
  if (info.type().has_tensor_type() && !info.type().tensor_type().has_shape() &&
      (it != options.inputShapes.end() || argument)) {
    onnx::ValueInfoProto shaped = info;
    onnx::TensorShapeProto *shape =
        shaped.mutable_type()->mutable_tensor_type()->mutable_shape();
    for (int64_t size : it != options.inputShapes.end()
                            ? ArrayRef<int64_t>(it->second)
                            : ArrayRef<int64_t>(argument->shape()))
      shape->add_dim()->set_dim_value(size);
    return typeOf(shaped, context, error);
  }
  if (it != options.inputShapes.end()) {
    whole = &it->second;
    const auto &dims = info.type().tensor_type().shape().dim();
    if (static_cast<int>(whole->size()) != dims.size()) {
      error = "'" + info.name() + "' has rank " + std::to_string(dims.size()) +
              " but its shape override gives " + std::to_string(whole->size()) +
              " dimensions";
      return failure();
    }
    for (const auto &[index, dim] : llvm::enumerate(dims))
      if (dim.has_dim_value() && dim.dim_value() != (*whole)[index]) {
        error = "'" + info.name() + "' has dimension " + std::to_string(index) +
                " fixed to " + std::to_string(dim.dim_value()) +
                " but its shape override gives " +
                std::to_string((*whole)[index]);
        return failure();
      }
  }
  auto dynamicSize = [&](const onnx::TensorShapeProto_Dimension &dim,
                         size_t index) -> std::optional<int64_t> {
    if (whole)
      return (*whole)[index];
    if (dim.has_dim_param()) {
      auto named = options.dims.find(dim.dim_param());
      if (named != options.dims.end())
        return named->second;
    }
    if (argument && static_cast<int>(argument->shape().size()) ==
                        info.type().tensor_type().shape().dim_size())
      return argument->shape()[index];
    return std::nullopt;
  };
  auto howToSize = [&](const onnx::TensorShapeProto_Dimension &dim,
                       size_t) -> std::string {
    if (dim.has_dim_param() && !dim.dim_param().empty())
      return "give it a size with --dim " + dim.dim_param() +
             "=N (strata-run, strata-translate) or dims={\"" + dim.dim_param() +
             "\": N} (Python), or the whole shape with " + "--input-shape " +
             info.name() + "=D0xD1x...";
    return "give the input's whole shape with --input-shape " + info.name() +
           "=D0xD1x... (strata-run, strata-translate) or input_shapes={\"" +
           info.name() + "\": (...)} (Python)";
  };
  return typeOf(info, context, error, dynamicSize, howToSize);
}

OwningOpRef<ModuleOp> Importer::import(const onnx::ModelProto &model,
                                       StringRef source) {
  const onnx::GraphProto &graph = model.graph();
  Location fileLoc = FileLineColLoc::get(context, source, 0, 0);

  // In check mode, each problem is reported and counted, and the import
  // goes on where it can; it fails at the end if there was any.
  const bool reportAll = options.reportAll;
  int problems = 0;

  int64_t opset = -1;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset < 0) {
    emitError(fileLoc) << "the model imports no default-domain opset";
    return nullptr;
  }
  if (opset < 7 || opset > 17) {
    emitError(fileLoc) << "opset " << opset
                       << " is not supported (Strata supports 1 to 17)";
    return nullptr;
  }

  // Every unsupported operator at once: type, count and node names.
  const llvm::StringMap<Handler> &handlers = opHandlers();
  llvm::MapVector<StringRef, std::vector<std::string>> unsupported;
  std::vector<std::string> keys; // Owns non-default-domain names.
  keys.reserve(graph.node_size());
  for (const onnx::NodeProto &node : graph.node()) {
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    keys.push_back(defaultDomain ? node.op_type()
                                 : node.domain() + "." + node.op_type());
    StringRef key = keys.back();
    if (!defaultDomain || !handlers.count(node.op_type()))
      unsupported[key].push_back(node.name().empty() ? "<unnamed>"
                                                     : node.name());
  }
  if (!unsupported.empty()) {
    InFlightDiagnostic diag = emitError(fileLoc);
    diag << "the model uses " << unsupported.size()
         << " unsupported ONNX operator" << (unsupported.size() == 1 ? "" : "s")
         << ":";
    for (auto &[type, nodes] : unsupported) {
      diag << "\n  " << type << " (" << nodes.size() << " node"
           << (nodes.size() == 1 ? "" : "s") << ": ";
      for (size_t i = 0; i < nodes.size() && i < 5; ++i)
        diag << (i ? ", " : "") << nodes[i];
      if (nodes.size() > 5)
        diag << ", ...";
      diag << ")";
    }
    if (!reportAll)
      return nullptr;
    ++problems;
  }

  // Initializers are constants; a graph input with an initializer keeps it
  // as its (constant) value.
  for (const onnx::TensorProto &init : graph.initializer()) {
    std::string error;
    std::optional<ConstantData> data = decodeTensor(init, context, error);
    if (!data) {
      emitError(fileLoc) << "initializer: " << error;
      return nullptr;
    }
    defineConstant(init.name(), std::move(*data));
  }

  OpBuilder b(context);
  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  b.setInsertionPointToEnd(module->getBody());

  // An override that names no dynamic dimension or no input is a typo or
  // meant for another model.
  {
    llvm::SetVector<StringRef> dynamicDims, inputs;
    for (const onnx::ValueInfoProto &in : graph.input()) {
      if (lookupConstant(in.name()))
        continue;
      inputs.insert(in.name());
      for (const auto &dim : in.type().tensor_type().shape().dim())
        if (dim.has_dim_param() && !dim.has_dim_value())
          dynamicDims.insert(dim.dim_param());
    }
    for (const auto &entry : options.dims)
      if (!dynamicDims.contains(entry.getKey())) {
        emitError(fileLoc) << "no graph input has a dynamic dimension named '"
                           << entry.getKey() << "' (the model's are: "
                           << (dynamicDims.empty()
                                   ? std::string("none")
                                   : llvm::join(dynamicDims, ", "))
                           << ")";
        return nullptr;
      }
    // Whether every key of `byInput` names a graph input.
    auto namesInputs = [&](const auto &byInput, StringRef what) {
      for (const auto &entry : byInput)
        if (!inputs.contains(entry.getKey())) {
          emitError(fileLoc)
              << "the model has no graph input '" << entry.getKey()
              << "' to give " << what
              << " to (its inputs are: " << llvm::join(inputs, ", ") << ")";
          return false;
        }
      return true;
    };
    if (!namesInputs(options.inputValues, "a value") ||
        !namesInputs(options.inputShapes, "a shape"))
      return nullptr;
  }

  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  // ONNX names each value once (SSA): graph inputs, initializers (which may
  // give a graph input its default) and node outputs.
  llvm::StringSet<> inputNames;
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (!inputNames.insert(in.name()).second) {
      emitError(fileLoc) << "graph input '" << in.name()
                         << "' is declared twice";
      return nullptr;
    }
    if (const ConstantData *init = lookupConstant(in.name())) {
      // The initializer is the input's value: it must be of the input's
      // declared type, where that is known.
      std::string error;
      FailureOr<RankedTensorType> type = typeOf(in, context, error);
      if (succeeded(type) &&
          (type->getElementType() != init->elementType ||
           ArrayRef<int64_t>(type->getShape()) != ArrayRef(init->shape))) {
        emitError(fileLoc) << "initializer '" << in.name() << "' of type "
                           << RankedTensorType::get(init->shape,
                                                    init->elementType)
                           << " does not match graph input '" << in.name()
                           << "' of type " << *type;
        return nullptr;
      }
      continue;
    }
    std::string error;
    FailureOr<RankedTensorType> type = inputType(in, args.size(), error);
    if (failed(type)) {
      // Checking on, the nodes that depend on the input are skipped: any
      // size made up for it could make up problems.
      emitError(fileLoc) << "graph input " << error
                         << (reportAll ? " (the nodes that depend on it are "
                                         "checked once it is sized)"
                                       : "");
      if (!reportAll)
        return nullptr;
      ++problems;
      continue;
    }
    argumentPositions[in.name()] = args.size();
    argTypes.push_back(*type);
    args.push_back(&in);
  }
  std::string name = graph.name().empty() ? "main" : graph.name();
  for (char &c : name)
    if (!llvm::isAlnum(c) && c != '_')
      c = '_';
  auto func =
      func::FuncOp::create(b, fileLoc, name, b.getFunctionType(argTypes, {}));
  Block *entry = func.addEntryBlock();
  for (auto [i, in] : llvm::enumerate(args)) {
    func.setArgAttr(i, "strata.name", b.getStringAttr(in->name()));
    define(in->name(), entry->getArgument(i));
  }
  b.setInsertionPointToStart(entry);

  // Check mode: the values a failed (or skipped) node would have defined;
  // the nodes that use them are skipped without a report of their own.
  llvm::StringSet<> missing;
  auto skip = [&](const onnx::NodeProto &node) {
    for (const std::string &out : node.output())
      if (!out.empty())
        missing.insert(out);
  };
  for (const onnx::ValueInfoProto &in : graph.input())
    if (!lookupConstant(in.name()) && !argumentPositions.count(in.name()))
      missing.insert(in.name());
  for (const onnx::NodeProto &node : graph.node()) {
    std::string label = node.name().empty() ? node.op_type() : node.name();
    Location loc = NameLoc::get(b.getStringAttr(label), fileLoc);
    NodeContext ctx(*this, node, loc, b, opset);
    bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
    if (reportAll && (!defaultDomain || !handlers.count(node.op_type()) ||
                      llvm::any_of(node.input(), [&](const std::string &in) {
                        return missing.contains(in);
                      }))) {
      skip(node); // Unsupported (reported above), or uses a missing value.
      continue;
    }
    // Reports a problem of this node: the end of the import, or in check
    // mode the next node.
    auto failNode = [&]() {
      ++problems;
      skip(node);
      return reportAll;
    };
    // Every ONNX operator has at least one output; the handlers name
    // values after the first.
    if (node.output_size() == 0) {
      (void)ctx.fail("has no outputs");
      if (failNode())
        continue;
      return nullptr;
    }
    bool outputsNamedOnce = true;
    for (int i = 0; i < node.output_size(); ++i) {
      const std::string &out = node.output(i);
      bool repeated = llvm::count(node.output(), out) > 1;
      if (!out.empty() &&
          (repeated || values.count(out) || lookupConstant(out))) {
        (void)ctx.fail("output #" + Twine(i) + " ('" + out + "') " +
                       (repeated ? "is listed twice by this node"
                        : inputNames.contains(out)
                            ? "has the name of a graph input"
                            : "has the name of a value defined before") +
                       "; ONNX names each value once");
        if (!failNode())
          return nullptr;
        outputsNamedOnce = false;
        break;
      }
    }
    if (!outputsNamedOnce)
      continue;
    LogicalResult handled = handlers.lookup(node.op_type())(ctx);
    if (!ctx.attrError.empty()) {
      // Reported even if the handler went on with the default value.
      (void)ctx.fail(ctx.attrError);
      if (failNode())
        continue;
      return nullptr;
    }
    if (failed(handled)) {
      if (failNode())
        continue;
      return nullptr;
    }
    for (int i = 0; i < node.output_size(); ++i)
      if (!node.output(i).empty() && !values.count(node.output(i)) &&
          !lookupConstant(node.output(i))) {
        (void)ctx.fail("output #" + Twine(i) + " ('" + node.output(i) +
                       "') is not supported");
        if (!failNode())
          return nullptr;
        break;
      }
  }
  if (problems)
    return nullptr;

  SmallVector<Value> results;
  llvm::StringSet<> outputNames;
  for (const onnx::ValueInfoProto &out : graph.output()) {
    if (!outputNames.insert(out.name()).second) {
      emitError(fileLoc) << "graph output '" << out.name()
                         << "' is listed twice; ONNX names each output once";
      return nullptr;
    }
    Value v = lookup(out.name(), b, fileLoc);
    if (!v) {
      emitError(fileLoc) << "graph output '" << out.name()
                         << "' is never defined";
      return nullptr;
    }
    results.push_back(v);
  }
  func::ReturnOp::create(b, fileLoc, results);
  func.setType(b.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, out] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "strata.name", b.getStringAttr(out.name()));
  // The inputs whose given values the model was specialized on: a caller
  // must pass the same values, or compile again (strata.compile's
  // ShapeSpecializedModel keys its cache on them).
  for (const auto &[name, position] : argumentPositions)
    if (specialized.count(name))
      func.setArgAttr(position, "strata.specialized", b.getUnitAttr());
  if (failed(verify(*module)))
    return nullptr;
  return module;
}

} // namespace strata::onnx_import

namespace strata {

/// Parses a positive size; false if `text` is not one.
static bool parseSize(StringRef text, int64_t &size) {
  return !text.getAsInteger(10, size) && size > 0;
}

/// The name and size of a "name=N" override, if well formed.
static std::optional<std::pair<StringRef, int64_t>> parseDim(StringRef text) {
  auto [name, value] = text.split('=');
  int64_t size;
  if (name.empty() || !parseSize(value, size))
    return std::nullopt;
  return std::make_pair(name, size);
}

/// The name and shape of a "name=D0xD1x..." override, if well formed.
static std::optional<std::pair<StringRef, SmallVector<int64_t>>>
parseInputShape(StringRef text) {
  auto [name, value] = text.split('=');
  SmallVector<StringRef> parts;
  value.split(parts, 'x');
  SmallVector<int64_t> shape;
  for (StringRef part : parts) {
    int64_t size;
    if (!parseSize(part, size))
      return std::nullopt;
    shape.push_back(size);
  }
  if (name.empty() || shape.empty())
    return std::nullopt;
  return std::make_pair(name, shape);
}

bool ONNXImportOptions::parseFlags(ArrayRef<std::string> dimFlags,
                                   ArrayRef<std::string> inputShapeFlags,
                                   std::string &error) {
  for (const std::string &text : dimFlags) {
    auto dim = parseDim(text);
    if (!dim) {
      error = "--dim: '" + text +
              "' is not a dimension size: expected name=N with N >= 1 "
              "(for example batch=8)";
      return false;
    }
    dims[dim->first] = dim->second;
  }
  for (const std::string &text : inputShapeFlags) {
    auto shape = parseInputShape(text);
    if (!shape) {
      error = "--input-shape: '" + text +
              "' is not an input shape: expected name=D0xD1x... with every "
              "size >= 1 (for example input=8x3x224x224)";
      return false;
    }
    inputShapes[shape->first] = shape->second;
  }
  return true;
}

OwningOpRef<ModuleOp> importONNXBytes(StringRef bytes, StringRef sourceName,
                                      MLIRContext *context,
                                      const ONNXImportOptions &options) {
  context->loadDialect<graph::GraphDialect, func::FuncDialect>();
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    emitError(FileLineColLoc::get(context, sourceName, 0, 0))
        << "not a valid ONNX model (protobuf parsing failed)";
    return nullptr;
  }
  // Opsets before 7 differ in ways the handlers do not cover (explicit
  // broadcast attributes, consumed_inputs): upgrade them first.
  int64_t opset = -1;
  for (const auto &imp : model.opset_import())
    if (imp.domain().empty() || imp.domain() == "ai.onnx")
      opset = imp.version();
  if (opset >= 1 && opset < 7) {
    std::string error;
    // ONNX's version converter dereferences names a model uses but never
    // defines, even in models its checker accepts: check them first.
    if (!onnx_import::namesAreDefined(model.graph(), error)) {
      emitError(FileLineColLoc::get(context, sourceName, 0, 0))
          << "opset " << opset << " model cannot be upgraded: " << error;
      return nullptr;
    }
    std::optional<onnx::ModelProto> upgraded =
        onnx_import::upgradeOpset(model, 7, error);
    if (!upgraded) {
      emitError(FileLineColLoc::get(context, sourceName, 0, 0))
          << "opset " << opset
          << " is older than 7 and ONNX's version converter could not "
             "upgrade it: "
          << error;
      return nullptr;
    }
    model = std::move(*upgraded);
  }
  onnx_import::Importer importer(context, options);
  return importer.import(model, sourceName);
}

std::string
onnx_import::Importer::signatureKey(const onnx::GraphProto &graph) const {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &init : graph.initializer())
    initializers.insert(init.name());
  std::string key;
  llvm::raw_string_ostream os(key);
  size_t position = 0;
  for (const onnx::ValueInfoProto &in : graph.input()) {
    if (initializers.contains(in.name()))
      continue;
    std::string error;
    FailureOr<RankedTensorType> type = inputType(in, position, error);
    os << "\ninput " << in.name() << " ";
    if (succeeded(type))
      os << *type;
    else
      os << "?";
    const HostTensor *given = options.inputValues.lookup(in.name());
    if (!given && position < options.arguments.size())
      given = options.arguments[position];
    bool readable =
        given &&
        (given->dtype() == DType::I64 || given->dtype() == DType::I32 ||
         given->dtype() == DType::Bool || given->numElements() <= 8);
    if (readable)
      os << " value " << dtypeName(given->dtype()) << " "
         << contentDigest(StringRef(static_cast<const char *>(given->data()),
                                    given->numBytes()));
    ++position;
  }
  return key;
}

std::string importCacheKey(StringRef path, MLIRContext *context,
                           const ONNXImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return "";
  StringRef bytes = (*buffer)->getBuffer();
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())))
    return "";
  onnx_import::Importer importer(context, options);
  return "onnx " + contentDigest(bytes) + importer.signatureKey(model.graph());
}

OwningOpRef<ModuleOp> importONNXFile(StringRef path, MLIRContext *context,
                                     const ONNXImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    emitError(UnknownLoc::get(context))
        << "cannot open '" << path << "': " << buffer.getError().message();
    return nullptr;
  }
  return importONNXBytes((*buffer)->getBuffer(), path, context, options);
}

void registerONNXImportTranslation() {
  static llvm::cl::list<std::string> dims(
      "dim",
      llvm::cl::desc("With --import-onnx: the size of a named dynamic "
                     "dimension of the inputs (repeatable)"),
      llvm::cl::value_desc("name=N"), llvm::cl::CommaSeparated);
  static llvm::cl::list<std::string> inputShapes(
      "input-shape",
      llvm::cl::desc("With --import-onnx: the whole shape of a graph input "
                     "(repeatable)"),
      llvm::cl::value_desc("name=D0xD1x..."));
  TranslateToMLIRRegistration reg(
      "import-onnx", "Import an ONNX model into the graph dialect",
      [](llvm::SourceMgr &sourceMgr,
         MLIRContext *context) -> OwningOpRef<Operation *> {
        const llvm::MemoryBuffer *buffer =
            sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
        ONNXImportOptions options;
        std::string error;
        if (!options.parseFlags(dims, inputShapes, error)) {
          emitError(UnknownLoc::get(context)) << error;
          return nullptr;
        }
        return importONNXBytes(buffer->getBuffer(),
                               buffer->getBufferIdentifier(), context, options);
      },
      [](DialectRegistry &registry) { strata::registerAllDialects(registry); });
}

} // namespace strata
