// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=8 l2-bytes=1048576" --strata-cpu-winograd-convolutions | FileCheck %s

// A wide image: 42 tiles per row, 6 chunks of 8 for the output transform.
// More than 4 chunks are not unrolled (a 512-wide image's thousands of
// unrolled tensor reads and writes made bufferization take a minute): for
// each of the 8 filters of the tile, an scf.for over the 5 whole chunks
// writes two output rows of 16 pixels in bounds, then the last chunk (2
// tiles) is written masked.
// CHECK-LABEL: func @wide_rows
// CHECK-COUNT-8: scf.for %{{.*}} = %c0{{.*}} to %c5{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x8x4x84xf32>) {
// CHECK-NOT: scf.for
// CHECK: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<1x8x4x84xf32>
// CHECK: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xf32>, tensor<1x8x4x84xf32>
// CHECK: vector.transfer_write %{{.*}}] : vector<16xf32>, tensor<1x8x4x84xf32>
// CHECK: vector.transfer_write %{{.*}}] : vector<16xf32>, tensor<1x8x4x84xf32>
func.func @wide_rows(%x: tensor<1x1x4x84xf32>) -> tensor<1x8x4x84xf32> {
  %w = arith.constant dense<[[[[-1.0, -0.625, -0.25], [0.125, 0.5, 0.875], [-0.875, -0.5, -0.125]]], [[[0.25, 0.625, 1.0], [-0.75, -0.375, 0.0], [0.375, 0.75, -1.0]]], [[[-0.625, -0.25, 0.125], [0.5, 0.875, -0.875], [-0.5, -0.125, 0.25]]], [[[0.625, 1.0, -0.75], [-0.375, 0.0, 0.375], [0.75, -1.0, -0.625]]], [[[-0.25, 0.125, 0.5], [0.875, -0.875, -0.5], [-0.125, 0.25, 0.625]]], [[[1.0, -0.75, -0.375], [0.0, 0.375, 0.75], [-1.0, -0.625, -0.25]]], [[[0.125, 0.5, 0.875], [-0.875, -0.5, -0.125], [0.25, 0.625, 1.0]]], [[[-0.75, -0.375, 0.0], [0.375, 0.75, -1.0], [-0.625, -0.25, 0.125]]]]> : tensor<8x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x1x4x84xf32> to tensor<1x1x6x86xf32>
  %e = tensor.empty() : tensor<1x8x4x84xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x4x84xf32>) -> tensor<1x8x4x84xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x1x6x86xf32>, tensor<8x1x3x3xf32>) outs(%init : tensor<1x8x4x84xf32>) -> tensor<1x8x4x84xf32>
  return %0 : tensor<1x8x4x84xf32>
}
