// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=im2col_matmul,window_loops im2col-strip-width=1" --strata-cpu-lower-convolutions -split-input-file | FileCheck %s
// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=im2col_matmul,window_loops vector-lanes=8" --strata-cpu-lower-convolutions -split-input-file | FileCheck %s --check-prefix=PACKED
// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=im2col_matmul,window_loops threads=2" --strata-cpu-lower-convolutions -split-input-file | FileCheck %s --check-prefix=THREADS

// A 3x3 convolution of one image: an im2col copy (C x KH x KW x OH x OW,
// whose innermost loop reads along an image row) read as a 72 x 64 matrix,
// and one matmul of the 16 x 72 filter by it into the NCHW output.
// CHECK-DAG: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d0, d1 + d3, d2 + d4)>
// CHECK-LABEL: func @conv3x3
// CHECK: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<16x8x3x3xf32> into tensor<16x72xf32>
// CHECK: %[[ACC:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x16x8x8xf32> into tensor<16x64xf32>
// CHECK: %[[COLS:.*]] = linalg.generic {indexing_maps = [#[[READ]], #{{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%{{.*}} : tensor<1x8x10x10xf32>) outs(%{{.*}} : tensor<8x3x3x8x8xf32>)
// CHECK: %[[MAT:.*]] = tensor.collapse_shape %[[COLS]] {{\[}}[0, 1, 2], [3, 4]] : tensor<8x3x3x8x8xf32> into tensor<72x64xf32>
// CHECK: %[[MM:.*]] = linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins(%[[W]], %[[MAT]] : tensor<16x72xf32>, tensor<72x64xf32>) outs(%[[ACC]] : tensor<16x64xf32>)
// CHECK: tensor.expand_shape %[[MM]] {{\[}}[0, 1], [2, 3]] output_shape [1, 16, 8, 8]
// CHECK-NOT: linalg.conv_2d

// With 16-column strips (64 pixels: 4 strips), an scf.forall over the
// strips builds each strip of the im2col matrix where it is used, a
// contiguous 72 x 16 block (strip[c, i, j, t] reads the pixel p = 16 * s + t
// at (p / 8, p % 8)), and multiplies it right away.
// PACKED-DAG: #[[ROW:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d0 * 2 + d4 floordiv 8 + d2)>
// PACKED-DAG: #[[COL:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (d4 mod 8 + d3)>
// PACKED-LABEL: func @conv3x3
// PACKED-SAME: (%[[IN:[^:]*]]:
// PACKED: %[[W:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2, 3]] : tensor<16x8x3x3xf32> into tensor<16x72xf32>
// PACKED: scf.forall (%[[S:.*]]) in (4) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<16x64xf32>)
// PACKED: %[[STRIP:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<8x3x3x16xf32>)
// PACKED: %[[R:.*]] = affine.apply #[[ROW]](%[[S]],
// PACKED: %[[C:.*]] = affine.apply #[[COL]](%[[S]],
// PACKED: tensor.extract %[[IN]][%{{.*}}, %{{.*}}, %[[R]], %[[C]]] : tensor<1x8x10x10xf32>
// PACKED: %[[B:.*]] = tensor.collapse_shape %[[STRIP]] {{\[}}[0, 1, 2], [3]] : tensor<8x3x3x16xf32> into tensor<72x16xf32>
// PACKED: linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = 1 : i64, tile_sizes = array<i64: 8, 16>}} ins(%[[W]], %[[B]] : tensor<16x72xf32>, tensor<72x16xf32>)
// PACKED: tensor.parallel_insert_slice %{{.*}} into %[[OUT]]
// PACKED: tensor.expand_shape
func.func @conv3x3(%in: tensor<1x8x10x10xf32>, %w: tensor<16x8x3x3xf32>, %init: tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>) outs(%init : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
  return %0 : tensor<1x16x8x8xf32>
}

// -----

// Strides and dilations go into the im2col read. 9 pixels do not fill
// 16-column strips: the unpacked matrix.
// PACKED-LABEL: func @strided_dilated
// PACKED-NOT: scf.forall
// PACKED: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins({{.*}} : tensor<4x18xf32>, tensor<18x9xf32>)
// CHECK-DAG: #[[READ:.*]] = affine_map<(d0, d1, d2, d3, d4) -> (0, d0, d3 * 2 + d1 * 2, d4 * 2 + d2 * 2)>
// CHECK-LABEL: func @strided_dilated
// CHECK: linalg.generic {indexing_maps = [#[[READ]]
// CHECK: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins({{.*}} : tensor<4x18xf32>, tensor<18x9xf32>)
func.func @strided_dilated(%in: tensor<1x2x9x9xf32>, %w: tensor<4x2x3x3xf32>, %init: tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %w : tensor<1x2x9x9xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<1x4x3x3xf32>) -> tensor<1x4x3x3xf32>
  return %0 : tensor<1x4x3x3xf32>
}

// -----

