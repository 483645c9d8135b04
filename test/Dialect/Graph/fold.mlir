// Folders of the graph dialect (applied through the canonicalizer), with the
// cases where they must not fire.
// RUN: strata-opt %s -canonicalize -split-input-file | FileCheck %s

// CHECK-LABEL: func @add_zero
// CHECK-SAME: (%[[X:.*]]: tensor<4x3xf32>)
func.func @add_zero(%x: tensor<4x3xf32>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %z = graph.constant dense<0.0> : tensor<3xf32>
  %0 = graph.add %x, %z : tensor<4x3xf32>, tensor<3xf32>
  %1 = graph.add %z, %x : tensor<3xf32>, tensor<4x3xf32>
  // CHECK-NOT: graph.add
  // CHECK: return %[[X]], %[[X]]
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func @sub_zero_int
// CHECK-SAME: (%[[X:.*]]: tensor<5xi32>)
func.func @sub_zero_int(%x: tensor<5xi32>) -> tensor<5xi32> {
  %z = graph.constant dense<0> : tensor<i32>
  %0 = graph.sub %x, %z : tensor<5xi32>, tensor<i32>
  // CHECK: return %[[X]]
  return %0 : tensor<5xi32>
}

// -----

// 0 - x is not x.
// CHECK-LABEL: func @negative_zero_minus_x
func.func @negative_zero_minus_x(%x: tensor<5xf32>) -> tensor<5xf32> {
  %z = graph.constant dense<0.0> : tensor<f32>
  // CHECK: graph.sub
  %0 = graph.sub %z, %x : tensor<f32>, tensor<5xf32>
  return %0 : tensor<5xf32>
}

// -----

// CHECK-LABEL: func @mul_div_pow_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x2xf32>)
func.func @mul_div_pow_one(%x: tensor<2x2xf32>) -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>) {
  %one = graph.constant dense<1.0> : tensor<2x2xf32>
  %0 = graph.mul %one, %x : tensor<2x2xf32>, tensor<2x2xf32>
  %1 = graph.div %x, %one : tensor<2x2xf32>, tensor<2x2xf32>
  %2 = graph.pow %x, %one : tensor<2x2xf32>, tensor<2x2xf32>
  // CHECK-NOT: graph.
  // CHECK: return %[[X]], %[[X]], %[[X]]
  return %0, %1, %2 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>
}

// -----

