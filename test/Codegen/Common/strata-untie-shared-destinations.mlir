// RUN: strata-opt %s -strata-untie-shared-destinations -split-input-file | FileCheck %s

// One broadcast bias starts two accumulations (CSE merged them), one of them
// through a reshape: the second writer gets its own broadcast, so that
// bufferization need not copy.
// CHECK-LABEL: func @shared_bias
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<1x4x2x2xf32>
// CHECK: %[[B1:.*]] = linalg.broadcast ins(%{{.*}} : tensor<4xf32>) outs(%[[E1]] : tensor<1x4x2x2xf32>)
// CHECK: linalg.generic {{.*}} outs(%[[B1]] : tensor<1x4x2x2xf32>)
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<1x4x2x2xf32>
// CHECK: %[[B2:.*]] = linalg.broadcast ins(%{{.*}} : tensor<4xf32>) outs(%[[E2]] : tensor<1x4x2x2xf32>)
// CHECK: %[[C2:.*]] = tensor.collapse_shape %[[B2]]
// CHECK: linalg.matmul {{.*}} outs(%[[C2]] : tensor<4x4xf32>)
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @shared_bias(%x: tensor<1x4x2x2xf32>, %bias: tensor<4xf32>, %a: tensor<4x3xf32>, %b: tensor<3x4xf32>) -> (tensor<1x4x2x2xf32>, tensor<4x4xf32>) {
  %e = tensor.empty() : tensor<1x4x2x2xf32>
  %init = linalg.broadcast ins(%bias : tensor<4xf32>) outs(%e : tensor<1x4x2x2xf32>) dimensions = [0, 2, 3]
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x4x2x2xf32>) outs(%init : tensor<1x4x2x2xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  } -> tensor<1x4x2x2xf32>
  %flat = tensor.collapse_shape %init [[0, 1], [2, 3]] : tensor<1x4x2x2xf32> into tensor<4x4xf32>
  %1 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x4xf32>) outs(%flat : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0, %1 : tensor<1x4x2x2xf32>, tensor<4x4xf32>
}

// -----

// A value that is not cheap to recompute (here a function argument) is
// left shared: bufferization copies it as before.
// CHECK-LABEL: func @negative
// CHECK-COUNT-2: linalg.matmul {{.*}} outs(%arg2 : tensor<4x4xf32>)
func.func @negative(%a: tensor<4x3xf32>, %b: tensor<3x4xf32>, %c: tensor<4x4xf32>) -> (tensor<4x4xf32>, tensor<4x4xf32>) {
  %0 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  %1 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x4xf32>) outs(%c : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0, %1 : tensor<4x4xf32>, tensor<4x4xf32>
}

// -----

// Writers of slices of one shared value (here the two column pieces of two
// matmuls split by strata-cpu-vectorize-matmul) count as writers of that value:
// the second matmul's piece gets its own fill and slice.
// CHECK-LABEL: func @shared_through_slices
// CHECK: %[[F1:.*]] = linalg.fill
// CHECK: %[[S1:.*]] = tensor.extract_slice %[[F1]]
// CHECK: linalg.matmul {{.*}} outs(%[[S1]] : tensor<4x2xf32>)
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<4x4xf32>
// CHECK: %[[F2:.*]] = linalg.fill {{.*}} outs(%[[E2]] : tensor<4x4xf32>)
// CHECK: %[[S2:.*]] = tensor.extract_slice %[[F2]]
// CHECK: linalg.matmul {{.*}} outs(%[[S2]] : tensor<4x2xf32>)
func.func @shared_through_slices(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>) -> (tensor<4x2xf32>, tensor<4x2xf32>) {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4x4xf32>
  %init = linalg.fill ins(%zero : f32) outs(%e : tensor<4x4xf32>) -> tensor<4x4xf32>
  %s1 = tensor.extract_slice %init[0, 0] [4, 2] [1, 1] : tensor<4x4xf32> to tensor<4x2xf32>
  %0 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x2xf32>) outs(%s1 : tensor<4x2xf32>) -> tensor<4x2xf32>
  %s2 = tensor.extract_slice %init[0, 0] [4, 2] [1, 1] : tensor<4x4xf32> to tensor<4x2xf32>
  %1 = linalg.matmul ins(%a, %b : tensor<4x3xf32>, tensor<3x2xf32>) outs(%s2 : tensor<4x2xf32>) -> tensor<4x2xf32>
  return %0, %1 : tensor<4x2xf32>, tensor<4x2xf32>
}

// -----

// Two kernels each compute into a slice of an empty tensor (CSE merged the
// two empties) and put the slice back. The second kernel gets its own empty
// tensor, and its insertion follows it there: the value is put back where it
// was computed, so bufferization copies nothing. The first kernel's
// insertion is not a second writer of the first tensor.
// CHECK-LABEL: func @kernels_with_insertions
// CHECK: %[[E1:.*]] = tensor.empty() : tensor<8x16xf32>
// CHECK: %[[S1:.*]] = tensor.extract_slice %[[E1]][0, 0] [8, 8] [1, 1]
// CHECK: %[[A:.*]] = linalg.copy ins(%{{.*}}) outs(%[[S1]] : tensor<8x8xf32>)
// CHECK: tensor.insert_slice %[[A]] into %[[E1]][0, 0] [8, 8] [1, 1]
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<8x16xf32>
// CHECK: %[[S2:.*]] = tensor.extract_slice %[[E2]][0, 0] [8, 8] [1, 1]
// CHECK: %[[B:.*]] = linalg.copy ins(%{{.*}}) outs(%[[S2]] : tensor<8x8xf32>)
// CHECK: tensor.insert_slice %[[B]] into %[[E2]][0, 0] [8, 8] [1, 1]
func.func @kernels_with_insertions(%x: tensor<8x8xf32>, %y: tensor<8x8xf32>) -> (tensor<8x16xf32>, tensor<8x16xf32>) {
  %e = tensor.empty() : tensor<8x16xf32>
  %s = tensor.extract_slice %e[0, 0] [8, 8] [1, 1] : tensor<8x16xf32> to tensor<8x8xf32>
  %a = linalg.copy ins(%x : tensor<8x8xf32>) outs(%s : tensor<8x8xf32>) -> tensor<8x8xf32>
  %0 = tensor.insert_slice %a into %e[0, 0] [8, 8] [1, 1] : tensor<8x8xf32> into tensor<8x16xf32>
  %b = linalg.copy ins(%y : tensor<8x8xf32>) outs(%s : tensor<8x8xf32>) -> tensor<8x8xf32>
  %1 = tensor.insert_slice %b into %e[0, 0] [8, 8] [1, 1] : tensor<8x8xf32> into tensor<8x16xf32>
  return %0, %1 : tensor<8x16xf32>, tensor<8x16xf32>
}
