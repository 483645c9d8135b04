// .npy inputs are read strictly: a file whose header or size disagrees with
// its data is an error (exit 2) naming the file and what is wrong, never
// data read with another meaning.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python %s.py %t
// RUN: %expect_exit 2 strata-run %s --input %t/junk.npy | FileCheck %s --check-prefix=JUNK
// RUN: %expect_exit 2 strata-run %s --input %t/shape.npy | FileCheck %s --check-prefix=SHAPE
// RUN: %expect_exit 2 strata-run %s --input %t/fortran.npy | FileCheck %s --check-prefix=FORTRAN
// RUN: %expect_exit 2 strata-run %s --input %t/huge.npy | FileCheck %s --check-prefix=HUGE
// RUN: %expect_exit 2 strata-run %s --input %t/claims.npy | FileCheck %s --check-prefix=CLAIMS
// RUN: strata-run %s --input %t/good.npy --print | FileCheck %s --check-prefix=GOOD
// JUNK: error: input #0: '{{.*}}junk.npy' has data after its 24 bytes (a shape or dtype that does not match the data?)
// SHAPE: error: input #0: '{{.*}}shape.npy' has a malformed shape in its header: (2x, 3)
// FORTRAN: error: input #0: '{{.*}}fortran.npy' has a malformed header: fortran_order is neither True nor False
// HUGE: error: input #0: '{{.*}}huge.npy': a tensor of shape 1099511627776x1099511627776xf32 is invalid or larger than a tensor can be (140737488355328 bytes at most)
// CLAIMS: error: input #0: '{{.*}}claims.npy' is truncated: expected 40000000000 bytes of data, found 24
// GOOD: [1, 2, 3],
func.func @f(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %0 = graph.relu %x : tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}
