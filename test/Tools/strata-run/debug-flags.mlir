// IR dumps elide weights unless MLIR's elision flags say otherwise; MLIR's
// debugging flags apply to the compilation.
// RUN: strata-run %s --random-inputs --dump-ir=graph | FileCheck %s --check-prefix=ELIDED
// RUN: strata-run %s --random-inputs --dump-ir=graph --mlir-elide-elementsattrs-if-larger=100 | FileCheck %s --check-prefix=FULL
// RUN: strata-run %s --random-inputs --mlir-timing 2>&1 | FileCheck %s --check-prefix=TIMING
// RUN: strata-run %s --random-inputs --mlir-print-ir-after-all 2>&1 | FileCheck %s --check-prefix=AFTER-ALL
// RUN: strata-run --help-hidden | FileCheck %s --check-prefix=HELP

// A pass's error names the op, without the IR around it unless asked.
// RUN: %expect_exit 1 strata-run %S/Inputs/bufferization-error.mlir --random-inputs | FileCheck %s --check-prefix=PASS-ERROR
// RUN: %expect_exit 1 strata-run %S/Inputs/bufferization-error.mlir --random-inputs --mlir-print-op-on-diagnostic | FileCheck %s --check-prefix=WITH-OP

func.func @scale(%x: tensor<17xf32>) -> tensor<17xf32> {
  %w = graph.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0, 13.0, 14.0, 15.0, 16.0, 17.0]> : tensor<17xf32>
  %y = graph.mul %x, %w : tensor<17xf32>, tensor<17xf32>
  return %y : tensor<17xf32>
}

// ELIDED: dense_resource<__elided__> : tensor<17xf32>
// FULL: dense<[1.000000e+00, 2.000000e+00,
// TIMING: Execution time report
// TIMING: graph
// TIMING: llvm
// AFTER-ALL: IR Dump After
// HELP: --mlir-print-ir-after-all
// HELP: --mlir-timing

// PASS-ERROR: error: 'bufferization.to_tensor' op to_tensor ops without `restrict` are not supported
// PASS-ERROR-NOT: see current operation
// WITH-OP: see current operation
