// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=direct_conv vector-lanes=8" --strata-cpu-direct-convolutions -split-input-file | FileCheck %s

// A 3x3 stride-1 convolution of a 1x2x6x6 image padded to 8x8: the output
// is computed over wide rows of 8 pixels (6 x 8 = 48 = 3 strips of 16), by
// tiles of 8 filters x 16 pixels that start from the bias and read each
// window row straight from the flat padded image (offset c * 8 * 11 + i * 8
// + j + p: the image gets 3 extra zero rows so that the last strip stays in
// bounds). The padded image is written in one pass over the channels, each
// padded row one shuffle of an image row (clamped into the image, zeros
// outside it) and zeros; no tensor.pad is left. The output is the wide
// result less its last 2 columns per row.
// CHECK-LABEL: func @conv3x3
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x6x6xf32>
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%[[PC:.*]]) in (2) shared_outs(%{{.*}}) -> (tensor<1x1x1x2x11x8xf32>)
// CHECK: scf.for %[[PY:.*]] = %c0{{.*}} to %c11
// CHECK: %[[R:.*]] = affine.apply #{{.*}}(%[[PY]])
// CHECK: %[[LO:.*]] = arith.cmpi sge, %[[R]]
// CHECK: %[[HI:.*]] = arith.cmpi slt, %[[R]]
// CHECK: %[[IN:.*]] = arith.andi %[[LO]], %[[HI]]
// CHECK: %[[PROW:.*]] = vector.transfer_read %[[X]][%{{.*}}, %[[PC]], %{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x2x6x6xf32>, vector<6xf32>
// CHECK: %[[KEPT:.*]] = arith.select %[[IN]], %[[PROW]], %[[ZEROS:.*]] : vector<6xf32>
// CHECK: %[[PADDED:.*]] = vector.shuffle %[[KEPT]], %[[ZEROS]] [6, 0, 1, 2, 3, 4, 5, 6] : vector<6xf32>, vector<6xf32>
// CHECK: vector.transfer_write %[[PADDED]], %{{.*}}[%c0{{.*}}, %c0{{.*}}, %c0{{.*}}, %c0{{.*}}, %[[PY]], %c0{{.*}}] {in_bounds = [true]} : vector<8xf32>, tensor<1x1x1x1x11x8xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3, 4, 5]] : tensor<1x1x1x2x11x8xf32> into tensor<176xf32>
// CHECK: scf.forall (%[[S:.*]], %[[T:.*]]) in (3, 2) shared_outs(%{{.*}} = %{{.*}}) -> (tensor<16x48xf32>)
// CHECK: tensor.extract %{{.*}}[%{{.*}}] : tensor<16xf32>
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c2{{.*}} step %c1{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: vector.transfer_read %[[FLAT]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<176xf32>, vector<16xf32>
// CHECK-COUNT-72: vector.fma
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}] [8, 16] [1, 1] : tensor<8x16xf32> into tensor<16x48xf32>
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %{{.*}} {{\[\[}}0, 1], [2, 3]] output_shape [1, 16, 6, 8]
// CHECK: tensor.extract_slice %[[ROWS]][0, 0, 0, 0] [1, 16, 6, 6] [1, 1, 1, 1] : tensor<1x16x6x8xf32> to tensor<1x16x6x6xf32>
// CHECK-NOT: linalg.conv_2d
func.func @conv3x3(%x: tensor<1x2x6x6xf32>, %w: tensor<16x2x3x3xf32>, %bias: tensor<16xf32>) -> tensor<1x16x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
  %e = tensor.empty() : tensor<1x16x6x6xf32>
  %init = linalg.broadcast ins(%bias : tensor<16xf32>) outs(%e : tensor<1x16x6x6xf32>) dimensions = [0, 2, 3]
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x8x8xf32>, tensor<16x2x3x3xf32>) outs(%init : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}

// -----

