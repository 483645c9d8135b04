// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=window_rows vector-lanes=16" --strata-cpu-vectorize-windows -split-input-file | FileCheck %s
// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=window_rows vector-lanes=8" --strata-cpu-vectorize-windows -split-input-file | FileCheck %s --check-prefix=WIDE

// Stride 1 with a bias and a ReLU6 epilogue: one tile per output row (an
// scf.forall over images, channels and rows), each row one vector<12xf32> started
// from the bias element (broadcast, not read from a broadcast tensor), 9
// FMAs over shifted input rows, clipped in registers and stored once.
// CHECK-LABEL: func @stride1_clip
// CHECK: scf.forall (%[[N:.*]], %[[C:.*]], %[[Y:.*]]) in (1, 4, 12)
// CHECK: tensor.extract_slice %{{.*}}[%[[N]], %[[C]], %[[Y]], 0] [1, 1, 3, 14]
// CHECK: %[[BIAS:.*]] = tensor.extract %{{.*}}[%c0] : tensor<1xf32>
// CHECK: vector.broadcast %[[BIAS]] : f32 to vector<12xf32>
// CHECK-COUNT-9: vector.fma {{.*}} : vector<12xf32>
// CHECK: arith.maximumf {{.*}} : vector<12xf32>
// CHECK-NEXT: arith.minimumf {{.*}} : vector<12xf32>
// CHECK-NEXT: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<12xf32>, tensor<1x1x1x12xf32>
// CHECK-NOT: linalg.
//
// A row wider than a vector (12 lanes of 8-lane vectors) is computed in
// the next power of two lanes, the lanes past the row masked off (reads and
// the write not in bounds): LLVM would widen a 12-lane vector and, once it
// hoists a broadcast weight out of a sequential row loop, rebuild it lane by
// lane on every row.
// WIDE-LABEL: func @stride1_clip
// WIDE: vector.broadcast %{{.*}} : f32 to vector<16xf32>
// WIDE: vector.transfer_read %{{.*}}[%c0, %c0, %c0, %c0], %{{.*}} : tensor<1x1x3x14xf32>, vector<16xf32>
// WIDE-COUNT-9: vector.fma {{.*}} : vector<16xf32>
// WIDE: arith.maximumf {{.*}} : vector<16xf32>
// WIDE-NEXT: arith.minimumf {{.*}} : vector<16xf32>
// WIDE-NEXT: vector.transfer_write %{{.*}}, %{{.*}}[%c0, %c0, %c0, %c0] : vector<16xf32>, tensor<1x1x1x12xf32>
func.func @stride1_clip(%x: tensor<1x4x14x14xf32>, %w: tensor<4x3x3xf32>, %bias: tensor<4xf32>) -> tensor<1x4x12x12xf32> {
  %lo = arith.constant 0.0 : f32
  %hi = arith.constant 6.0 : f32
  %e = tensor.empty() : tensor<1x4x12x12xf32>
  %b = linalg.broadcast ins(%bias : tensor<4xf32>) outs(%e : tensor<1x4x12x12xf32>) dimensions = [0, 2, 3]
  %conv = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x14x14xf32>, tensor<4x3x3xf32>) outs(%b : tensor<1x4x12x12xf32>) -> tensor<1x4x12x12xf32>
  %e2 = tensor.empty() : tensor<1x4x12x12xf32>
  %c = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%conv : tensor<1x4x12x12xf32>) outs(%e2 : tensor<1x4x12x12xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.maximumf %in, %lo : f32
    %1 = arith.minimumf %0, %hi : f32
    linalg.yield %1 : f32
  } -> tensor<1x4x12x12xf32>
  return %c : tensor<1x4x12x12xf32>
}

// -----

// Stride 2, no epilogue, zero initial value: each window column reads 2 x 7
// lanes (the last ones past the input's edge, as zeros: not in bounds) and
// keeps the even ones.
// CHECK-LABEL: func @stride2
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 4, 7)
// CHECK-COUNT-2: vector.transfer_read {{.*}} {in_bounds = [true]} : tensor<1x1x3x15xf32>, vector<14xf32>
// CHECK: vector.transfer_read %{{.*}}[%c0, %c0, %c0, %c2], %{{.*}} : tensor<1x1x3x15xf32>, vector<14xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [14, 16, 18, 20, 22, 24, 26] : vector<14xf32>, vector<14xf32>
// CHECK: vector.fma {{.*}} : vector<7xf32>
// CHECK: vector.transfer_write {{.*}} : vector<7xf32>, tensor<1x1x1x7xf32>
// CHECK-NOT: linalg.
func.func @stride2(%x: tensor<1x4x15x15xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x7x7xf32> {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x4x7x7xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  %conv = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x4x15x15xf32>, tensor<4x3x3xf32>) outs(%f : tensor<1x4x7x7xf32>) -> tensor<1x4x7x7xf32>
  return %conv : tensor<1x4x7x7xf32>
}

