// RUN: strata-opt %s -convert-graph-to-linalg -split-input-file -verify-diagnostics

// Dynamic shapes are rejected with the op and its location.
func.func @dynamic(%x: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @+1 {{'graph.relu' op has a dynamic shape ('tensor<?x3xf32>'), which convert-graph-to-linalg does not support yet}}
  %0 = graph.relu %x : tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}
