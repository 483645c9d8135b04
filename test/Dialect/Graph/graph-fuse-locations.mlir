// RUN: strata-opt %s -graph-fuse -mlir-print-debuginfo | FileCheck %s

// A kernel's ops carry the locations of all its ops (their own first), so
// that the code generated for any of them names every node it computes;
// the fusion op has all of them, in program order.

// CHECK-LABEL: func.func @conv_relu
// CHECK:         graph.fusion
// CHECK:           graph.conv2d {{.*}} loc(#[[CONV:loc[0-9]+]])
// CHECK:           graph.relu {{.*}} loc(#[[RELU:loc[0-9]+]])
// CHECK:         } loc(#[[CONV]])
// CHECK:       #[[C:loc[0-9]+]] = loc("conv")
// CHECK-NEXT:  #[[R:loc[0-9]+]] = loc("relu")
// CHECK-DAG:   #[[CONV]] = loc(fused[#[[C]], #[[R]]])
// CHECK-DAG:   #[[RELU]] = loc(fused[#[[R]], #[[C]]])
func.func @conv_relu(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>) -> tensor<1x4x6x6xf32> {
  %b = graph.constant dense<0.0> : tensor<4xf32>
  %c = graph.conv2d %x, %w, %b : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32> loc("conv")
  %r = graph.relu %c : tensor<1x4x6x6xf32> loc("relu")
  return %r : tensor<1x4x6x6xf32>
}