// 72 pixels (8 x 9) are 4 strips of 16 and one strip of the 8 left over
// (pixels 64 to 71), built and multiplied the same way.
// PACKED-DAG: #[[REST:.*]] = affine_map<(d0, d1, d2, d3, d4) -> ((d0 * 8 + d4 + 64) floordiv 9 + d2)>
// PACKED-LABEL: func @remainder_strip
// PACKED: %[[FULL:.*]] = scf.forall (%{{.*}}) in (4) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<4x72xf32>)
// PACKED: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins(%{{.*}}, %{{.*}} : tensor<4x18xf32>, tensor<18x16xf32>)
// PACKED: scf.forall (%{{.*}}) in (1) shared_outs(%[[OUT:.*]] = %[[FULL]]) -> (tensor<4x72xf32>)
// PACKED: affine.apply #[[REST]]
// PACKED: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins(%{{.*}}, %{{.*}} : tensor<4x18xf32>, tensor<18x8xf32>)
// PACKED: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][0, %{{.*}}] [4, 8] [1, 1]
func.func @remainder_strip(%in: tensor<1x2x10x11xf32>, %w: tensor<4x2x3x3xf32>, %init: tensor<1x4x8x9xf32>) -> tensor<1x4x8x9xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x2x10x11xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<1x4x8x9xf32>) -> tensor<1x4x8x9xf32>
  return %0 : tensor<1x4x8x9xf32>
}

// -----

// A 1x1 unit-stride convolution needs no copy: the image is the matrix.
// CHECK-LABEL: func @pointwise
// CHECK-NOT: linalg.generic
// CHECK: %[[MAT:.*]] = tensor.collapse_shape %{{.*}} {{\[}}[0, 1], [2, 3]] : tensor<1x32x7x7xf32> into tensor<32x49xf32>
// CHECK: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins(%{{.*}}, %[[MAT]] : tensor<64x32xf32>, tensor<32x49xf32>)
func.func @pointwise(%in: tensor<1x32x7x7xf32>, %w: tensor<64x32x1x1xf32>, %init: tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x32x7x7xf32>, tensor<64x32x1x1xf32>) outs(%init : tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  return %0 : tensor<1x64x7x7xf32>
}

// -----

// A strided 1x1 convolution (a ResNet's downsampling shortcut: 8x8 to 4x4,
// stride 2) first reads the pixels it uses into a contiguous image: an
// scf.forall over the channels, each output row read from image row 2 y as
// one vector of 7 pixels of which every second is kept; then it is a plain
// matmul by that image, with no im2col copy (with strips too: the 16 pixels
// are too few to share out).
// CHECK-LABEL: func @pointwise_strided
// CHECK-NOT: linalg.generic
// CHECK: %[[SUB:.*]] = scf.forall (%[[C:.*]]) in (32) shared_outs(%{{.*}}) -> (tensor<1x32x4x4xf32>)
// CHECK: scf.for %[[Y:.*]] = %c0{{.*}} to %c4{{.*}} step %c1{{.*}} iter_args(%{{.*}}) -> (tensor<1x1x4x4xf32>)
// CHECK: %[[ROW:.*]] = affine.apply #{{.*}}(%[[Y]])
// CHECK: %[[PIXELS:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %[[C]], %[[ROW]], %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x32x8x8xf32>, vector<7xf32>
// CHECK: %[[PICKED:.*]] = vector.shuffle %[[PIXELS]], %[[PIXELS]] [0, 2, 4, 6] : vector<7xf32>, vector<7xf32>
// CHECK: vector.transfer_write %[[PICKED]], %{{.*}}[%{{.*}}, %{{.*}}, %[[Y]], %{{.*}}] {in_bounds = [true]} : vector<4xf32>, tensor<1x1x4x4xf32>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[0, %[[C]], 0, 0] [1, 1, 4, 4] [1, 1, 1, 1]
// CHECK: %[[MAT:.*]] = tensor.collapse_shape %[[SUB]] {{\[}}[0, 1], [2, 3]] : tensor<1x32x4x4xf32> into tensor<32x16xf32>
// CHECK: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins(%{{.*}}, %[[MAT]] : tensor<64x32xf32>, tensor<32x16xf32>)
// PACKED-LABEL: func @pointwise_strided
// PACKED-NOT: linalg.generic
// PACKED: vector.shuffle
// PACKED: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins(%{{.*}}, %{{.*}} : tensor<64x32xf32>, tensor<32x16xf32>)
func.func @pointwise_strided(%in: tensor<1x32x8x8xf32>, %w: tensor<64x32x1x1xf32>, %init: tensor<1x64x4x4xf32>) -> tensor<1x64x4x4xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %w : tensor<1x32x8x8xf32>, tensor<64x32x1x1xf32>) outs(%init : tensor<1x64x4x4xf32>) -> tensor<1x64x4x4xf32>
  return %0 : tensor<1x64x4x4xf32>
}

