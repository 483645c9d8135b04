//===- TensorXBase.td - TensorX dialect and attributes -----*- tablegen -*-===//
//
// The tensor level: a tensor's physical format (layout or sparse format)
// made explicit as the encoding of its type.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECT_TENSORX_IR_TENSORXBASE_TD
#define STRATA_DIALECT_TENSORX_IR_TENSORXBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/TensorEncoding.td"

def TensorX_Dialect : Dialect {
  let name = "tensorx";
  let cppNamespace = "::strata::tensorx";
  let summary = "Physical formats of tensors: layouts and sparse formats";
  let description = [{
    The level between the graph dialect and linalg, where the way a tensor
    lies in memory becomes part of its type. A tensor's type keeps its
    logical shape; its encoding says how the elements are stored:

    - `#tensorx.layout<...>`: a dense layout, a permutation of the
      dimensions plus inner blocking (NCHW to NHWC, NCHW16c, a matmul
      weight packed as N/16 x K x 16);
    - `#sparse_tensor.encoding<...>` (upstream): CSR, CSC, block-sparse and
      n:m structured formats, for weights.

    `tensorx.convert` changes the format of a value, and the compute ops
    (`tensorx.matmul`) take operands in the formats they want. The
    `tensorx-*` passes choose formats (`tensorx-sparsify`,
    `tensorx-assign-layouts`) and remove conversions
    (`tensorx-propagate-layouts`); `convert-tensorx-to-linalg` makes the
    formats physical. See `docs/Dialects/TensorX.md` for the rationale.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
  let dependentDialects = ["::mlir::sparse_tensor::SparseTensorDialect"];
}

def TensorX_LayoutAttr : AttrDef<TensorX_Dialect, "Layout",
    [DeclareAttrInterfaceMethods<VerifiableTensorEncoding>]> {
  let mnemonic = "layout";
  let summary = "A dense layout: permuted dimensions with inner blocking";
  let description = [{
    Describes how the elements of a dense tensor lie in memory, in the terms
    of `linalg.pack`: each dimension listed in `tiles` is split into an
    outer dimension (size / block) and an inner block; the outer dimensions
    are stored in the order `permutation` gives, followed by the inner
    blocks in the order of `tiles`. Without tiles this is a transposition.
    The tensor type keeps the logical shape; the physical shape follows.

    A block must divide its dimension: pad the tensor explicitly first
    (`graph.pad`) otherwise.

    Examples (logical shape -> physical shape):
    ```mlir
    #tensorx.layout<[1, 0]>                      // MxK -> KxM
    #tensorx.layout<[0, 2, 3, 1]>                // NCHW -> NHWC
    #tensorx.layout<[0, 1, 2, 3], tiles = [1 : 16]>
                                                 // NCHW -> N x C/16 x H x W x 16
    #tensorx.layout<[1, 0], tiles = [1 : 16]>    // KxN -> N/16 x K x 16
    ```
  }];
  let parameters = (ins
    ArrayRefParameter<"int64_t", "order of the outer dimensions">:$permutation,
    ArrayRefParameter<"int64_t", "blocked dimensions">:$tiledDims,
    ArrayRefParameter<"int64_t", "block sizes">:$tileSizes);
  let hasCustomAssemblyFormat = 1;
  let genVerifyDecl = 1;
  let extraClassDeclaration = [{
    /// A transposition (no blocking) by `permutation`.
    static LayoutAttr getPermutation(::mlir::MLIRContext *context,
                                     ::llvm::ArrayRef<int64_t> permutation);
    /// The physical shape of a tensor of logical shape `shape` (which the
    /// layout must fit: see verifyEncoding).
    ::llvm::SmallVector<int64_t>
    getPhysicalShape(::llvm::ArrayRef<int64_t> shape) const;
    /// True without blocking.
    bool isPermutationOnly() const { return getTiledDims().empty(); }
    /// True for the identity permutation without blocking.
    bool isIdentity() const;
  }];
}

#endif // STRATA_DIALECT_TENSORX_IR_TENSORXBASE_TD
