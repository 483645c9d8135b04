// RUN: strata-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func @matmul_2d
// CHECK: %[[Z:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[F:.*]] = linalg.fill ins(%[[Z]] : f32) outs(%{{.*}} : tensor<4x5xf32>)
// CHECK: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<4x3xf32>, tensor<3x5xf32>) outs(%[[F]] : tensor<4x5xf32>)
func.func @matmul_2d(%a: tensor<4x3xf32>, %b: tensor<3x5xf32>) -> tensor<4x5xf32> {
  %0 = graph.matmul %a, %b : tensor<4x3xf32>, tensor<3x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// A batched lhs times a 2-D rhs is one matmul over the collapsed batch.
// CHECK-LABEL: func @matmul_batch_into_m
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2]] : tensor<8x64x32xf32> into tensor<512x32xf32>
// CHECK: linalg.matmul {{.*}} -> tensor<512x16xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [8, 64, 16] : tensor<512x16xf32> into tensor<8x64x16xf32>
func.func @matmul_batch_into_m(%a: tensor<8x64x32xf32>, %b: tensor<32x16xf32>) -> tensor<8x64x16xf32> {
  %0 = graph.matmul %a, %b : tensor<8x64x32xf32>, tensor<32x16xf32>
  return %0 : tensor<8x64x16xf32>
}

// -----

// CHECK-LABEL: func @matmul_equal_batch
// CHECK: tensor.collapse_shape %{{.*}} : tensor<2x3x4x5xf32> into tensor<6x4x5xf32>
// CHECK: linalg.batch_matmul {{.*}} -> tensor<6x4x7xf32>
func.func @matmul_equal_batch(%a: tensor<2x3x4x5xf32>, %b: tensor<2x3x5x7xf32>) -> tensor<2x3x4x7xf32> {
  %0 = graph.matmul %a, %b : tensor<2x3x4x5xf32>, tensor<2x3x5x7xf32>
  return %0 : tensor<2x3x4x7xf32>
}

// -----

// Broadcast batches: a generic whose lhs map reads batch index 0.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2, d3) -> (0, d1, d3)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func @matmul_broadcast_batch
// CHECK: linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK: arith.addf
func.func @matmul_broadcast_batch(%a: tensor<1x4x5xf32>, %b: tensor<3x5x7xf32>) -> tensor<3x4x7xf32> {
  %0 = graph.matmul %a, %b : tensor<1x4x5xf32>, tensor<3x5x7xf32>
  return %0 : tensor<3x4x7xf32>
}

// -----

// 8-bit integers accumulate in i32, each operand extended by its own
// signedness (ui8 zero-extended, i8 sign-extended): a generic, since
// linalg.matmul extends both operands alike.
// CHECK-LABEL: func @matmul_u8_s8
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : tensor<4x8xi8>, tensor<8x16xi8>) outs(%{{.*}} : tensor<4x16xi32>)
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.extsi %{{.*}} : i8 to i32
// CHECK: arith.muli
// CHECK: arith.addi
func.func @matmul_u8_s8(%a: tensor<4x8xui8>, %b: tensor<8x16xi8>) -> tensor<4x16xi32> {
  %0 = graph.matmul %a, %b : tensor<4x8xui8>, tensor<8x16xi8>
  return %0 : tensor<4x16xi32>
}

// -----

// A batched lhs folds its batch into M, as for floats.
// CHECK-LABEL: func @matmul_u8_s8_batched_lhs
// CHECK: tensor.collapse_shape %{{.*}} : tensor<2x4x8xi8> into tensor<8x8xi8>
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : tensor<8x16xi32>)
// CHECK: tensor.expand_shape
func.func @matmul_u8_s8_batched_lhs(%a: tensor<2x4x8xui8>, %b: tensor<8x16xi8>) -> tensor<2x4x16xi32> {
  %0 = graph.matmul %a, %b : tensor<2x4x8xui8>, tensor<8x16xi8>
  return %0 : tensor<2x4x16xi32>
}
