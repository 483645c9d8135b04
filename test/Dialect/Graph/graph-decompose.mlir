// RUN: strata-opt %s -graph-decompose -split-input-file | FileCheck %s
// RUN: strata-opt %s -graph-decompose -canonicalize -split-input-file | FileCheck %s --check-prefix=FOLD

// CHECK-LABEL: func @batch_norm
// CHECK-SAME: (%[[X:.*]]: tensor<1x8x4x4xf32>, %[[S:.*]]: tensor<8xf32>, %[[B:.*]]: tensor<8xf32>, %[[M:.*]]: tensor<8xf32>, %[[V:.*]]: tensor<8xf32>)
func.func @batch_norm(%x: tensor<1x8x4x4xf32>, %s: tensor<8xf32>, %b: tensor<8xf32>,
                      %m: tensor<8xf32>, %v: tensor<8xf32>) -> tensor<1x8x4x4xf32> {
  // CHECK: %[[EPS:.*]] = graph.constant dense<1.000000e-03> : tensor<f32>
  // CHECK: %[[VE:.*]] = graph.add %[[V]], %[[EPS]] : tensor<8xf32>, tensor<f32>
  // CHECK: %[[R:.*]] = graph.rsqrt %[[VE]]
  // CHECK: %[[A:.*]] = graph.mul %[[S]], %[[R]]
  // CHECK: %[[MA:.*]] = graph.mul %[[M]], %[[A]]
  // CHECK: %[[C:.*]] = graph.sub %[[B]], %[[MA]]
  // CHECK: %[[A3:.*]] = graph.expand_dims %[[A]] [1, 2] : tensor<8xf32>
  // CHECK: %[[C3:.*]] = graph.expand_dims %[[C]] [1, 2] : tensor<8xf32>
  // CHECK: %[[Y:.*]] = graph.mul %[[X]], %[[A3]] : tensor<1x8x4x4xf32>, tensor<8x1x1xf32>
  // CHECK: %[[Z:.*]] = graph.add %[[Y]], %[[C3]] : tensor<1x8x4x4xf32>, tensor<8x1x1xf32>
  // CHECK: return %[[Z]]
  %0 = graph.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-3 : f64}
       : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  return %0 : tensor<1x8x4x4xf32>
}

// -----

// With constant statistics, the per-channel scale and shift fold to constants.
// FOLD-LABEL: func @batch_norm_constants
// FOLD-SAME: (%[[X:.*]]: tensor<2x2xf32>)
func.func @batch_norm_constants(%x: tensor<2x2xf32>) -> tensor<2x2xf32> {
  %s = graph.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %b = graph.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %m = graph.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %v = graph.constant dense<[4.0, 0.25]> : tensor<2xf32>
  // FOLD-DAG: %[[A:.*]] = graph.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  // FOLD-DAG: %[[C:.*]] = graph.constant dense<[-5.000000e-01, -6.000000e+00]> : tensor<2xf32>
  // FOLD: %[[Y:.*]] = graph.mul %[[X]], %[[A]]
  // FOLD: %[[Z:.*]] = graph.add %[[Y]], %[[C]]
  // FOLD: return %[[Z]]
  %0 = graph.batch_norm %x, %s, %b, %m, %v {epsilon = 0.0 : f64}
       : tensor<2x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2x2xf32>
}

// -----

// CHECK-LABEL: func @clip_one_sided
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @clip_one_sided(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  // CHECK-DAG: %[[LO:.*]] = graph.constant dense<0.000000e+00> : tensor<f32>
  // CHECK-DAG: %[[HI:.*]] = graph.constant dense<6.000000e+00> : tensor<f32>
  // CHECK: %[[MAX:.*]] = graph.max %[[X]], %[[LO]]
  %0 = graph.clip %x min 0.0 : tensor<4xf32>
  // CHECK: %[[MIN:.*]] = graph.min %[[X]], %[[HI]]
  %1 = graph.clip %x max 6.0 : tensor<4xf32>
  // Both bounds: stays a clip.
  // CHECK: %[[CLIP:.*]] = graph.clip %[[X]] min 0.000000e+00 max 6.000000e+00
  %2 = graph.clip %x min 0.0 max 6.0 : tensor<4xf32>
  // CHECK: return %[[MAX]], %[[MIN]], %[[CLIP]]
  return %0, %1, %2 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}
