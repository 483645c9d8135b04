// Each temporary is freed right after its last use, not at the end of the
// function: a chain of kernels then needs the memory of two of them at a
// time, and a freed block is reused while it is still in cache.
// RUN: strata-run %s --random-inputs --threads 1 --dump-ir=loops | FileCheck %s
// RUN: strata-run %s --random-inputs --threads 2 --dump-ir=loops | FileCheck %s

// CHECK-LABEL: func.func @chain(
// CHECK: %[[A:.*]] = memref.alloc()
// CHECK-NOT: memref.alloc()
// CHECK: memref.dealloc %[[A]]
// CHECK: %[[B:.*]] = memref.alloc()
// CHECK-NOT: memref.alloc()
// CHECK: memref.dealloc %[[B]]
// CHECK: %[[C:.*]] = memref.alloc()
// CHECK-NOT: memref.alloc()
// CHECK: memref.dealloc %[[C]]
// CHECK: return
func.func @chain(%x: tensor<8x8xf32>, %w: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %0 = graph.matmul %x, %w : tensor<8x8xf32>, tensor<8x8xf32>
  %1 = graph.matmul %0, %w : tensor<8x8xf32>, tensor<8x8xf32>
  %2 = graph.matmul %1, %w : tensor<8x8xf32>, tensor<8x8xf32>
  %3 = graph.matmul %2, %w : tensor<8x8xf32>, tensor<8x8xf32>
  return %3 : tensor<8x8xf32>
}
