// RUN: strata-opt %s -split-input-file \
// RUN:   -pass-pipeline='builtin.module(func.func(strata-cpu-balance-parallel-loops{threads=2 grains-per-thread=4}))' \
// RUN:   | FileCheck %s
// RUN: strata-opt %s -split-input-file \
// RUN:   -pass-pipeline='builtin.module(func.func(strata-cpu-balance-parallel-loops{threads=3}))' \
// RUN:   | FileCheck %s --check-prefix=THREE

// 10 x 3 items (the inner dimension steps by 2) on 2 threads: thread 0 owns
// items [0, 15), thread 1 [15, 30); their counters, a cache line apart, are
// set at the function's entry. Each thread claims grains of 15 / 4 = 3
// items, from its own counter first, then from the other's (one loop over
// the claims, moving to the next counter when one is exhausted); item i runs
// the body at (i / 3, 2 * (i mod 3)).
// CHECK-LABEL: func @two_dims
// CHECK-DAG: %[[COUNTERS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<16xi64>
// CHECK-DAG: %[[B0:.*]] = arith.constant 0 : i64
// CHECK-DAG: %[[B1:.*]] = arith.constant 15 : i64
// CHECK-DAG: %[[AT1:.*]] = arith.constant 8 : index
// CHECK-DAG: memref.store %[[B0]], %[[COUNTERS]][%{{.*}}] : memref<16xi64>
// CHECK-DAG: memref.store %[[B1]], %[[COUNTERS]][%[[AT1]]] : memref<16xi64>
// CHECK: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[NT:.*]]) step
// CHECK-DAG: %[[G:.*]] = arith.constant 3 : i64
// CHECK-DAG: %[[GI:.*]] = arith.constant 3 : index
// CHECK-DAG: %[[PER:.*]] = arith.constant 15 : index
// CHECK: scf.while (%[[K:.*]] = %{{.*}}) : (index) -> (index, index, index, i1) {
// CHECK: %[[SUM:.*]] = arith.addi %[[T]], %[[K]]
// CHECK: %[[SHARD:.*]] = arith.remui %[[SUM]], %[[NT]]
// CHECK: %[[NEXT:.*]] = arith.addi %[[SHARD]], %{{.*}}
// CHECK: %[[E0:.*]] = arith.muli %[[NEXT]], %[[PER]]
// CHECK: %[[END:.*]] = arith.addi %[[E0]],
// CHECK: %[[SLOT:.*]] = arith.muli %[[SHARD]], %{{.*}}
// CHECK: %[[CLAIM:.*]] = memref.atomic_rmw addi %[[G]], %[[COUNTERS]][%[[SLOT]]]
// CHECK: %[[FIRST:.*]] = arith.index_cast %[[CLAIM]]
// CHECK: %[[GOT:.*]] = arith.cmpi ult, %[[FIRST]], %[[END]]
// CHECK: %[[K1:.*]] = arith.addi %[[K]], %{{.*}}
// CHECK: %[[LEFT:.*]] = arith.cmpi ult, %[[K1]], %[[NT]]
// CHECK: %[[MORE:.*]] = arith.ori %[[GOT]], %[[LEFT]]
// CHECK: %[[KNEXT:.*]] = arith.select %[[GOT]], %[[K]], %[[K1]]
// CHECK: scf.condition(%[[MORE]]) %[[KNEXT]], %[[FIRST]], %[[END]], %[[GOT]]
// CHECK: ^bb0(%[[KA:.*]]: index, %[[F:.*]]: index, %[[EA:.*]]: index, %[[GA:.*]]: i1):
// CHECK: scf.if %[[GA]] {
// CHECK: %[[LAST0:.*]] = arith.addi %[[F]], %[[GI]]
// CHECK: %[[LAST:.*]] = arith.minui %[[LAST0]], %[[EA]]
// CHECK: scf.for %[[I:.*]] = %[[F]] to %[[LAST]]
// CHECK: %[[COL:.*]] = arith.remui %[[I]], %[[NCOL:.*]] : index
// CHECK: %[[ROW:.*]] = arith.divui %[[I]], %[[NCOL]]
// CHECK: %[[J:.*]] = arith.muli %[[COL]], %{{.*}}
// CHECK: memref.store %{{.*}}, %{{.*}}[%{{.*}}, %{{.*}}] : memref<10x6xf32>
// CHECK: scf.yield %[[KA]]
// CHECK-NOT: scf.parallel
// CHECK: return
func.func @two_dims(%a: memref<10x6xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c10 = arith.constant 10 : index
  %c6 = arith.constant 6 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c10, %c6) step (%c1, %c2) {
    memref.store %cst, %a[%i, %j] : memref<10x6xf32>
    scf.reduce
  }
  return
}

// -----

// Ranges split as a static schedule splits them: 7 items on 3 threads are
// [0, 3), [3, 5) and [5, 7).
// THREE-LABEL: func @uneven
// THREE: %[[COUNTERS:.*]] = memref.alloca() {alignment = 64 : i64} : memref<24xi64>
// THREE-DAG: %[[B1:.*]] = arith.constant 3 : i64
// THREE-DAG: %[[B2:.*]] = arith.constant 5 : i64
// THREE-DAG: memref.store %[[B1]], %[[COUNTERS]][%{{.*}}]
// THREE-DAG: memref.store %[[B2]], %[[COUNTERS]][%{{.*}}]
// THREE: scf.while
// THREE: memref.atomic_rmw addi
func.func @uneven(%a: memref<7xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c7 = arith.constant 7 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c7) step (%c1) {
    memref.store %cst, %a[%i] : memref<7xf32>
    scf.reduce
  }
  return
}

// -----

// Left as they are: fewer than two items per thread, bounds not constant,
// a loop that is not in the function's body (it may run more than once per
// call, and its counters are set only at the entry).
// CHECK-LABEL: func @unchanged
// CHECK-NOT: memref.alloca
// CHECK-NOT: atomic_rmw
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step
// CHECK: scf.for
// CHECK: scf.parallel (%{{.*}}) = (%{{.*}}) to (%{{.*}}) step
// CHECK-NOT: atomic_rmw
func.func @unchanged(%a: memref<?xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %c64 = arith.constant 64 : index
  %cst = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c3) step (%c1) {
    memref.store %cst, %a[%i] : memref<?xf32>
    scf.reduce
  }
  scf.parallel (%i) = (%c0) to (%n) step (%c1) {
    memref.store %cst, %a[%i] : memref<?xf32>
    scf.reduce
  }
  scf.for %r = %c0 to %c3 step %c1 {
    scf.parallel (%i) = (%c0) to (%c64) step (%c1) {
      memref.store %cst, %a[%i] : memref<?xf32>
      scf.reduce
    }
  }
  return
}
