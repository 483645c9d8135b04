// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.arange(128, dtype=np.float32).reshape(16, 8) / 16)"
// A weight with 4 non-zeros of 64 runs sparse by default, dense with
// --sparse-threshold=0, and both give x @ w.
// RUN: strata-run %s --input %t/x.npy --output %t/sparse.npy --dump-ir=tensorx | FileCheck %s --check-prefix=SPARSE
// RUN: strata-run %s --input %t/x.npy --output %t/dense.npy --sparse-threshold=0 --dump-ir=tensorx | FileCheck %s --check-prefix=DENSE
// RUN: %python -c "import numpy as np; x = np.load('%t/x.npy'); w = np.zeros((8, 8), np.float32); w[0, 0] = 1; w[0, 7] = 2; w[2, 2] = 3; w[6, 5] = 4; [np.testing.assert_allclose(np.load('%t/' + f + '.npy'), x @ w, rtol=1e-6) for f in ('sparse', 'dense')]; print('ok')" | FileCheck %s --check-prefix=SAME
// RUN: %expect_exit 2 strata-run %s --random-inputs --sparse-threshold=2 | FileCheck %s --check-prefix=BAD

// SPARSE: tensorx.matmul {{.*}} tensor<8x8xf32, #sparse>
// DENSE-NOT: tensorx.matmul
// DENSE: graph.matmul
// SAME: ok
// BAD: --sparse-threshold must be a density between 0 and 1

func.func @main(%x: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %w = graph.constant dense<[[1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 3.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 4.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]> : tensor<8x8xf32>
  %0 = graph.matmul %x, %w : tensor<16x8xf32>, tensor<8x8xf32>
  return %0 : tensor<16x8xf32>
}
