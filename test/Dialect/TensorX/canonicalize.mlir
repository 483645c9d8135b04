// RUN: strata-opt %s --canonicalize -split-input-file | FileCheck %s

#T = #tensorx.layout<[1, 0]>
#P = #tensorx.layout<[1, 0], tiles = [1 : 4]>

// A conversion to the same format folds away.
// CHECK-LABEL: func.func @identity
// CHECK-NEXT: return %arg0
func.func @identity(%x: tensor<4x8xf32, #T>) -> tensor<4x8xf32, #T> {
  %0 = tensorx.convert %x : tensor<4x8xf32, #T> to tensor<4x8xf32, #T>
  return %0 : tensor<4x8xf32, #T>
}

// A conversion followed by its inverse cancels.
// CHECK-LABEL: func.func @inverse_pair
// CHECK-NEXT: return %arg0
func.func @inverse_pair(%x: tensor<4x8xf32, #T>) -> tensor<4x8xf32, #T> {
  %0 = tensorx.convert %x : tensor<4x8xf32, #T> to tensor<4x8xf32>
  %1 = tensorx.convert %0 : tensor<4x8xf32> to tensor<4x8xf32, #T>
  return %1 : tensor<4x8xf32, #T>
}

// Two conversions in a row become one.
// CHECK-LABEL: func.func @compose
// CHECK-NEXT: %[[C:.*]] = tensorx.convert %arg0 : tensor<4x8xf32, #tensorx.layout<[1, 0]>> to tensor<4x8xf32, #tensorx.layout<[1, 0], tiles = [1 : 4]>>
// CHECK-NEXT: return %[[C]]
func.func @compose(%x: tensor<4x8xf32, #T>) -> tensor<4x8xf32, #P> {
  %0 = tensorx.convert %x : tensor<4x8xf32, #T> to tensor<4x8xf32>
  %1 = tensorx.convert %0 : tensor<4x8xf32> to tensor<4x8xf32, #P>
  return %1 : tensor<4x8xf32, #P>
}

// -----

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
#S24 = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : structured[2, 4])}>

// A constant weight converted to a sparse format folds into a sparse
// constant; one that does not fit the format (3 non-zeros in a group of 4)
// stays a conversion.
// CHECK-LABEL: func.func @sparse_constant
// CHECK: %[[W:.*]] = graph.constant
// CHECK: %[[S:.*]] = arith.constant sparse<{{\[}}[0, 0], [2, 1], [3, 1]], [1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<4x2xf32, #sparse>
// CHECK: %[[C:.*]] = tensorx.convert %[[W]] : tensor<4x2xf32> to tensor<4x2xf32, #sparse1>
// CHECK: return %[[S]], %[[C]]
func.func @sparse_constant() -> (tensor<4x2xf32, #CSC>, tensor<4x2xf32, #S24>) {
  %w = graph.constant dense<[[1.0, 0.0], [0.0, 0.0], [0.0, 2.0], [0.0, 3.0]]> : tensor<4x2xf32>
  %0 = tensorx.convert %w : tensor<4x2xf32> to tensor<4x2xf32, #CSC>
  %v = graph.constant dense<[[1.0, 1.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %1 = tensorx.convert %v : tensor<4x2xf32> to tensor<4x2xf32, #S24>
  return %0, %1 : tensor<4x2xf32, #CSC>, tensor<4x2xf32, #S24>
}
