// RUN: strata-opt %s -strata-vectorize-matmul=vector-lanes=16 -split-input-file | FileCheck %s

// A 64x128 output gets an 8x32 register tile: 4 column strips shared out
// by an scf.forall (the threads), rows by 8 within a strip, then K by 1
// with the accumulator tile carried in registers (vector iter_arg), and the
// contraction as broadcast FMAs on 32-wide vectors.
// CHECK-LABEL: func @matmul
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK: scf.for %{{.*}} = %{{.*}} to %{{.*}} step %c8
// CHECK: vector.transfer_read {{.*}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %{{.*}}) -> (vector<8x32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: vector.transfer_write {{.*}} : vector<8x32xf32>, tensor<8x32xf32>
// CHECK-NOT: linalg.matmul
// CHECK-NOT: strata.register_tile
func.func @matmul(%a: tensor<64x96xf32>, %b: tensor<96x128xf32>, %c: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x96xf32>, tensor<96x128xf32>) outs(%c : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %0 : tensor<64x128xf32>
}

// -----

// Extents are split so that every tile is full: 24 columns are a 16-wide
// and an 8-wide piece (whole vectors); 6 rows are one 6-row tile.
// CHECK-LABEL: func @small_shape
// CHECK: scf.for {{.*}} -> (vector<6x16xf32>)
// CHECK-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// CHECK: scf.for {{.*}} -> (vector<6x8xf32>)
// CHECK-COUNT-6: vector.fma {{.*}} : vector<8xf32>
func.func @small_shape(%a: tensor<6x5xf32>, %b: tensor<5x24xf32>, %c: tensor<6x24xf32>) -> tensor<6x24xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<6x5xf32>, tensor<5x24xf32>) outs(%c : tensor<6x24xf32>) -> tensor<6x24xf32>
  return %0 : tensor<6x24xf32>
}

// -----

// 65 rows are 64 (tiles of 8) and 1; 196 columns 192 (tiles of 32) and 4.
// Every piece is vectorized with a full tile, none left as a partial
// (dynamic) tile.
// CHECK-LABEL: func @split
// CHECK: tensor.extract_slice {{.*}} : tensor<65x196xf32> to tensor<65x192xf32>
// CHECK: scf.forall (%{{.*}}) in (6)
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK: scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.for {{.*}} -> (vector<32xf32>)
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: tensor.extract_slice {{.*}} : tensor<65x196xf32> to tensor<65x4xf32>
// CHECK: scf.forall (%{{.*}}) in (8)
// CHECK: scf.for {{.*}} -> (vector<8x4xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<4xf32>
// CHECK: scf.for {{.*}} -> (vector<4xf32>)
// CHECK: vector.fma {{.*}} : vector<4xf32>
// CHECK-NOT: linalg.matmul
func.func @split(%a: tensor<65x576xf32>, %b: tensor<576x196xf32>, %c: tensor<65x196xf32>) -> tensor<65x196xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<65x576xf32>, tensor<576x196xf32>) outs(%c : tensor<65x196xf32>) -> tensor<65x196xf32>
  return %0 : tensor<65x196xf32>
}

// -----

// 49 columns (a 7x7 image) are 32 + 16 + 1: no odd-width vectors. With
// one column strip per piece, the threads share out row strips instead.
// CHECK-LABEL: func @odd_columns
// CHECK: scf.forall (%{{.*}}) in (2)
// CHECK: -> (vector<8x32xf32>)
// CHECK: -> (vector<8x16xf32>)
// CHECK: -> (vector<8x1xf32>)
// CHECK-NOT: linalg.matmul
func.func @odd_columns(%a: tensor<16x64xf32>, %b: tensor<64x49xf32>, %c: tensor<16x49xf32>) -> tensor<16x49xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<16x64xf32>, tensor<64x49xf32>) outs(%c : tensor<16x49xf32>) -> tensor<16x49xf32>
  return %0 : tensor<16x49xf32>
}

// -----

// A batch matmul becomes a loop of 2-D matmuls on rank-reduced slices, each
// register-tiled.
// CHECK-LABEL: func @batch
// CHECK: scf.for %{{.*}} = %c0 to %c12 step %c1
// CHECK: tensor.extract_slice {{.*}} : tensor<12x128x128xf32> to tensor<128x128xf32>
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK: scf.for {{.*}} -> (vector<8x32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: tensor.insert_slice {{.*}} : tensor<128x128xf32> into tensor<12x128x128xf32>
// CHECK-NOT: linalg.batch_matmul
func.func @batch(%a: tensor<12x128x64xf32>, %b: tensor<12x64x128xf32>, %c: tensor<12x128x128xf32>) -> tensor<12x128x128xf32> {
  %0 = linalg.batch_matmul ins(%a, %b : tensor<12x128x64xf32>, tensor<12x64x128xf32>) outs(%c : tensor<12x128x128xf32>) -> tensor<12x128x128xf32>
  return %0 : tensor<12x128x128xf32>
}

// -----

// Not f32, or not static: left alone.
// CHECK-LABEL: func @negative_not_f32
// CHECK: linalg.matmul
func.func @negative_not_f32(%a: tensor<8x8xf64>, %b: tensor<8x8xf64>, %c: tensor<8x8xf64>) -> tensor<8x8xf64> {
  %0 = linalg.matmul ins(%a, %b : tensor<8x8xf64>, tensor<8x8xf64>) outs(%c : tensor<8x8xf64>) -> tensor<8x8xf64>
  return %0 : tensor<8x8xf64>
}

// -----

// A single row (a matrix-vector product) is tiled 1 x 32, with the 8
// remaining columns split off.
// CHECK-LABEL: func @single_row
// CHECK: scf.forall (%{{.*}}) in (31)
// CHECK: scf.for {{.*}} -> (vector<32xf32>)
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.for {{.*}} -> (vector<8xf32>)
// CHECK: vector.fma {{.*}} : vector<8xf32>
func.func @single_row(%a: tensor<1x64xf32>, %b: tensor<64x1000xf32>, %c: tensor<1x1000xf32>) -> tensor<1x1000xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<1x64xf32>, tensor<64x1000xf32>) outs(%c : tensor<1x1000xf32>) -> tensor<1x1000xf32>
  return %0 : tensor<1x1000xf32>
}

// -----

// RUN: strata-opt %s -strata-vectorize-matmul="vector-lanes=16 parallel=false" -split-input-file | FileCheck %s --check-prefix=SERIAL
// Single-threaded code always takes column strips: the loop order that
// keeps a strip of B in cache while all of A passes.
// SERIAL-LABEL: func @serial_order
// SERIAL: scf.forall (%{{.*}}) in (2)
// SERIAL: -> (vector<8x32xf32>)
func.func @serial_order(%a: tensor<256x64xf32>, %b: tensor<64x64xf32>, %c: tensor<256x64xf32>) -> tensor<256x64xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<256x64xf32>, tensor<64x64xf32>) outs(%c : tensor<256x64xf32>) -> tensor<256x64xf32>
  return %0 : tensor<256x64xf32>
}
