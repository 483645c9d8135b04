//===- Passes.td - Strata conversion passes ----------------*- tablegen -*-===//

#ifndef STRATA_CONVERSION_PASSES_TD
#define STRATA_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertGraphToLinalgPass : Pass<"convert-graph-to-linalg"> {
  let summary = "Lower graph ops to linalg on tensors (with tensor, arith and math)";
  let description = [{
    Lowers every graph op to linalg on tensors: named ops where they exist
    (`linalg.matmul`, `linalg.batch_matmul`, `linalg.conv_2d_nchw_fchw`,
    `linalg.depthwise_conv_2d_nchw_chw`, `linalg.conv_2d_ngchw_gfchw`,
    `linalg.pooling_nchw_max/sum`, `linalg.transpose`, `linalg.reduce`) and
    `linalg.generic` otherwise, plus tensor, arith and math ops.
    `graph.fusion` regions are inlined. Broadcasting becomes indexing maps,
    not materialized copies.

    Static shapes only for now: an op with a dynamic dimension is reported
    with its location and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // STRATA_CONVERSION_PASSES_TD
