//===- GraphToLinalg.cpp - The convert-graph-to-linalg pass ---------------===//
//
// Collects the op-family patterns (Elementwise, Linear, Convolution,
// Normalization, Quantization, Reduction, DataMovement) and runs them as a full
// conversion: every graph op must lower, or the pass fails naming the op.
//
//===----------------------------------------------------------------------===//

#include "Common.h"

#include "strata/Conversion/Passes.h"
#include "strata/Dialect/Graph/IR/GraphDialect.h"
#include "strata/Dialect/Graph/IR/GraphOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/IRMapping.h"

namespace strata {
#define GEN_PASS_DEF_CONVERTGRAPHTOLINALGPASS
#include "strata/Conversion/Passes.h.inc"
} // namespace strata

using namespace mlir;
using namespace strata;
using namespace strata::graph_to_linalg;

namespace {

/// graph.fusion only groups ops for the later levels; at linalg its body is
/// inlined in place.
struct FusionInlining : OpConversionPattern<graph::FusionOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(graph::FusionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    IRMapping mapping;
    Block &body = op.getBody().front();
    mapping.map(body.getArguments(), adaptor.getInputs());
    for (Operation &inner : body.without_terminator())
      rewriter.clone(inner, mapping);
    SmallVector<Value> results;
    for (Value v : op.getYield().getValues())
      results.push_back(mapping.lookupOrDefault(v));
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct ConvertGraphToLinalgPass
    : strata::impl::ConvertGraphToLinalgPassBase<ConvertGraphToLinalgPass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    // Static shapes only, for now: say so precisely rather than failing to
    // legalize.
    WalkResult walk = root->walk([](Operation *op) {
      if (!isa<graph::GraphDialect>(op->getDialect()))
        return WalkResult::advance();
      for (Type type :
           llvm::concat<Type>(llvm::to_vector(op->getOperandTypes()),
                              llvm::to_vector(op->getResultTypes())))
        if (auto shaped = dyn_cast<ShapedType>(type);
            shaped && !shaped.hasStaticShape()) {
          op->emitOpError("has a dynamic shape (")
              << type
              << "), which convert-graph-to-linalg does not support yet";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    makeIntegersSignless(root);

    ConversionTarget target(getContext());
    target.addIllegalDialect<graph::GraphDialect>();
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    RewritePatternSet patterns(&getContext());
    populateGraphToLinalgConversionPatterns(patterns);
    if (failed(applyPartialConversion(root, target, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

void strata::populateGraphToLinalgConversionPatterns(
    RewritePatternSet &patterns) {
  patterns.add<FusionInlining>(patterns.getContext());
  populateElementwisePatterns(patterns);
  populateLinearPatterns(patterns);
  populateConvolutionPatterns(patterns);
  populateNormalizationPatterns(patterns);
  populateQuantizationPatterns(patterns);
  populateReductionPatterns(patterns);
  populateDataMovementPatterns(patterns);
}
