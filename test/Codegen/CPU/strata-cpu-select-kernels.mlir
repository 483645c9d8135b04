// RUN: strata-opt %s --strata-cpu-select-kernels="vector-lanes=16 l2-bytes=1048576 threads=2" -split-input-file | FileCheck %s
// RUN: strata-opt %s --strata-cpu-select-kernels="vector-lanes=8 l2-bytes=1048576 threads=1" -split-input-file | FileCheck %s --check-prefix=AVX2
// RUN: strata-opt %s --strata-cpu-select-kernels="vector-lanes=16 threads=2 kernels=im2col_matmul,window_loops" -split-input-file | FileCheck %s --check-prefix=ONLY

// Each op's kernel and sizes, chosen once from the target (16 f32 lanes:
// AVX-512; 8: AVX2) and the threads, as a `strata.kernel_config`.

// A matmul: register tiles of 8 rows by 2 vectors, strips shared out by the
// threads.
// CHECK-LABEL: func @matmul
// CHECK: linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = 2 : i64, tile_sizes = array<i64: 8, 32>}}
// AVX2-LABEL: func @matmul
// AVX2: linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = 1 : i64, tile_sizes = array<i64: 8, 16>}}
// ONLY-LABEL: func @matmul
// ONLY-NOT: strata.kernel_config
func.func @matmul(%a: tensor<64x128xf32>, %b: tensor<128x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// A padded 3x3 stride-1 convolution with a constant filter on a 16x16
// image: Winograd, in runs of 2 vectors, for the threads and the L2 cache.
// CHECK-LABEL: func @conv3x3
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strata.kernel_config = {kernel = "winograd", l2_bytes = 1048576 : i64, strip_width = 32 : i64, threads = 2 : i64}, strides = dense<1> : tensor<2xi64>}
// AVX2-LABEL: func @conv3x3
// AVX2: strata.kernel_config = {kernel = "winograd", l2_bytes = 1048576 : i64, strip_width = 16 : i64, threads = 1 : i64}
// ONLY-LABEL: func @conv3x3
// ONLY: strata.kernel_config = {kernel = "im2col_matmul", min_strips = 4 : i64, strip_width = 32 : i64, threads = 2 : i64, tile_sizes = array<i64: 8, 32>}
func.func @conv3x3(%x: tensor<1x1x16x16xf32>) -> tensor<1x8x16x16xf32> {
  %w = arith.constant dense<[[[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]], [[[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]], [[[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]]], [[[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]]], [[[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]]], [[[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]]], [[[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]]], [[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]]]> : tensor<8x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x16x16xf32> to tensor<1x1x18x18xf32>
  %e = tensor.empty() : tensor<1x8x16x16xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x1x18x18xf32>, tensor<8x1x3x3xf32>) outs(%init : tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  return %0 : tensor<1x8x16x16xf32>
}

// -----

// The same convolution on a 6x6 image: too small for Winograd (under 100
// output pixels), so the direct kernel, in strips of 2 vectors.
// CHECK-LABEL: func @conv3x3_small
// CHECK: strata.kernel_config = {kernel = "direct_conv", strip_width = 32 : i64}
// AVX2-LABEL: func @conv3x3_small
// AVX2: strata.kernel_config = {kernel = "direct_conv", strip_width = 16 : i64}
func.func @conv3x3_small(%x: tensor<1x1x6x6xf32>) -> tensor<1x8x6x6xf32> {
  %w = arith.constant dense<[[[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]], [[[-0.25, 0.0, 0.25], [0.5, 0.75, -0.75], [-0.5, -0.25, 0.0]]], [[[0.25, 0.5, 0.75], [-0.75, -0.5, -0.25], [0.0, 0.25, 0.5]]], [[[0.75, -0.75, -0.5], [-0.25, 0.0, 0.25], [0.5, 0.75, -0.75]]], [[[-0.5, -0.25, 0.0], [0.25, 0.5, 0.75], [-0.75, -0.5, -0.25]]], [[[0.0, 0.25, 0.5], [0.75, -0.75, -0.5], [-0.25, 0.0, 0.25]]], [[[0.5, 0.75, -0.75], [-0.5, -0.25, 0.0], [0.25, 0.5, 0.75]]], [[[-0.75, -0.5, -0.25], [0.0, 0.25, 0.5], [0.75, -0.75, -0.5]]]]> : tensor<8x1x3x3xf32>
  %zero = arith.constant 0.0 : f32
  %p = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k: index, %l: index):
    tensor.yield %zero : f32
  } : tensor<1x1x6x6xf32> to tensor<1x1x8x8xf32>
  %e = tensor.empty() : tensor<1x8x6x6xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%p, %w : tensor<1x1x8x8xf32>, tensor<8x1x3x3xf32>) outs(%init : tensor<1x8x6x6xf32>) -> tensor<1x8x6x6xf32>
  return %0 : tensor<1x8x6x6xf32>
}

