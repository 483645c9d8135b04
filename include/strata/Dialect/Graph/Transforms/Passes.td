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

def GraphFusePass : Pass<"graph-fuse"> {
  let summary = "Group graph ops into graph.fusion kernels";
  let description = [{
    Groups ops into `graph.fusion` regions, each of which later levels
    compile as one kernel. Greedily, in program order:

    * a `graph.matmul` or `graph.conv2d` takes the chain of elementwise ops
      that consume it as its epilogue: bias add, activation, residual add;
    * a `graph.softmax` or `graph.layer_norm` takes the chain of
      elementwise ops that produce its input as its prologue (scaling,
      masking, residual add), so that each is a single kernel;
    * other elementwise ops are grouped into chains.

    A chain continues only through a value with a single use (a value used
    elsewhere too is materialized, not recomputed) whose consumer keeps its
    shape (an op that broadcasts it to a larger shape starts a new kernel);
    two matmuls or convolutions never share a kernel, and a lone op is left
    as it is. A chain's elementwise ops also take the elementwise ops that
    feed them alone and have the kernel's shape, transitively, so that a
    tree (`a * b + c * d`, an LSTM cell's state) is one kernel. Values from outside become the fusion's inputs, except splat
    constants, which are cloned into it.

    Example:
    ```mlir
    %0 = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
    %1 = graph.add %0, %b : tensor<4x16xf32>, tensor<16xf32>
    %2 = graph.relu %1 : tensor<4x16xf32>
    // becomes
    %2 = graph.fusion (%x, %w, %b : tensor<4x8xf32>, tensor<8x16xf32>,
                       tensor<16xf32>) {
    ^bb0(%a: tensor<4x8xf32>, %c: tensor<8x16xf32>, %d: tensor<16xf32>):
      %0 = graph.matmul %a, %c : tensor<4x8xf32>, tensor<8x16xf32>
      %1 = graph.add %0, %d : tensor<4x16xf32>, tensor<16xf32>
      %r = graph.relu %1 : tensor<4x16xf32>
      graph.yield %r : tensor<4x16xf32>
    }
    ```
  }];
  let dependentDialects = ["::strata::graph::GraphDialect"];
}

def GraphFoldQDQPass : Pass<"graph-fold-qdq"> {
  let summary = "Move quantized matmuls and convolutions into integer arithmetic";
  let description = [{
    A QDQ model (ONNX Runtime's quantizer, `strata.quantize`) computes in
    float between `graph.dequantize` and `graph.quantize`. This pass
    rewrites what is exact in integers:

    * `graph.conv2d` (one group) of a per-tensor dequantized 8-bit input
      and a constant i8 weight with zero points of 0 (per tensor or per
      output channel), with an int32 bias quantized at the product's scale
      or none, becomes an 8-bit integer convolution accumulating in i32:
      the input padded with its zero point, the zero point's share
      `zx * sum(w[f])` and the bias one i32 bias, then one dequantize by
      `sx * sw`;
    * `graph.matmul` likewise, for a constant 2-D weight (transposed, as
      Gemm's `transB` imports, at compile time), with a following add of
      such a bias;
    * `graph.quantize` of a dequantized i32 accumulator, through a ReLU or
      not, becomes `graph.requantize` by `s / sy` (the ReLU a maximum with
      the zero point);
    * `graph.max_pool2d` and `graph.reshape` of a per-tensor dequantize
      work on the 8-bit values before it (exact: the scale is positive),
      and a quantize of a dequantize with the same constants is its input;
    * dequantizes of constants left over fold to float constants.

    Everything else (a residual add, average pooling, a float bias) stays in float
    between dequantize and quantize.

    Example:
    ```mlir
    %x = graph.dequantize %xq, %sx, %zx : tensor<1x4xui8>, tensor<f32>, tensor<ui8>
    %w = graph.dequantize %wq, %sw, %zw : tensor<4x8xi8>, tensor<f32>, tensor<i8>
    %y = graph.matmul %x, %w : tensor<1x4xf32>, tensor<4x8xf32>
    // becomes (%c = -zx * sum over K of %wq, a constant)
    %acc = graph.matmul %xq, %wq : tensor<1x4xui8>, tensor<4x8xi8>
    %sum = graph.add %acc, %c : tensor<1x8xi32>, tensor<8xi32>
    %y = graph.dequantize %sum, %s, %zero : tensor<1x8xi32>, tensor<f32>, tensor<i32>
    ```
  }];
  let dependentDialects = ["::strata::graph::GraphDialect"];
}

#endif // STRATA_DIALECT_GRAPH_TRANSFORMS_PASSES_TD
