// RUN: strata-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func @reduce_sum_keep_dims
// CHECK: linalg.reduce ins(%{{.*}} : tensor<4x8xf32>) outs(%{{.*}} : tensor<4xf32>) dimensions = [1]
// CHECK: arith.addf
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [4, 1] : tensor<4xf32> into tensor<4x1xf32>
func.func @reduce_sum_keep_dims(%x: tensor<4x8xf32>) -> tensor<4x1xf32> {
  %0 = graph.reduce_sum %x {axes = array<i64: -1>, keep_dims} : tensor<4x8xf32>
  return %0 : tensor<4x1xf32>
}

// -----

// CHECK-LABEL: func @reduce_mean_all
// CHECK: linalg.reduce {{.*}} dimensions = [0, 1]
// CHECK: arith.constant 3.200000e+01 : f32
// CHECK: arith.divf
func.func @reduce_mean_all(%x: tensor<4x8xf32>) -> tensor<f32> {
  %0 = graph.reduce_mean %x : tensor<4x8xf32>
  return %0 : tensor<f32>
}

// -----

// Identities: -inf for max, the largest integer for min, 1 for prod.
// CHECK-LABEL: func @reduce_identities
// CHECK: arith.constant 0xFF800000 : f32
// CHECK: arith.maximumf
// CHECK: arith.constant 2147483647 : i32
// CHECK: arith.minsi
// CHECK: arith.constant 1.000000e+00 : f32
// CHECK: arith.mulf
func.func @reduce_identities(%x: tensor<4x8xf32>, %i: tensor<4x8xi32>) -> (tensor<8xf32>, tensor<8xi32>, tensor<8xf32>) {
  %0 = graph.reduce_max %x {axes = array<i64: 0>} : tensor<4x8xf32>
  %1 = graph.reduce_min %i {axes = array<i64: 0>} : tensor<4x8xi32>
  %2 = graph.reduce_prod %x {axes = array<i64: 0>} : tensor<4x8xf32>
  return %0, %1, %2 : tensor<8xf32>, tensor<8xi32>, tensor<8xf32>
}

// -----

// arg_max keeps the best value and its index in two accumulators.
// CHECK-LABEL: func @arg_max
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK-SAME: outs(%{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xi64>)
// CHECK: linalg.index 1
// CHECK: arith.cmpf ogt
func.func @arg_max(%x: tensor<4x8xf32>) -> tensor<4xi64> {
  %0 = graph.arg_max %x {axis = 1 : i64} : tensor<4x8xf32>
  return %0 : tensor<4xi64>
}

// -----

// cumsum sums x[k] for k <= i with an extra reduction loop over k.
// CHECK-LABEL: func @cumsum
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
// CHECK: arith.cmpi sle
func.func @cumsum(%x: tensor<5xf32>) -> tensor<5xf32> {
  %0 = graph.cumsum %x : tensor<5xf32>
  return %0 : tensor<5xf32>
}
