// RUN: strata-opt %s -strata-strided-copies-to-loops | FileCheck %s

// A copy into the interior of a padded buffer (a strided view) becomes a
// linalg.copy; a copy between contiguous buffers stays a memref.copy.
// CHECK-LABEL: func @copies
// CHECK: %[[VIEW:.*]] = memref.subview
// CHECK: linalg.copy ins(%{{.*}} : memref<2x4x4xf32>) outs(%[[VIEW]] : memref<2x4x4xf32, strided<[36, 6, 1], offset: 7>>)
// CHECK: memref.copy %{{.*}}, %{{.*}} : memref<2x4x4xf32> to memref<2x4x4xf32>
func.func @copies(%src: memref<2x4x4xf32>, %padded: memref<2x6x6xf32>, %dst: memref<2x4x4xf32>) {
  %view = memref.subview %padded[0, 1, 1] [2, 4, 4] [1, 1, 1] : memref<2x6x6xf32> to memref<2x4x4xf32, strided<[36, 6, 1], offset: 7>>
  memref.copy %src, %view : memref<2x4x4xf32> to memref<2x4x4xf32, strided<[36, 6, 1], offset: 7>>
  memref.copy %src, %dst : memref<2x4x4xf32> to memref<2x4x4xf32>
  return
}
