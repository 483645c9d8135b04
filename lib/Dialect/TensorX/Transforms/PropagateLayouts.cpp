//===- PropagateLayouts.cpp - Fewer layout conversions --------------------===//

#include "strata/Dialect/TensorX/IR/SparseFormats.h"
#include "strata/Dialect/TensorX/IR/TensorXOps.h"
#include "strata/Dialect/TensorX/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/Support/Format.h"

namespace strata::tensorx {
#define GEN_PASS_DEF_TENSORXPROPAGATELAYOUTSPASS
#define GEN_PASS_DEF_TENSORXREPORTPASS
#include "strata/Dialect/TensorX/Transforms/Passes.h.inc"
} // namespace strata::tensorx

using namespace mlir;
using namespace strata::tensorx;

namespace {
struct TensorXPropagateLayoutsPass
    : strata::tensorx::impl::TensorXPropagateLayoutsPassBase<
          TensorXPropagateLayoutsPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    ConvertOp::getCanonicalizationPatterns(patterns, &getContext());
    // Only the conversions are rewritten; the rest of the IR is left alone.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    SmallVector<Operation *> converts;
    getOperation()->walk([&](ConvertOp op) { converts.push_back(op); });
    if (failed(applyOpPatternsGreedily(converts, std::move(patterns), config)))
      return signalPassFailure();
  }
};

struct TensorXReportPass
    : strata::tensorx::impl::TensorXReportPassBase<TensorXReportPass> {
  void runOnOperation() override {
    getOperation()->walk([](func::FuncOp func) {
      int64_t converts = 0, ofConstants = 0;
      SmallVector<std::string> weights;
      func.walk([&](Operation *op) {
        if (auto convert = dyn_cast<ConvertOp>(op)) {
          ++converts;
          ofConstants += matchPattern(convert.getSource(), m_Constant());
        }
        for (Value result : op->getResults()) {
          auto encoding = getSparseEncoding(result.getType());
          auto type = dyn_cast<RankedTensorType>(result.getType());
          if (!encoding || !type || !matchPattern(result, m_Constant()))
            continue;
          std::optional<SparseFormat> format =
              SparseFormat::fromEncoding(encoding);
          std::string line;
          llvm::raw_string_ostream os(line);
          os << type.getDimSize(0) << "x" << type.getDimSize(1) << " "
             << (format ? format->name() : "other");
          Attribute value;
          matchPattern(result, m_Constant(&value));
          if (auto sparse = dyn_cast<SparseElementsAttr>(value))
            os << llvm::format(", density %.3f",
                               double(sparse.getValues().getNumElements()) /
                                   type.getNumElements());
          weights.push_back(line);
        }
      });
      llvm::errs() << "tensorx-report: @" << func.getName() << ": " << converts
                   << " converts (" << ofConstants << " of constants), "
                   << weights.size() << " sparse weights\n";
      for (const std::string &line : weights)
        llvm::errs() << "tensorx-report:   " << line << "\n";
    });
  }
};
} // namespace