// -----

// Several images: a loop over them, one matmul each.
// CHECK-LABEL: func @batch
// CHECK: scf.for %[[N:.*]] = %c0 to %c3 step %c1 iter_args(%[[OUT:.*]] = %{{.*}}) -> (tensor<3x4x6x6xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%[[N]], 0, 0, 0] [1, 2, 8, 8] [1, 1, 1, 1]
// CHECK: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins({{.*}} : tensor<4x18xf32>, tensor<18x36xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %[[OUT]][%[[N]], 0, 0, 0] [1, 4, 6, 6] [1, 1, 1, 1]
func.func @batch(%in: tensor<3x2x8x8xf32>, %w: tensor<4x2x3x3xf32>, %init: tensor<3x4x6x6xf32>) -> tensor<3x4x6x6xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<3x2x8x8xf32>, tensor<4x2x3x3xf32>) outs(%init : tensor<3x4x6x6xf32>) -> tensor<3x4x6x6xf32>
  return %0 : tensor<3x4x6x6xf32>
}

// -----

// Depthwise convolution: a generic whose loops run (n, c, oh, kh, kw, ow).
// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d3, d4 + d5)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d1, d3, d4)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-LABEL: func @depthwise
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[W]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]}
// CHECK-NOT: linalg.depthwise
func.func @depthwise(%in: tensor<1x8x10x10xf32>, %w: tensor<8x3x3xf32>, %init: tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32> {
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x8x10x10xf32>, tensor<8x3x3xf32>) outs(%init : tensor<1x8x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %0 : tensor<1x8x8x8xf32>
}

// -----

// Max pooling: the same loop order, the output row innermost.
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>
// CHECK-LABEL: func @max_pool
// CHECK: linalg.generic {{.*}}iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]
// CHECK: arith.maximumf
func.func @max_pool(%in: tensor<1x4x9x9xf32>, %window: tensor<3x3xf32>, %init: tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32> {
  %0 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%in, %window : tensor<1x4x9x9xf32>, tensor<3x3xf32>) outs(%init : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %0 : tensor<1x4x4x4xf32>
}

// -----

// Not f32, or dynamic: left alone.
// CHECK-LABEL: func @negative_f64
// CHECK: linalg.conv_2d_nchw_fchw
func.func @negative_f64(%in: tensor<1x2x4x4xf64>, %w: tensor<2x2x3x3xf64>, %init: tensor<1x2x2x2xf64>) -> tensor<1x2x2x2xf64> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%in, %w : tensor<1x2x4x4xf64>, tensor<2x2x3x3xf64>) outs(%init : tensor<1x2x2x2xf64>) -> tensor<1x2x2x2xf64>
  return %0 : tensor<1x2x2x2xf64>
}

// -----

// A grouped convolution (2 groups of 4 channels): a loop over the images
// and one over the groups, each group's im2col matmul of its 4 filters by
// its channels' 36 x 64 matrix, put back in the group's place.
// CHECK-LABEL: func @grouped
// CHECK: scf.for %[[N:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x2x4x8x8xf32>)
// CHECK: scf.for %[[G:.*]] = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<2x4x8x8xf32>)
// CHECK: tensor.extract_slice %{{.*}}[%[[G]], 0, 0, 0, 0] [1, 4, 4, 3, 3] [1, 1, 1, 1, 1] : tensor<2x4x4x3x3xf32> to tensor<4x4x3x3xf32>
// CHECK: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}}} ins(%{{.*}}, %{{.*}} : tensor<4x36xf32>, tensor<36x64xf32>) outs(%{{.*}} : tensor<4x64xf32>)
// CHECK: tensor.insert_slice %{{.*}} into %{{.*}}[%[[G]], 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x4x8x8xf32> into tensor<2x4x8x8xf32>
// CHECK-NOT: linalg.conv_2d
//
// With 2 threads the groups are shared out: an scf.forall over the groups,
// each group's im2col matmul whole and single-threaded inside (a fork per
// group's few strips would cost more than their work).
// THREADS-LABEL: func @grouped
// THREADS: scf.forall (%{{.*}}) in (2)
// THREADS-NOT: scf.forall
// THREADS: linalg.matmul {strata.kernel_config = {kernel = "matmul"{{.*}}threads = 1 : i64{{.*}}}} ins(%{{.*}}, %{{.*}} : tensor<4x36xf32>, tensor<36x64xf32>)
// THREADS: tensor.parallel_insert_slice
func.func @grouped(%x: tensor<1x2x4x10x10xf32>, %w: tensor<2x4x4x3x3xf32>, %init: tensor<1x2x4x8x8xf32>) -> tensor<1x2x4x8x8xf32> {
  %0 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x4x10x10xf32>, tensor<2x4x4x3x3xf32>) outs(%init : tensor<1x2x4x8x8xf32>) -> tensor<1x2x4x8x8xf32>
  return %0 : tensor<1x2x4x8x8xf32>
}
