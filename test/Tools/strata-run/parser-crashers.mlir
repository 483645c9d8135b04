// MLIR 22's parser crashes on dense arrays of `index` elements (an upstream
// bug, found by fuzzing). strata-run rejects such text before parsing it,
// with exit code 2, naming the file and the line.
// RUN: %expect_exit 2 strata-run %s --random-inputs | FileCheck %s
// CHECK: error: '{{.*}}parser-crashers.mlir', line 7: dense arrays of 'index' elements are not supported (MLIR 22's parser crashes on them); use i64
func.func @f(%x: tensor<1x3x8x8xf32>) -> tensor<1x3x4x4xf32> {
  %0 = graph.avg_pool2d %x {kernel = array<index: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x3x8x8xf32>
  return %0 : tensor<1x3x4x4xf32>
}
