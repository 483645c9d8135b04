// RUN: strata-opt %s --strata-concat-in-place --split-input-file | FileCheck %s

// DenseNet's pattern: each layer reads the concatenation of all the
// values before it. The longest concatenation is built as its values
// appear; the shorter one is a view of its leading channels.

// CHECK-LABEL: func.func @dense(
// CHECK-SAME:      %[[X:.*]]: tensor<1x4x8xf32>)
// CHECK-NEXT:    %[[E:.*]] = tensor.empty() : tensor<1x12x8xf32>
// CHECK-NEXT:    %[[B1:.*]] = tensor.insert_slice %[[X]] into %[[E]][0, 0, 0] [1, 4, 8] [1, 1, 1]
// CHECK-NEXT:    %[[Y1:.*]] = arith.negf %[[X]]
// CHECK-NEXT:    %[[B2:.*]] = tensor.insert_slice %[[Y1]] into %[[B1]][0, 4, 0] [1, 4, 8] [1, 1, 1]
// CHECK-NEXT:    %[[A:.*]] = tensor.extract_slice %[[B2]][0, 0, 0] [1, 8, 8] [1, 1, 1] : tensor<1x12x8xf32> to tensor<1x8x8xf32>
// CHECK-NEXT:    %[[S:.*]] = tensor.extract_slice %[[A]][0, 2, 0] [1, 4, 8] [1, 1, 1]
// CHECK-NEXT:    %[[Y2:.*]] = arith.negf %[[S]]
// CHECK-NEXT:    %[[B3:.*]] = tensor.insert_slice %[[Y2]] into %[[B2]][0, 8, 0] [1, 4, 8] [1, 1, 1]
// CHECK-NEXT:    return %[[B3]]
func.func @dense(%x: tensor<1x4x8xf32>) -> tensor<1x12x8xf32> {
  %y1 = arith.negf %x : tensor<1x4x8xf32>
  %a0 = tensor.empty() : tensor<1x8x8xf32>
  %a1 = tensor.insert_slice %x into %a0[0, 0, 0] [1, 4, 8] [1, 1, 1] : tensor<1x4x8xf32> into tensor<1x8x8xf32>
  %a2 = tensor.insert_slice %y1 into %a1[0, 4, 0] [1, 4, 8] [1, 1, 1] : tensor<1x4x8xf32> into tensor<1x8x8xf32>
  %s = tensor.extract_slice %a2[0, 2, 0] [1, 4, 8] [1, 1, 1] : tensor<1x8x8xf32> to tensor<1x4x8xf32>
  %y2 = arith.negf %s : tensor<1x4x8xf32>
  %b0 = tensor.empty() : tensor<1x12x8xf32>
  %b1 = tensor.insert_slice %x into %b0[0, 0, 0] [1, 4, 8] [1, 1, 1] : tensor<1x4x8xf32> into tensor<1x12x8xf32>
  %b2 = tensor.insert_slice %y1 into %b1[0, 4, 0] [1, 4, 8] [1, 1, 1] : tensor<1x4x8xf32> into tensor<1x12x8xf32>
  %b3 = tensor.insert_slice %y2 into %b2[0, 8, 0] [1, 4, 8] [1, 1, 1] : tensor<1x4x8xf32> into tensor<1x12x8xf32>
  return %b3 : tensor<1x12x8xf32>
}

// -----

// Not a prefix: the values are in another order, or along another axis.
// Both concatenations stay as they are.

// CHECK-LABEL: func.func @unrelated(
// CHECK-COUNT-2: tensor.empty
// CHECK-NOT:     tensor.extract_slice
func.func @unrelated(%x: tensor<4x4xf32>, %y: tensor<4x4xf32>) -> (tensor<8x4xf32>, tensor<12x4xf32>) {
  %a0 = tensor.empty() : tensor<8x4xf32>
  %a1 = tensor.insert_slice %x into %a0[0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<8x4xf32>
  %a2 = tensor.insert_slice %x into %a1[4, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<8x4xf32>
  %b0 = tensor.empty() : tensor<12x4xf32>
  %b1 = tensor.insert_slice %x into %b0[0, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<12x4xf32>
  %b2 = tensor.insert_slice %y into %b1[4, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<12x4xf32>
  %b3 = tensor.insert_slice %x into %b2[8, 0] [4, 4] [1, 1] : tensor<4x4xf32> into tensor<12x4xf32>
  return %a2, %b3 : tensor<8x4xf32>, tensor<12x4xf32>
}

// -----

// A chain that leaves part of its tensor unwritten is not a concatenation.

// CHECK-LABEL: func.func @gap(
// CHECK-COUNT-2: tensor.empty
// CHECK-NOT:     tensor.extract_slice
func.func @gap(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<10xf32>, tensor<12xf32>) {
  %a0 = tensor.empty() : tensor<10xf32>
  %a1 = tensor.insert_slice %x into %a0[0] [4] [1] : tensor<4xf32> into tensor<10xf32>
  %a2 = tensor.insert_slice %y into %a1[4] [4] [1] : tensor<4xf32> into tensor<10xf32>
  %b0 = tensor.empty() : tensor<12xf32>
  %b1 = tensor.insert_slice %x into %b0[0] [4] [1] : tensor<4xf32> into tensor<12xf32>
  %b2 = tensor.insert_slice %y into %b1[4] [4] [1] : tensor<4xf32> into tensor<12xf32>
  %b3 = tensor.insert_slice %x into %b2[8] [4] [1] : tensor<4xf32> into tensor<12xf32>
  return %a2, %b3 : tensor<10xf32>, tensor<12xf32>
}
