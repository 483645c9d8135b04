// RUN: strata-opt %s --strata-cpu-sparse-matmuls -split-input-file -verify-diagnostics | FileCheck %s

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
#BSR = #sparse_tensor.encoding<{map = (k, n) -> (k : dense, n floordiv 2 : compressed, n mod 2 : dense)}>
#lhsT = affine_map<(n, m, k) -> (k, m)>
#rhs = affine_map<(n, m, k) -> (k, n)>
#out = affine_map<(n, m, k) -> (n, m)>

// sparse_panel: the non-zeros of each column laid out at compile time
// (positions, rows, values), loops over panels of 2 vectors of rows, the
// columns, and the non-zeros of the column: 2 loads and 2 FMAs per
// non-zero. 20 rows: one whole panel of 16 and a masked one for the last 4.
// CHECK-LABEL: func.func @panel
// CHECK-DAG: %[[POS:.*]] = arith.constant dense<[0, 1, 1, 2]> : tensor<4xi32>
// CHECK-DAG: %[[CRD:.*]] = arith.constant dense<[0, 5]> : tensor<2xi32>
// CHECK-DAG: %[[VAL:.*]] = arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: scf.for %[[ROW:.*]] = %{{.*}} to %c16{{.*}} step %c16
// CHECK:   scf.for %[[G:.*]] =
// CHECK:     tensor.extract %[[POS]]
// CHECK:     scf.for %[[P:.*]] = {{.*}} iter_args(%{{.*}} = %{{.*}}, %{{.*}} = %{{.*}}) -> (vector<8xf32>, vector<8xf32>)
// CHECK:       tensor.extract %[[CRD]][%[[P]]]
// CHECK-COUNT-2: vector.transfer_read %arg0{{.*}} {in_bounds = [true]} : tensor<8x20xf32>, vector<8xf32>
// CHECK:       tensor.extract %[[VAL]]
// CHECK-COUNT-2: vector.fma
// CHECK-COUNT-2: vector.transfer_write {{.*}} {in_bounds = [true]} : vector<8xf32>, tensor<3x20xf32>
// CHECK: scf.for
// CHECK:   scf.for
// CHECK:     vector.transfer_read %arg0{{.*}} : tensor<8x20xf32>, vector<8xf32>
// CHECK-NOT: arith.constant sparse
// CHECK-NOT: linalg.generic
func.func @panel(%xt: tensor<8x20xf32>) -> tensor<3x20xf32> {
  %w = arith.constant sparse<[[0, 0], [5, 2]], [1.0, 2.0]> : tensor<8x3xf32, #CSC>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<3x20xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<3x20xf32>) -> tensor<3x20xf32>
  %0 = linalg.generic {indexing_maps = [#lhsT, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], strata.kernel_config = {kernel = "sparse_panel", strip_width = 8 : i64, threads = 1 : i64, tile_sizes = array<i64: 16, 1>, vector_lanes = 8 : i64}} ins(%xt, %w : tensor<8x20xf32>, tensor<8x3xf32, #CSC>) outs(%init : tensor<3x20xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<3x20xf32>
  return %0 : tensor<3x20xf32>
}

// -----

#BSR = #sparse_tensor.encoding<{map = (k, n) -> (k : dense, n floordiv 2 : compressed, n mod 2 : dense)}>
#lhsT = affine_map<(n, m, k) -> (k, m)>
#rhs = affine_map<(n, m, k) -> (k, n)>
#out = affine_map<(n, m, k) -> (n, m)>

// A block of 2 columns shares its rows: 2 values per row (a zero where a
// column has none) and 2 FMAs per activation vector; 2 threads share out
// the 2 blocks.
// CHECK-LABEL: func.func @blocks
// CHECK-DAG: arith.constant dense<[0, 2, 3]> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<[1, 6, 3]> : tensor<3xi32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00, 0.000000e+00, 3.000000e+00, 4.000000e+00, 5.000000e+00]> : tensor<6xf32>
// CHECK: scf.forall (%{{.*}}) in (2)
// CHECK: scf.for
// CHECK: vector.transfer_read %arg0{{.*}} : tensor<8x8xf32>, vector<8xf32>
// CHECK-COUNT-2: vector.fma
// CHECK: tensor.parallel_insert_slice
func.func @blocks(%xt: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %w = arith.constant sparse<[[1, 0], [1, 1], [6, 1], [3, 2], [3, 3]], [1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<8x4xf32, #BSR>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %0 = linalg.generic {indexing_maps = [#lhsT, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], strata.kernel_config = {kernel = "sparse_panel", strip_width = 8 : i64, threads = 2 : i64, tile_sizes = array<i64: 8, 2>, vector_lanes = 8 : i64}} ins(%xt, %w : tensor<8x8xf32>, tensor<8x4xf32, #BSR>) outs(%init : tensor<4x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
#lhsT = affine_map<(n, m, k) -> (k, m)>
#rhs = affine_map<(n, m, k) -> (k, n)>
#out = affine_map<(n, m, k) -> (n, m)>

// K blocks of 4 rows: positions per (K block, column); the first block's
// accumulators start from zeros, the second's from the partial result.
// CHECK-LABEL: func.func @k_blocks
// CHECK-DAG: arith.constant dense<[0, 1, 2, 3, 4]> : tensor<5xi32>
// CHECK-DAG: arith.constant dense<[0, 2, 5, 7]> : tensor<4xi32>
// CHECK: scf.for
// CHECK:   scf.for
// CHECK:     scf.for {{.*}} iter_args(%{{.*}} = %[[ZERO:cst[_0-9]*]]) -> (vector<8xf32>)
// CHECK:   scf.for %[[KB:.*]] = %c1{{.*}} to %c2{{.*}} step %c1
// CHECK:     scf.for
// CHECK:       %[[PARTIAL:.*]] = vector.transfer_read %{{.*}} : tensor<2x8xf32>, vector<8xf32>
// CHECK:       scf.for {{.*}} iter_args(%{{.*}} = %[[PARTIAL]]) -> (vector<8xf32>)
func.func @k_blocks(%xt: tensor<8x8xf32>) -> tensor<2x8xf32> {
  %w = arith.constant sparse<[[0, 0], [2, 1], [5, 0], [7, 1]], [1.0, 2.0, 3.0, 4.0]> : tensor<8x2xf32, #CSC>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x8xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x8xf32>) -> tensor<2x8xf32>
  %0 = linalg.generic {indexing_maps = [#lhsT, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], strata.kernel_config = {kernel = "sparse_panel", strip_width = 4 : i64, threads = 1 : i64, tile_sizes = array<i64: 8, 1>, vector_lanes = 8 : i64}} ins(%xt, %w : tensor<8x8xf32>, tensor<8x2xf32, #CSC>) outs(%init : tensor<2x8xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// sparse_gather: for each row and vector of 4 columns, step t holds the
// t-th non-zero of each column (zero-padded to the longest: 2 steps), and
// the activations are gathered at those non-zeros' rows.
// CHECK-LABEL: func.func @gather
// CHECK-DAG: arith.constant dense<[0, 2]> : tensor<2xi32>
// CHECK-DAG: arith.constant dense<[0, 5, 0, 0, 2, 0, 0, 0]> : tensor<8xi32>
// CHECK-DAG: arith.constant dense<[1.000000e+00, 2.000000e+00, 0.000000e+00, 0.000000e+00, 3.000000e+00, 0.000000e+00, 0.000000e+00, 0.000000e+00]> : tensor<8xf32>
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for
// CHECK: vector.transfer_read {{.*}} : tensor<8xi32>, vector<4xi32>
// CHECK: vector.transfer_read {{.*}} : tensor<8xf32>, vector<4xf32>
// CHECK: vector.gather %arg0
// CHECK: vector.fma
// CHECK: vector.transfer_write %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : vector<4xf32>, tensor<2x3xf32>
func.func @gather(%x: tensor<2x8xf32>) -> tensor<2x3xf32> {
  %w = arith.constant sparse<[[0, 0], [2, 0], [5, 1]], [1.0, 3.0, 2.0]> : tensor<8x3xf32, #CSC>
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<2x3xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<2x3xf32>) -> tensor<2x3xf32>
  %0 = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "reduction"], strata.kernel_config = {kernel = "sparse_gather", threads = 1 : i64, tile_sizes = array<i64: 1, 4>, vector_lanes = 4 : i64}} ins(%x, %w : tensor<2x8xf32>, tensor<8x3xf32, #CSC>) outs(%init : tensor<2x3xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %p = arith.mulf %a, %c : f32
    %s = arith.addf %o, %p : f32
    linalg.yield %s : f32
  } -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>

// A sparse operand that no kernel takes is an error, not a crash later.
func.func @unsupported(%x: tensor<8x3xf32>) -> tensor<8x3xf32> {
  %w = arith.constant sparse<[[0, 0]], [1.0]> : tensor<8x3xf32, #CSC>
  %e = tensor.empty() : tensor<8x3xf32>
  // expected-error @+1 {{'linalg.add' op has a sparse operand}}
  %0 = linalg.add ins(%x, %w : tensor<8x3xf32>, tensor<8x3xf32, #CSC>) outs(%e : tensor<8x3xf32>) -> tensor<8x3xf32>
  return %0 : tensor<8x3xf32>
}
