// RUN: strata-opt %s --tensorx-report --tensorx-propagate-layouts --tensorx-report 2>&1 | FileCheck %s

#T = #tensorx.layout<[1, 0]>
#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>

// Two sparse matmuls in a row: the result of the first goes back to
// row-major and is transposed again for the second; the pair cancels and
// the weights become sparse constants, leaving the conversions at the
// function's input and output.
// (The reports go to stderr, before the IR.)
// CHECK: tensorx-report: @chain: 6 converts (2 of constants), 0 sparse weights
// CHECK-NEXT: tensorx-report: @chain: 2 converts (0 of constants), 2 sparse weights
// CHECK-NEXT: tensorx-report:   4x4 csc, density 0.250
// CHECK-NEXT: tensorx-report:   4x4 csc, density 0.250
// CHECK-LABEL: func.func @chain
// CHECK-DAG: %[[W1:.*]] = arith.constant sparse<{{.*}}> : tensor<4x4xf32, #sparse>
// CHECK-DAG: %[[W2:.*]] = arith.constant sparse<{{.*}}> : tensor<4x4xf32, #sparse>
// CHECK: %[[XT:.*]] = tensorx.convert %arg0
// CHECK: %[[A:.*]] = tensorx.matmul %[[XT]], %[[W1]]
// CHECK: %[[B:.*]] = tensorx.matmul %[[A]], %[[W2]]
// CHECK: %[[Y:.*]] = tensorx.convert %[[B]]
// CHECK: return %[[Y]]
func.func @chain(%x: tensor<16x4xf32>) -> tensor<16x4xf32> {
  %c = graph.constant dense<[[1.0, 0.0, 0.0, 0.0], [0.0, 2.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0], [0.0, 0.0, 0.0, 4.0]]> : tensor<4x4xf32>
  %w1 = tensorx.convert %c : tensor<4x4xf32> to tensor<4x4xf32, #CSC>
  %w2 = tensorx.convert %c : tensor<4x4xf32> to tensor<4x4xf32, #CSC>
  %xt = tensorx.convert %x : tensor<16x4xf32> to tensor<16x4xf32, #T>
  %a = tensorx.matmul %xt, %w1 : tensor<16x4xf32, #T>, tensor<4x4xf32, #CSC> -> tensor<16x4xf32, #T>
  %a1 = tensorx.convert %a : tensor<16x4xf32, #T> to tensor<16x4xf32>
  %a2 = tensorx.convert %a1 : tensor<16x4xf32> to tensor<16x4xf32, #T>
  %b = tensorx.matmul %a2, %w2 : tensor<16x4xf32, #T>, tensor<4x4xf32, #CSC> -> tensor<16x4xf32, #T>
  %y = tensorx.convert %b : tensor<16x4xf32, #T> to tensor<16x4xf32>
  return %y : tensor<16x4xf32>
}
