// RUN: strata-opt %s | strata-opt | FileCheck %s

// Layouts and sparse formats print and parse back; the ops verify.

#T = #tensorx.layout<[1, 0]>
#NHWC = #tensorx.layout<[0, 2, 3, 1]>
#NCHW16c = #tensorx.layout<[0, 1, 2, 3], tiles = [1 : 16]>
#Packed = #tensorx.layout<[1, 0], tiles = [1 : 16]>
#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
#BSR = #sparse_tensor.encoding<{map = (k, n) -> (k : dense, n floordiv 4 : compressed, n mod 4 : dense)}>
#S24 = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : structured[2, 4])}>

// CHECK-LABEL: func.func @layouts
// CHECK: tensorx.convert %{{.*}} : tensor<1x32x8x8xf32> to tensor<1x32x8x8xf32, #tensorx.layout<[0, 2, 3, 1]>>
// CHECK: tensorx.convert %{{.*}} : tensor<1x32x8x8xf32, #tensorx.layout<[0, 2, 3, 1]>> to tensor<1x32x8x8xf32, #tensorx.layout<[0, 1, 2, 3], tiles = [1 : 16]>>
func.func @layouts(%x: tensor<1x32x8x8xf32>) -> tensor<1x32x8x8xf32, #NCHW16c> {
  %0 = tensorx.convert %x : tensor<1x32x8x8xf32> to tensor<1x32x8x8xf32, #NHWC>
  %1 = tensorx.convert %0 : tensor<1x32x8x8xf32, #NHWC> to tensor<1x32x8x8xf32, #NCHW16c>
  return %1 : tensor<1x32x8x8xf32, #NCHW16c>
}

// CHECK-LABEL: func.func @matmuls
// CHECK: tensorx.matmul %{{.*}}, %{{.*}} : tensor<64x32xf32, #tensorx.layout<[1, 0]>>, tensor<32x48xf32, #sparse> -> tensor<64x48xf32, #tensorx.layout<[1, 0]>>
// CHECK: tensorx.matmul %{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x48xf32, #sparse1> -> tensor<64x48xf32>
// CHECK: tensorx.matmul %{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x48xf32, #sparse2> -> tensor<64x48xf32>
// CHECK: tensorx.matmul %{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x48xf32, #tensorx.layout<[1, 0], tiles = [1 : 16]>> -> tensor<64x48xf32>
func.func @matmuls(%xt: tensor<64x32xf32, #T>, %x: tensor<64x32xf32>,
                   %a: tensor<32x48xf32, #CSC>, %b: tensor<32x48xf32, #BSR>,
                   %c: tensor<32x48xf32, #S24>, %d: tensor<32x48xf32, #Packed>)
    -> (tensor<64x48xf32, #T>, tensor<64x48xf32>, tensor<64x48xf32>, tensor<64x48xf32>) {
  %0 = tensorx.matmul %xt, %a : tensor<64x32xf32, #T>, tensor<32x48xf32, #CSC> -> tensor<64x48xf32, #T>
  %1 = tensorx.matmul %x, %b : tensor<64x32xf32>, tensor<32x48xf32, #BSR> -> tensor<64x48xf32>
  %2 = tensorx.matmul %x, %c : tensor<64x32xf32>, tensor<32x48xf32, #S24> -> tensor<64x48xf32>
  %3 = tensorx.matmul %x, %d : tensor<64x32xf32>, tensor<32x48xf32, #Packed> -> tensor<64x48xf32>
  return %0, %1, %2, %3 : tensor<64x48xf32, #T>, tensor<64x48xf32>, tensor<64x48xf32>, tensor<64x48xf32>
}
