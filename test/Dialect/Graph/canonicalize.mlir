// Canonicalization patterns of the graph dialect, with the cases where they
// must not fire.
// RUN: strata-opt %s -canonicalize -split-input-file | FileCheck %s

// x + 0 where the zero widens x by broadcasting becomes broadcast_to x.
// CHECK-LABEL: func @add_zero_broadcast
// CHECK-SAME: (%[[X:.*]]: tensor<3xf32>)
func.func @add_zero_broadcast(%x: tensor<3xf32>) -> tensor<4x3xf32> {
  %z = graph.constant dense<0.0> : tensor<4x3xf32>
  // CHECK: %[[B:.*]] = graph.broadcast_to %[[X]] [4, 3] : tensor<3xf32>
  // CHECK-NOT: graph.add
  %0 = graph.add %z, %x : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: return %[[B]]
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func @mul_one_broadcast
// CHECK-SAME: (%[[X:.*]]: tensor<2x1xi32>)
func.func @mul_one_broadcast(%x: tensor<2x1xi32>) -> tensor<2x5xi32> {
  %one = graph.constant dense<1> : tensor<5xi32>
  // CHECK: %[[B:.*]] = graph.broadcast_to %[[X]] [2, 5] : tensor<2x1xi32>
  %0 = graph.mul %x, %one : tensor<2x1xi32>, tensor<5xi32>
  // CHECK: return %[[B]]
  return %0 : tensor<2x5xi32>
}

// -----

// CHECK-LABEL: func @negative_add_one_broadcast
func.func @negative_add_one_broadcast(%x: tensor<3xf32>) -> tensor<4x3xf32> {
  %one = graph.constant dense<1.0> : tensor<4x3xf32>
  // CHECK: graph.add
  // CHECK-NOT: graph.broadcast_to
  %0 = graph.add %one, %x : tensor<4x3xf32>, tensor<3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func @negative_add_zero_dynamic
func.func @negative_add_zero_dynamic(%x: tensor<?x3xf32>, %y: tensor<?x1xf32>) -> tensor<?x3xf32> {
  %z = graph.constant dense<0.0> : tensor<3xf32>
  // CHECK: graph.add
  %0 = graph.add %y, %z : tensor<?x1xf32>, tensor<3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Folders and patterns compose: a chain of data movement collapses.
// CHECK-LABEL: func @movement_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
func.func @movement_chain(%x: tensor<2x3xf32>) -> tensor<3x2xf32> {
  %0 = graph.expand_dims %x [0] : tensor<2x3xf32>
  %1 = graph.reshape %0 [6] : tensor<1x2x3xf32>
  %2 = graph.reshape %1 [2, 3] : tensor<6xf32>
  %3 = graph.transpose %2 [1, 0] : tensor<2x3xf32>
  %4 = graph.transpose %3 [1, 0] : tensor<3x2xf32>
  %5 = graph.transpose %4 [1, 0] : tensor<2x3xf32>
  // CHECK: %[[T:.*]] = graph.transpose %[[X]] [1, 0] : tensor<2x3xf32>
  // CHECK-NEXT: return %[[T]]
  return %5 : tensor<3x2xf32>
}

// -----

// Unused pure ops disappear, inside fusion regions too.
// CHECK-LABEL: func @dead_code
func.func @dead_code(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = graph.exp %x : tensor<4xf32>
  // CHECK: graph.fusion
  %1 = graph.fusion (%x : tensor<4xf32>) {
  ^bb0(%a: tensor<4xf32>):
    // CHECK-NOT: graph.tanh
    %t = graph.tanh %a : tensor<4xf32>
    // CHECK: graph.relu
    %r = graph.relu %a : tensor<4xf32>
    graph.yield %r : tensor<4xf32>
  }
  // CHECK-NOT: graph.exp
  return %1 : tensor<4xf32>
}
