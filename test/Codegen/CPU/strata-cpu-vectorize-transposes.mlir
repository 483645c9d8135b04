// RUN: strata-opt %s --strata-cpu-vectorize-transposes -split-input-file | FileCheck %s

// Blocks of 8 x 8: whole ones read, transposed in registers and written
// in bounds, the edge ones (20 = 2 x 8 + 4) masked.
// CHECK-LABEL: func.func @transpose
// CHECK: scf.for %[[I:.*]] = %{{.*}} to %{{.*}} step %c8
// CHECK:   scf.for %[[J:.*]] = %c0{{.*}} to %c20{{.*}} step %c8
// CHECK:     scf.if
// CHECK:       %[[B:.*]] = vector.transfer_read %arg0[%[[I]], %[[J]]], %{{.*}} {in_bounds = [true, true]} : tensor<16x20xf32>, vector<8x8xf32>
// CHECK:       %[[T:.*]] = vector.transpose %[[B]], [1, 0] : vector<8x8xf32> to vector<8x8xf32>
// CHECK:       vector.transfer_write %[[T]], %{{.*}}[%[[J]], %{{.*}}] {in_bounds = [true, true]} : vector<8x8xf32>, tensor<20x16xf32>
// CHECK:     else
// CHECK:       vector.transfer_read %arg0[%[[I]], %[[J]]], %{{.*}} : tensor<16x20xf32>, vector<8x8xf32>
// CHECK-NOT: linalg.transpose
func.func @transpose(%x: tensor<16x20xf32>) -> tensor<20x16xf32> {
  %e = tensor.empty() : tensor<20x16xf32>
  %0 = linalg.transpose {strata.kernel_config = {kernel = "transpose", threads = 1 : i64, vector_lanes = 8 : i64}} ins(%x : tensor<16x20xf32>) outs(%e : tensor<20x16xf32>) permutation = [1, 0]
  return %0 : tensor<20x16xf32>
}

// -----

// Two threads share out the two blocks of rows (columns of the result).
// CHECK-LABEL: func.func @threads
// CHECK: scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<16x16xf32>)
// CHECK:   tensor.extract_slice %{{.*}}[0, %{{.*}}] [16, 8] [1, 1]
// CHECK:   vector.transpose
// CHECK:   tensor.parallel_insert_slice
func.func @threads(%x: tensor<16x16xf32>) -> tensor<16x16xf32> {
  %e = tensor.empty() : tensor<16x16xf32>
  %0 = linalg.transpose {strata.kernel_config = {kernel = "transpose", threads = 2 : i64, vector_lanes = 8 : i64}} ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) permutation = [1, 0]
  return %0 : tensor<16x16xf32>
}

// -----

// Without a configuration, or not 2-D, it stays.
// CHECK-LABEL: func.func @kept
// CHECK-COUNT-2: linalg.transpose
func.func @kept(%x: tensor<16x16xf32>, %y: tensor<2x4x8xf32>) -> (tensor<16x16xf32>, tensor<8x4x2xf32>) {
  %e = tensor.empty() : tensor<16x16xf32>
  %0 = linalg.transpose ins(%x : tensor<16x16xf32>) outs(%e : tensor<16x16xf32>) permutation = [1, 0]
  %f = tensor.empty() : tensor<8x4x2xf32>
  %1 = linalg.transpose {strata.kernel_config = {kernel = "transpose", threads = 1 : i64, vector_lanes = 8 : i64}} ins(%y : tensor<2x4x8xf32>) outs(%f : tensor<8x4x2xf32>) permutation = [2, 1, 0]
  return %0, %1 : tensor<16x16xf32>, tensor<8x4x2xf32>
}
