// strata-compile writes a shared object and a C header; strata-run runs the
// shared object without compiling, with the same results.
// RUN: rm -rf %t && mkdir -p %t
// RUN: %python -c "import numpy as np; np.save('%t/x.npy', np.array([[1, -2, 3], [-4, 5, -6]], np.float32))"
// RUN: strata-compile %s -o %t/relu.so --threads 1
// RUN: FileCheck %s --check-prefix=HEADER < %t/relu.h
// RUN: strata-run %t/relu.so --input %t/x.npy --print | FileCheck %s
// RUN: strata-run %s --input %t/x.npy --print | FileCheck %s
// RUN: strata-compile %s -o %t/named.so --header %t/other.h
// RUN: FileCheck %s --check-prefix=OTHER < %t/other.h
// RUN: strata-compile %s -o %t/bare.so --no-header
// RUN: not ls %t/bare.h

// Bad usage: exit code 2 and a message naming the problem.
// RUN: %expect_exit 2 strata-compile %s -o %t/relu.bin | FileCheck %s --check-prefix=EXT
// RUN: %expect_exit 2 strata-compile %t/missing.onnx -o %t/m.so | FileCheck %s --check-prefix=MISSING
// RUN: %expect_exit 2 strata-run %t/missing.so | FileCheck %s --check-prefix=NOSO
// RUN: %expect_exit 2 strata-run %t/relu.h.so 2>&1 | FileCheck %s --check-prefix=NOSO2
// RUN: cp %t/relu.h %t/text.so
// RUN: %expect_exit 2 strata-run %t/text.so | FileCheck %s --check-prefix=NOTELF
// RUN: %expect_exit 2 strata-run %t/relu.so --entry other --random-inputs | FileCheck %s --check-prefix=ENTRY
// RUN: %expect_exit 2 strata-run %t/relu.so --dump-ir=linalg --random-inputs | FileCheck %s --check-prefix=DUMP
// RUN: %expect_exit 2 strata-run %t/relu.so --input %t/x.npy --input %t/x.npy | FileCheck %s --check-prefix=COUNT

func.func @relu(%x: tensor<2x3xf32> {strata.name = "x"}) -> (tensor<2x3xf32> {strata.name = "y"}) {
  %y = graph.relu %x : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// CHECK: y: 2x3xf32 =
// CHECK-NEXT: {{\[\[}}1, 0, 3],
// CHECK-NEXT: [0, 5, 0]]

// HEADER: #ifndef RELU_MODEL_H
// HEADER: #define RELU_ENTRY "relu"
// HEADER: #define RELU_NUM_INPUTS 1
// HEADER: #define RELU_NUM_OUTPUTS 1
// HEADER: /* input #0: x: 2x3xf32 */
// HEADER-NEXT: #define RELU_INPUT0_NAME "x"
// HEADER-NEXT: #define RELU_INPUT0_DTYPE "f32"
// HEADER-NEXT: #define RELU_INPUT0_RANK 2
// HEADER-NEXT: #define RELU_INPUT0_ELEMENTS 6
// HEADER-NEXT: #define RELU_INPUT0_BYTES 24
// HEADER-NEXT: static const int64_t RELU_INPUT0_SHAPE[2] = {2, 3};
// HEADER: /* output #0: y: 2x3xf32 */
// HEADER: #endif /* RELU_MODEL_H */

// OTHER: #define OTHER_ENTRY "relu"

// EXT: strata-compile: error: the output '{{.*}}relu.bin' must end with .so
// MISSING: strata-compile: error: cannot open '{{.*}}missing.onnx': no such file
// NOSO: strata-run: error: cannot open '{{.*}}missing.so': no such file or no permission
// NOSO2: strata-run: error: cannot open '{{.*}}relu.h.so'
// NOTELF: strata-run: error: '{{.*}}text.so' is not a shared object (a compiled model is written by strata-compile or Model.save)
// ENTRY: strata-run: error: no function 'other' to run; '{{.*}}relu.so' was compiled for 'relu'
// DUMP: strata-run: error: '{{.*}}relu.so' is compiled already: --dump-ir, --dim and --input-shape do not apply
// COUNT: strata-run: error: 2 inputs given but 'relu' takes 1
