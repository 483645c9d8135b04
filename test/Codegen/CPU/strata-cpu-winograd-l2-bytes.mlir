// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=1 l2-bytes=1048576" --strata-cpu-winograd-convolutions | FileCheck %s --check-prefix=LARGE
// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=1 l2-bytes=4096" --strata-cpu-winograd-convolutions | FileCheck %s --check-prefix=SMALL

// l2-bytes: among the bands that waste the fewest tiles, the largest whose
// transformed input (16 x C x tiles floats) fits a quarter of the L2 cache.
// An 8 x 14 output has 4 rows of 7 tiles, 8 per wide row: bands of 2 rows
// (16 tiles, 1 KiB) and of 4 rows (32 tiles, 2 KiB) waste the same. With
// 1 MiB, one band of 4 rows; with 4 KiB (a quarter: 1 KiB), two of 2.
// LARGE: scf.forall (%{{.*}}, %{{.*}}) in (1, 1) shared_outs(%{{.*}}) -> (tensor<1x8x8x14xf32>)
// LARGE: tensor.empty() : tensor<16x1x32xf32>
// SMALL: scf.forall (%{{.*}}, %{{.*}}) in (2, 1) shared_outs(%{{.*}}) -> (tensor<1x8x8x14xf32>)
// SMALL: tensor.empty() : tensor<16x1x16xf32>
func.func @l2_bytes(%x: tensor<1x1x8x14xf32>) -> tensor<1x8x8x14xf32> {
  %w = arith.constant dense<[[[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]], [[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]], [[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]], [[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]], [[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]], [[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]], [[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]], [[[-1.0, 0.25, -0.75], [0.5, -0.5, 0.75], [-0.25, 1.0, 0.0]]]]> : tensor<8x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x1x8x14xf32> to tensor<1x1x10x16xf32>
  %e = tensor.empty() : tensor<1x8x8x14xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x8x14xf32>) -> tensor<1x8x8x14xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x1x10x16xf32>, tensor<8x1x3x3xf32>) outs(%init : tensor<1x8x8x14xf32>) -> tensor<1x8x8x14xf32>
  return %0 : tensor<1x8x8x14xf32>
}