// -----

// A depthwise 3x3 convolution whose output rows (56 pixels) fit in one
// vector: one vector per output row.
// CHECK-LABEL: func @depthwise
// CHECK: linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strata.kernel_config = {kernel = "window_rows", vector_lanes = 16 : i64}, strides = dense<1> : tensor<2xi64>}
// ONLY-LABEL: func @depthwise
// ONLY: strata.kernel_config = {kernel = "window_loops"}
func.func @depthwise(%x: tensor<1x32x58x58xf32>, %w: tensor<32x3x3xf32>, %init: tensor<1x32x56x56xf32>) -> tensor<1x32x56x56xf32> {
  %0 = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x32x58x58xf32>, tensor<32x3x3xf32>) outs(%init : tensor<1x32x56x56xf32>) -> tensor<1x32x56x56xf32>
  return %0 : tensor<1x32x56x56xf32>
}

// -----

// A strided 1x1 convolution (a ResNet shortcut): neither Winograd nor
// direct (no padding), so a matmul of the filter by the subsampled image,
// with the matmul's register tile.
// CHECK-LABEL: func @pointwise_strided
// CHECK: strata.kernel_config = {kernel = "im2col_matmul", min_strips = 4 : i64, strip_width = 32 : i64, threads = 2 : i64, tile_sizes = array<i64: 8, 32>}
// AVX2-LABEL: func @pointwise_strided
// AVX2: strata.kernel_config = {kernel = "im2col_matmul", min_strips = 4 : i64, strip_width = 16 : i64, threads = 1 : i64, tile_sizes = array<i64: 8, 16>}
func.func @pointwise_strided(%x: tensor<1x64x56x56xf32>, %w: tensor<128x64x1x1xf32>, %init: tensor<1x128x28x28xf32>) -> tensor<1x128x28x28xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
      ins(%x, %w : tensor<1x64x56x56xf32>, tensor<128x64x1x1xf32>) outs(%init : tensor<1x128x28x28xf32>) -> tensor<1x128x28x28xf32>
  return %0 : tensor<1x128x28x28xf32>
}

// -----

// A configuration written by hand stands (here: a narrower tile).
// CHECK-LABEL: func @by_hand
// CHECK: linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = 1 : i64, tile_sizes = array<i64: 4, 16>}}
func.func @by_hand(%a: tensor<64x128xf32>, %b: tensor<128x256xf32>, %c: tensor<64x256xf32>) -> tensor<64x256xf32> {
  %0 = linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = 1 : i64, tile_sizes = array<i64: 4, 16>}} ins(%a, %b : tensor<64x128xf32>, tensor<128x256xf32>) outs(%c : tensor<64x256xf32>) -> tensor<64x256xf32>
  return %0 : tensor<64x256xf32>
}

// -----

// negative_: dynamic shapes and other element types get no CPU kernel (they
// become plain loops).
// CHECK-LABEL: func @negative_dynamic
// CHECK-NOT: strata.kernel_config
func.func @negative_dynamic(%a: tensor<?x128xf32>, %b: tensor<128x256xf32>, %c: tensor<?x256xf32>) -> tensor<?x256xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<?x128xf32>, tensor<128x256xf32>) outs(%c : tensor<?x256xf32>) -> tensor<?x256xf32>
  return %0 : tensor<?x256xf32>
}

// -----

