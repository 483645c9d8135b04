// RUN: strata-opt %s --tensorx-assign-layouts=vector-lanes=16 | FileCheck %s
// RUN: strata-opt %s --tensorx-assign-layouts=vector-lanes=8 | FileCheck %s --check-prefix=AVX2

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>

// With a vector of rows or more, a sparse matmul takes its activations and
// gives its result transposed; with fewer, both stay row-major.
// CHECK-LABEL: func.func @layouts
// CHECK: %[[XT:.*]] = tensorx.convert %arg0 : tensor<16x8xf32> to tensor<16x8xf32, #tensorx.layout<[1, 0]>>
// CHECK: %[[YT:.*]] = tensorx.matmul %[[XT]], %arg2 : tensor<16x8xf32, #tensorx.layout<[1, 0]>>, tensor<8x4xf32, #sparse> -> tensor<16x4xf32, #tensorx.layout<[1, 0]>>
// CHECK: %[[Y:.*]] = tensorx.convert %[[YT]] : tensor<16x4xf32, #tensorx.layout<[1, 0]>> to tensor<16x4xf32>
// CHECK: %[[Z:.*]] = tensorx.matmul %arg1, %arg2 : tensor<8x8xf32>, tensor<8x4xf32, #sparse> -> tensor<8x4xf32>
// CHECK: return %[[Y]], %[[Z]]
// AVX2-LABEL: func.func @layouts
// AVX2-COUNT-2: tensorx.matmul %{{.*}} : tensor<{{.*}}, #tensorx.layout<[1, 0]>>
func.func @layouts(%x: tensor<16x8xf32>, %few: tensor<8x8xf32>, %w: tensor<8x4xf32, #CSC>)
    -> (tensor<16x4xf32>, tensor<8x4xf32>) {
  %0 = tensorx.matmul %x, %w : tensor<16x8xf32>, tensor<8x4xf32, #CSC> -> tensor<16x4xf32>
  %1 = tensorx.matmul %few, %w : tensor<8x8xf32>, tensor<8x4xf32, #CSC> -> tensor<8x4xf32>
  return %0, %1 : tensor<16x4xf32>, tensor<8x4xf32>
}

// A dense matmul keeps its layouts.
// CHECK-LABEL: func.func @dense
// CHECK-NOT: tensorx.convert
func.func @dense(%x: tensor<16x8xf32>, %w: tensor<8x4xf32>) -> tensor<16x4xf32> {
  %0 = tensorx.matmul %x, %w : tensor<16x8xf32>, tensor<8x4xf32> -> tensor<16x4xf32>
  return %0 : tensor<16x4xf32>
}