// A ReLU on the convolution's result alone is applied in the tiles, to the
// accumulators before their store; its users read the convolution's result.
// An epilogue that also reads another tensor (a residual add) stays an op
// here: the image takes 3 strips (see @residual_small_image).
// CHECK-LABEL: func @relu_in_tiles
// CHECK: scf.forall
// CHECK-COUNT-72: vector.fma
// CHECK: arith.maximumf %{{.*}}, %{{.*}} : vector<16xf32>
// CHECK: vector.transfer_write
// CHECK: %[[OUT:.*]] = tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 16, 6, 6]
// CHECK-NOT: arith.maximumf
// CHECK: linalg.generic {{.*}} ins(%[[OUT]], %{{.*}} : tensor<1x16x6x6xf32>, tensor<1x16x6x6xf32>)
// CHECK: arith.addf
func.func @relu_in_tiles(%x: tensor<1x2x6x6xf32>, %w: tensor<16x2x3x3xf32>, %skip: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
  %e = tensor.empty() : tensor<1x16x6x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x8x8xf32>, tensor<16x2x3x3xf32>) outs(%init : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0 : tensor<1x16x6x6xf32>) outs(%e : tensor<1x16x6x6xf32>) {
  ^bb0(%in: f32, %out: f32):
    %z = arith.constant 0.0 : f32
    %r = arith.maximumf %in, %z : f32
    linalg.yield %r : f32
  } -> tensor<1x16x6x6xf32>
  %2 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%1, %skip : tensor<1x16x6x6xf32>, tensor<1x16x6x6xf32>) outs(%e : tensor<1x16x6x6xf32>) {
  ^bb0(%in: f32, %s: f32, %out: f32):
    %r = arith.addf %in, %s : f32
    linalg.yield %r : f32
  } -> tensor<1x16x6x6xf32>
  return %2 : tensor<1x16x6x6xf32>
}

// -----

// Stride 2: the padded 9x9 image (padded on to 2 x 12 rows, 2 x 5 columns:
// 6 rows and 7 extra for the last strip's reads) is split into 2 x 2 phase
// images of 12 x 5 pixels (pixels (2y + a, 2x + b) in phase (a, b): each
// image row one vector, shuffled with zeros into two phase rows, in an
// scf.forall over the channels); window position (i, j) reads phase
// (i % 2, j % 2) at offset (i / 2) * 5 + j / 2 within it (phase (0, 1) is
// 120 elements on), a stride-1 kernel per phase. The output has wide rows
// of 5 pixels: 4 x 5 = 20, at most two strips of 16, so the tiles are one
// strip of 32 pixels by 4 filters (as many accumulators, and each weight
// read once).
// CHECK-LABEL: func @conv3x3_stride2
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%[[C:.*]]) in (2) shared_outs(%{{.*}}) -> (tensor<2x2x1x2x12x5xf32>)
// CHECK: scf.for %[[Y:.*]] = %c0{{.*}} to %c12
// CHECK: %[[ROW:.*]] = vector.transfer_read %{{.*}}[%{{.*}}, %[[C]], %{{.*}}, %{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x2x7x7xf32>, vector<7xf32>
// CHECK: %[[KEPT:.*]] = arith.select %{{.*}}, %[[ROW]], %[[ZEROS:.*]] : vector<7xf32>
// CHECK: %[[EVEN:.*]] = vector.shuffle %[[KEPT]], %[[ZEROS]] [7, 1, 3, 5, 7]
// CHECK: vector.transfer_write %[[EVEN]], %{{.*}}[%c0{{.*}}, %c0{{.*}}, %c0{{.*}}, %c0{{.*}}, %[[Y]], %c0{{.*}}]
// CHECK: %[[ODD:.*]] = vector.shuffle %[[KEPT]], %[[ZEROS]] [0, 2, 4, 6, 7]
// CHECK: vector.transfer_write %[[ODD]], %{{.*}}[%c0{{.*}}, %c1{{.*}}, %c0{{.*}}, %c0{{.*}}, %[[Y]], %c0{{.*}}]
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[0, 0, 0, %[[C]], 0, 0] [2, 2, 1, 1, 12, 5]
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %{{.*}} {{\[\[}}0, 1, 2, 3, 4, 5]] : tensor<2x2x1x2x12x5xf32> into tensor<480xf32>
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 4) shared_outs(%{{.*}}) -> (tensor<16x32xf32>)
// CHECK: scf.for {{.*}} -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK-NOT: scf.for
// CHECK: vector.transfer_read %[[FLAT]][%{{.*}}], %{{.*}} : tensor<480xf32>, vector<32xf32>
// CHECK-COUNT-36: vector.fma
// CHECK: tensor.parallel_insert_slice %{{.*}} [4, 32] [1, 1] : tensor<4x32xf32> into tensor<16x32xf32>
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 16, 4, 4] [1, 1, 1, 1] : tensor<1x16x4x5xf32> to tensor<1x16x4x4xf32>
func.func @conv3x3_stride2(%x: tensor<1x2x7x7xf32>, %w: tensor<16x2x3x3xf32>) -> tensor<1x16x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x7x7xf32> to tensor<1x2x9x9xf32>
  %e = tensor.empty() : tensor<1x16x4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x9x9xf32>, tensor<16x2x3x3xf32>) outs(%init : tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %0 : tensor<1x16x4x4xf32>
}

