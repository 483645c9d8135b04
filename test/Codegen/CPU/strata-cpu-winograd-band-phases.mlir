// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=2 l2-bytes=4096" --strata-cpu-winograd-convolutions | FileCheck %s --check-prefix=BAND
// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=1 l2-bytes=4096" --strata-cpu-winograd-convolutions | FileCheck %s --check-prefix=WHOLE

// Where the phase images come from. The 12 x 12 output has 6 rows of 7
// tiles (wq = 7); with a 4 KiB L2 a band is 2 tile rows.
//
// With threads (work-items=2), each of the 2 work items builds the phase
// images of its own bands inside the kernel, from the unpadded image: no
// phase images of the whole image are built before it. Its whole band (2
// tile rows, one run of 16 tiles) reads phase rows ty0 .. ty0 + 2 and, past
// its end, one more row (16 + 7 + 1 tiles: 4 rows of 7): 3 rows built from
// the image (each image row read once as a vector and shuffled into its
// two phases), then a row of zeros in each of the 4 phase images. Its tail
// band (1 tile row, one run of 8) builds 2 rows and 1 of zeros. The input
// transform reads the band's flat phase images from offset 0 (patch element
// (i, j) at (i % 2 * 2 + j % 2) * 28 + i / 2 * 7 + j / 2).
// BAND-LABEL: func @band_phases
// BAND-NOT: tensor<2x2x1x
// BAND: scf.forall (%{{.*}}, %{{.*}}) in (2, 1)
// BAND: %[[BAND:.*]] = tensor.empty() : tensor<2x2x1x4x7xf32>
// BAND: %[[ZEROS:.*]] = arith.constant dense<0.000000e+00> : vector<7xf32>
// BAND: scf.for %[[C:.*]] = %{{.*}} to %c1{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[BAND]]) -> (tensor<2x2x1x4x7xf32>)
// BAND: scf.for %[[DY:.*]] = %{{.*}} to %c3{{.*}} step %{{.*}} iter_args(%{{.*}}) -> (tensor<2x2x1x4x7xf32>)
// BAND: vector.transfer_read %arg0[%{{.*}}, %[[C]], %{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x1x12x12xf32>, vector<12xf32>
// BAND: vector.shuffle %{{.*}}, %{{.*}} [12, 1, 3, 5, 7, 9, 11] : vector<12xf32>, vector<12xf32>
// BAND: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}, %[[C]], %[[DY]], %{{.*}}] {in_bounds = [true]} : vector<7xf32>, tensor<2x2x1x4x7xf32>
// BAND: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6, 8, 10, 12] : vector<12xf32>, vector<12xf32>
// BAND-COUNT-4: vector.transfer_write %[[ZEROS]], %{{.*}}[%{{.*}}, %{{.*}}, %[[C]], %c3{{.*}}, %c0{{.*}}] {in_bounds = [true]} : vector<7xf32>, tensor<2x2x1x4x7xf32>
// BAND: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3, 4]] : tensor<2x2x1x4x7xf32> into tensor<112xf32>
// BAND: vector.transfer_read %[[FLAT]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<112xf32>, vector<16xf32>
// BAND: vector.fma {{.*}} : vector<16xf32>
// BAND: tensor.empty() : tensor<2x2x1x3x7xf32>
// BAND: scf.for %{{.*}} = %{{.*}} to %c2{{.*}} step
// BAND: tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3, 4]] : tensor<2x2x1x3x7xf32> into tensor<84xf32>
// BAND: vector.fma {{.*}} : vector<8xf32>
// BAND: tensor.parallel_insert_slice

// On one thread (work-items=1), the phase images of the whole padded image
// (8 rows of 7: the last band's run reads up to 4 * 7 + 16 + 7 + 1 = 52
// tiles)
// are built once, by their own scf.forall over the channels, before the
// kernel, whose one item reads them from its band's first tile on.
// WHOLE-LABEL: func @band_phases
// WHOLE: scf.forall (%{{.*}}) in (1) shared_outs(%{{.*}}) -> (tensor<2x2x1x1x8x7xf32>)
// WHOLE: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3, 4, 5]] : tensor<2x2x1x1x8x7xf32> into tensor<224xf32>
// WHOLE: scf.forall (%{{.*}}, %{{.*}}) in (3, 1)
// WHOLE-NOT: tensor.empty() : tensor<2x2x
// WHOLE: vector.transfer_read %[[FLAT]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<224xf32>, vector<16xf32>
func.func @band_phases(%x: tensor<1x1x12x12xf32>) -> tensor<1x8x12x12xf32> {
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
