// RUN: strata-opt %s --convert-tensorx-to-linalg -split-input-file -verify-diagnostics | FileCheck %s

#T = #tensorx.layout<[1, 0]>
#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>

// Transposed operands become K x M and N x M tensors; the sparse weight
// stays an encoded operand of the generic.
// CHECK-DAG: #[[LHS:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[RHS:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @sparse_panel
// CHECK: %[[XT:.*]] = linalg.transpose ins(%arg0 : tensor<16x8xf32>) outs(%{{.*}} : tensor<8x16xf32>) permutation = [1, 0]
// CHECK: %[[YT:.*]] = linalg.generic {indexing_maps = [#[[LHS]], #[[RHS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]} ins(%[[XT]], %arg1 : tensor<8x16xf32>, tensor<8x4xf32, #sparse>) outs(%{{.*}} : tensor<4x16xf32>)
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[Y:.*]] = linalg.transpose ins(%[[YT]] : tensor<4x16xf32>) outs(%{{.*}} : tensor<16x4xf32>) permutation = [1, 0]
// CHECK: return %[[Y]]
func.func @sparse_panel(%x: tensor<16x8xf32>, %w: tensor<8x4xf32, #CSC>) -> tensor<16x4xf32> {
  %xt = tensorx.convert %x : tensor<16x8xf32> to tensor<16x8xf32, #T>
  %yt = tensorx.matmul %xt, %w : tensor<16x8xf32, #T>, tensor<8x4xf32, #CSC> -> tensor<16x4xf32, #T>
  %y = tensorx.convert %yt : tensor<16x4xf32, #T> to tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}

// -----

// Blocked layouts are linalg.pack / linalg.unpack; a dense row-major
// matmul is linalg.matmul.
// CHECK-LABEL: func.func @blocked
// CHECK: %[[P:.*]] = linalg.pack %arg0 outer_dims_perm = [0, 1, 2, 3] inner_dims_pos = [1] inner_tiles = [16] into %{{.*}} : tensor<1x32x4x4xf32> -> tensor<1x2x4x4x16xf32>
// CHECK: %[[U:.*]] = linalg.unpack %[[P]] outer_dims_perm = [0, 1, 2, 3] inner_dims_pos = [1] inner_tiles = [16] into %{{.*}} : tensor<1x2x4x4x16xf32> -> tensor<1x32x4x4xf32>
// CHECK: %[[H:.*]] = linalg.transpose ins(%[[U]] : tensor<1x32x4x4xf32>) outs(%{{.*}} : tensor<1x4x4x32xf32>) permutation = [0, 2, 3, 1]
// CHECK: linalg.transpose ins(%[[H]] : tensor<1x4x4x32xf32>) outs(%{{.*}} : tensor<1x32x4x4xf32>) permutation = [0, 3, 1, 2]
// CHECK: linalg.matmul
func.func @blocked(%x: tensor<1x32x4x4xf32>, %a: tensor<4x8xf32>, %b: tensor<8x4xf32>) -> (tensor<1x32x4x4xf32>, tensor<4x4xf32>) {
  %0 = tensorx.convert %x : tensor<1x32x4x4xf32> to tensor<1x32x4x4xf32, #tensorx.layout<[0, 1, 2, 3], tiles = [1 : 16]>>
  %1 = tensorx.convert %0 : tensor<1x32x4x4xf32, #tensorx.layout<[0, 1, 2, 3], tiles = [1 : 16]>> to tensor<1x32x4x4xf32, #tensorx.layout<[0, 2, 3, 1]>>
  %2 = tensorx.convert %1 : tensor<1x32x4x4xf32, #tensorx.layout<[0, 2, 3, 1]>> to tensor<1x32x4x4xf32>
  %3 = tensorx.matmul %a, %b : tensor<4x8xf32>, tensor<8x4xf32> -> tensor<4x4xf32>
  return %2, %3 : tensor<1x32x4x4xf32>, tensor<4x4xf32>
}

// -----

// Conversions of constants are evaluated now: the weight packed as
// N/2 x K x 2, then (for the matmul) unpacked again, both at compile time.
// CHECK-LABEL: func.func @packed_constant
// CHECK-DAG: arith.constant dense<{{\[\[\[}}1.000000e+00, 2.000000e+00], [5.000000e+00, 6.000000e+00]], {{\[\[}}3.000000e+00, 4.000000e+00], [7.000000e+00, 8.000000e+00]]]> : tensor<2x2x2xf32>
// CHECK: linalg.matmul ins(%arg0, %{{.*}} : tensor<3x2xf32>, tensor<2x4xf32>)
// CHECK-NOT: linalg.pack
// CHECK-NOT: linalg.unpack
func.func @packed_constant(%x: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %c = arith.constant dense<[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0]]> : tensor<2x4xf32>
  %w = tensorx.convert %c : tensor<2x4xf32> to tensor<2x4xf32, #tensorx.layout<[1, 0], tiles = [1 : 2]>>
  %0 = tensorx.matmul %x, %w : tensor<3x2xf32>, tensor<2x4xf32, #tensorx.layout<[1, 0], tiles = [1 : 2]>> -> tensor<3x4xf32>
  return %0 : tensor<3x4xf32>
}

// -----

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>

// Only constant weights can be sparse.
func.func @computed_sparse(%w: tensor<4x4xf32>) -> tensor<4x4xf32, #CSC> {
  // expected-error @+1 {{cannot convert 'tensor<4x4xf32>' to 'tensor<4x4xf32, #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>>': only constant f32 weights can be sparse}}
  %0 = tensorx.convert %w : tensor<4x4xf32> to tensor<4x4xf32, #CSC>
  return %0 : tensor<4x4xf32, #CSC>
}

// -----

#S24 = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : structured[2, 4])}>

// A constant that does not fit its format says why.
func.func @violation() -> tensor<4x1xf32, #S24> {
  %c = arith.constant dense<[[1.0], [1.0], [1.0], [0.0]]> : tensor<4x1xf32>
  // expected-error @+1 {{rows 0..3 of column 0 hold 3 non-zeros, more than 2 of 4}}
  %0 = tensorx.convert %c : tensor<4x1xf32> to tensor<4x1xf32, #S24>
  return %0 : tensor<4x1xf32, #S24>
}
