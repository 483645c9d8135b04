// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=winograd vector-lanes=8 min-winograd-pixels=30 threads=1 l2-bytes=1048576" --strata-cpu-winograd-convolutions -split-input-file | FileCheck %s

// A 3x3 stride-1 convolution of a 1x2x6x6 image (constant filter, bias,
// ReLU) as Winograd F(2x2, 3x3): 3 x 3 output tiles, numbered along wide
// tile rows of 4 (one tile row band of 3 rows: 12 tiles, one run of 16).
// The padded image gets extra zero rows (12 x 8: the run reads up to 16 +
// 4 + 1 tiles of its 6 x 4 phase images) and is split into 2 x 2 phase
// images, in one pass over the unpadded image (no tensor.pad is left);
// U = G g G^T is a packed constant [16][F / 8][C][8]. The input
// transform reads 16 vectors per channel (patch element (i, j) at offset
// (i % 2 * 2 + j % 2) * 48 + i / 2 * 4 + j / 2), the 16 matmuls (element
// by element, then filter tile by filter tile - here 1 - and run by run -
// here 1) keep 8 x 16 accumulators across the channels, and the output
// transform (then the bias and ReLU on the interleaved pixels) writes each
// tile row's two output rows, the tiles' columns interleaved,
// straight into the NCHW result (masked: 3 tiles of 8 lanes).
// CHECK-LABEL: func @winograd
// CHECK-NOT: tensor.pad
// CHECK: %[[U:.*]] = arith.constant dense_resource<strata.winograd_filter> : tensor<16x1x2x8xf32>
// CHECK: scf.forall (%{{.*}}) in (2) shared_outs(%{{.*}}) -> (tensor<2x2x1x2x6x4xf32>)
// CHECK: vector.transfer_read %{{.*}} : tensor<1x2x6x6xf32>, vector<6xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [6, 1, 3, 5] : vector<6xf32>, vector<6xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 2, 4, 6] : vector<6xf32>, vector<6xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3, 4, 5]] : tensor<2x2x1x2x6x4xf32> into tensor<192xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 1) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<1x8x6x6xf32>)
// CHECK: scf.for %[[C:.*]] = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x2x16xf32>)
// CHECK: scf.for
// CHECK-COUNT-16: vector.transfer_read %[[FLAT]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<192xf32>, vector<16xf32>
// CHECK-COUNT-16: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %[[C]], %{{.*}}] {in_bounds = [true]} : vector<16xf32>, tensor<16x2x16xf32>
// CHECK: scf.for %[[K:.*]] = %c0{{.*}} to %c16{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x8x16xf32>)
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c1{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x8x16xf32>)
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c1{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<16x8x16xf32>)
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: tensor.extract %[[U]][%[[K]], %{{.*}}, %{{.*}}, %{{.*}}] : tensor<16x1x2x8xf32>
// CHECK-COUNT-8: vector.fma
// CHECK: scf.for %[[ROW:.*]] = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args(%{{.*}} = %{{.*}}) -> (tensor<1x8x6x6xf32>)
// CHECK-COUNT-16: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<16x8x16xf32>, vector<8xf32>
// CHECK: %[[PIXELS:.*]] = vector.interleave %{{.*}}, %{{.*}} : vector<8xf32> -> vector<16xf32>
// CHECK: %[[BIASED:.*]] = arith.addf %[[PIXELS]], %{{.*}} : vector<16xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[BIASED]], %{{.*}} : vector<16xf32>
// CHECK: vector.transfer_write %[[RELU]], %{{.*}}[%c0{{.*}}, %{{.*}}, %{{.*}}, %c0{{.*}}] : vector<16xf32>, tensor<1x8x6x6xf32>
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[0, %{{.*}}, %{{.*}}, 0] [1, 8, 6, 6] [1, 1, 1, 1] : tensor<1x8x6x6xf32> into tensor<1x8x6x6xf32>
// CHECK-NOT: linalg.conv_2d
// CHECK-NOT: linalg.generic
func.func @winograd(%x: tensor<1x2x6x6xf32>, %bias: tensor<8xf32>) -> tensor<1x8x6x6xf32> {
  %w = arith.constant dense<[[[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]], [[[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]], [[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]]], [[[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]], [[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]]], [[[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]], [[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]], [[[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]], [[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]]], [[[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]], [[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]]], [[[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]], [[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]]], [[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]]]> : tensor<8x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
  %e = tensor.empty() : tensor<1x8x6x6xf32>
  %init = linalg.broadcast ins(%bias : tensor<8xf32>) outs(%e : tensor<1x8x6x6xf32>) dimensions = [0, 2, 3]
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x8x8xf32>, tensor<8x2x3x3xf32>) outs(%init : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x6x6xf32>) outs(%e : tensor<1x8x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %in, %z : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  return %1 : tensor<1x8x6x6xf32>
}

// -----

// A residual add and a ReLU after the convolution are applied in the
// output transform: the residual (a tensor of the output's shape, defined
// after the convolution: the kernel is built after it) is read at the
// pixels being written, with the same mask, and both ops are gone.
// CHECK-LABEL: func @residual
// CHECK: %[[RESIDUAL:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<1x8x6x6xf32>)
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 1)
// CHECK: %[[PIXELS:.*]] = vector.interleave %{{.*}}, %{{.*}} : vector<8xf32> -> vector<16xf32>
// CHECK: %[[BIASED:.*]] = arith.addf %[[PIXELS]], %{{.*}} : vector<16xf32>
// CHECK: %[[SIDE:.*]] = vector.transfer_read %[[RESIDUAL]][%c0{{.*}}, %{{.*}}, %{{.*}}, %c0{{.*}}], %{{.*}} : tensor<1x8x6x6xf32>, vector<16xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[BIASED]], %[[SIDE]] : vector<16xf32>
// CHECK: %[[RELU:.*]] = arith.maximumf %[[SUM]], %{{.*}} : vector<16xf32>
// CHECK: vector.transfer_write %[[RELU]]
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @residual(%x: tensor<1x2x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %w = arith.constant dense<[[[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]], [[[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]], [[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]]], [[[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]], [[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]]], [[[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]], [[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]], [[[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]], [[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]]], [[[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]], [[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]]], [[[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]], [[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]]], [[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]]]> : tensor<8x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
  %e = tensor.empty() : tensor<1x8x6x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x8x8xf32>, tensor<8x2x3x3xf32>) outs(%init : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %skip = tensor.empty() : tensor<1x8x6x6xf32>
  %residual = linalg.fill ins(%one : f32) outs(%skip : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0, %residual : tensor<1x8x6x6xf32>, tensor<1x8x6x6xf32>) outs(%e : tensor<1x8x6x6xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %r = arith.addf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1 : tensor<1x8x6x6xf32>) outs(%e : tensor<1x8x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %r = arith.maximumf %in, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x8x6x6xf32>
  return %2 : tensor<1x8x6x6xf32>
}

// -----

// An elementwise consumer that changes the element type (a quantize to i8)
// is not an epilogue: the kernel writes f32, the quantize reads it.
// CHECK-LABEL: func @quantizing_consumer
// CHECK: scf.forall
// CHECK: %[[K:.*]] = scf.forall
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[K]] : tensor<1x8x6x6xf32>)
// CHECK: arith.fptosi %{{.*}} : f32 to i8
func.func @quantizing_consumer(%x: tensor<1x2x6x6xf32>) -> tensor<1x8x6x6xi8> {
  %w = arith.constant dense<[[[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]], [[[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]], [[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]]], [[[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]], [[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]]], [[[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]], [[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]], [[[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]], [[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]]], [[[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]], [[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]]], [[[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]], [[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]]], [[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]]]> : tensor<8x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
  %e = tensor.empty() : tensor<1x8x6x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x8x8xf32>, tensor<8x2x3x3xf32>) outs(%init : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %q = tensor.empty() : tensor<1x8x6x6xi8>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x8x6x6xf32>) outs(%q : tensor<1x8x6x6xi8>) {
  ^bb0(%in: f32, %out: i8):
    %r = arith.fptosi %in : f32 to i8
    linalg.yield %r : i8
  } -> tensor<1x8x6x6xi8>
  return %1 : tensor<1x8x6x6xi8>
}