// -----

// A 7x7 window (the ResNet stem: stride 2, pad 3) is not unrolled whole:
// within the channel loop, an scf.for over the 7 kernel rows carries the
// accumulators, and only a row's 7 positions (7 x 8 FMAs) are unrolled. The
// padded 18x18 image gives phase images 9 wide; 6 x 9 = 54 wide pixels are
// 4 strips of 16 by tiles of 8 filters.
// CHECK-LABEL: func @conv7x7_stride2
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (4, 2) shared_outs(%{{.*}}) -> (tensor<16x64xf32>)
// CHECK: scf.for %[[C:.*]] = %c0{{.*}} to %c3{{.*}} step %c1{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: scf.for %[[I:.*]] = %c0{{.*}} to %c7{{.*}} step %c1{{.*}} iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %[[C]], %[[I]], %{{.*}}] : tensor<16x3x7x7xf32>
// CHECK-COUNT-56: vector.fma
// CHECK-NEXT: scf.yield
// CHECK-NEXT: }
// CHECK-NEXT: scf.yield
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0, 0] [1, 16, 6, 6] [1, 1, 1, 1] : tensor<1x16x6x9xf32> to tensor<1x16x6x6xf32>
func.func @conv7x7_stride2(%x: tensor<1x3x12x12xf32>, %w: tensor<16x3x7x7xf32>) -> tensor<1x16x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 3, 3] high[0, 0, 3, 3] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x3x12x12xf32> to tensor<1x3x18x18xf32>
  %e = tensor.empty() : tensor<1x16x6x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %w : tensor<1x3x18x18xf32>, tensor<16x3x7x7xf32>) outs(%init : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0 : tensor<1x16x6x6xf32>
}

// -----

