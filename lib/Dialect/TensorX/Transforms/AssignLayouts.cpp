//===- AssignLayouts.cpp - The operand layouts of tensorx ops -------------===//
//
// The rule by which each tensorx compute op gets the operand layouts its CPU
// kernel wants, from the target's vector width.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/TargetInfo.h"
#include "strata/Dialect/TensorX/IR/TensorXOps.h"
#include "strata/Dialect/TensorX/Transforms/Passes.h"

#include "mlir/IR/Builders.h"

namespace strata::tensorx {
#define GEN_PASS_DEF_TENSORXASSIGNLAYOUTSPASS
#include "strata/Dialect/TensorX/Transforms/Passes.h.inc"
} // namespace strata::tensorx

using namespace mlir;
using namespace strata::tensorx;

namespace {
struct TensorXAssignLayoutsPass
    : strata::tensorx::impl::TensorXAssignLayoutsPassBase<
          TensorXAssignLayoutsPass> {
  using Base::Base;

  void runOnOperation() override {
    int64_t lanes = vectorLanes > 0
                        ? int64_t(vectorLanes)
                        : strata::cpu::TargetInfo::host().vectorLanes;
    auto transposed = LayoutAttr::getPermutation(&getContext(), {1, 0});
    getOperation()->walk([&](MatmulOp op) {
      RankedTensorType lhsType = op.getLhs().getType();
      // Row-major operands only: a layout chosen before stands.
      if (!getSparseEncoding(op.getRhs().getType()) || lhsType.getEncoding() ||
          op.getType().getEncoding() || lhsType.getDimSize(0) < lanes)
        return;
      OpBuilder b(op);
      Location loc = op.getLoc();
      Value lhs = ConvertOp::create(b, loc, withEncoding(lhsType, transposed),
                                    op.getLhs());
      auto product = MatmulOp::create(
          b, loc, withEncoding(op.getType(), transposed), lhs, op.getRhs());
      Value result = ConvertOp::create(b, loc, op.getType(), product);
      op.replaceAllUsesWith(result);
      op.erase();
    });
  }
};
} // namespace
