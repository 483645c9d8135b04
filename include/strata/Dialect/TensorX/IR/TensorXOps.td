//===- TensorXOps.td - TensorX dialect operations ----------*- tablegen -*-===//

#ifndef STRATA_DIALECT_TENSORX_IR_TENSORXOPS_TD
#define STRATA_DIALECT_TENSORX_IR_TENSORXOPS_TD

include "strata/Dialect/TensorX/IR/TensorXBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

class TensorX_Op<string mnemonic, list<Trait> traits = []>
    : Op<TensorX_Dialect, mnemonic, traits>;

def TensorX_Tensor : RankedTensorOf<[AnyFloat]>;

def TensorX_ConvertOp : TensorX_Op<"convert",
    [Pure, SameOperandsAndResultShape, SameOperandsAndResultElementType]> {
  let summary = "Changes the physical format of a tensor";
  let description = [{
    Gives the same logical tensor in another format: the source and result
    types differ only in their encodings (none for the default row-major
    layout, a `#tensorx.layout`, or a `#sparse_tensor.encoding`).

    A conversion to the same format folds away, a conversion followed by
    its inverse cancels, and two conversions in a row become one. The
    conversion of a constant to a sparse format folds at compile time into
    a sparse constant; layout conversions of constants are evaluated when
    `convert-tensorx-to-linalg` makes layouts physical, so weights are
    packed once, at compile time.

    Example:
    ```mlir
    %t = tensorx.convert %x : tensor<128x768xf32>
           to tensor<128x768xf32, #tensorx.layout<[1, 0]>>
    ```
  }];
  let arguments = (ins TensorX_Tensor:$source);
  let results = (outs TensorX_Tensor:$result);
  let assemblyFormat = "$source attr-dict `:` type($source) `to` type($result)";
  let hasFolder = 1;
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
}

def TensorX_MatmulOp : TensorX_Op<"matmul", [Pure]> {
  let summary = "Matrix product with operands in chosen formats";
  let description = [{
    Computes `lhs x rhs` for a `M x K` lhs and a `K x N` rhs, giving
    `M x N`, where each type carries the format its operand is stored in:

    - `lhs` and the result: row-major or a `#tensorx.layout` transposition
      (`[1, 0]`: stored K x M and N x M, the form in which a sparse weight's
      non-zeros each multiply a contiguous panel of activations);
    - `rhs`: row-major, a `#tensorx.layout` (a packed weight), or a
      `#sparse_tensor.encoding` (a sparse weight).

    Shapes and types are logical: the formats change where elements lie,
    never the result.

    Example:
    ```mlir
    #CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
    #T = #tensorx.layout<[1, 0]>
    %y = tensorx.matmul %xt, %w : tensor<128x768xf32, #T>,
           tensor<768x3072xf32, #CSC> -> tensor<128x3072xf32, #T>
    ```
  }];
  let arguments = (ins TensorX_Tensor:$lhs, TensorX_Tensor:$rhs);
  let results = (outs TensorX_Tensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
  let hasVerifier = 1;
}

#endif // STRATA_DIALECT_TENSORX_IR_TENSORXOPS_TD