// A non-splat constant is no identity even if one element is 1.
// CHECK-LABEL: func @negative_mul_not_splat
func.func @negative_mul_not_splat(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: graph.mul
  %0 = graph.mul %x, %c : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func @negative_mul_by_two
func.func @negative_mul_by_two(%x: tensor<2xf32>) -> tensor<2xf32> {
  %c = graph.constant dense<2.0> : tensor<2xf32>
  // CHECK: graph.mul
  %0 = graph.mul %x, %c : tensor<2xf32>, tensor<2xf32>
  return %0 : tensor<2xf32>
}

// -----

// CHECK-LABEL: func @constant_fold_binary
func.func @constant_fold_binary() -> (tensor<2x2xf32>, tensor<2x3xi32>, tensor<3xf32>, tensor<2xf32>) {
  %a = graph.constant dense<[[1.0, 2.0], [3.0, 4.0]]> : tensor<2x2xf32>
  %b = graph.constant dense<[10.0, 20.0]> : tensor<2xf32>
  // CHECK-DAG: graph.constant dense<{{\[}}[1.100000e+01, 2.200000e+01], [1.300000e+01, 2.400000e+01]]> : tensor<2x2xf32>
  %0 = graph.add %a, %b : tensor<2x2xf32>, tensor<2xf32>
  %i = graph.constant dense<[[7], [-9]]> : tensor<2x1xi32>
  %j = graph.constant dense<[2, 3, 4]> : tensor<3xi32>
  // CHECK-DAG: graph.constant dense<{{\[}}[3, 2, 1], [-4, -3, -2]]> : tensor<2x3xi32>
  %1 = graph.div %i, %j : tensor<2x1xi32>, tensor<3xi32>
  %p = graph.constant dense<[1.0, -2.0, 3.0]> : tensor<3xf32>
  %q = graph.constant dense<0.0> : tensor<f32>
  // CHECK-DAG: graph.constant dense<[1.000000e+00, 0.000000e+00, 3.000000e+00]> : tensor<3xf32>
  %2 = graph.max %p, %q : tensor<3xf32>, tensor<f32>
  %s = graph.constant dense<3.0> : tensor<2xf32>
  %t = graph.constant dense<2.0> : tensor<2xf32>
  // CHECK-DAG: graph.constant dense<9.000000e+00> : tensor<2xf32>
  %3 = graph.pow %s, %t : tensor<2xf32>, tensor<2xf32>
  // CHECK-NOT: graph.add
  // CHECK-NOT: graph.div
  // CHECK-NOT: graph.max
  // CHECK-NOT: graph.pow
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<2x3xi32>, tensor<3xf32>, tensor<2xf32>
}

// -----

// Integer division by zero is left to run time.
// CHECK-LABEL: func @negative_div_by_zero
func.func @negative_div_by_zero() -> tensor<2xi32> {
  %a = graph.constant dense<[4, 5]> : tensor<2xi32>
  %b = graph.constant dense<[1, 0]> : tensor<2xi32>
  // CHECK: graph.div
  %0 = graph.div %a, %b : tensor<2xi32>, tensor<2xi32>
  return %0 : tensor<2xi32>
}

// -----

// A splat result is folded whatever its size; a non-splat one only up to
// 1024 elements, so that folding never duplicates a large weight.
// CHECK-LABEL: func @fold_size_cap
func.func @fold_size_cap() -> (tensor<4096x4096xf32>, tensor<1025xf32>) {
  %a = graph.constant dense<1.5> : tensor<4096x4096xf32>
  %b = graph.constant dense<2.0> : tensor<f32>
  // CHECK-DAG: graph.constant dense<3.000000e+00> : tensor<4096x4096xf32>
  %0 = graph.mul %a, %b : tensor<4096x4096xf32>, tensor<f32>
  %big = graph.constant dense<"0x000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F0000004000004040000080400000A0400000C040000000000000803F00000040"> : tensor<1025xf32>
  // CHECK-DAG: graph.neg
  %1 = graph.neg %big : tensor<1025xf32>
  return %0, %1 : tensor<4096x4096xf32>, tensor<1025xf32>
}

// -----

// Weights kept as resource blobs are never folded.
// CHECK-LABEL: func @negative_resource_constant
func.func @negative_resource_constant() -> tensor<2xf32> {
  %w = graph.constant dense_resource<weights> : tensor<2xf32>
  // CHECK: graph.neg
  %0 = graph.neg %w : tensor<2xf32>
  return %0 : tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      weights: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// CHECK-LABEL: func @constant_fold_unary
func.func @constant_fold_unary() -> (tensor<3xf32>, tensor<3xf32>, tensor<2xi8>, tensor<3xf32>, tensor<f32>) {
  %a = graph.constant dense<[-1.0, 0.0, 2.0]> : tensor<3xf32>
  // CHECK-DAG: graph.constant dense<[0.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %0 = graph.relu %a : tensor<3xf32>
  // CHECK-DAG: graph.constant dense<[1.000000e+00, -0.000000e+00, -2.000000e+00]> : tensor<3xf32>
  %1 = graph.neg %a : tensor<3xf32>
  %i = graph.constant dense<[-3, 4]> : tensor<2xi8>
  // CHECK-DAG: graph.constant dense<[3, 4]> : tensor<2xi8>
  %2 = graph.abs %i : tensor<2xi8>
  %z = graph.constant dense<[0.0, 1.0, 4.0]> : tensor<3xf32>
  // CHECK-DAG: graph.constant dense<[0.000000e+00, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %3 = graph.sqrt %z : tensor<3xf32>
  %e = graph.constant dense<0.0> : tensor<f32>
  // CHECK-DAG: graph.constant dense<1.000000e+00> : tensor<f32>
  %4 = graph.exp %e : tensor<f32>
  // CHECK-NOT: graph.relu
  // CHECK-NOT: graph.neg
  // CHECK-NOT: graph.abs
  // CHECK-NOT: graph.sqrt
  // CHECK-NOT: graph.exp
  return %0, %1, %2, %3, %4 : tensor<3xf32>, tensor<3xf32>, tensor<2xi8>, tensor<3xf32>, tensor<f32>
}

// -----

// CHECK-LABEL: func @involution_idempotence
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @involution_idempotence(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.neg %x : tensor<4xf32>
  %1 = graph.neg %0 : tensor<4xf32>
  // CHECK: %[[R:.*]] = graph.relu %[[X]]
  %2 = graph.relu %x : tensor<4xf32>
  %3 = graph.relu %2 : tensor<4xf32>
  // CHECK-NEXT: %[[A:.*]] = graph.abs %[[X]]
  %4 = graph.abs %x : tensor<4xf32>
  %5 = graph.abs %4 : tensor<4xf32>
  // CHECK-NEXT: return %[[X]], %[[R]], %[[A]]
  return %1, %3, %5 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @max_min_same
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
func.func @max_min_same(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.max %x, %x : tensor<4xf32>, tensor<4xf32>
  %1 = graph.min %x, %x : tensor<4xf32>, tensor<4xf32>
  // CHECK: return %[[X]], %[[X]]
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}

// -----

// CHECK-LABEL: func @clip_cast_select
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[Y:.*]]: tensor<4xf32>, %[[C:.*]]: tensor<4xi1>)
func.func @clip_cast_select(%x: tensor<4xf32>, %y: tensor<4xf32>, %c: tensor<4xi1>)
    -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.clip %x : tensor<4xf32>
  %1 = graph.cast %x : tensor<4xf32> to f32
  %t = graph.constant dense<true> : tensor<4xi1>
  %2 = graph.select %t, %x, %y : tensor<4xi1>, tensor<4xf32>, tensor<4xf32>
  %3 = graph.select %c, %y, %y : tensor<4xi1>, tensor<4xf32>, tensor<4xf32>
  // CHECK: %[[S:.*]] = graph.select %[[C]], %[[X]], %[[Y]]
  %4 = graph.select %c, %x, %y : tensor<4xi1>, tensor<4xf32>, tensor<4xf32>
  // CHECK: return %[[X]], %[[X]], %[[X]], %[[Y]], %[[S]]
  return %0, %1, %2, %3, %4 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// A select whose chosen branch must still be broadcast does not fold.
// CHECK-LABEL: func @negative_select_broadcast
func.func @negative_select_broadcast(%x: tensor<f32>, %y: tensor<4xf32>) -> tensor<4xf32> {
  %t = graph.constant dense<true> : tensor<4xi1>
  // CHECK: graph.select
  %0 = graph.select %t, %x, %y : tensor<4xi1>, tensor<f32>, tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// CHECK-LABEL: func @identity_data_movement
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @identity_data_movement(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = graph.reshape %x [2, 3] : tensor<2x3xf32>
  %1 = graph.transpose %x [0, 1] : tensor<2x3xf32>
  %2 = graph.broadcast_to %x [2, 3] : tensor<2x3xf32>
  %3 = graph.concat %x axis 0 : tensor<2x3xf32>
  %4 = graph.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 2, 3>} : tensor<2x3xf32>
  %5 = graph.pad %x {pads = array<i64: 0, 0, 0, 0>} : tensor<2x3xf32>
  %6 = graph.squeeze %x [] : tensor<2x3xf32>
  // CHECK-NOT: graph.
  // CHECK: return %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]], %[[X]]
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// CHECK-LABEL: func @transpose_compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @transpose_compose(%x: tensor<2x3x4xf32>) -> (tensor<2x3x4xf32>, tensor<3x2x4xf32>) {
  %0 = graph.transpose %x [1, 2, 0] : tensor<2x3x4xf32>
  %1 = graph.transpose %0 [2, 0, 1] : tensor<3x4x2xf32>
  // CHECK: %[[T:.*]] = graph.transpose %[[X]] [1, 0, 2] : tensor<2x3x4xf32>
  %2 = graph.transpose %0 [0, 2, 1] : tensor<3x4x2xf32>
  // CHECK-NEXT: return %[[X]], %[[T]]
  return %1, %2 : tensor<2x3x4xf32>, tensor<3x2x4xf32>
}

// -----

// CHECK-LABEL: func @reshape_compose
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
func.func @reshape_compose(%x: tensor<2x3x4xf32>) -> (tensor<24xf32>, tensor<2x3x4xf32>) {
  %0 = graph.reshape %x [6, 4] : tensor<2x3x4xf32>
  // CHECK: %[[R:.*]] = graph.reshape %[[X]] [24] : tensor<2x3x4xf32>
  %1 = graph.reshape %0 [24] : tensor<6x4xf32>
  %2 = graph.reshape %0 [2, 3, 4] : tensor<6x4xf32>
  // CHECK-NEXT: return %[[R]], %[[X]]
  return %1, %2 : tensor<24xf32>, tensor<2x3x4xf32>
}

// -----

// CHECK-LABEL: func @squeeze_expand_cancel
// CHECK-SAME: (%[[X:.*]]: tensor<3x4xf32>, %[[Y:.*]]: tensor<1x3x1xf32>)
func.func @squeeze_expand_cancel(%x: tensor<3x4xf32>, %y: tensor<1x3x1xf32>) -> (tensor<3x4xf32>, tensor<1x3x1xf32>, tensor<3x1x1xf32>) {
  %0 = graph.expand_dims %x [0, 3] : tensor<3x4xf32>
  %1 = graph.squeeze %0 [0, 3] : tensor<1x3x4x1xf32>
  %2 = graph.squeeze %y [] : tensor<1x3x1xf32>
  %3 = graph.expand_dims %2 [0, 2] : tensor<3xf32>
  // Moving a unit dimension is not a cancellation.
  // CHECK: %[[S:.*]] = graph.squeeze %[[Y]] [] : tensor<1x3x1xf32>
  // CHECK-NEXT: %[[E:.*]] = graph.expand_dims %[[S]] [1, 2] : tensor<3xf32>
  %4 = graph.expand_dims %2 [1, 2] : tensor<3xf32>
  // CHECK-NEXT: return %[[X]], %[[Y]], %[[E]]
  return %1, %3, %4 : tensor<3x4xf32>, tensor<1x3x1xf32>, tensor<3x1x1xf32>
}

// -----

// CHECK-LABEL: func @constant_data_movement
func.func @constant_data_movement() -> (tensor<2x2xf32>, tensor<3x2xf32>, tensor<4x3xf32>, tensor<1x2xi32>) {
  %a = graph.constant dense<[1.0, 2.0, 3.0, 4.0]> : tensor<4xf32>
  // CHECK-DAG: graph.constant dense<{{\[}}[1.000000e+00, 2.000000e+00], [3.000000e+00, 4.000000e+00]]> : tensor<2x2xf32>
  %0 = graph.reshape %a [2, 2] : tensor<4xf32>
  %s = graph.constant dense<5.0> : tensor<2x3xf32>
  // CHECK-DAG: graph.constant dense<5.000000e+00> : tensor<3x2xf32>
  %1 = graph.transpose %s [1, 0] : tensor<2x3xf32>
  %t = graph.constant dense<7.0> : tensor<3xf32>
  // CHECK-DAG: graph.constant dense<7.000000e+00> : tensor<4x3xf32>
  %2 = graph.broadcast_to %t [4, 3] : tensor<3xf32>
  %i = graph.constant dense<[1, 2]> : tensor<2xi32>
  // CHECK-DAG: graph.constant dense<{{\[}}[1, 2]]> : tensor<1x2xi32>
  %3 = graph.expand_dims %i [0] : tensor<2xi32>
  // CHECK-NOT: graph.reshape
  // CHECK-NOT: graph.transpose
  // CHECK-NOT: graph.broadcast_to
  // CHECK-NOT: graph.expand_dims
  return %0, %1, %2, %3 : tensor<2x2xf32>, tensor<3x2xf32>, tensor<4x3xf32>, tensor<1x2xi32>
}

// -----

// Shape computations on small constants fold away.
// CHECK-LABEL: func @constant_shape_computations
func.func @constant_shape_computations() -> (tensor<2xi64>, tensor<5xi64>, tensor<2xi64>, tensor<3xf32>, tensor<2xi32>) {
  %shape = graph.constant dense<[1, 128, 768]> : tensor<3xi64>
  %idx = graph.constant dense<[2, -3]> : tensor<2xi64>
  // CHECK-DAG: graph.constant dense<[768, 1]> : tensor<2xi64>
  %0 = graph.gather %shape, %idx : tensor<3xi64>, tensor<2xi64>
  %two = graph.constant dense<[12, 64]> : tensor<2xi64>
  // CHECK-DAG: graph.constant dense<[1, 128, 768, 12, 64]> : tensor<5xi64>
  %1 = graph.concat %shape, %two axis 0 : tensor<3xi64>, tensor<2xi64>
  // CHECK-DAG: graph.constant dense<[1, 768]> : tensor<2xi64>
  %2 = graph.slice %shape {starts = array<i64: 0>, ends = array<i64: 3>, steps = array<i64: 2>} : tensor<3xi64>
  // CHECK-DAG: graph.constant dense<[1.000000e+00, 1.280000e+02, 7.680000e+02]> : tensor<3xf32>
  %3 = graph.cast %shape : tensor<3xi64> to f32
  %f = graph.constant dense<[-1.7, 2.9]> : tensor<2xf32>
  // Float to integer truncates toward zero.
  // CHECK-DAG: graph.constant dense<[-1, 2]> : tensor<2xi32>
  %4 = graph.cast %f : tensor<2xf32> to i32
  // CHECK-NOT: graph.gather
  // CHECK-NOT: graph.concat
  // CHECK-NOT: graph.slice
  // CHECK-NOT: graph.cast
  return %0, %1, %2, %3, %4 : tensor<2xi64>, tensor<5xi64>, tensor<2xi64>, tensor<3xf32>, tensor<2xi32>
}

// -----

// An out-of-range constant index is left to run time (which clamps it).
// CHECK-LABEL: func @negative_gather_out_of_range
func.func @negative_gather_out_of_range() -> tensor<1xi64> {
  %d = graph.constant dense<[1, 2, 3]> : tensor<3xi64>
  %i = graph.constant dense<[7]> : tensor<1xi64>
  // CHECK: graph.gather
  %0 = graph.gather %d, %i : tensor<3xi64>, tensor<1xi64>
  return %0 : tensor<1xi64>
}

// -----

// CHECK-LABEL: func @fold_new_unary
func.func @fold_new_unary() -> (tensor<3xf32>, tensor<3xi32>, tensor<2xi32>) {
  %x = graph.constant dense<[-1.5, 0.5, 2.5]> : tensor<3xf32>
  // Round half to even.
  // CHECK-DAG: graph.constant dense<[-2.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
  %0 = graph.round %x : tensor<3xf32>
  %i = graph.constant dense<[-7, 0, 9]> : tensor<3xi32>
  // CHECK-DAG: graph.constant dense<[-1, 0, 1]> : tensor<3xi32>
  %1 = graph.sign %i : tensor<3xi32>
  %a = graph.constant dense<[-7, 7]> : tensor<2xi32>
  %b = graph.constant dense<3> : tensor<i32>
  // The remainder takes the sign of the dividend.
  // CHECK-DAG: graph.constant dense<[-1, 1]> : tensor<2xi32>
  %2 = graph.rem %a, %b : tensor<2xi32>, tensor<i32>
  return %0, %1, %2 : tensor<3xf32>, tensor<3xi32>, tensor<2xi32>
}

// -----

// Comparisons and selects of constants fold element by element (the shape
// computations of ViT exports: Where(Equal(shape, -1), ...)). Floats compare
// ordered: NaN is equal to nothing and unequal to everything.
// CHECK-LABEL: func @compare_select_constants
func.func @compare_select_constants() -> (tensor<3xi1>, tensor<3xi1>, tensor<3xi64>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>) {
  %a = graph.constant dense<[1, -1, 3]> : tensor<3xi64>
  %m = graph.constant dense<-1> : tensor<i64>
  %d = graph.constant dense<[7, 8, 9]> : tensor<3xi64>
  // CHECK-DAG: graph.constant dense<[false, true, false]> : tensor<3xi1>
  %0 = graph.compare eq, %a, %m : tensor<3xi64>, tensor<i64>
  // CHECK-DAG: graph.constant dense<[true, false, true]> : tensor<3xi1>
  %1 = graph.compare gt, %a, %m : tensor<3xi64>, tensor<i64>
  // CHECK-DAG: graph.constant dense<[1, 8, 3]> : tensor<3xi64>
  %2 = graph.select %0, %d, %a : tensor<3xi1>, tensor<3xi64>, tensor<3xi64>
  %f = graph.constant dense<[1.0, 0x7FC00000]> : tensor<2xf32>
  %g = graph.constant dense<[2.0, 0x7FC00000]> : tensor<2xf32>
  // CHECK-DAG: graph.constant dense<[true, false]> : tensor<2xi1>
  %3 = graph.compare lt, %f, %g : tensor<2xf32>, tensor<2xf32>
  // CHECK-DAG: graph.constant dense<true> : tensor<2xi1>
  %4 = graph.compare ne, %f, %g : tensor<2xf32>, tensor<2xf32>
  // CHECK-DAG: graph.constant dense<false> : tensor<2xi1>
  %5 = graph.compare ge, %f, %g : tensor<2xf32>, tensor<2xf32>
  // CHECK-NOT: graph.compare
  // CHECK-NOT: graph.select
  return %0, %1, %2, %3, %4, %5 : tensor<3xi1>, tensor<3xi1>, tensor<3xi64>, tensor<2xi1>, tensor<2xi1>, tensor<2xi1>
}

// -----

// A comparison of a value that is not constant stays.
// CHECK-LABEL: func @negative_compare
func.func @negative_compare(%x: tensor<3xi64>) -> tensor<3xi1> {
  %m = graph.constant dense<-1> : tensor<i64>
  // CHECK: graph.compare eq
  %0 = graph.compare eq, %x, %m : tensor<3xi64>, tensor<i64>
  return %0 : tensor<3xi1>
}

// -----

// Small constants of shape computations fold through transpose,
// broadcast_to and gather (Swin's padding amounts and window masks); a
// gather from a splat is that splat, whatever the indices.
// CHECK-LABEL: func @shape_constants
// CHECK-DAG: %[[T:.*]] = graph.constant dense<{{\[\[}}0, 2, 4], [1, 3, 5]]> : tensor<2x3xi64>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<{{\[\[}}7, 8], [7, 8], [7, 8]]> : tensor<3x2xi64>
// CHECK-DAG: %[[G:.*]] = graph.constant dense<6> : tensor<2xi64>
// CHECK: return %[[T]], %[[B]], %[[G]]
func.func @shape_constants(%i: tensor<2xi64>) -> (tensor<2x3xi64>, tensor<3x2xi64>, tensor<2xi64>) {
  %c = graph.constant dense<[[0, 1], [2, 3], [4, 5]]> : tensor<3x2xi64>
  %0 = graph.transpose %c [1, 0] : tensor<3x2xi64>
  %r = graph.constant dense<[7, 8]> : tensor<2xi64>
  %1 = graph.broadcast_to %r [3, 2] : tensor<2xi64>
  %s = graph.constant dense<6> : tensor<4xi64>
  %2 = graph.gather %s, %i : tensor<4xi64>, tensor<2xi64>
  return %0, %1, %2 : tensor<2x3xi64>, tensor<3x2xi64>, tensor<2xi64>
}

// -----

// Unsigned constants fold as unsigned values: 200 / 3 = 66, max(200, 7) =
// 200, 200 > 7, abs and relu keep 200, the cast to f32 gives 200.0 and
// f32 250.7 to ui8 gives 250; shifts wrap (100 << 2 = 144) and shifts by
// the width or more give 0.
// CHECK-LABEL: func @unsigned_constants
// CHECK-DAG: graph.constant dense<66> : tensor<ui8>
// CHECK-DAG: graph.constant dense<200> : tensor<ui8>
// CHECK-DAG: graph.constant dense<true> : tensor<i1>
// CHECK-DAG: graph.constant dense<2.000000e+02> : tensor<f32>
// CHECK-DAG: graph.constant dense<250> : tensor<ui8>
// CHECK-DAG: graph.constant dense<[64, 0, 144]> : tensor<3xui8>
// CHECK-DAG: graph.constant dense<[0, 0, 25]> : tensor<3xui8>
// CHECK-NOT: graph.div
// CHECK-NOT: graph.shift
func.func @unsigned_constants() -> (tensor<ui8>, tensor<ui8>, tensor<i1>, tensor<ui8>, tensor<ui8>, tensor<f32>, tensor<ui8>, tensor<3xui8>, tensor<3xui8>) {
  %a = graph.constant dense<200> : tensor<ui8>
  %b = graph.constant dense<7> : tensor<ui8>
  %t = graph.constant dense<3> : tensor<ui8>
  %0 = graph.div %a, %t : tensor<ui8>, tensor<ui8>
  %1 = graph.max %a, %b : tensor<ui8>, tensor<ui8>
  %2 = graph.compare gt, %a, %b : tensor<ui8>, tensor<ui8>
  %3 = graph.abs %a : tensor<ui8>
  %4 = graph.relu %a : tensor<ui8>
  %5 = graph.cast %a : tensor<ui8> to f32
  %f = graph.constant dense<250.7> : tensor<f32>
  %6 = graph.cast %f : tensor<f32> to ui8
  %x = graph.constant dense<[1, 2, 100]> : tensor<3xui8>
  %s = graph.constant dense<[6, 8, 2]> : tensor<3xui8>
  %7 = graph.shift_left %x, %s : tensor<3xui8>, tensor<3xui8>
  %8 = graph.shift_right %x, %s : tensor<3xui8>, tensor<3xui8>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<ui8>, tensor<ui8>, tensor<i1>, tensor<ui8>, tensor<ui8>, tensor<f32>, tensor<ui8>, tensor<3xui8>, tensor<3xui8>
}
