//===- ApproximateMath.cpp - Transcendentals as vectorizable polynomials --===//
//
// libm's expf/tanhf are scalar calls: every sigmoid, SiLU, GELU, tanh and
// softmax element paid one, and the loops around them stayed scalar. MLIR's
// polynomial approximations are plain arithmetic, which the loop vectorizer
// widens to the host's vectors. Only the functions whose approximations
// hold over the whole f32 range are rewritten (see the pass description).
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUAPPROXIMATEMATHPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

namespace {
struct StrataCPUApproximateMathPass
    : strata::cpu::impl::StrataCPUApproximateMathPassBase<
          StrataCPUApproximateMathPass> {
  void runOnOperation() override {
    // The patterns are selected by operation name ("math.tanh").
    auto approximated = [](StringRef name) {
      return name.consume_front("math.") &&
             llvm::is_contained({"exp", "expm1", "log", "log1p", "log2", "tanh",
                                 "erf", "erfc"},
                                name);
    };
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
