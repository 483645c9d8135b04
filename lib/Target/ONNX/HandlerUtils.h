//===- HandlerUtils.h - Helpers shared by the ONNX op handlers --*- C++ -*-===//
//
// Short forms the handler files (ONNXOps.cpp, RecurrentOps.cpp) share:
// typed access to values, output plumbing, and `Expr`, which chains graph
// ops for composite operators with one failure check at the end.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LIB_TARGET_ONNX_HANDLERUTILS_H
#define STRATA_LIB_TARGET_ONNX_HANDLERUTILS_H

#include "Importer.h"

#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

namespace strata::onnx_import {

inline mlir::RankedTensorType typeOf(Value v) {
  return mlir::cast<mlir::RankedTensorType>(v.getType());
}

/// Sets output 0 from a built value, propagating failure.
inline LogicalResult done(NodeContext &n, FailureOr<Value> v) {
  if (mlir::failed(v))
    return failure();
  n.setOutput(0, *v);
  return mlir::success();
}

/// Shorthand: all required inputs as values, or failure.
inline FailureOr<SmallVector<Value>> inputs(NodeContext &n, size_t count) {
  SmallVector<Value> values;
  for (size_t i = 0; i < count; ++i) {
    Value v = n.input(i);
    if (!v)
      return failure();
    values.push_back(v);
  }
  return values;
}

/// Optional input `i`: a null Value when the node omits it, failure when it
/// has it but it could not be imported.
inline FailureOr<Value> optionalInput(NodeContext &n, size_t i) {
  if (!n.hasInput(i))
    return Value();
  Value v = n.input(i);
  if (!v)
    return failure();
  return v;
}

/// Converts `v` to `elementType` when it differs.
inline FailureOr<Value> castTo(NodeContext &n, Value v, Type elementType) {
  if (typeOf(v).getElementType() == elementType)
    return v;
  return n.make<graph::CastOp>(v, mlir::TypeAttr::get(elementType));
}

/// A transposed copy of a 2-D constant, computed at import time so that a
/// weight needs no transpose at run time; std::nullopt if not 2-D.
std::optional<ConstantData> transposeConstant(const ConstantData &c);

/// An i64 constant of `shape` holding `values` (row-major).
ConstantData int64Data(llvm::ArrayRef<int64_t> values,
                       llvm::ArrayRef<int64_t> shape,
                       mlir::MLIRContext *context);

/// A float constant of `shape` holding `values` (row-major), as f64 if
/// `type` is f64 and as f32 otherwise (other float types are cast to).
ConstantData floatData(llvm::ArrayRef<double> values,
                       llvm::ArrayRef<int64_t> shape, mlir::Type type);

/// A bool constant of `shape` from a predicate on the flat index.
ConstantData boolMask(llvm::ArrayRef<int64_t> shape, mlir::MLIRContext *ctx,
                      llvm::function_ref<bool(int64_t)> pred);

/// `values` as a 1-D i64 graph constant: the indices of a gather built at
/// import (reversed axes, kept positions, diagonals, resize taps).
inline Value int64Vector(NodeContext &n, llvm::ArrayRef<int64_t> values) {
  return n.importer.materialize(
      int64Data(values, {int64_t(values.size())}, n.b.getContext()), "", n.b,
      n.loc);
}

/// Chains graph ops for composite operators; the first failure sticks, so
/// a formula reads as straight-line code followed by one check.
class Expr {
public:
  explicit Expr(NodeContext &n) : n(n) {}
  Value c(double v) { return n.scalar(type, v); }
  void setType(Type t) { type = t; }

  template <typename OpTy, typename... Args> Value op(Args &&...args) {
    if (failed)
      return nullptr;
    FailureOr<Value> v = n.make<OpTy>(std::forward<Args>(args)...);
    if (mlir::failed(v)) {
      failed = true;
      return nullptr;
    }
    return *v;
  }
  Value cmp(graph::ComparePredicate p, Value a, Value b) {
    return op<graph::CompareOp>(p, a, b);
  }
  Value select(Value c, Value a, Value b) {
    return op<graph::SelectOp>(c, a, b);
  }
  LogicalResult result(Value v) {
    if (failed)
      return failure();
    n.setOutput(0, v);
    return mlir::success();
  }

  NodeContext &n;
  Type type;
  bool failed = false;
};

/// Adds the handlers of LSTM, GRU and RNN (RecurrentOps.cpp).
void addRecurrentHandlers(llvm::StringMap<Handler> &handlers);
/// Adds the handlers of Resize and Upsample (ResizeOps.cpp).
void addResizeHandlers(llvm::StringMap<Handler> &handlers);
/// Resolves ONNX padding (explicit `pads` or `auto_pad`) for a window of
/// kernel.size() spatial dimensions over `input` (N, C, spatial...) into
/// [begin..., end...]. A 1-D node (`oneD`, lifted to 2-D) gives its 2 pads,
/// returned as [0, begin, 0, end].
FailureOr<SmallVector<int64_t, 6>>
resolvePads(NodeContext &n, mlir::RankedTensorType input,
            llvm::ArrayRef<int64_t> kernel, llvm::ArrayRef<int64_t> strides,
            llvm::ArrayRef<int64_t> dilations, bool oneD = false);

/// A 1-D or 2-D convolution of `x` by `w` plus `bias` (may be null) with
/// the node's Conv attributes (strides, pads or auto_pad, dilations, group)
/// (ONNXOps.cpp).
FailureOr<Value> convolve(NodeContext &n, Value x, Value w, Value bias);

/// 3-D Conv and MaxPool/AveragePool, on the 2-D kernels (VolumeOps.cpp).
LogicalResult conv3d(NodeContext &n);
LogicalResult pool3d(NodeContext &n);
/// Adds the handler of Einsum (EinsumOps.cpp).
void addEinsumHandlers(llvm::StringMap<Handler> &handlers);
/// Adds the handlers of DFT and STFT (SignalOps.cpp).
void addSignalHandlers(llvm::StringMap<Handler> &handlers);
/// Adds the handler of GridSample (GridSampleOps.cpp).
void addGridSampleHandlers(llvm::StringMap<Handler> &handlers);
/// Adds the handlers of QuantizeLinear, DequantizeLinear,
/// DynamicQuantizeLinear, MatMulInteger, QLinearMatMul, ConvInteger and
/// QLinearConv (QuantizationOps.cpp).
void addQuantizationHandlers(llvm::StringMap<Handler> &handlers);

} // namespace strata::onnx_import

#endif // STRATA_LIB_TARGET_ONNX_HANDLERUTILS_H