// Left alone: stride 3, an unpadded image (no tensor.pad to extend),
// output channels that 8 does not divide, and a pad that adds channels.
// CHECK-LABEL: func @negative
// CHECK-COUNT-4: linalg.conv_2d_nchw_fchw
// CHECK-NOT: scf.forall
func.func @negative(%x: tensor<1x2x8x8xf32>, %w: tensor<16x2x3x3xf32>, %w4: tensor<4x2x3x3xf32>,
                    %o: tensor<1x16x2x2xf32>, %o6: tensor<1x16x6x6xf32>, %o4: tensor<1x4x4x4xf32>,
                    %x1: tensor<1x1x6x6xf32>) -> (tensor<1x16x2x2xf32>, tensor<1x16x6x6xf32>, tensor<1x4x4x4xf32>, tensor<1x16x6x6xf32>) {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 0, 0] high[0, 0, 0, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x8x8xf32> to tensor<1x2x8x8xf32>
  %f = linalg.fill ins(%zero : f32) outs(%o : tensor<1x16x2x2xf32>) -> tensor<1x16x2x2xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<3> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x8x8xf32>, tensor<16x2x3x3xf32>) outs(%f : tensor<1x16x2x2xf32>) -> tensor<1x16x2x2xf32>
  %f6 = linalg.fill ins(%zero : f32) outs(%o6 : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x8x8xf32>, tensor<16x2x3x3xf32>) outs(%f6 : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  %f4 = linalg.fill ins(%zero : f32) outs(%o4 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %x4 = tensor.extract_slice %x[0, 0, 0, 0] [1, 2, 6, 6] [1, 1, 1, 1] : tensor<1x2x8x8xf32> to tensor<1x2x6x6xf32>
  %p4 = tensor.pad %x4 low[0, 0, 0, 0] high[0, 0, 0, 0] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x6x6xf32>
  %2 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p4, %w4 : tensor<1x2x6x6xf32>, tensor<4x2x3x3xf32>) outs(%f4 : tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %pc = tensor.pad %x1 low[0, 1, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x1x6x6xf32> to tensor<1x2x8x8xf32>
  %3 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%pc, %w : tensor<1x2x8x8xf32>, tensor<16x2x3x3xf32>) outs(%f6 : tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32>
  return %0, %1, %2, %3 : tensor<1x16x2x2xf32>, tensor<1x16x6x6xf32>, tensor<1x4x4x4xf32>, tensor<1x16x6x6xf32>
}

// -----

// A small image (4 x 4 padded to 6 x 6: 24 wide pixels, within two strips
// of 16) is one strip of 32 pixels by 4 filters, which covers the whole
// image: then a residual add (and the ReLU after it) is applied in the
// tiles too. The residual's rows (4 pixels each) are read into the strip's
// wide layout, row y at lanes 6 y to 6 y + 3, added to the biased
// accumulators, and the sum is clipped at 0 before the one store.
// CHECK-LABEL: func @residual_small_image
// CHECK-SAME: %[[R:[^:]*]]: tensor<1x8x4x4xf32>)
// CHECK: scf.forall (%{{.*}}, %{{.*}}) in (1, 2) shared_outs(%{{.*}}) -> (tensor<8x32xf32>)
// CHECK: %[[ROW0:.*]] = vector.transfer_read %[[R]][%{{.*}}, %{{.*}}, %c0{{.*}}, %c0{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x8x4x4xf32>, vector<4xf32>
// CHECK: vector.insert_strided_slice %[[ROW0]], %{{.*}} {offsets = [0], strides = [1]} : vector<4xf32> into vector<32xf32>
// CHECK-COUNT-3: vector.insert_strided_slice %{{.*}} {offsets = [{{6|12|18}}], strides = [1]} : vector<4xf32> into vector<32xf32>
// CHECK: %[[SUM:.*]] = arith.addf %{{.*}}, %{{.*}} : vector<32xf32>
// CHECK: arith.maximumf %[[SUM]], %{{.*}} : vector<32xf32>
// CHECK: vector.transfer_write
// CHECK-NOT: linalg.generic
func.func @residual_small_image(%x: tensor<1x2x4x4xf32>, %w: tensor<8x2x3x3xf32>, %bias: tensor<8xf32>, %r: tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x2x4x4xf32> to tensor<1x2x6x6xf32>
  %e = tensor.empty() : tensor<1x8x4x4xf32>
  %init = linalg.broadcast ins(%bias : tensor<8xf32>) outs(%e : tensor<1x8x4x4xf32>) dimensions = [0, 2, 3]
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x2x6x6xf32>, tensor<8x2x3x3xf32>) outs(%init : tensor<1x8x4x4xf32>) -> tensor<1x8x4x4xf32>
  %e2 = tensor.empty() : tensor<1x8x4x4xf32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%0, %r : tensor<1x8x4x4xf32>, tensor<1x8x4x4xf32>) outs(%e2 : tensor<1x8x4x4xf32>) {
  ^bb0(%in: f32, %res: f32, %out: f32):
    %s = arith.addf %in, %res : f32
    %m = arith.maximumf %s, %zero : f32
    linalg.yield %m : f32
  } -> tensor<1x8x4x4xf32>
  return %1 : tensor<1x8x4x4xf32>
}
