// RUN: strata-opt %s --strata-cpu-select-kernels="kernels=matmul vector-lanes=16 threads=2" --strata-cpu-vectorize-matmul | FileCheck %s
// Splitting and tiling erase the matmul and its bias broadcast; the pass
// used to read them afterwards (found by valgrind, which checks this again
// where it is installed).
// RUN: %if valgrind %{ valgrind -q --error-exitcode=9 strata-opt %s --strata-cpu-select-kernels="kernels=matmul vector-lanes=16 threads=2" --strata-cpu-vectorize-matmul -o /dev/null %}

// A matmul with a bias and no epilogue whose 49 columns are split into
// pieces of 32, 16 and 1. Every piece's tiles start from the bias (read as
// an 8-element slice per tile), the later pieces too, whose initial value is
// a slice of the tensor the earlier pieces were inserted into: the pieces
// are computed in slices of an empty tensor. The whole broadcast, a serial
// loop whose values the pieces overwrite entirely, is no longer computed.
// CHECK-LABEL: func @split_bias
// CHECK-NOT: linalg.broadcast
// CHECK: %[[E:.*]] = tensor.empty() : tensor<64x49xf32>
// CHECK: %[[S1:.*]] = tensor.extract_slice %[[E]][0, 0] [64, 32] [1, 1]
// CHECK: %[[P1:.*]] = scf.forall {{.*}} shared_outs(%{{.*}} = %[[S1]])
// CHECK: tensor.extract_slice %arg1[%{{.*}}] [8] [1] : tensor<64xf32> to tensor<8xf32>
// CHECK: tensor.insert_slice %[[P1]] into %[[E]][0, 0] [64, 32] [1, 1]
// CHECK: %[[S2:.*]] = tensor.extract_slice %[[E]][0, 32] [64, 16] [1, 1]
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[S2]])
// CHECK: tensor.extract_slice %arg1[%{{.*}}] [8] [1] : tensor<64xf32> to tensor<8xf32>
// CHECK: %[[S3:.*]] = tensor.extract_slice %[[E]][0, 48] [64, 1] [1, 1]
// CHECK: scf.forall {{.*}} shared_outs(%{{.*}} = %[[S3]])
// CHECK: tensor.extract_slice %arg1[%{{.*}}] [8] [1] : tensor<64xf32> to tensor<8xf32>
// CHECK-NOT: linalg.broadcast
func.func @split_bias(%a: tensor<64x256xf32>, %bias: tensor<64xf32>) -> tensor<64x49xf32> {
  %b = arith.constant dense<0.5> : tensor<256x49xf32>
  %e = tensor.empty() : tensor<64x49xf32>
  %init = linalg.broadcast ins(%bias : tensor<64xf32>) outs(%e : tensor<64x49xf32>) dimensions = [1]
  %0 = linalg.matmul ins(%a, %b : tensor<64x256xf32>, tensor<256x49xf32>) outs(%init : tensor<64x49xf32>) -> tensor<64x49xf32>
  return %0 : tensor<64x49xf32>
}