// negative_: a zero-sized dimension leaves nothing to tile: no kernel (the
// loops run zero times and leave the initial value: zeros for K = 0).
// CHECK-LABEL: func @negative_empty
// CHECK-NOT: strata.kernel_config
func.func @negative_empty(%a: tensor<4x0xf32>, %b: tensor<0x8xf32>, %c: tensor<4x8xf32>, %x: tensor<1x0x8x8xf32>, %w: tensor<4x0x1x1xf32>, %y: tensor<1x4x8x8xf32>) -> (tensor<4x8xf32>, tensor<1x4x8x8xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4x0xf32>, tensor<0x8xf32>) outs(%c : tensor<4x8xf32>) -> tensor<4x8xf32>
  %1 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
      ins(%x, %w : tensor<1x0x8x8xf32>, tensor<4x0x1x1xf32>) outs(%y : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<1x4x8x8xf32>
}

// -----

// Matmuls by sparse constant weights: a panel of up to 8 row vectors (4
// with 1 x 4 blocks of weight columns, whose 16 accumulators must fit),
// or the gather kernel with fewer rows than a vector.
#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
#BSR = #sparse_tensor.encoding<{map = (k, n) -> (k : dense, n floordiv 4 : compressed, n mod 4 : dense)}>
#lhsT = affine_map<(n, m, k) -> (k, m)>
#rhs = affine_map<(n, m, k) -> (k, n)>
#out = affine_map<(n, m, k) -> (n, m)>
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs2 = affine_map<(m, n, k) -> (k, n)>
#out2 = affine_map<(m, n, k) -> (m, n)>
// CHECK-LABEL: func @sparse
// CHECK: kernel = "sparse_panel", strip_width = 8 : i64, threads = 2 : i64, tile_sizes = array<i64: 128, 1>, vector_lanes = 16 : i64
// CHECK: kernel = "sparse_panel", strip_width = 8 : i64, threads = 2 : i64, tile_sizes = array<i64: 64, 4>, vector_lanes = 16 : i64
// CHECK: kernel = "sparse_gather", threads = 2 : i64, tile_sizes = array<i64: 1, 16>, vector_lanes = 16 : i64
// AVX2-LABEL: func @sparse
// AVX2: kernel = "sparse_panel", strip_width = 8 : i64, threads = 1 : i64, tile_sizes = array<i64: 32, 1>, vector_lanes = 8 : i64
// AVX2: kernel = "sparse_panel", strip_width = 8 : i64, threads = 1 : i64, tile_sizes = array<i64: 16, 4>, vector_lanes = 8 : i64
// AVX2: kernel = "sparse_gather", threads = 1 : i64, tile_sizes = array<i64: 1, 8>, vector_lanes = 8 : i64
// ONLY-LABEL: func @sparse
// ONLY-NOT: strata.kernel_config
func.func @sparse(%xt: tensor<8x128xf32>, %x: tensor<4x8xf32>) -> (tensor<8x128xf32>, tensor<8x128xf32>, tensor<4x8xf32>) {
  %w = arith.constant sparse<[[0, 0], [3, 5]], [1.0, 2.0]> : tensor<8x8xf32, #CSC>
  %b = arith.constant sparse<[[0, 0], [0, 1], [0, 2], [0, 3]], [1.0, 2.0, 3.0, 4.0]> : tensor<8x8xf32, #BSR>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<8x128xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<8x128xf32>) -> tensor<8x128xf32>
  %0 = linalg.generic {indexing_maps = [#lhsT, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xt, %w : tensor<8x128xf32>, tensor<8x8xf32, #CSC>) outs(%init : tensor<8x128xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x128xf32>
  %1 = linalg.generic {indexing_maps = [#lhsT, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xt, %b : tensor<8x128xf32>, tensor<8x8xf32, #BSR>) outs(%init : tensor<8x128xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<8x128xf32>
  %e2 = tensor.empty() : tensor<4x8xf32>
  %init2 = linalg.fill ins(%zero : f32) outs(%e2 : tensor<4x8xf32>) -> tensor<4x8xf32>
  %2 = linalg.generic {indexing_maps = [#lhs, #rhs2, #out2], iterator_types = ["parallel", "parallel", "reduction"]} ins(%x, %w : tensor<4x8xf32>, tensor<8x8xf32, #CSC>) outs(%init2 : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %0, %1, %2 : tensor<8x128xf32>, tensor<8x128xf32>, tensor<4x8xf32>
}

// -----

// K blocks of a sparse panel: its rows of a K block fill L1 (16 KiB: 32
// rows of 128 floats), and hold 8 non-zero rows per column or more (at 50%
// density, 16, rounded to 32); never more than K.
// RUN: strata-opt %s --strata-cpu-select-kernels="vector-lanes=16 l1-bytes=16384" -split-input-file | FileCheck %s --check-prefix=KBLOCK
// RUN: strata-opt %s --strata-cpu-select-kernels="vector-lanes=16 l1-bytes=65536" -split-input-file | FileCheck %s --check-prefix=KBLOCK-L1
#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
#lhsT = affine_map<(n, m, k) -> (k, m)>
#rhs = affine_map<(n, m, k) -> (k, n)>
#out = affine_map<(n, m, k) -> (n, m)>
// KBLOCK-LABEL: func @k_blocks
// KBLOCK: kernel = "sparse_panel", strip_width = 32 : i64
// KBLOCK-L1-LABEL: func @k_blocks
// KBLOCK-L1: kernel = "sparse_panel", strip_width = 64 : i64
func.func @k_blocks(%xt: tensor<64x128xf32>) -> tensor<2x128xf32> {
  %w = arith.constant sparse<[[0, 0], [1, 0], [2, 0], [3, 1], [4, 1], [7, 0], [9, 0], [11, 0], [12, 1], [13, 1], [14, 0], [14, 1], [15, 1], [16, 1], [17, 0], [17, 1], [19, 1], [20, 1], [21, 0], [22, 0], [23, 1], [25, 1], [26, 1], [27, 0], [28, 0], [28, 1], [29, 1], [30, 0], [31, 1], [32, 0], [32, 1], [33, 1], [34, 0], [35, 0], [36, 0], [38, 1], [40, 0], [40, 1], [42, 1], [43, 1], [44, 0], [44, 1], [45, 0], [45, 1], [46, 0], [48, 0], [48, 1], [49, 0], [50, 0], [50, 1], [52, 1], [53, 0], [53, 1], [54, 1], [55, 0], [56, 0], [57, 0], [57, 1], [59, 0], [59, 1], [60, 0], [60, 1], [61, 0], [63, 0]], [1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]> : tensor<64x2xf32, #CSC>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x128xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x128xf32>) -> tensor<2x128xf32>
  %0 = linalg.generic {indexing_maps = [#lhsT, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"]} ins(%xt, %w : tensor<64x128xf32>, tensor<64x2xf32, #CSC>) outs(%init : tensor<2x128xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x128xf32>
  return %0 : tensor<2x128xf32>
}

// -----

// A 2-D transpose: register blocks of vectors.
// CHECK-LABEL: func @transpose
// CHECK: linalg.transpose ins(%arg0 : tensor<32x48xf32>) outs(%{{.*}} : tensor<48x32xf32>) permutation = [1, 0]  {strata.kernel_config = {kernel = "transpose", threads = 2 : i64, vector_lanes = 16 : i64}}
// AVX2-LABEL: func @transpose
// AVX2: linalg.transpose {{.*}} {strata.kernel_config = {kernel = "transpose", threads = 1 : i64, vector_lanes = 8 : i64}}
func.func @transpose(%x: tensor<32x48xf32>) -> tensor<48x32xf32> {
  %e = tensor.empty() : tensor<48x32xf32>
  %0 = linalg.transpose ins(%x : tensor<32x48xf32>) outs(%e : tensor<48x32xf32>) permutation = [1, 0]
  return %0 : tensor<48x32xf32>
}

// -----

// Grouped convolutions get the im2col kernel (a matmul per group).
// CHECK-LABEL: func @grouped
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}}strata.kernel_config = {kernel = "im2col_matmul"
// ONLY-LABEL: func @grouped
// ONLY: linalg.conv_2d_ngchw_gfchw {{.*}}strata.kernel_config = {kernel = "im2col_matmul"
func.func @grouped(%x: tensor<1x2x4x10x10xf32>, %w: tensor<2x4x4x3x3xf32>, %init: tensor<1x2x4x8x8xf32>) -> tensor<1x2x4x8x8xf32> {
  %0 = linalg.conv_2d_ngchw_gfchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>}
         ins(%x, %w : tensor<1x2x4x10x10xf32>, tensor<2x4x4x3x3xf32>) outs(%init : tensor<1x2x4x8x8xf32>) -> tensor<1x2x4x8x8xf32>
  return %0 : tensor<1x2x4x8x8xf32>
}

// -----

// 8-bit integer products (u8 x s8 into i32, constant weights): tiles of
// up to 8 rows by 3 vectors with 32 registers (4 by 2 with 16), no more
// rows than the matmul's 6; the widest tile that computes at most an
// eighth more columns than there are, else the least wasteful one, twice
// the rows when it is one vector: 40 matmul columns take 48 (3 or 1
// vectors waste 8), the convolution's 8 x 10 wide-row pixels one vector
// of 16 exactly (16 output channels); with 8 lanes, 1 vector of 40
// columns (8 rows, cut to 6) and 2 of 80 pixels.
// CHECK-LABEL: func @integer_products
// CHECK: strata.kernel_config = {kernel = "integer_matmul", threads = 2 : i64, tile_sizes = array<i64: 6, 48>, vector_lanes = 16 : i64}
// CHECK: strata.kernel_config = {kernel = "integer_conv", threads = 2 : i64, tile_sizes = array<i64: 16, 16>, vector_lanes = 16 : i64}
// AVX2-LABEL: func @integer_products
// AVX2: strata.kernel_config = {kernel = "integer_matmul", threads = 1 : i64, tile_sizes = array<i64: 6, 8>, vector_lanes = 8 : i64}
// AVX2: strata.kernel_config = {kernel = "integer_conv", threads = 1 : i64, tile_sizes = array<i64: 4, 16>, vector_lanes = 8 : i64}
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @integer_products(%a: tensor<6x8xi8>, %x: tensor<1x4x10x10xi8>) -> (tensor<6x40xi32>, tensor<1x16x8x8xi32>) {
  %w = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, -40]]> : tensor<8x40xi8>
  %f = arith.constant dense_resource<filter> : tensor<16x4x3x3xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<6x40xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<6x40xi32>) -> tensor<6x40xi32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %w : tensor<6x8xi8>, tensor<8x40xi8>) outs(%init : tensor<6x40xi32>) {
  ^bb0(%p: i8, %q: i8, %acc: i32):
    %pe = arith.extui %p : i8 to i32
    %qe = arith.extsi %q : i8 to i32
    %m = arith.muli %pe, %qe : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<6x40xi32>
  %ce = tensor.empty() : tensor<1x16x8x8xi32>
  %cinit = linalg.fill ins(%zero : i32) outs(%ce : tensor<1x16x8x8xi32>) -> tensor<1x16x8x8xi32>
  %1 = linalg.generic {indexing_maps = [affine_map<(n, f, y, x, c, i, j) -> (n, c, y + i, x + j)>, affine_map<(n, f, y, x, c, i, j) -> (f, c, i, j)>, affine_map<(n, f, y, x, c, i, j) -> (n, f, y, x)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %f : tensor<1x4x10x10xi8>, tensor<16x4x3x3xi8>) outs(%cinit : tensor<1x16x8x8xi32>) {
  ^bb0(%p: i8, %q: i8, %acc: i32):
    %pe = arith.extui %p : i8 to i32
    %qe = arith.extsi %q : i8 to i32
    %m = arith.muli %pe, %qe : i32
    %s = arith.addi %acc, %m : i32
    linalg.yield %s : i32
  } -> tensor<1x16x8x8xi32>
  return %0, %1 : tensor<6x40xi32>, tensor<1x16x8x8xi32>
}

{-#
  dialect_resources: {
    builtin: {
      filter: "0x01000000000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F404142434445464748494A4B4C4D4E4F505152535455565758595A5B5C5D5E5F606162636465666768696A6B6C6D6E6F707172737475767778797A7B7C7D7E7F000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F202122232425262728292A2B2C2D2E2F303132333435363738393A3B3C3D3E3F"
    }
  }
#-}
