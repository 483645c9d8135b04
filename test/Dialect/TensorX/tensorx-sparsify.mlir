// RUN: strata-opt %s --tensorx-sparsify=vector-lanes=1 -split-input-file -verify-diagnostics | FileCheck %s
// RUN: strata-opt %s --tensorx-sparsify="threshold=0 vector-lanes=1" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=OFF
// RUN: strata-opt %s --tensorx-sparsify=vector-lanes=16 -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=FEW
// RUN: strata-opt %s --tensorx-sparsify="vector-lanes=16 threshold=0.2" -split-input-file -verify-diagnostics | FileCheck %s --check-prefix=EXPLICIT

// An unstructured weight below the threshold (6% dense) becomes CSC; the
// batched lhs is reshaped to 2-D and back.
// CHECK-LABEL: func.func @csc
// CHECK: %[[W:.*]] = graph.constant
// CHECK: %[[S:.*]] = tensorx.convert %[[W]] : tensor<8x8xf32> to tensor<8x8xf32, #sparse>
// CHECK: %[[X:.*]] = graph.reshape %arg0 [6, 8] : tensor<2x3x8xf32>
// CHECK: %[[P:.*]] = tensorx.matmul %[[X]], %[[S]] : tensor<6x8xf32>, tensor<8x8xf32, #sparse> -> tensor<6x8xf32>
// CHECK: graph.reshape %[[P]] [2, 3, 8] : tensor<6x8xf32>
// OFF-LABEL: func.func @csc
// OFF-NEXT: graph.constant
// OFF-NEXT: graph.matmul
// OFF-NEXT: return
func.func @csc(%x: tensor<2x3x8xf32>) -> tensor<2x3x8xf32> {
  %w = graph.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 4.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x8xf32>
  %0 = graph.matmul %x, %w : tensor<2x3x8xf32>, tensor<8x8xf32>
  return %0 : tensor<2x3x8xf32>
}

// -----

// Non-zeros in 1 x 4 blocks: BSR 1x4. With fewer rows (2) than a vector
// (16 lanes), by default only weights below 12% density become sparse:
// this one (12.5%) stays dense.
// FEW-LABEL: func.func @bsr
// FEW-NEXT: graph.constant
// FEW-NEXT: graph.matmul
// EXPLICIT-LABEL: func.func @bsr
// EXPLICIT: tensorx.matmul
// CHECK: #[[BSR:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d0 : dense, d1 floordiv 4 : compressed, d1 mod 4 : dense) }>
// CHECK-LABEL: func.func @bsr
// CHECK: tensorx.matmul %arg0, %{{.*}} : tensor<2x8xf32>, tensor<8x8xf32, #[[BSR]]> -> tensor<2x8xf32>
func.func @bsr(%x: tensor<2x8xf32>) -> tensor<2x8xf32> {
  %w = graph.constant dense<[[1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 5.0, 6.0, 7.0, 8.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x8xf32>
  %0 = graph.matmul %x, %w : tensor<2x8xf32>, tensor<8x8xf32>
  return %0 : tensor<2x8xf32>
}

// -----

// At most 2 non-zeros in each group of 4 along K, asked for with "auto"
// (50% dense: above the threshold, but marked): 2:4.
// CHECK: #[[S24:.*]] = #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : structured[2, 4]) }>
// CHECK-LABEL: func.func @two_four
// CHECK: tensorx.matmul %arg0, %{{.*}} : tensor<2x8xf32>, tensor<8x2xf32, #[[S24]]> -> tensor<2x2xf32>
func.func @two_four(%x: tensor<2x8xf32>) -> tensor<2x2xf32> {
  %w = graph.constant {tensorx.sparse = "auto"} dense<[[1.0, 0.0], [2.0, 1.0], [0.0, 0.0], [0.0, 1.0], [0.0, 1.0], [3.0, 0.0], [4.0, 1.0], [0.0, 0.0]]> : tensor<8x2xf32>
  %0 = graph.matmul %x, %w : tensor<2x8xf32>, tensor<8x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// A weight marked "dense" stays dense; a dense one (100%) too.
// CHECK-LABEL: func.func @kept_dense
// CHECK-COUNT-2: graph.matmul
func.func @kept_dense(%x: tensor<2x4xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>) {
  %w = graph.constant {tensorx.sparse = "dense"} dense<[[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %v = graph.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]]> : tensor<4x2xf32>
  %0 = graph.matmul %x, %w : tensor<2x4xf32>, tensor<4x2xf32>
  %1 = graph.matmul %x, %v : tensor<2x4xf32>, tensor<4x2xf32>
  return %0, %1 : tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// In a fusion body the weight is an input: the constant is used directly.
// CHECK-LABEL: func.func @in_fusion
// CHECK: graph.fusion
// CHECK: %[[W:.*]] = graph.constant
// CHECK: %[[S:.*]] = tensorx.convert %[[W]]
// CHECK: tensorx.matmul %{{.*}}, %[[S]]
// CHECK: graph.relu
func.func @in_fusion(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  %w = graph.constant dense<[[1.0, 0.0], [0.0, 0.0], [0.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %0 = graph.fusion (%x, %w : tensor<2x4xf32>, tensor<4x2xf32>) {
  ^bb0(%a: tensor<2x4xf32>, %b: tensor<4x2xf32>):
    %1 = graph.matmul %a, %b : tensor<2x4xf32>, tensor<4x2xf32>
    %2 = graph.relu %1 : tensor<2x2xf32>
    graph.yield %2 : tensor<2x2xf32>
  }
  return %0 : tensor<2x2xf32>
}

// -----

// A requested format the weight does not fit is an error naming both.
func.func @violates_two_four(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{the 4x2 weight does not fit the sparse format 2:4: rows 0..3 of column 0 hold 3 non-zeros, more than 2 of 4}}
  %w = graph.constant {tensorx.sparse = "2:4"} dense<[[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %0 = graph.matmul %x, %w : tensor<2x4xf32>, tensor<4x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @unknown_format(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{unknown sparse format 'coo' in tensorx.sparse; expected auto, dense, csr, csc, bsr<R>x<C> or <n>:<m>}}
  %w = graph.constant {tensorx.sparse = "coo"} dense<[[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %0 = graph.matmul %x, %w : tensor<2x4xf32>, tensor<4x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

func.func @block_not_dividing(%x: tensor<2x4xf32>) -> tensor<2x2xf32> {
  // expected-error @+1 {{the 4x2 weight does not fit the sparse format bsr1x4: blocks of 1x4 do not divide the 4x2 weight}}
  %w = graph.constant {tensorx.sparse = "bsr1x4"} dense<[[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [0.0, 0.0]]> : tensor<4x2xf32>
  %0 = graph.matmul %x, %w : tensor<2x4xf32>, tensor<4x2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// Empty operands stay dense (there is nothing to skip, and the sparse
// kernels need rows, columns and K).
// CHECK-LABEL: func.func @empty
// CHECK-COUNT-2: graph.matmul
// CHECK-NOT: tensorx
func.func @empty(%x: tensor<4x0xf32>, %y: tensor<0x8xf32>) -> (tensor<4x8xf32>, tensor<0x8xf32>) {
  %w = graph.constant dense<> : tensor<0x8xf32>
  %v = graph.constant {tensorx.sparse = "auto"} dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x8xf32>
  %0 = graph.matmul %x, %w : tensor<4x0xf32>, tensor<0x8xf32>
  %1 = graph.matmul %y, %v : tensor<0x8xf32>, tensor<8x8xf32>
  return %0, %1 : tensor<4x8xf32>, tensor<0x8xf32>
}
