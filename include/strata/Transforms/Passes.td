//===- Passes.td - Strata's dialect-independent passes -----*- tablegen -*-===//

#ifndef STRATA_TRANSFORMS_PASSES_TD
#define STRATA_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def StrataEmitCInterfacePass
    : Pass<"strata-emit-c-interface", "::mlir::ModuleOp"> {
  let summary = "Mark public functions for C-interface wrappers";
  let description = [{
    Sets `llvm.emit_c_interface` on every public `func.func` with a body, so
    that `convert-func-to-llvm` emits `_mlir_ciface_<name>` wrappers taking
    memref descriptors by pointer: the ABI the strata-run JIT and the Python
    bindings call.
  }];
}

def StrataVectorizeMatmulPass
    : Pass<"strata-vectorize-matmul", "::mlir::ModuleOp"> {
  let summary = "Tile linalg.matmul to register tiles and vectorize it";
  let description = [{
    Tiles every statically shaped `linalg.matmul` (on tensors) to an
    `M x N` register tile with the N loop outermost and K by 1, vectorizes
    the tile, keeps the accumulator tile in registers across the K loop
    (hoisting its read and write) and lowers the contraction to outer
    products, i.e. broadcast FMAs on vectors of the target's width.

    Tile sizes come from the vector width (`vector-lanes`, by default the
    host's: 16 f32 lanes with AVX-512, 8 with AVX2, 4 otherwise): N is the
    largest of 2 x lanes, lanes, lanes / 2, ..., 1 that divides the N extent
    and M the largest of 8, 4, 2, 1 that divides M, so that no tile is
    partial. Matmuls whose M tile would be a single row (matrix-vector
    products, M odd) keep the loop path for now. The schedule is a transform-dialect script applied by the
    transform interpreter.
  }];
  let options = [
    Option<"vectorLanes", "vector-lanes", "int64_t", /*default=*/"0",
           "f32 lanes of a vector register (0: detect from the host CPU)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::transform::TransformDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // STRATA_TRANSFORMS_PASSES_TD
