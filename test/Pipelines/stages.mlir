// The levels strata-run can show: graph (decomposed, canonicalized, fused
// into kernels), linalg
// (elementwise ops fused), loops (bufferized, deallocated), llvm.
// RUN: strata-run %s --random-inputs --dump-ir=graph | FileCheck %s --check-prefix=GRAPH
// RUN: strata-run %s --random-inputs --dump-ir=linalg | FileCheck %s --check-prefix=LINALG
// RUN: strata-run %s --random-inputs --dump-ir=loops | FileCheck %s --check-prefix=LOOPS
// RUN: strata-run %s --random-inputs --dump-ir=llvm | FileCheck %s --check-prefix=LLVM

// batch_norm with constant statistics folds into one per-channel scale; the
// zero shift disappears; the scale and the relu are one kernel.
// GRAPH-LABEL: func.func @f(
// GRAPH: %[[SCALE:.*]] = graph.constant dense<{{.*}}> : tensor<4x1x1xf32>
// GRAPH-NEXT: graph.fusion(%{{.*}}, %[[SCALE]] : tensor<1x4x2x2xf32>, tensor<4x1x1xf32>)
// GRAPH-NEXT: ^bb0
// GRAPH-NEXT: graph.mul
// GRAPH-NEXT: graph.relu
// GRAPH-NOT: graph.batch_norm

// The scale, shift and relu fuse into one generic.
// LINALG-LABEL: func.func @f(
// LINALG: linalg.generic
// LINALG-NOT: linalg.generic
// LINALG: return

// LOOPS-LABEL: func.func @f(%{{.*}}: memref<1x4x2x2xf32>, %{{.*}}: memref<1x4x2x2xf32>)
// LOOPS: scf.for
// LOOPS-NOT: memref.alloc

// LLVM: llvm.func @_mlir_ciface_f
func.func @f(%x: tensor<1x4x2x2xf32>) -> tensor<1x4x2x2xf32> {
  %s = graph.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  %z = graph.constant dense<0.0> : tensor<4xf32>
  %v = graph.constant dense<1.0> : tensor<4xf32>
  %0 = graph.batch_norm %x, %s, %z, %z, %v : tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
  %1 = graph.relu %0 : tensor<1x4x2x2xf32>
  return %1 : tensor<1x4x2x2xf32>
}
