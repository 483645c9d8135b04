// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[1, -2, 3], [-4, 5, -6]], np.float32)); np.save('%t/i.npy', np.array([1, 2], np.int64)); np.save('%t/bad.npy', np.zeros((3, 2), np.float32)); np.save('%t/f64.npy', np.zeros((2, 3), np.float64)); open('%t/trunc.npy', 'wb').write(open('%t/x.npy', 'rb').read()[:-4])"
// RUN: strata-run %s --input %t/x.npy --input %t/i.npy --output %t/y.npy --output %t/z.npy --print | FileCheck %s
// RUN: %python -c "import numpy as np; y = np.load('%t/y.npy'); assert y.dtype == np.float32 and y.shape == (2, 3) and (y == [[1, 0, 3], [0, 5, 0]]).all(), y; print('ok')" | FileCheck %s --check-prefix=NPY
// RUN: strata-run %s --input %t/x.npy --input %t/i.npy --repeat 3 | FileCheck %s --check-prefix=REPEAT
// One run reports its latency too; --timing adds the compilation's phases
// (stderr), and --quiet (no progress display) is accepted off a terminal.
// RUN: strata-run %s --input %t/x.npy --input %t/i.npy --timing --quiet 2>&1 | FileCheck %s --check-prefix=TIMING

// Bad input: a clear message and exit code 2, never a crash.
// RUN: %expect_exit 2 strata-run %s --input %t/x.npy | FileCheck %s --check-prefix=MISSING
// RUN: %expect_exit 2 strata-run %s --input %t/bad.npy --input %t/i.npy | FileCheck %s --check-prefix=SHAPE
// Inputs are checked before compiling: no level is printed.
// RUN: %expect_exit 2 strata-run %s --input %t/bad.npy --input %t/i.npy --dump-ir=graph 2>&1 | FileCheck %s --check-prefix=SHAPE --implicit-check-not=func.func
// RUN: %expect_exit 2 strata-run %s --input %t/f64.npy --input %t/i.npy | FileCheck %s --check-prefix=DTYPE
// RUN: %expect_exit 2 strata-run %s --input %t/trunc.npy --input %t/i.npy | FileCheck %s --check-prefix=TRUNC
// RUN: %expect_exit 2 strata-run %s --input %s --input %t/i.npy | FileCheck %s --check-prefix=NOTNPY
// RUN: %expect_exit 2 strata-run %s --input %t/x.npy --input %t/i.npy --input %t/i.npy | FileCheck %s --check-prefix=EXTRA
// RUN: %expect_exit 2 strata-run %s --random-inputs --dump-ir=bogus | FileCheck %s --check-prefix=LEVEL
// RUN: %expect_exit 2 strata-run %s --random-inputs --entry nope | FileCheck %s --check-prefix=ENTRY
// RUN: %expect_exit 2 strata-run %t/none.onnx | FileCheck %s --check-prefix=NOFILE
// RUN: strata-run %s --input %t/x.npy --input %t/i.npy --threads 2 --print | FileCheck %s
// RUN: strata-run %s --input %t/x.npy --input %t/i.npy --threads 1 --dump-ir=llvm | FileCheck %s --check-prefix=SERIAL
// RUN: %expect_exit 2 strata-run %s --random-inputs --threads -1 | FileCheck %s --check-prefix=THREADS
// Malformed flags are bad usage too (exit 2, not the parser's 1).
// RUN: %expect_exit 2 strata-run %s --random-inputs --threads abc | FileCheck %s --check-prefix=FLAG
// RUN: %expect_exit 2 strata-run %s --random-inputs --threads 99999999999 | FileCheck %s --check-prefix=FLAG
// RUN: %expect_exit 2 strata-run %s --random-inputs --threads 5000 | FileCheck %s --check-prefix=THREADS
// RUN: %expect_exit 2 strata-run %s --random-inputs --repeat -1 | FileCheck %s --check-prefix=FLAG
// RUN: %expect_exit 2 strata-run %s --random-inputs --bogus | FileCheck %s --check-prefix=UNKNOWN
// RUN: %expect_exit 2 strata-run | FileCheck %s --check-prefix=NOMODEL
// RUN: strata-run --help | FileCheck %s --check-prefix=HELP

// CHECK: y: 2x3xf32 =
// CHECK-NEXT: {{\[}}[1, 0, 3],
// CHECK-NEXT: [0, 5, 0]]
// CHECK-NEXT: z: 2xi64 =
// CHECK-NEXT: [2, 4]
// NPY: ok
// REPEAT: compile: {{.*}} s, runs: 3 (after a warm-up run), median: {{.*}} ms, min: {{.*}} ms
// TIMING: compile time:
// TIMING-NEXT: import {{.*}} s
// TIMING-NEXT: graph {{.*}} s
// TIMING-NEXT: tensorx {{.*}} s
// TIMING-NEXT: linalg {{.*}} s
// TIMING-NEXT: loops {{.*}} s
// TIMING-NEXT: llvm {{.*}} s
// TIMING-NEXT: llvm-translate {{.*}} s
// TIMING-NEXT: llvm-optimize {{.*}} s
// TIMING-NEXT: machine-code {{.*}} s
// TIMING-NEXT: link {{.*}} s
// TIMING-NEXT: total {{.*}} s
// TIMING-NEXT: compile: {{.*}} s, run: {{.*}} ms (one cold run; --repeat N for warm timings)
// MISSING: error: missing inputs (pass --input FILE.npy for each, or --random-inputs):
// MISSING-NEXT: #1 i: 2xi64
// SHAPE: error: input #0 ('{{.*}}bad.npy') is 3x2xf32 but 'f' expects x: 2x3xf32
// DTYPE: error: input #0 ('{{.*}}f64.npy') is 2x3xf64 but 'f' expects x: 2x3xf32
// TRUNC: error: input #0: '{{.*}}trunc.npy' is truncated: expected 24 bytes of data, found 20
// NOTNPY: error: input #0: '{{.*}}run.mlir' is not a .npy file (bad magic)
// EXTRA: error: 3 inputs given but 'f' takes 2
// LEVEL: error: unknown level 'bogus' for --dump-ir; use graph, tensorx, linalg, loops or llvm
// ENTRY: error: no function 'nope' to run; the module defines: f
// NOFILE: error: cannot open '{{.*}}none.onnx': no such file
// SERIAL-NOT: omp.
// SERIAL: llvm.func @f
// THREADS: error: --threads must be at least 1 (or 0 for every core) and at most 4096
// FLAG: value invalid for {{integer|uint}} argument
// UNKNOWN: Unknown command line argument '--bogus'
// NOMODEL: Not enough positional command line arguments specified
// HELP: --threads=<N> {{.*}} Threads to run on (default: the machine's cores)
func.func @f(%x: tensor<2x3xf32> {strata.name = "x"}, %i: tensor<2xi64> {strata.name = "i"})
    -> (tensor<2x3xf32> {strata.name = "y"}, tensor<2xi64> {strata.name = "z"}) {
  %0 = graph.relu %x : tensor<2x3xf32>
  %1 = graph.add %i, %i : tensor<2xi64>, tensor<2xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<2xi64>
}