// -----

// Through a zero pad: the tiles read the unpadded image, so the padded copy
// is never made. Window rows above or below the image read as zeros (a
// clamped row index, the row replaced by zeros); the window column left of
// the image shifts a zero in.
// CHECK-LABEL: func @through_pad
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %[[Y:.*]]) in (1, 4, 6)
// CHECK: %[[ROW:.*]] = arith.addi %[[Y]], %c-1
// CHECK: %[[ABOVE:.*]] = arith.cmpi slt, %[[ROW]], %c0
// CHECK: %[[BELOW:.*]] = arith.cmpi sge, %[[ROW]], %c6
// CHECK: arith.select %{{.*}}, %[[ROW]], %c0
// CHECK: vector.transfer_read %{{.*}} {in_bounds = [true]} : tensor<1x4x6x6xf32>, vector<6xf32>
// CHECK: vector.shuffle %{{.*}}, %{{.*}} [0, 6, 7, 8, 9, 10] : vector<6xf32>, vector<6xf32>
// CHECK: arith.select %{{.*}}, %{{.*}}, %cst{{.*}} : vector<6xf32>
// CHECK-COUNT-9: vector.fma {{.*}} : vector<6xf32>
// CHECK-NOT: tensor.pad
func.func @through_pad(%x: tensor<1x4x6x6xf32>, %w: tensor<4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x4x6x6xf32> to tensor<1x4x8x8xf32>
  %e = tensor.empty() : tensor<1x4x6x6xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  %conv = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x4x8x8xf32>, tensor<4x3x3xf32>) outs(%f : tensor<1x4x6x6xf32>) -> tensor<1x4x6x6xf32>
  return %conv : tensor<1x4x6x6xf32>
}

// -----

// Rows wider than 256 lanes, other element types, and windows of more than
// 64 positions (each position is unrolled: this 9x8 pooling window would be
// 72 row reads per tile) are left alone.
// CHECK-LABEL: func @negative
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} -> tensor<1x2x1x300xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} -> tensor<1x2x4x4xf16>
// CHECK: linalg.pooling_nchw_max {{.*}} -> tensor<1x2x2x3xf32>
// CHECK-NOT: scf.forall
func.func @negative(%x: tensor<1x2x3x302xf32>, %w: tensor<2x3x3xf32>, %o: tensor<1x2x1x300xf32>,
                    %xh: tensor<1x2x6x6xf16>, %wh: tensor<2x3x3xf16>, %oh: tensor<1x2x4x4xf16>,
                    %xp: tensor<1x2x10x10xf32>, %op: tensor<1x2x2x3xf32>) -> (tensor<1x2x1x300xf32>, tensor<1x2x4x4xf16>, tensor<1x2x2x3xf32>) {
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x2x3x302xf32>, tensor<2x3x3xf32>) outs(%o : tensor<1x2x1x300xf32>) -> tensor<1x2x1x300xf32>
  %1 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xh, %wh : tensor<1x2x6x6xf16>, tensor<2x3x3xf16>) outs(%oh : tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16>
  %win = tensor.empty() : tensor<9x8xf32>
  %2 = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%xp, %win : tensor<1x2x10x10xf32>, tensor<9x8xf32>) outs(%op : tensor<1x2x2x3xf32>) -> tensor<1x2x2x3xf32>
  return %0, %1, %2 : tensor<1x2x1x300xf32>, tensor<1x2x4x4xf16>, tensor<1x2x2x3xf32>
}

// -----

