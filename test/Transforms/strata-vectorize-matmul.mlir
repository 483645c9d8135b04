// RUN: strata-opt %s -strata-vectorize-matmul=vector-lanes=16 -split-input-file | FileCheck %s

// A 64x128 output gets an 8x32 register tile: N loop outermost, M, then K
// by 1 with the accumulator tile carried in registers (vector iter_arg),
// and the contraction as broadcast FMAs on 32-wide vectors.
// CHECK-LABEL: func @matmul
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c32
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8
// CHECK: vector.transfer_read {{.*}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<8x32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write {{.*}} : vector<8x32xf32>, tensor<8x32xf32>
// CHECK-NOT: linalg.matmul
// CHECK-NOT: strata.register_tile
func.func @matmul(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x96xf32>, tensor<96x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

// Tiles divide the extents: 6 rows get a 2-row tile, 24 columns a 8-wide one.
// CHECK-LABEL: func @odd_shape
// CHECK: scf.for {{.*}} -> (vector<2x8xf32>)
// CHECK-COUNT-2: vector.fma {{.*}} : vector<8xf32>
func.func @odd_shape(%a: tensor<6x5xf32>, %b: tensor<5x24xf32>, %c: tensor<6x24xf32>) -> tensor<6x24xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<6x5xf32>, tensor<5x24xf32>) outs(%c : tensor<6x24xf32>) -> tensor<6x24xf32>
  return %0 : tensor<6x24xf32>
}

// -----

// Not f32, or not static: left alone.
// CHECK-LABEL: func @negative_not_f32
// CHECK: linalg.matmul
func.func @negative_not_f32(%a: tensor<8x8xf64>, %b: tensor<8x8xf64>, %c: tensor<8x8xf64>) -> tensor<8x8xf64> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf64>, tensor<8x8xf64>) outs(%c : tensor<8x8xf64>) -> tensor<8x8xf64>
  return %0 : tensor<8x8xf64>
}

// -----

// A single-row tile (an odd M) keeps the loop path.
// CHECK-LABEL: func @negative_single_row
// CHECK: linalg.matmul
// CHECK-NOT: vector.fma
func.func @negative_single_row(%a: tensor<1x64xf32>, %b: tensor<64x1000xf32>, %c: tensor<1x1000xf32>) -> tensor<1x1000xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<1x64xf32>, tensor<64x1000xf32>) outs(%c : tensor<1x1000xf32>) -> tensor<1x1000xf32>
  return %0 : tensor<1x1000xf32>
}
