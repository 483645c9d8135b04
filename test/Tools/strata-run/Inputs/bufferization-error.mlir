// A bufferization error (debug-flags.mlir).
func.func @main(%x: tensor<2xf32>) -> tensor<2xf32> {
  %m = memref.alloc() : memref<2xf32>
  %t = bufferization.to_tensor %m : memref<2xf32> to tensor<2xf32>
  %z = graph.add %x, %t : tensor<2xf32>, tensor<2xf32>
  return %z : tensor<2xf32>
}
