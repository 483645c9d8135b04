// RUN: strata-opt %s --strata-cpu-pipeline | FileCheck %s
// RUN: strata-opt %s --strata-cpu-pipeline | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR

// The entry function takes its results as out-parameters (the caller owns
// them) and gets a C-interface wrapper; every temporary is freed.
// CHECK-NOT: graph.
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @mlp(
// CHECK-NOT: llvm.return %
// CHECK: llvm.func @_mlir_ciface_mlp(%{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr) attributes {llvm.emit_c_interface}

// LLVMIR: define void @mlp(
// LLVMIR: define void @_mlir_ciface_mlp(ptr %0, ptr %1)
func.func @mlp(%x: tensor<2x4xf32>) -> tensor<2x3xf32> {
  %w = graph.constant dense<0.5> : tensor<4x3xf32>
  %b = graph.constant dense<[0.1, 0.2, 0.3]> : tensor<3xf32>
  %0 = graph.matmul %x, %w : tensor<2x4xf32>, tensor<4x3xf32>
  %1 = graph.add %0, %b : tensor<2x3xf32>, tensor<3xf32>
  %2 = graph.relu %1 : tensor<2x3xf32>
  %3 = graph.softmax %2 : tensor<2x3xf32>
  return %3 : tensor<2x3xf32>
}