// Max pooling 3x3, stride 2, through a -inf pad (ResNet's stem pool on a
// 6x6 image): one tile per output row starting from the -inf fill; every
// window position reads 2 x 3 lanes of an image row (the rows above the
// image replaced by -inf after a clamped read), keeps every other lane
// (the column left of the image shifting -inf in) and takes the max (the
// first max, with the -inf fill, folds away).
// CHECK-LABEL: func @max_pool_through_pad
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x6x6xf32>)
// CHECK-DAG: %[[NEGINF:.*]] = arith.constant dense<0xFF800000> : vector<6xf32>
// CHECK-DAG: %[[NEGINF3:.*]] = arith.constant dense<0xFF800000> : vector<3xf32>
// CHECK-NOT: tensor.pad
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %[[Y:.*]]) in (1, 2, 3)
// CHECK: %[[R:.*]] = affine.apply #{{.*}}(%[[Y]])
// CHECK: %[[ABOVE:.*]] = arith.addi %[[R]], %c-1
// CHECK: arith.cmpi slt, %[[ABOVE]], %c0
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[X]][{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<1x2x6x6xf32>, vector<6xf32>
// CHECK: %[[EVEN:.*]] = vector.shuffle %[[NEGINF]], %[[ROW]] [0, 7, 9] : vector<6xf32>, vector<6xf32>
// CHECK: %[[KEPT:.*]] = arith.select %{{.*}}, %[[EVEN]], %[[NEGINF3]] : vector<3xf32>
// CHECK: arith.maximumf %[[KEPT]], %{{.*}} : vector<3xf32>
// CHECK-COUNT-7: arith.maximumf {{.*}} : vector<3xf32>
// CHECK: vector.transfer_write {{.*}} : vector<3xf32>, tensor<1x1x1x3xf32>
// CHECK-NOT: linalg.
func.func @max_pool_through_pad(%x: tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32> {
  %neginf = arith.constant 0xFF800000 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %neginf : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%neginf : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %win : tensor<1x2x8x8xf32>, tensor<3x3xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %pool : tensor<1x2x3x3xf32>
}

// -----

// Sum pooling 2x2, stride 1, unpadded, with the average's division as the
// epilogue: each row adds the 4 shifted input rows to the zero fill and is
// divided in registers before its one store.
// CHECK-LABEL: func @average_pool
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 2, 3)
// CHECK-COUNT-4: arith.addf {{.*}} : vector<3xf32>
// CHECK: arith.divf {{.*}} : vector<3xf32>
// CHECK: vector.transfer_write {{.*}} : vector<3xf32>, tensor<1x1x1x3xf32>
// CHECK-NOT: linalg.
func.func @average_pool(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x3x3xf32> {
  %zero = arith.constant 0.0 : f32
  %four = arith.constant 4.0 : f32
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%zero : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %win = tensor.empty() : tensor<2x2xf32>
  %sum = linalg.pooling_nchw_sum {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %win : tensor<1x2x4x4xf32>, tensor<2x2xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %e2 = tensor.empty() : tensor<1x2x3x3xf32>
  %avg = linalg.generic {indexing_maps = [affine_map<(n, c, h, w) -> (n, c, h, w)>, affine_map<(n, c, h, w) -> (n, c, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%sum : tensor<1x2x3x3xf32>) outs(%e2 : tensor<1x2x3x3xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.divf %in, %four : f32
    linalg.yield %0 : f32
  } -> tensor<1x2x3x3xf32>
  return %avg : tensor<1x2x3x3xf32>
}

// -----

// A max pooling through a pad whose value is not a constant reads the
// padded tensor (the tiles' slices of it), not the image.
// CHECK-LABEL: func @max_pool_dynamic_padding
// CHECK: tensor.pad
// CHECK: scf.forall
// CHECK: tensor.extract_slice %{{.*}} : tensor<1x2x8x8xf32> to tensor<1x1x3x7xf32>
// CHECK-COUNT-9: arith.maximumf {{.*}} : vector<3xf32>
func.func @max_pool_dynamic_padding(%x: tensor<1x2x6x6xf32>, %v: f32) -> tensor<1x2x3x3xf32> {
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %v : f32
  } : tensor<1x2x6x6xf32> to tensor<1x2x8x8xf32>
  %e = tensor.empty() : tensor<1x2x3x3xf32>
  %f = linalg.fill ins(%v : f32) outs(%e : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %win = tensor.empty() : tensor<3x3xf32>
  %pool = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%p, %win : tensor<1x2x8x8xf32>, tensor<3x3xf32>) outs(%f : tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %pool : tensor<1x2x3x3xf32>
}
