// Bad input gets a diagnostic with its source location and a non-zero exit
// code, never a crash.
// RUN: not strata-opt %s 2>&1 | FileCheck %s
// RUN: not strata-opt %S/does-not-exist.mlir 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: echo 'func.func @f() { graph.bogus }' | not strata-opt 2>&1 | FileCheck %s --check-prefix=UNKNOWN
// RUN: echo 'func.func @f(%a: tensor<2xf32>) { %0 = graph.add %a, : tensor<2xf32>' | not strata-opt 2>&1 | FileCheck %s --check-prefix=SYNTAX

// CHECK: errors.mlir:[[@LINE+3]]:8: error: 'graph.matmul' op contracting dimensions differ: 3 vs 4
// CHECK-NOT: Stack dump
func.func @f(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  %0 = graph.matmul %a, %b : tensor<2x3xf32>, tensor<4x5xf32>
  return
}

// MISSING: cannot open input file {{.*}}does-not-exist.mlir

// UNKNOWN: <stdin>:1:18: error: custom op 'graph.bogus' is unknown

// SYNTAX: <stdin>:1:53: error: expected SSA operand