// -----

// Not rewritten: an odd output size (left to the direct kernel), a filter
// that is not a constant, an image below min-pixels (30: 4 x 4).
// CHECK-LABEL: func @not_winograd
// CHECK-COUNT-3: linalg.conv_2d_nchw_fchw
// CHECK-NOT: strata.winograd_filter
func.func @not_winograd(%x: tensor<1x2x9x9xf32>, %y: tensor<1x2x12x12xf32>, %z: tensor<1x2x4x4xf32>, %wv: tensor<8x2x3x3xf32>) -> (tensor<1x8x9x9xf32>, tensor<1x8x12x12xf32>, tensor<1x8x4x4xf32>) {
  %w = arith.constant dense<[[[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]], [[[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]], [[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]]], [[[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]], [[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]]], [[[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]], [[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]], [[[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]], [[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]]], [[[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]], [[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]]], [[[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]], [[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]]], [[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]], [[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]]]> : tensor<8x2x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %px = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x9x9xf32> to tensor<1x2x11x11xf32>
  %ex = tensor.empty() : tensor<1x8x9x9xf32>
  %ix = linalg.fill ins(%zero : f32) outs(%ex : tensor<1x8x9x9xf32>) -> tensor<1x8x9x9xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%px, %w : tensor<1x2x11x11xf32>, tensor<8x2x3x3xf32>) outs(%ix : tensor<1x8x9x9xf32>) -> tensor<1x8x9x9xf32>
  %py = tensor.pad %y low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x12x12xf32> to tensor<1x2x14x14xf32>
  %ey = tensor.empty() : tensor<1x8x12x12xf32>
  %iy = linalg.fill ins(%zero : f32) outs(%ey : tensor<1x8x12x12xf32>) -> tensor<1x8x12x12xf32>
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%py, %wv : tensor<1x2x14x14xf32>, tensor<8x2x3x3xf32>) outs(%iy : tensor<1x8x12x12xf32>) -> tensor<1x8x12x12xf32>
  %pz = tensor.pad %z low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %ez = tensor.empty() : tensor<1x8x4x4xf32>
  %iz = linalg.fill ins(%zero : f32) outs(%ez : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%pz, %w : tensor<1x2x6x6xf32>, tensor<8x2x3x3xf32>) outs(%iz : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  return %0, %1, %2 : tensor<1x8x9x9xf32>, tensor<1x8x12x12xf32>, tensor<1x8x4x4xf32>
}
