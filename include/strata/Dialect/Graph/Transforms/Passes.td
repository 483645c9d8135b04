//===- Passes.td - Graph dialect passes --------------------*- tablegen -*-===//

#ifndef STRATA_DIALECT_GRAPH_TRANSFORMS_PASSES_TD
#define STRATA_DIALECT_GRAPH_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GraphDecomposePass : Pass<"graph-decompose"> {
  let summary = "Decompose composite graph ops into simpler graph ops";
  let description = [{
    Rewrites composite ops into the elementwise ops they are made of, so that
    later levels need fewer kernels and constants fold through:

    * `graph.batch_norm` becomes a per-channel `x * a + b` with
      `a = scale * rsqrt(variance + epsilon)` and `b = bias - mean * a`; with
      constant statistics (inference) `a` and `b` fold to constants.
    * `graph.clip` with both bounds stays; with one bound it becomes
      `graph.max` or `graph.min` against a splat constant.

    Example:
    ```mlir
    %y = graph.batch_norm %x, %s, %b, %m, %v : tensor<1x8x4x4xf32>, ...
    // becomes
    %a = ... : tensor<8x1x1xf32>
    %t = graph.mul %x, %a : tensor<1x8x4x4xf32>, tensor<8x1x1xf32>
    %y = graph.add %t, %c : tensor<1x8x4x4xf32>, tensor<8x1x1xf32>
    ```
  }];
  let dependentDialects = ["::strata::graph::GraphDialect"];
}

#endif // STRATA_DIALECT_GRAPH_TRANSFORMS_PASSES_TD
