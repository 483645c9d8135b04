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
    not materialized copies. `graph.scatter_elements` is the one op that
    becomes a loop (`scf.for` over the updates, in order, inserting into
    the data): its updates may hit one element several times.

    Unsigned integers (`ui8`...`ui64`) become signless first, since linalg
    and arith take no others: the signature, values, constants (the same
    bits) and cast targets. The ops that depend on signedness take their
    unsigned forms (`arith.divui`, `remui`, `maxui`, `minui`, unsigned
    comparisons, `extui`, `uitofp`, `fptoui`, `shrui`); an unsigned max
    pooling is pooled with the top bit flipped, which maps the unsigned
    order onto the signed one linalg's pooling uses.

    Static shapes only for now: an op with a dynamic dimension is reported
    with its location and the pass fails.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def ConvertTensorXToLinalgPass : Pass<"convert-tensorx-to-linalg"> {
  let summary = "Make tensorx formats physical: linalg on tensors (with sparse_tensor)";
  let description = [{
    Gives every tensor with a `#tensorx.layout` its physical shape and
    lowers the tensorx ops:

    - `tensorx.convert` between dense layouts becomes `linalg.transpose`,
      `linalg.pack` or `linalg.unpack`; on a constant it is evaluated now,
      so that weights are laid out once, at compile time;
    - `tensorx.matmul` becomes a `linalg.generic` on the physical operands
      (a transposed lhs is read as `K x M`, a transposed result written as
      `N x M`); a sparse rhs stays a `#sparse_tensor.encoding` operand,
      which the CPU kernels (`strata-cpu-sparse-matmuls`) take; a packed
      rhs is unpacked (at compile time when constant).

    A conversion of a computed value to or from a sparse format is an
    error: only constant weights are sparse.

    Example:
    ```mlir
    %0 = tensorx.matmul %xt, %w : tensor<128x768xf32, #T>,
           tensor<768x3072xf32, #CSC> -> tensor<128x3072xf32, #T>
    // becomes
    %0 = linalg.generic {indexing_maps = [affine_map<(n, m, k) -> (k, m)>,
           affine_map<(n, m, k) -> (k, n)>, affine_map<(n, m, k) -> (n, m)>],
           ...} ins(%xt, %w : tensor<768x128xf32>, tensor<768x3072xf32, #CSC>)
           outs(%init : tensor<3072x128xf32>)
    ```
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // STRATA_CONVERSION_PASSES_TD
