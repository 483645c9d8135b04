// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=1 l2-bytes=1048576" --strata-cpu-winograd-convolutions | FileCheck %s --check-prefix=ONE
// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=2 l2-bytes=1048576" --strata-cpu-winograd-convolutions | FileCheck %s --check-prefix=TWO

// work-items: the kernel's scf.forall has as many (band, filter group)
// items as asked for (the CPU pipeline asks for one per thread), no more:
// each group transforms its band's input again. 16 filters, one band of
// 3 tile rows: one group of 2 filter tiles, or two groups of 1.
// ONE: scf.forall (%{{.*}}, %{{.*}}) in (1, 1) shared_outs(%{{.*}}) -> (tensor<1x16x6x6xf32>)
// ONE: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x16x16xf32>)
// ONE-NOT: scf.for
// ONE: scf.for %{{.*}} = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x16x16xf32>)
// TWO: scf.forall (%{{.*}}, %{{.*}}) in (1, 2) shared_outs(%{{.*}}) -> (tensor<1x16x6x6xf32>)
// TWO: scf.for %{{.*}} = %c0{{.*}} to %c16{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x8x16xf32>)
func.func @work_items(%x: tensor<1x1x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %w = arith.constant dense<[[[[-0.625, 0.25, -0.25], [0.625, 0.125, -0.375], [0.5, 0.0, -0.5]]], [[[0.375, -0.125, -0.625], [0.25, -0.25, 0.625], [0.125, -0.375, 0.5]]], [[[0.0, -0.5, 0.375], [-0.125, -0.625, 0.25], [-0.25, 0.625, 0.125]]], [[[-0.375, 0.5, 0.0], [-0.5, 0.375, -0.125], [-0.625, 0.25, -0.25]]], [[[0.625, 0.125, -0.375], [0.5, 0.0, -0.5], [0.375, -0.125, -0.625]]], [[[0.25, -0.25, 0.625], [0.125, -0.375, 0.5], [0.0, -0.5, 0.375]]], [[[-0.125, -0.625, 0.25], [-0.25, 0.625, 0.125], [-0.375, 0.5, 0.0]]], [[[-0.5, 0.375, -0.125], [-0.625, 0.25, -0.25], [0.625, 0.125, -0.375]]], [[[0.5, 0.0, -0.5], [0.375, -0.125, -0.625], [0.25, -0.25, 0.625]]], [[[0.125, -0.375, 0.5], [0.0, -0.5, 0.375], [-0.125, -0.625, 0.25]]], [[[-0.25, 0.625, 0.125], [-0.375, 0.5, 0.0], [-0.5, 0.375, -0.125]]], [[[-0.625, 0.25, -0.25], [0.625, 0.125, -0.375], [0.5, 0.0, -0.5]]], [[[0.375, -0.125, -0.625], [0.25, -0.25, 0.625], [0.125, -0.375, 0.5]]], [[[0.0, -0.5, 0.375], [-0.125, -0.625, 0.25], [-0.25, 0.625, 0.125]]], [[[-0.375, 0.5, 0.0], [-0.5, 0.375, -0.125], [-0.625, 0.25, -0.25]]], [[[0.625, 0.125, -0.375], [0.5, 0.0, -0.5], [0.375, -0.125, -0.625]]]]> : tensor<16x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x1x6x6xf32> to tensor<1x1x8x8xf32>
  %e = tensor.empty() : tensor<1x16x6x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x1x8x8xf32>, tensor<16x1x3x3xf32>) outs(%init : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}
