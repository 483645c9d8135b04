// RUN: strata-opt %s --strata-cpu-select-kernels="vector-lanes=16 threads=2" --strata-cpu-integer-kernels -split-input-file | FileCheck %s

// A u8 x s8 matmul by a constant (3 x 6 by 6 x 20): a register tile of the
// 3 rows by 2 vectors of 16 columns; the weight packed at compile time as
// [N / 16 = 2][K / 4 = 2][16][4] bytes (256, zeros past K and N), the lhs
// padded to K = 8 and flattened. Each of the K / 4 steps broadcasts 4
// bytes of a row (read as one i32) and adds, per lane, the 4 products with
// a packed vector: the dot products marked for
// strata-cpu-lower-dot-products. The tile is stored into its slice of the
// result (no temporary); the columns past N are cut off.
// CHECK-LABEL: func @matmul
// CHECK-DAG: %[[W:.*]] = arith.constant dense_resource<strata.integer_matmul_weight> : tensor<256xi8>
// CHECK: %[[PAD:.*]] = tensor.pad %{{.*}} low[0, 0] high[0, 2]
// CHECK: %[[A:.*]] = tensor.collapse_shape %[[PAD]] {{\[\[}}0, 1]] : tensor<3x8xi8> into tensor<24xi8>
// CHECK: %[[R:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (1, 1) shared_outs(%{{.*}}) -> (tensor<3x32xi32>)
// CHECK: %[[TILE:.*]] = tensor.extract_slice %{{.*}}[%{{.*}}, %{{.*}}] [3, 32] [1, 1] : tensor<3x32xi32> to tensor<3x32xi32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c2{{.*}} iter_args({{.*}}) -> (vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>, vector<16xi32>)
// CHECK: vector.transfer_read %[[W]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<256xi8>, vector<64xi8>
// CHECK: %[[ROW:.*]] = vector.transfer_read %[[A]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<24xi8>, vector<4xi8>
// CHECK: %[[WORD:.*]] = vector.bitcast %[[ROW]] : vector<4xi8> to vector<1xi32>
// CHECK: %[[SPLAT:.*]] = vector.broadcast %[[WORD]] : vector<1xi32> to vector<16xi32>
// CHECK: %[[BYTES:.*]] = vector.bitcast %[[SPLAT]] : vector<16xi32> to vector<64xi8>
// CHECK: arith.extui %[[BYTES]] : vector<64xi8> to vector<64xi32>
// CHECK: arith.extsi %{{.*}} : vector<64xi8> to vector<64xi32>
// CHECK: vector.shape_cast %{{.*}} : vector<64xi32> to vector<16x4xi32>
// CHECK: vector.multi_reduction <add>, %{{.*}}, %{{.*}} {strata.dot_product} [1] : vector<16x4xi32> to vector<16xi32>
// CHECK: vector.transfer_write %{{.*}}, %[[TILE]]{{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<3x32xi32>
// CHECK-COUNT-5: vector.transfer_write %{{.*}} {in_bounds = [true]} : vector<16xi32>, tensor<3x32xi32>
// CHECK: tensor.parallel_insert_slice
// CHECK: tensor.extract_slice %[[R]][0, 0] [3, 20] [1, 1] : tensor<3x32xi32> to tensor<3x20xi32>
// CHECK-NOT: linalg.generic
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @matmul(%a: tensor<3x6xi8>) -> tensor<3x20xi32> {
  %w = arith.constant dense<[[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10, -11, -12, -13, -14, -15, -16, -17, -18, -19, -20], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21]]> : tensor<6x20xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<3x20xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<3x20xi32>) -> tensor<3x20xi32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %w : tensor<3x6xi8>, tensor<6x20xi8>) outs(%init : tensor<3x20xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<3x20xi32>
  return %0 : tensor<3x20xi32>
}

// -----

