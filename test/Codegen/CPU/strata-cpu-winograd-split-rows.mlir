// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=2 l2-bytes=4096" --strata-cpu-winograd-convolutions | FileCheck %s

// 12 x 12 output, 6 rows of 7 tiles. With a 4 KiB L2 the bands are 2 tile
// rows (14 tiles, one run of 16): 3 bands, which 2 work items cannot share
// evenly. Each item takes 3 tile rows instead (output rows 6 i to 6 i + 6):
// a loop over its one whole band, then a tail band of 1 tile row (7 tiles)
// whose matmuls run on vectors of 8 (tensor<16x8x8xf32>: 16 elements, 8
// filters, 8 tiles) instead of 16, each band written into its rows of the
// item's slice.
// CHECK-LABEL: func @split_rows
// CHECK: scf.forall (%[[I:.*]], %{{.*}}) in (2, 1) shared_outs(%{{.*}}) -> (tensor<1x8x12x12xf32>)
// CHECK: %[[ITEM:.*]] = tensor.extract_slice %{{.*}} [1, 8, 6, 12] [1, 1, 1, 1] : tensor<1x8x12x12xf32> to tensor<1x8x6x12xf32>
// CHECK: %[[BANDS:.*]] = scf.for %{{.*}} = %c0{{.*}} to %c1{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %[[ITEM]]) -> (tensor<1x8x6x12xf32>)
// CHECK: tensor.empty() : tensor<16x8x16xf32>
// CHECK: vector.fma {{.*}} : vector<16xf32>
// CHECK: tensor.insert_slice %{{.*}} [1, 8, 4, 12] [1, 1, 1, 1] : tensor<1x8x4x12xf32> into tensor<1x8x6x12xf32>
// CHECK: tensor.empty() : tensor<16x1x8xf32>
// CHECK: tensor.extract_slice %[[BANDS]][0, 0, %{{.*}}, 0] [1, 8, 2, 12] [1, 1, 1, 1] : tensor<1x8x6x12xf32> to tensor<1x8x2x12xf32>
// CHECK: tensor.empty() : tensor<16x8x8xf32>
// CHECK: vector.fma {{.*}} : vector<8xf32>
// CHECK: %[[TAIL:.*]] = tensor.insert_slice %{{.*}} into %[[BANDS]]{{.*}} [1, 8, 2, 12] [1, 1, 1, 1] : tensor<1x8x2x12xf32> into tensor<1x8x6x12xf32>
// CHECK: tensor.parallel_insert_slice %[[TAIL]] into %{{.*}} [1, 8, 6, 12] [1, 1, 1, 1] : tensor<1x8x6x12xf32> into tensor<1x8x12x12xf32>
func.func @split_rows(%x: tensor<1x1x12x12xf32>) -> tensor<1x8x12x12xf32> {
  %w = arith.constant dense<[[[[-1.0, -0.625, -0.25], [0.125, 0.5, 0.875], [-0.875, -0.5, -0.125]]], [[[0.25, 0.625, 1.0], [-0.75, -0.375, 0.0], [0.375, 0.75, -1.0]]], [[[-0.625, -0.25, 0.125], [0.5, 0.875, -0.875], [-0.5, -0.125, 0.25]]], [[[0.625, 1.0, -0.75], [-0.375, 0.0, 0.375], [0.75, -1.0, -0.625]]], [[[-0.25, 0.125, 0.5], [0.875, -0.875, -0.5], [-0.125, 0.25, 0.625]]], [[[1.0, -0.75, -0.375], [0.0, 0.375, 0.75], [-1.0, -0.625, -0.25]]], [[[0.125, 0.5, 0.875], [-0.875, -0.5, -0.125], [0.25, 0.625, 1.0]]], [[[-0.75, -0.375, 0.0], [0.375, 0.75, -1.0], [-0.625, -0.25, 0.125]]]]> : tensor<8x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x1x12x12xf32> to tensor<1x1x14x14xf32>
  %e = tensor.empty() : tensor<1x8x12x12xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x12x12xf32>) -> tensor<1x8x12x12xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x1x14x14xf32>, tensor<8x1x3x3xf32>) outs(%init : tensor<1x8x12x12xf32>) -> tensor<1x8x12x12xf32>
  return %0 : tensor<1x8x12x12xf32>
}
