// RUN: strata-opt %s -strata-cpu-strided-copies-to-loops=vector-lanes=16 -split-input-file | FileCheck %s

// A copy into the interior of a padded buffer (a strided view) becomes
// loops over the rows, each row one vector read and written; a copy between
// contiguous buffers stays a memref.copy.
// CHECK-LABEL: func @copies
// CHECK: %[[VIEW:.*]] = memref.subview
// CHECK: scf.for %[[I:.*]] = %c0{{.*}} to %c2
// CHECK: scf.for %[[J:.*]] = %c0{{.*}} to %c4
// CHECK: %[[ROW:.*]] = vector.transfer_read %{{.*}}[%[[I]], %[[J]], %c0{{.*}}], %{{.*}} {in_bounds = [true]} : memref<2x4x4xf32>, vector<4xf32>
// CHECK: vector.transfer_write %[[ROW]], %[[VIEW]][%[[I]], %[[J]], %c0{{.*}}] {in_bounds = [true]} : vector<4xf32>, memref<2x4x4xf32, strided<[36, 6, 1], offset: 7>>
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<2x4x4xf32> to memref<2x4x4xf32>
func.func @copies(%src: memref<2x4x4xf32>, %padded: memref<2x6x6xf32>, %dst: memref<2x4x4xf32>) {
  %view = memref.subview %padded[0, 1, 1] [2, 4, 4] [1, 1, 1] : memref<2x6x6xf32> to memref<2x4x4xf32, strided<[36, 6, 1], offset: 7>>
  memref.copy %src, %view : memref<2x4x4xf32> to memref<2x4x4xf32, strided<[36, 6, 1], offset: 7>>
  memref.copy %src, %dst : memref<2x4x4xf32> to memref<2x4x4xf32>
  return
}

// -----

// Long rows are copied in vectors of 4 x the host's lanes (a loop) and one
// shorter vector for the rest; a linalg.copy between strided views too. A
// copy whose rows are not contiguous stays a linalg.copy.
// CHECK-LABEL: func @long_rows
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c3
// CHECK: scf.for %[[X:.*]] = %c0{{.*}} to %c{{128|64|32}} step %c{{64|32|16}}
// CHECK: vector.transfer_read %{{.*}}[%{{.*}}, %[[X]]]
// CHECK: vector.transfer_read %{{.*}}[%{{.*}}, %c{{128|64|32}}{{(_[0-9]+)?}}]
// CHECK-SAME: vector<{{2|10|26}}xf32>
// CHECK: linalg.copy ins(%{{.*}} : memref<3x8xf32, strided<[260, 2]>>)
func.func @long_rows(%src: memref<3x130xf32>, %big: memref<3x260xf32>, %odd: memref<3x8xf32, strided<[260, 2]>>, %dst: memref<3x8xf32>) {
  %view = memref.subview %big[0, 0] [3, 130] [1, 1] : memref<3x260xf32> to memref<3x130xf32, strided<[260, 1]>>
  linalg.copy ins(%src : memref<3x130xf32>) outs(%view : memref<3x130xf32, strided<[260, 1]>>)
  linalg.copy ins(%odd : memref<3x8xf32, strided<[260, 2]>>) outs(%dst : memref<3x8xf32>)
  return
}
