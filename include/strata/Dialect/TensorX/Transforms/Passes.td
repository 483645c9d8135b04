//===- Passes.td - TensorX passes --------------------------*- tablegen -*-===//

#ifndef STRATA_DIALECT_TENSORX_TRANSFORMS_PASSES_TD
#define STRATA_DIALECT_TENSORX_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def TensorXSparsifyPass : Pass<"tensorx-sparsify"> {
  let summary = "Give sparse formats to the constant weights of matmuls";
  let description = [{
    Rewrites each `graph.matmul` whose rhs is a 2-D f32 constant (also
    inside `graph.fusion` regions) into a `tensorx.matmul` whose rhs is
    that constant converted to a sparse format, when

    - the constant's density (non-zeros / elements) is below `threshold`
      (by default, below 0.5 for a matmul with at least a vector of
      `vector-lanes` rows, and below 0.12 with fewer rows, whose kernel
      gathers activations and wins only on very sparse weights), with the
      format its structure calls for: BSR 4x4 or 1x4 when the
      non-zeros fill their blocks, 2:4 when every group of 4 along K has
      at most 2 non-zeros, else CSC (one column of non-zeros per output);
    - or the constant carries `tensorx.sparse = "<format>"` (set by
      Python's `g.constant(w, sparse=...)`): `"auto"` (the format above,
      whatever the density), `"dense"` (never), or a format name (`"csr"`,
      `"csc"`, `"bsr1x4"`, `"2:4"`, ...), which the weight must fit; a
      weight that does not is an error naming the value and the format.

    A batched lhs `[..., M, K]` is reshaped to `[M', K]` and back. The
    conversion of the constant folds into a sparse constant
    (`arith.constant sparse<...>`) at compile time.

    Example:
    ```mlir
    %0 = graph.matmul %x, %w : tensor<128x768xf32>, tensor<768x3072xf32>
    // with %w 10% dense becomes
    %s = tensorx.convert %w : tensor<768x3072xf32> to tensor<768x3072xf32, #CSC>
    %0 = tensorx.matmul %x, %s : tensor<128x768xf32>,
           tensor<768x3072xf32, #CSC> -> tensor<128x3072xf32>
    ```
  }];
  let options = [
    Option<"threshold", "threshold", "double", /*default=*/"-1",
           "Weights with a lower density become sparse (0 disables; "
           "negative: 0.5, or 0.12 for fewer rows than a vector)">,
    Option<"vectorLanes", "vector-lanes", "int64_t", /*default=*/"0",
           "f32 lanes of a vector register (default: the host's)">,
  ];
  let dependentDialects = [
    "::strata::tensorx::TensorXDialect",
    "::mlir::sparse_tensor::SparseTensorDialect",
    "::mlir::arith::ArithDialect",
  ];
}

def TensorXAssignLayoutsPass : Pass<"tensorx-assign-layouts"> {
  let summary = "Choose the layouts of the operands of tensorx ops";
  let description = [{
    Gives each tensorx compute op the operand and result layouts its CPU
    kernel wants, inserting `tensorx.convert` at the boundaries:

    - a `tensorx.matmul` with a sparse weight and at least `vector-lanes`
      rows takes its activations and gives its result transposed
      (`#tensorx.layout<[1, 0]>`): each non-zero of the weight then
      multiplies contiguous vectors of rows, and the result comes out in
      the layout the next sparse matmul wants. With fewer rows the rows
      stay row-major (the kernel gathers activations by the weight's
      coordinates instead).

    Example:
    ```mlir
    %0 = tensorx.matmul %x, %s : tensor<128x768xf32>,
           tensor<768x3072xf32, #CSC> -> tensor<128x3072xf32>
    // becomes
    %t = tensorx.convert %x : tensor<128x768xf32> to tensor<128x768xf32, #T>
    %1 = tensorx.matmul %t, %s : tensor<128x768xf32, #T>,
           tensor<768x3072xf32, #CSC> -> tensor<128x3072xf32, #T>
    %0 = tensorx.convert %1 : tensor<128x3072xf32, #T> to tensor<128x3072xf32>
    ```
  }];
  let options = [
    Option<"vectorLanes", "vector-lanes", "int64_t", /*default=*/"0",
           "f32 lanes of a vector register (default: the host's)">,
  ];
  let dependentDialects = ["::strata::tensorx::TensorXDialect"];
}

def TensorXPropagateLayoutsPass : Pass<"tensorx-propagate-layouts"> {
  let summary = "Remove layout conversions: cancel, compose, fold constants";
  let description = [{
    Cancels a conversion followed by its inverse, composes chains of
    conversions into one, and folds conversions of constants (a sparse
    weight becomes a sparse constant at compile time), so that each value
    is converted at most once between two ops that want different formats.

    Example:
    ```mlir
    %1 = tensorx.convert %0 : tensor<4x8xf32, #T> to tensor<4x8xf32>
    %2 = tensorx.convert %1 : tensor<4x8xf32> to tensor<4x8xf32, #T>
    // %2 is %0
    ```
  }];
  let dependentDialects = ["::strata::tensorx::TensorXDialect"];
}

def TensorXReportPass : Pass<"tensorx-report"> {
  let summary = "Print the conversions and sparse weights of each function";
  let description = [{
    Prints, for each function, the number of `tensorx.convert` ops (and how
    many of them convert constants) and each sparse weight with its format
    and density, to the standard error. Run it around a pass to see what
    the pass did:

    ```
    strata-opt --tensorx-report --tensorx-propagate-layouts --tensorx-report
    tensorx-report: @main: 4 converts (0 of constants), 2 sparse weights
    tensorx-report:   768x3072 csc, density 0.100
    ```
  }];
}

#endif // STRATA_DIALECT_TENSORX_TRANSFORMS_PASSES_TD
