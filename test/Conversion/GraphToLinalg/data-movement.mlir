// RUN: strata-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// CHECK-LABEL: func @reshapes
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0], [1, 2]] : tensor<2x3x4xf32> into tensor<2x12xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1], [2]] output_shape [1, 3, 4] : tensor<3x4xf32> into tensor<1x3x4xf32>
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<1x3xf32> into tensor<3xf32>
// A reshape that is neither goes through one dimension.
// CHECK: tensor.collapse_shape %{{.*}} {{\[}}[0, 1]] : tensor<2x3xf32> into tensor<6xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[}}[0, 1]] output_shape [3, 2] : tensor<6xf32> into tensor<3x2xf32>
func.func @reshapes(%x: tensor<2x3x4xf32>, %y: tensor<3x4xf32>, %z: tensor<1x3xf32>, %w: tensor<2x3xf32>)
    -> (tensor<2x12xf32>, tensor<1x3x4xf32>, tensor<3xf32>, tensor<3x2xf32>) {
  %0 = graph.reshape %x [2, 12] : tensor<2x3x4xf32>
  %1 = graph.expand_dims %y [0] : tensor<3x4xf32>
  %2 = graph.squeeze %z [0] : tensor<1x3xf32>
  %3 = graph.reshape %w [3, 2] : tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x12xf32>, tensor<1x3x4xf32>, tensor<3xf32>, tensor<3x2xf32>
}

// -----

// CHECK-LABEL: func @transpose_broadcast
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x3xf32>) outs(%{{.*}} : tensor<3x2xf32>) permutation = [1, 0]
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<3xf32>) outs(%{{.*}} : tensor<4x3xf32>)
func.func @transpose_broadcast(%x: tensor<2x3xf32>, %v: tensor<3xf32>) -> (tensor<3x2xf32>, tensor<4x3xf32>) {
  %0 = graph.transpose %x [1, 0] : tensor<2x3xf32>
  %1 = graph.broadcast_to %v [4, 3] : tensor<3xf32>
  return %0, %1 : tensor<3x2xf32>, tensor<4x3xf32>
}

// -----

// CHECK-LABEL: func @concat_slice
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x8xf32>
// CHECK: %[[I0:.*]] = tensor.insert_slice %{{.*}} into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %{{.*}} into %[[I0]][0, 3] [2, 5] [1, 1]
// CHECK: tensor.extract_slice %{{.*}}[0, 1] [2, 4] [1, 2] : tensor<2x8xf32> to tensor<2x4xf32>
func.func @concat_slice(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> tensor<2x4xf32> {
  %0 = graph.concat %a, %b axis 1 : tensor<2x3xf32>, tensor<2x5xf32>
  %1 = graph.slice %0 {starts = array<i64: 0, 1>, ends = array<i64: 2, 8>, steps = array<i64: 1, 2>} : tensor<2x8xf32>
  return %1 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @pads
// CHECK: %[[V:.*]] = arith.constant 5.000000e-01 : f32
// CHECK: tensor.pad %{{.*}} low[1, 0] high[0, 2]
// CHECK: tensor.yield %[[V]]
// Reflection mirrors the index into range and extracts.
// CHECK: linalg.generic
// CHECK: linalg.index 0
// CHECK: arith.maxsi
// CHECK: tensor.extract
func.func @pads(%x: tensor<2x3xf32>) -> (tensor<3x5xf32>, tensor<2x5xf32>) {
  %0 = graph.pad %x {pads = array<i64: 1, 0, 0, 2>, value = 0.5 : f64} : tensor<2x3xf32>
  %1 = graph.pad %x {mode = #graph<pad_mode reflect>, pads = array<i64: 0, 1, 0, 1>} : tensor<2x3xf32>
  return %0, %1 : tensor<3x5xf32>, tensor<2x5xf32>
}

// -----

// Gather indices are normalized and clamped before the extract.
// CHECK-LABEL: func @gather
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2xi64>) outs(%{{.*}} : tensor<2x4xf32>)
// CHECK: arith.index_cast
// CHECK: arith.cmpi slt
// CHECK: arith.minsi
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<5x4xf32>
func.func @gather(%d: tensor<5x4xf32>, %i: tensor<2xi64>) -> tensor<2x4xf32> {
  %0 = graph.gather %d, %i : tensor<5x4xf32>, tensor<2xi64>
  return %0 : tensor<2x4xf32>
}

// -----

// CHECK-LABEL: func @gather_elements
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<3x2xi64>) outs(%{{.*}} : tensor<3x2xf32>)
// CHECK: tensor.extract %{{.*}}[%{{.*}}, %{{.*}}] : tensor<3x4xf32>
func.func @gather_elements(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>) -> tensor<3x2xf32> {
  %0 = graph.gather_elements %d, %i {axis = 1 : i64} : tensor<3x4xf32>, tensor<3x2xi64>
  return %0 : tensor<3x2xf32>
}


// -----

// An empty slice may start at the end of its dimension; the extract_slice
// starts at 0 there (its offsets must be inside the dimension).
// CHECK-LABEL: func @empty_slice
// CHECK: tensor.extract_slice %{{.*}}[0, 0, 0] [20, 0, 5] [1, 1, 1] : tensor<20x10x5xf32> to tensor<20x0x5xf32>
func.func @empty_slice(%x: tensor<20x10x5xf32>) -> tensor<20x0x5xf32> {
  %0 = graph.slice %x {starts = array<i64: 0, 10, 0>, ends = array<i64: 20, 10, 5>} : tensor<20x10x5xf32>
  return %0 : tensor<20x0x5xf32>
}

// -----

// scatter_elements is a loop over the updates in order, each inserting its
// element (added to the one there, with reduction add) into the data the
// loop carries; the update's position comes from the flat counter and the
// axis coordinate from its index, clamped into range.
// CHECK-LABEL: func @scatter_elements_add
// CHECK: %[[LOOP:.*]] = scf.for %[[IV:.*]] = %c0 to %c6 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<3x4xf32>)
// CHECK: %[[COL:.*]] = arith.remui %[[IV]], %c2
// CHECK: %[[ROW0:.*]] = arith.divui %[[IV]], %c2
// CHECK: %[[ROW:.*]] = arith.remui %[[ROW0]], %c3
// CHECK: %[[IDX:.*]] = tensor.extract %{{.*}}[%[[ROW]], %[[COL]]] : tensor<3x2xi64>
// CHECK: arith.index_cast %[[IDX]]
// CHECK: %[[UPD:.*]] = tensor.extract %{{.*}}[%[[ROW]], %[[COL]]] : tensor<3x2xf32>
// CHECK: %[[OLD:.*]] = tensor.extract %[[ACC]][%[[ROW]], %[[AT:.*]]] : tensor<3x4xf32>
// CHECK: %[[SUM:.*]] = arith.addf %[[OLD]], %[[UPD]]
// CHECK: %[[NEXT:.*]] = tensor.insert %[[SUM]] into %[[ACC]][%[[ROW]], %[[AT]]]
// CHECK: scf.yield %[[NEXT]]
// CHECK: return %[[LOOP]]
func.func @scatter_elements_add(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> tensor<3x4xf32> {
  %0 = graph.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = #graph<scatter_reduction add>} : tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>
  return %0 : tensor<3x4xf32>
}