// A stride-2 3x3 convolution of 3 channels into 5 (u8 image, s8 filter,
// per-channel bias): wide rows of Wq = 5 pixels (9 / 2 rounded up), 4 x 5
// = 20 of them, so 2 vectors per tile of the 5 output channels. The image
// is padded to 4 channels and 16 rows and packed into 2 x 2 phase images
// of 8 rows (the reach of the last tile: (32 + 6) / 5 rounded up) by an
// affine copy; the filter is packed as [5][1][3][3][4] bytes (180); the
// accumulators start from the bias. Loops over channel groups, window
// rows and columns carry the 10 accumulators; the result is written in
// wide rows and viewed as NCHW.
// CHECK-DAG: #[[PACK:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 4 + d6, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-LABEL: func @conv
// CHECK-DAG: %[[F:.*]] = arith.constant dense_resource<strata.integer_conv_filter> : tensor<180xi8>
// CHECK: %[[PAD:.*]] = tensor.pad %arg0 low[0, 0, 0, 0] high[0, 1, 7, 1]
// CHECK: %[[PACKED:.*]] = linalg.generic {indexing_maps = [#[[PACK]], #{{.*}}]
// CHECK-SAME: ins(%[[PAD]] : tensor<1x4x16x10xi8>) outs(%{{.*}} : tensor<1x1x2x2x8x5x4xi8>)
// CHECK: %[[IMAGE:.*]] = tensor.collapse_shape %[[PACKED]] {{.*}} into tensor<640xi8>
// CHECK: %[[WIDE:.*]] = scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 1, 1) shared_outs(%{{.*}}) -> (tensor<1x5x32xi32>)
// CHECK-COUNT-5: tensor.extract %arg1[%{{.*}}] : tensor<5xi32>
// CHECK: scf.for %{{.*}} = %{{.*}} to %c1
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3
// CHECK: scf.for %{{.*}} = %{{.*}} to %c3
// CHECK: vector.transfer_read %[[IMAGE]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<640xi8>, vector<64xi8>
// CHECK: vector.transfer_read %[[F]][%{{.*}}], %{{.*}} {in_bounds = [true]} : tensor<180xi8>, vector<4xi8>
// CHECK-COUNT-10: vector.multi_reduction <add>, %{{.*}}, %{{.*}} {strata.dot_product} [1]
// CHECK: tensor.parallel_insert_slice %{{.*}} into %{{.*}}[%{{.*}}, %{{.*}}, %{{.*}}] [1, 5, 32] [1, 1, 1] : tensor<5x32xi32> into tensor<1x5x32xi32>
// CHECK: %[[VALID:.*]] = tensor.extract_slice %[[WIDE]][0, 0, 0] [1, 5, 20] [1, 1, 1]
// CHECK: %[[ROWS:.*]] = tensor.expand_shape %[[VALID]] {{\[\[}}0], [1], [2, 3]] output_shape [1, 5, 4, 5] : tensor<1x5x20xi32> into tensor<1x5x4x5xi32>
// CHECK: %[[OUT:.*]] = tensor.extract_slice %[[ROWS]][0, 0, 0, 0] [1, 5, 4, 4] [1, 1, 1, 1] : tensor<1x5x4x5xi32> to tensor<1x5x4x4xi32>
// CHECK: return %[[OUT]]
func.func @conv(%x: tensor<1x3x9x9xi8>, %bias: tensor<5xi32>) -> tensor<1x5x4x4xi32> {
  %w = arith.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, -6], [7, 8, 9]]]]> : tensor<5x3x3x3xi8>
  %e = tensor.empty() : tensor<1x5x4x4xi32>
  %init = linalg.broadcast ins(%bias : tensor<5xi32>) outs(%e : tensor<1x5x4x4xi32>) dimensions = [0, 2, 3]
  %0 = linalg.generic {indexing_maps = [affine_map<(n, f, y, x, c, i, j) -> (n, c, y * 2 + i, x * 2 + j)>, affine_map<(n, f, y, x, c, i, j) -> (f, c, i, j)>, affine_map<(n, f, y, x, c, i, j) -> (n, f, y, x)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x3x9x9xi8>, tensor<5x3x3x3xi8>) outs(%init : tensor<1x5x4x4xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %p = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<1x5x4x4xi32>
  return %0 : tensor<1x5x4x4xi32>
}

// -----

// Not the kernel's: both operands signed (no u8 x s8 instruction takes
// them), or a weight that is not a constant. They stay loops.
// CHECK-LABEL: func @not_integer_kernels
// CHECK-COUNT-2: linalg.generic
// CHECK-NOT: strata.dot_product
#mk = affine_map<(m, n, k) -> (m, k)>
#kn = affine_map<(m, n, k) -> (k, n)>
#mn = affine_map<(m, n, k) -> (m, n)>
func.func @not_integer_kernels(%a: tensor<3x8xi8>, %b: tensor<8x16xi8>) -> (tensor<3x16xi32>, tensor<3x16xi32>) {
  %w = arith.constant dense<1> : tensor<8x16xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<3x16xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<3x16xi32>) -> tensor<3x16xi32>
  %0 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %w : tensor<3x8xi8>, tensor<8x16xi8>) outs(%init : tensor<3x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extsi %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<3x16xi32>
  %1 = linalg.generic {indexing_maps = [#mk, #kn, #mn], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<3x8xi8>, tensor<8x16xi8>) outs(%init : tensor<3x16xi32>) {
  ^bb0(%x: i8, %y: i8, %acc: i32):
    %xe = arith.extui %x : i8 to i32
    %ye = arith.extsi %y : i8 to i32
    %p = arith.muli %xe, %ye : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<3x16xi32>
  return %0, %1 : tensor<3x16xi32>, tensor<3x16xi32>
}

// -----

// A stride-2 1x1 convolution reads one phase of the stride: only that one
// is packed ([N][C / 4][1][1][rows][Wq][4]), and the result's wide rows
// are Wq = 4 pixels for 4 output columns.
// CHECK-DAG: #[[PACK1:.*]] = affine_map<(d0, d1, d2, d3, d4, d5, d6) -> (d0, d1 * 4 + d6, d4 * 2 + d2, d5 * 2 + d3)>
// CHECK-LABEL: func @strided_1x1
// CHECK: linalg.generic {indexing_maps = [#[[PACK1]], #{{.*}}]
// CHECK-SAME: outs(%{{.*}} : tensor<1x2x1x1x4x4x4xi8>)
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) in (1, 1, 1) shared_outs(%{{.*}}) -> (tensor<1x8x16xi32>)
func.func @strided_1x1(%x: tensor<1x8x8x8xi8>) -> tensor<1x8x4x4xi32> {
  %w = arith.constant dense<[[[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[8]]], [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[8]]], [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[8]]], [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[8]]], [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[8]]], [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[8]]], [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[8]]], [[[1]], [[2]], [[3]], [[4]], [[5]], [[6]], [[7]], [[-8]]]]> : tensor<8x8x1x1xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x8x4x4xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<1x8x4x4xi32>) -> tensor<1x8x4x4xi32>
  %0 = linalg.generic {indexing_maps = [affine_map<(n, f, y, x, c, i, j) -> (n, c, y * 2 + i, x * 2 + j)>, affine_map<(n, f, y, x, c, i, j) -> (f, c, i, j)>, affine_map<(n, f, y, x, c, i, j) -> (n, f, y, x)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x8x8x8xi8>, tensor<8x8x1x1xi8>) outs(%init : tensor<1x8x4x4xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %p = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<1x8x4x4xi32>
  return %0 : tensor<1x8x4x4xi32>
}

// -----

// Stride 1: the image is packed in vectors, one scf.forall item per image
// and group of 4 channels (here 2): for each row and 16 pixels, the 4
// channels' rows are read (zeros past the 6 channels, the 6 rows and the
// 6 columns: masked reads) and interleaved into 16 x 4 bytes.
// CHECK-LABEL: func @unit_stride_packing
// CHECK: %[[PACKED:.*]] = scf.forall (%{{.*}}, %{{.*}}) in (1, 2) shared_outs(%{{.*}}) -> (tensor<1x2x1x1x{{[0-9]+}}x6x4xi8>)
// CHECK: scf.for
// CHECK: scf.for %{{.*}} = %{{.*}} to %c6{{.*}} step %c16
// CHECK-COUNT-4: vector.transfer_read %arg0[{{.*}}], %{{.*}} : tensor<1x6x6x6xi8>, vector<16xi8>
// CHECK: vector.interleave
// CHECK: vector.interleave
// CHECK: %[[PIXELS:.*]] = vector.interleave %{{.*}}, %{{.*}} : vector<32xi8> -> vector<64xi8>
// CHECK: vector.shape_cast %[[PIXELS]] : vector<64xi8> to vector<16x4xi8>
// CHECK: vector.transfer_write %{{.*}} {in_bounds = [false, true]} : vector<16x4xi8>, tensor<{{[0-9]+}}x6x4xi8>
// CHECK: tensor.collapse_shape %[[PACKED]]
// CHECK-NOT: linalg.generic
func.func @unit_stride_packing(%x: tensor<1x6x6x6xi8>) -> tensor<1x4x4x4xi32> {
  %w = arith.constant dense<[[[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]]], [[[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, 9]], [[1, 2, 3], [4, 5, 6], [7, 8, -9]]]]> : tensor<4x6x3x3xi8>
  %zero = arith.constant 0 : i32
  %e = tensor.empty() : tensor<1x4x4x4xi32>
  %init = linalg.fill ins(%zero : i32) outs(%e : tensor<1x4x4x4xi32>) -> tensor<1x4x4x4xi32>
  %0 = linalg.generic {indexing_maps = [affine_map<(n, f, y, x, c, i, j) -> (n, c, y + i, x + j)>, affine_map<(n, f, y, x, c, i, j) -> (f, c, i, j)>, affine_map<(n, f, y, x, c, i, j) -> (n, f, y, x)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%x, %w : tensor<1x6x6x6xi8>, tensor<4x6x3x3xi8>) outs(%init : tensor<1x4x4x4xi32>) {
  ^bb0(%a: i8, %b: i8, %acc: i32):
    %ae = arith.extui %a : i8 to i32
    %be = arith.extsi %b : i8 to i32
    %p = arith.muli %ae, %be : i32
    %s = arith.addi %acc, %p : i32
    linalg.yield %s : i32
  } -> tensor<1x4x4x4xi32>
  return %0 : tensor<1x4x4x4xi32>
}
