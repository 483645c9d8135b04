//===- Sparsify.cpp - Sparse formats for the weights of matmuls -----------===//
//
// A graph.matmul by a constant weight that is mostly zeros (or that the user
// marked) becomes a tensorx.matmul by the weight in a sparse format; the
// format follows the structure of the non-zeros (SparseFormats.h).
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/TargetInfo.h"
#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/TensorX/IR/SparseFormats.h"
#include "strata/Dialect/TensorX/IR/TensorXOps.h"
#include "strata/Dialect/TensorX/Transforms/Passes.h"
#include "strata/Support/ConstantData.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/Debug.h"
#include "llvm/Support/FormatVariadic.h"

namespace strata::tensorx {
#define GEN_PASS_DEF_TENSORXSPARSIFYPASS
#include "strata/Dialect/TensorX/Transforms/Passes.h.inc"
} // namespace strata::tensorx

using namespace mlir;
using namespace strata;
using namespace strata::tensorx;

#define DEBUG_TYPE "tensorx-sparsify"

/// The densities below which a matmul runs faster sparse, by default: with
/// a vector of rows or more (the panel kernel), and with fewer (the gather
/// kernel). docs/performance.md, "Sparse weights", has the measurements;
/// both are below the crossovers measured.
static constexpr double kPanelSparseThreshold = 0.5;
static constexpr double kFewRowsSparseThreshold = 0.12;

/// The graph.constant `value` is, directly or as an input of the
/// graph.fusion whose body `value` is an argument of.
static graph::ConstantOp findConstant(Value value) {
  if (auto arg = dyn_cast<BlockArgument>(value))
    if (auto fusion = dyn_cast<graph::FusionOp>(arg.getOwner()->getParentOp()))
      value = fusion.getInputs()[arg.getArgNumber()];
  return value.getDefiningOp<graph::ConstantOp>();
}

/// `value` reshaped to `shape` (itself if it has that shape).
static Value reshape(OpBuilder &b, Location loc, Value value,
                     ArrayRef<int64_t> shape) {
  if (cast<RankedTensorType>(value.getType()).getShape() == shape)
    return value;
  return graph::ReshapeOp::create(b, loc, value, b.getDenseI64ArrayAttr(shape));
}

namespace {
struct TensorXSparsifyPass
    : strata::tensorx::impl::TensorXSparsifyPassBase<TensorXSparsifyPass> {
  using Base::Base;

  /// The format for the weight of a matmul of `m` rows, none to keep it
  /// dense; fails (having reported why) on a request the weight cannot
  /// meet.
  FailureOr<std::optional<SparseFormat>>
  chooseFormat(graph::ConstantOp weight, ArrayRef<float> data, int64_t m) {
    auto type = cast<RankedTensorType>(weight.getType());
    int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    auto request = weight->getAttrOfType<StringAttr>(kSparseAttrName);
    if (!request) {
      int64_t lanes = vectorLanes > 0
                          ? int64_t(vectorLanes)
                          : strata::cpu::TargetInfo::host().vectorLanes;
      double limit = threshold >= 0 ? double(threshold)
                     : m >= lanes   ? kPanelSparseThreshold
                                    : kFewRowsSparseThreshold;
      if (limit <= 0 || density(data) >= limit)
        return std::optional<SparseFormat>();
      return std::optional(chooseSparseFormat(data, rows, cols));
    }
    if (request.getValue() == "dense")
      return std::optional<SparseFormat>();
    if (request.getValue() == "auto")
      return std::optional(chooseSparseFormat(data, rows, cols));
    std::optional<SparseFormat> format = SparseFormat::parse(request);
    if (!format) {
      weight.emitError() << "unknown sparse format '" << request.getValue()
                         << "' in " << kSparseAttrName
                         << "; expected auto, dense, csr, csc, bsr<R>x<C> "
                            "or <n>:<m>";
      return failure();
    }
    if (std::optional<std::string> why =
            findViolation(data, rows, cols, *format)) {
      weight.emitError() << "the " << rows << "x" << cols
                         << " weight does not fit the sparse format "
                         << format->name() << ": " << *why;
      return failure();
    }
    return format;
  }

  void runOnOperation() override {
    SmallVector<graph::MatmulOp> matmuls;
    getOperation()->walk([&](graph::MatmulOp op) { matmuls.push_back(op); });
    for (graph::MatmulOp op : matmuls) {
      graph::ConstantOp weight = findConstant(op.getRhs());
      auto lhsType = cast<RankedTensorType>(op.getLhs().getType());
      auto rhsType = cast<RankedTensorType>(op.getRhs().getType());
      // (An empty weight or activation has nothing to skip: it stays a
      // graph.matmul, which lowers to no work.)
      if (!weight || rhsType.getRank() != 2 || !lhsType.hasStaticShape() ||
          !rhsType.getElementType().isF32() || lhsType.getNumElements() == 0 ||
          rhsType.getNumElements() == 0)
        continue;
      std::optional<ArrayRef<float>> data =
          constantF32Data(cast<ElementsAttr>(weight.getValue()));
      if (!data)
        continue;
      int64_t k = lhsType.getShape().back();
      int64_t m = lhsType.getNumElements() / std::max<int64_t>(k, 1);
      FailureOr<std::optional<SparseFormat>> format =
          chooseFormat(weight, *data, m);
      if (failed(format))
        return signalPassFailure();
      if (!*format)
        continue;
      LLVM_DEBUG(llvm::dbgs()
                 << "weight at " << weight.getLoc() << ": " << (*format)->name()
                 << ", density " << density(*data) << "\n");

      OpBuilder b(op);
      Location loc = op.getLoc();
      Value rhs = op.getRhs();
      // In a fusion body the weight is an input: use the constant itself.
      if (isa<BlockArgument>(rhs))
        rhs = b.clone(*weight)->getResult(0);
      int64_t n = rhsType.getDimSize(1);
      auto encoding = (*format)->encoding(&getContext());
      if (!encoding) {
        weight.emitError() << "the sparse format " << (*format)->name()
                           << " has no #sparse_tensor.encoding for a "
                           << rhsType;
        return signalPassFailure();
      }
      auto sparseType = withEncoding(rhsType, encoding);
      Value sparse = ConvertOp::create(b, loc, sparseType, rhs);
      Value lhs = reshape(b, loc, op.getLhs(), {m, k});
      Value product = MatmulOp::create(
          b, loc, RankedTensorType::get({m, n}, rhsType.getElementType()), lhs,
          sparse);
      op.replaceAllUsesWith(reshape(b, loc, product, op.getType().getShape()));
      op.erase();
    }
  }
};
} // namespace
