//===- Importer.h - Internals of the ONNX importer --------------*- C++ -*-===//
//
// The importer walks the ONNX graph in order; each node is handed to the
// handler registered for its op type (ONNXOps.cpp) through a NodeContext,
// which gives typed access to the node's inputs, constant inputs and
// attributes and builds graph ops whose shape errors become diagnostics.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LIB_TARGET_ONNX_IMPORTER_H
#define STRATA_LIB_TARGET_ONNX_IMPORTER_H

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Target/ONNX/ImportONNX.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace strata::onnx_import {

// The MLIR names the importer's interface uses (declarations, not a using
// directive: includers keep their own namespaces).
using mlir::failure;
using mlir::FailureOr;
using mlir::Location;
using mlir::LogicalResult;
using mlir::MLIRContext;
using mlir::ModuleOp;
using mlir::OpBuilder;
using mlir::Operation;
using mlir::OperationState;
using mlir::OwningOpRef;
using mlir::SmallVector;
using mlir::StringRef;
using mlir::Twine;
using mlir::Type;
using mlir::Value;

/// The element data of a constant tensor (initializer, Constant node or a
/// value computed at import time), in native little-endian layout.
struct ConstantData {
  Type elementType;
  std::vector<int64_t> shape;
  std::vector<char> bytes;

  int64_t numElements() const;
  /// The values as int64 (integer and bool element types).
  std::vector<int64_t> asInts() const;
  /// The values as double (any numeric element type).
  std::vector<double> asDoubles() const;
};

/// Maps an ONNX element type to MLIR; null if unsupported.
Type elementTypeFor(int32_t onnxType, MLIRContext *context);

/// Whether every name `graph` uses is defined before its use (and the
/// graph has no subgraphs); else false with `error` set. ONNX's version
/// converter crashes on such models.
bool namesAreDefined(const onnx::GraphProto &graph, std::string &error);

/// Converts `model` to `targetOpset` with ONNX's version converter;
/// std::nullopt with `error` set if it cannot.
std::optional<onnx::ModelProto> upgradeOpset(const onnx::ModelProto &model,
                                             int64_t targetOpset,
                                             std::string &error);

/// Decodes a TensorProto; std::nullopt with `error` set on failure.
std::optional<ConstantData> decodeTensor(const onnx::TensorProto &tensor,
                                         MLIRContext *context,
                                         std::string &error);

class Importer;

/// What a handler sees of one node.
class NodeContext {
public:
  NodeContext(Importer &importer, const onnx::NodeProto &node, Location loc,
              OpBuilder &builder, int64_t opset)
      : importer(importer), node(node), loc(loc), b(builder), opset(opset) {}

  Importer &importer;
  const onnx::NodeProto &node;
  Location loc;
  OpBuilder &b;
  int64_t opset;

  /// Reports an error about this node and returns failure.
  LogicalResult fail(const Twine &message) const;

  // Inputs.
  size_t numInputs() const { return node.input_size(); }
  bool hasInput(size_t i) const {
    return static_cast<int>(i) < node.input_size() && !node.input(i).empty();
  }
  /// Input `i` as an SSA value (constants are materialized); null after an
  /// error if it is missing.
  Value input(size_t i);
  /// The element data of input `i` if it is known at import time.
  const ConstantData *constantInput(size_t i) const;
  /// Input `i`, which must be known at import time (a constant, or a graph
  /// input whose array the caller gave: the model is specialized on it);
  /// null after an error naming `what` otherwise.
  const ConstantData *knownInput(size_t i, StringRef what);
  /// Input `i` as integers, which must be known at import time.
  FailureOr<std::vector<int64_t>> intsInput(size_t i, StringRef what);

  // Attributes. The typed accessors check the attribute's ONNX type: one of
  // another type (Gemm's alpha given as an INT, an axis given as a FLOAT)
  // is recorded in `attrError`, which the importer reports as the node's
  // error once the handler returns, instead of reading it as 0.
  const onnx::AttributeProto *attr(StringRef name) const;
  int64_t attrInt(StringRef name, int64_t defaultValue) const;
  float attrFloat(StringRef name, float defaultValue) const;
  std::string attrString(StringRef name, StringRef defaultValue) const;
  std::optional<std::vector<int64_t>> attrInts(StringRef name) const;
  /// The first attribute type error met, if any.
  mutable std::string attrError;

  // Outputs.
  size_t numOutputs() const { return node.output_size(); }
  bool wantsOutput(size_t i) const {
    return static_cast<int>(i) < node.output_size() && !node.output(i).empty();
  }
  void setOutput(size_t i, Value value);
  /// Defines output `i` as a value known at import time.
  void setConstantOutput(size_t i, ConstantData data);

  /// Builds a graph op of type OpTy from ODS builder arguments, inferring its
  /// result type; a shape error is reported (naming the node and the graph
  /// op) instead of aborting. The first builder argument after the state is
  /// the result type, which is a placeholder here.
  template <typename OpTy, typename... Args>
  FailureOr<Value> make(Args &&...args) {
    OperationState state(loc, OpTy::getOperationName());
    OpTy::build(b, state, b.getNoneType(), std::forward<Args>(args)...);
    SmallVector<Type> types;
    Operation *op = nullptr;
    LogicalResult made = namingNode([&] {
      if (failed(OpTy::inferReturnTypes(
              b.getContext(), loc, state.operands,
              state.attributes.getDictionary(b.getContext()),
              state.getRawProperties(), state.regions, types)))
        return failure();
      state.types.assign(types.begin(), types.end());
      op = b.create(state);
      // Sizes are checked as ops are made, not only when the module is
      // verified: later handlers compute with these shapes.
      return graph::verifyBoundedResults(op);
    });
    if (failed(made)) {
      if (op)
        op->erase();
      return failure();
    }
    return foldCreated(op);
  }

  /// Runs `build`, reporting the errors it emits (the graph ops' shape
  /// checks) as this node's: "ONNX node 'n' (Op): 'graph.x' op ...".
  LogicalResult namingNode(llvm::function_ref<LogicalResult()> build);

  /// Folds a just-created op when its operands allow (constant shape
  /// computations, identities), so that later nodes can read the values as
  /// import-time constants.
  Value foldCreated(Operation *op);

  /// A splat scalar constant (rank 0) of `elementType`.
  Value scalar(Type elementType, double value);
};

using Handler = std::function<LogicalResult(NodeContext &)>;

/// The handlers, by ONNX op type (default domain).
const llvm::StringMap<Handler> &opHandlers();

class Importer {
public:
  Importer(MLIRContext *context, const ONNXImportOptions &options)
      : context(context), options(options) {}

  /// Imports `model`; `source` names the file in locations.
  OwningOpRef<ModuleOp> import(const onnx::ModelProto &model, StringRef source);

  /// The SSA value named `name`, materializing a constant if needed.
  Value lookup(StringRef name, OpBuilder &b, Location loc);
  const ConstantData *lookupConstant(StringRef name) const;
  /// The value of graph input `name` if the caller gave its array and it is
  /// of an integer or float type: read as a shape operand, it specializes
  /// the model (see ONNXImportOptions::arguments). Null otherwise.
  const ConstantData *argumentValue(StringRef name);
  void define(StringRef name, Value value) { values[name] = value; }
  void defineConstant(StringRef name, ConstantData data);

  /// Defines `name` as `value`; a value that is a (non-blob) constant is
  /// also recorded as import-time data.
  void defineValue(StringRef name, Value value);

  /// A graph.constant holding `data`: small tensors as dense elements (so
  /// folders see them), larger ones as resource blobs.
  Value materialize(const ConstantData &data, StringRef name, OpBuilder &b,
                    Location loc);

  /// The graph inputs' static types and given values, as importCacheKey
  /// describes them.
  std::string signatureKey(const onnx::GraphProto &graph) const;

private:
  /// The static type of graph input `info` (the `position`th argument), its
  /// dynamic dimensions sized from `options`; failure with `error` set.
  FailureOr<mlir::RankedTensorType> inputType(const onnx::ValueInfoProto &info,
                                              size_t position,
                                              std::string &error) const;

  MLIRContext *context;
  const ONNXImportOptions &options;
  llvm::StringMap<Value> values;
  llvm::StringMap<ConstantData> constants;
  /// Graph inputs by name: their position in the signature.
  llvm::StringMap<size_t> argumentPositions;
  /// The values of graph inputs read as shape operands.
  llvm::StringMap<ConstantData> specialized;
};

} // namespace strata::onnx_import

#endif // STRATA_LIB_TARGET_ONNX_IMPORTER_H
