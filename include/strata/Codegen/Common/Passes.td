//===- Passes.td - Target-neutral codegen passes -----------*- tablegen -*-===//
//
// Passes on linalg, tensor and scf that any target's code generation can
// use: tiling into scf.forall for parallel workers, untying shared
// destinations, and marking entry points for C-interface wrappers.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_COMMON_PASSES_TD
#define STRATA_CODEGEN_COMMON_PASSES_TD

include "mlir/Pass/PassBase.td"

def StrataEmitCInterfacePass
    : Pass<"strata-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Mark public functions for C-interface wrappers";
  let description = [{
    Sets `llvm.emit_c_interface` on every public `func.func` with a body, so
    that `convert-func-to-llvm` emits `_mlir_ciface_<name>` wrappers taking
    memref descriptors by pointer: the ABI a model's `strata_model_invoke`
    calls (lib/Execution, strata/Runtime/ModelLibrary.h).
  }];
}

def StrataFuseElementwiseGenericsPass
    : Pass<"strata-fuse-elementwise-generics", "::mlir::func::FuncOp"> {
  let summary = "Merge trees of pointwise linalg.generic ops into one";
  let description = [{
    A kernel takes the elementwise op that consumes its result as its
    epilogue (a matmul's or a convolution's bias, activation, residual
    add). An activation that uses its input twice, as SiLU does
    (`x * sigmoid(x)`), hardswish or an exported GELU, arrives from the
    graph dialect as several `linalg.generic` ops sharing that input, which
    no kernel takes. This pass merges each producer into its consumer when
    both are pointwise generics (parallel loops, projected-permutation
    operand maps, identity result maps) and the consumer is the producer's
    only user, then deduplicates the merged op's operands, so that the
    epilogue is one op reading the kernel's result once.

    Unlike upstream `linalg-fuse-elementwise-ops` it moves no reshapes and
    fuses nothing into named ops: the kernel passes that follow still see
    the matmuls and convolutions they match.

    Example:

    ```mlir
    %s = linalg.generic ... ins(%x) { negf, exp, addf, divf }  // sigmoid
    %y = linalg.generic ... ins(%x, %s) { mulf }
    // becomes
    %y = linalg.generic ... ins(%x) { negf, exp, addf, divf, mulf }
    ```
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def StrataConcatInPlacePass
    : Pass<"strata-concat-in-place", "::mlir::func::FuncOp"> {
  let summary = "Make concatenations of a growing list views of one tensor";
  let description = [{
    A concatenation lowered to linalg is a chain of `tensor.insert_slice`
    ops placing whole values side by side along one dimension into a
    `tensor.empty`. Densely connected networks concatenate a growing list
    of values again and again (each DenseNet layer reads the concatenation
    of all earlier outputs of its block): every value is copied once per
    later layer, which is quadratic in the block's depth.

    For the concatenations that start with the same value, when the shorter
    ones put the leading values of the longest one in the same places, the
    longest one is built as its values appear (its empty tensor first, each
    insertion right after its value is computed) and each shorter one
    becomes a `tensor.extract_slice` of the longest one's partial result.
    After `eliminate-empty-tensors`, bufferization computes each value in
    its place in one buffer, and the shorter concatenations copy nothing.

    Example: `A = concat(x, y)` and `B = concat(x, y, z)` (along channels)
    become `B0 = empty; B1 = insert x into B0; B2 = insert y into B1;
    A = extract_slice B2[channels 0 .. |x|+|y|]; B = insert z into B2`.
  }];
  let dependentDialects = ["::mlir::tensor::TensorDialect"];
}

def StrataOutlineKernelsPass
    : Pass<"strata-outline-kernels", "::mlir::ModuleOp"> {
  let summary = "Give each loop nest of a model its own function";
  let description = [{
    Moves every op with regions at the top level of a function's body (a
    loop nest, a parallel region) into a private function of its own,
    marked `no_inline`, and calls it in its place. A whole model otherwise
    reaches LLVM as one function of tens of thousands of blocks, where
    analyses that walk up the dominator tree (scalar evolution's guard
    search) take time quadratic in the function's size: DenseNet-121 spent
    most of its compile time there. Per-kernel functions keep LLVM's work
    linear in the model's size and name each kernel in profiles.

    Values the op uses from around it become the function's arguments,
    except constants, `ub.poison` and `memref.get_global`, which are
    recreated inside (so that loop bounds stay constants for LLVM). The
    op's results are the function's results. The function is named after
    the caller, a running number and the op's first name location (the
    ONNX node it comes from), and keeps every name of the location (the
    nodes fused into it) as `strata.nodes`.

    Memref arguments whose buffers no other argument of the call reaches
    (each views an allocation or a caller argument of its own) are recorded
    in `strata.noalias_args` (positions of their aligned pointers among the
    lowered arguments) for `strata-apply-noalias-args`.

    With `instrument`, each kernel also gets a number (`strata.kernel`),
    and its call is bracketed by `strata_profile_begin(number)` and
    `strata_profile_end(number)`: the runtime's per-kernel profile.

    Example: `scf.for ... { ... %arg0 ... }` at loc("conv1") in `@model`
    becomes `func.call @model__k0_conv1(%arg0)`, with
    `func.func private @model__k0_conv1(%arg0: memref<...>) attributes
    {no_inline, strata.nodes = ["conv1"]} { scf.for ... }`.
  }];
  let options = [
    Option<"instrument", "instrument", "bool", /*default=*/"false",
           "Call strata_profile_begin/end(kernel number) around each "
           "kernel's call (strata/Runtime/Profile.h); the kernels carry "
           "their number (strata.kernel) and every node name of their "
           "location (strata.nodes)">,
  ];
  // The linkage attribute (internal) that the kernels carry into LLVM,
  // the kernel numbers.
  let dependentDialects = ["::mlir::LLVM::LLVMDialect",
                           "::mlir::arith::ArithDialect"];
}

def StrataApplyNoAliasArgsPass
    : Pass<"strata-apply-noalias-args", "::mlir::ModuleOp"> {
  let summary = "Mark the kernel arguments strata-outline-kernels proved "
                "distinct as noalias";
  let description = [{
    `strata-outline-kernels` records, as `strata.noalias_args` on a kernel,
    the positions of the LLVM arguments (the aligned pointers of memref
    descriptors) whose buffers no other argument of the call reaches.
    Memref arguments cannot carry the mark through `convert-func-to-llvm`
    (one memref becomes several arguments), so this pass, run after it,
    sets `llvm.noalias` on those arguments of the `llvm.func` and drops the
    record. Without it, LLVM guards each vectorized loop with runtime
    overlap checks and keeps a scalar copy of it: code several times
    larger and slower to compile.

    Example: `llvm.func @k(%a: !llvm.ptr, %b: !llvm.ptr, %o: i64) attributes
    {strata.noalias_args = array<i64: 1>}` becomes `llvm.func @k(%a:
    !llvm.ptr, %b: !llvm.ptr {llvm.noalias}, %o: i64)`.
  }];
}

def StrataParallelizeLinalgPass
    : Pass<"strata-parallelize-linalg", "::mlir::func::FuncOp"> {
  let summary = "Tile linalg ops into scf.forall slices for threads";
  let description = [{
    Tiles every linalg op on tensors (outside an existing `scf.forall`, such
    as the register tiles of `strata-cpu-vectorize-matmul`) by 1 along its
    outermost parallel dimension whose extent is not 1, as an `scf.forall`:
    each iteration computes one slice (an image, a channel, a row) with the
    op's own loop order, so that the innermost loop stays the contiguous,
    vectorizable one. The CPU pipeline turns the forall loops into OpenMP
    worksharing loops; ops with only reduction or unit dimensions, small
    ops (under 65536 iterations) and ops whose indexing maps divide (which
    tiling cannot slice) are left alone. Copies become linalg ops first, so
    that they are shared out too: a `tensor.pad` becomes a fill and a slice
    insertion, and a large slice insertion outside loops a `linalg.copy`
    into the destination's slice, unless it puts a value back into the
    slice of the same tensor that it was computed in (bufferization makes
    that insertion free; as a copy it cost a pass over the data, e.g. after
    every pointwise convolution whose columns a matmul kernel splits into
    pieces).

    Example: an elementwise op on `tensor<1x64x56x56xf32>` becomes an
    `scf.forall` over the 64 channels of ops on `tensor<1x1x56x56xf32>`.
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def StrataUntieSharedDestinationsPass
    : Pass<"strata-untie-shared-destinations", "::mlir::func::FuncOp"> {
  let summary = "Give each writer of a cheap shared initial value its own";
  let description = [{
    CSE merges identical initial values of different ops, such as the
    broadcast bias that starts two convolutions' accumulators or a zero
    fill. Each op then writes into the same tensor, and bufferization has
    to copy it for all but one of them. When such a destination (an init of
    a destination-style op or a shared output of `scf.forall`) is used by
    several writers (directly or through reshapes and slices) and is cheap
    to recompute (a `tensor.empty`, a `linalg.fill` or `linalg.broadcast`
    into one, or a reshape or slice of such a value), every writer but the
    first gets its own copy of the computation, which costs no more than
    the copy it replaces. It runs before `strata-parallelize-linalg`, whose
    slices would hide what the values are. An insertion that puts a value
    back into the slice it was computed in is not a second writer: when the
    writer of that value gets its own destination, the insertion moves to
    it too (else bufferization copies the value into the old tensor).
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

def StrataDistinctResultsPass
    : Pass<"strata-distinct-results", "::mlir::func::FuncOp"> {
  let summary = "Give each result of a function its own tensor";
  let description = [{
    A function that returns the same computed tensor twice (`return %0, %0`,
    an ONNX graph output listed twice, or two results that CSE merged)
    would have both results bufferize to one buffer, which
    `buffer-results-to-out-params` cannot hand to two out-parameters. Every
    repeated operand of a `func.return` is replaced by a copy of it (a
    `linalg.copy` into a `tensor.empty`), so that each result has its own
    tensor. Runs right before bufferization, after the last CSE.

    Example: `return %0, %0` becomes `%c = linalg.copy ins(%0) outs(%e)`,
    `return %0, %c`.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // STRATA_CODEGEN_COMMON_PASSES_TD
