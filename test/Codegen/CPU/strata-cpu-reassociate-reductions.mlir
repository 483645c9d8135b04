// RUN: strata-opt %s --strata-cpu-reassociate-reductions --split-input-file | FileCheck %s

// Global average pooling on buffers: the H and W reduction loops become one
// (3136 elements, contiguous), and the accumulating add may be reordered.
// CHECK-LABEL: func.func @global_pool(
// CHECK:         %[[C:.*]] = memref.collapse_shape %{{.*}} {{\[\[}}0], [1], [2, 3]] : memref<1x144x56x56xf32> into memref<1x144x3136xf32>
// CHECK:         linalg.generic
// CHECK-SAME:        iterator_types = ["parallel", "parallel", "reduction"]
// CHECK-SAME:        ins(%[[C]] : memref<1x144x3136xf32>)
// CHECK:           arith.addf %{{.*}}, %{{.*}} fastmath<reassoc> : f32
func.func @global_pool(%x: memref<1x144x56x56xf32>, %y: memref<1x144xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>, affine_map<(d0, d1, d2, d3) -> (d0, d1)>], iterator_types = ["parallel", "parallel", "reduction", "reduction"]} ins(%x : memref<1x144x56x56xf32>) outs(%y : memref<1x144xf32>) {
  ^bb0(%in: f32, %out: f32):
    %s = arith.addf %in, %out : f32
    linalg.yield %s : f32
  }
  return
}

// -----

// A product reduction on tensors, with its flags kept; the multiply that
// does not combine the accumulator is left alone.
// CHECK-LABEL: func.func @product(
// CHECK:         %[[SQ:.*]] = arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:         arith.mulf %[[SQ]], %{{.*}} fastmath<reassoc,contract> : f32
func.func @product(%x: tensor<4x8xf32>, %acc: tensor<4xf32>) -> tensor<4xf32> {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x8xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %sq = arith.mulf %in, %in : f32
    %p = arith.mulf %sq, %out fastmath<contract> : f32
    linalg.yield %p : f32
  } -> tensor<4xf32>
  return %r : tensor<4xf32>
}

// -----

// A max reduction and a pointwise op are left as they are.
// CHECK-LABEL: func.func @untouched(
// CHECK:         arith.maximumf %{{.*}}, %{{.*}} : f32
// CHECK:         arith.addf %{{.*}}, %{{.*}} : f32
// CHECK-NOT:     fastmath
func.func @untouched(%x: tensor<4x8xf32>, %acc: tensor<4xf32>) -> (tensor<4xf32>, tensor<4x8xf32>) {
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<4x8xf32>) outs(%acc : tensor<4xf32>) {
  ^bb0(%in: f32, %out: f32):
    %m = arith.maximumf %in, %out : f32
    linalg.yield %m : f32
  } -> tensor<4xf32>
  %e = tensor.empty() : tensor<4x8xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %a = arith.addf %in, %out : f32
    linalg.yield %a : f32
  } -> tensor<4x8xf32>
  return %r, %p : tensor<4xf32>, tensor<4x8xf32>
}

// -----

// A window (a dilated max pooling's reads, d2 * 10 + d3 * 10): its
// reduction loops are not merged.
// CHECK-LABEL: func.func @window(
// CHECK:         linalg.generic
// CHECK-SAME:        iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]
func.func @window(%x: memref<1x1x1020x1040xf32>, %w: memref<60x80xf32>, %y: memref<1x1x43x25xf32>) {
  linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 10 + d3 * 10, d5 * 10 + d4 * 10)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d3, d4)>, affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d5)>], iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "parallel"]} ins(%x, %w : memref<1x1x1020x1040xf32>, memref<60x80xf32>) outs(%y : memref<1x1x43x25xf32>) {
  ^bb0(%in: f32, %in_2: f32, %out: f32):
    %0 = arith.maximumf %out, %in : f32
    linalg.yield %0 : f32
  }
  return
}
