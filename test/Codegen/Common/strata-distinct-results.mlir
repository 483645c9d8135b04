// RUN: strata-opt %s -strata-distinct-results -split-input-file | FileCheck %s

// A tensor returned three times: the second and third results are copies,
// so that each result bufferizes to its own buffer (and out-parameter).
// CHECK-LABEL: func @thrice
// CHECK: %[[R:.*]] = linalg.generic
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[C:.*]] = linalg.copy ins(%[[R]] : tensor<4xf32>) outs(%[[E]] : tensor<4xf32>)
// CHECK: %[[E2:.*]] = tensor.empty() : tensor<4xf32>
// CHECK: %[[C2:.*]] = linalg.copy ins(%[[R]] : tensor<4xf32>) outs(%[[E2]] : tensor<4xf32>)
// CHECK: return %[[R]], %[[C]], %[[C2]]
func.func @thrice(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %e = tensor.empty() : tensor<4xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%a : tensor<4xf32>) outs(%e : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %0 = arith.negf %in : f32
    linalg.yield %0 : f32
  } -> tensor<4xf32>
  return %r, %r, %r : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// negative_: distinct results (an argument among them) are left alone.
// CHECK-LABEL: func @negative_distinct
// CHECK-NOT: linalg.copy
// CHECK: return %arg0, %arg1
func.func @negative_distinct(%a: tensor<4xf32>, %b: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}
