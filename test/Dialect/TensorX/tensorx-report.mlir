// RUN: strata-opt %s --tensorx-report -o /dev/null 2>&1 | FileCheck %s

// CHECK: tensorx-report: @weights: 1 converts (1 of constants), 1 sparse weights
// CHECK-NEXT: tensorx-report:   4x8 bsr1x4, density 0.250
// CHECK-NEXT: tensorx-report: @nothing: 0 converts (0 of constants), 0 sparse weights
#BSR = #sparse_tensor.encoding<{map = (k, n) -> (k : dense, n floordiv 4 : compressed, n mod 4 : dense)}>
func.func @weights() -> (tensor<4x8xf32, #BSR>, tensor<4x4xf32, #tensorx.layout<[1, 0]>>) {
  %w = arith.constant sparse<[[0, 0], [0, 1], [0, 2], [0, 3], [2, 4], [2, 5], [2, 6], [2, 7]], [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]> : tensor<4x8xf32, #BSR>
  %c = arith.constant dense<1.0> : tensor<4x4xf32>
  %t = tensorx.convert %c : tensor<4x4xf32> to tensor<4x4xf32, #tensorx.layout<[1, 0]>>
  return %w, %t : tensor<4x8xf32, #BSR>, tensor<4x4xf32, #tensorx.layout<[1, 0]>>
}
func.func @nothing() { return }
