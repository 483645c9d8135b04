// A function that returns the same tensor twice, or two computations that
// CSE merges into one, runs and fills every output (it crashed in
// buffer-results-to-out-params; strata-distinct-results copies repeats).
// RUN: strata-run %s --entry twice --random-inputs --print | FileCheck %s
// RUN: strata-run %s --entry merged --random-inputs --print | FileCheck %s
// CHECK: result0: 4xf32 =
// CHECK-NEXT: [0, 0, 0.244218, 0.635677]
// CHECK: result1: 4xf32 =
// CHECK-NEXT: [0, 0, 0.244218, 0.635677]
func.func @twice(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.relu %a : tensor<4xf32>
  return %0, %0 : tensor<4xf32>, tensor<4xf32>
}
func.func @merged(%a: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = graph.relu %a : tensor<4xf32>
  %1 = graph.relu %a : tensor<4xf32>
  return %0, %1 : tensor<4xf32>, tensor<4xf32>
}
