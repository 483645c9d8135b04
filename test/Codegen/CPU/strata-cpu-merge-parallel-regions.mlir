// RUN: strata-opt %s -strata-cpu-merge-parallel-regions -split-input-file | FileCheck %s

// Three parallel loops separated by allocations, a view and a constant:
// those run first, then one region runs the three loops in order (each
// worksharing loop ends with a barrier, so no omp.barrier is added).
// CHECK-LABEL: func @chain
// CHECK: %[[A:.*]] = memref.alloc() : memref<64xf32>
// CHECK: %[[B:.*]] = memref.alloc() : memref<64xf32>
// CHECK: %[[V:.*]] = memref.subview %[[B]][0] [32] [1]
// CHECK: %[[C:.*]] = memref.alloc() : memref<32xf32>
// CHECK: omp.parallel {
// CHECK-NEXT: omp.wsloop {
// CHECK: memref.store %{{.*}}, %[[A]]
// CHECK: omp.wsloop {
// CHECK: memref.load %[[A]]
// CHECK: memref.store %{{.*}}, %[[B]]
// CHECK: omp.wsloop {
// CHECK: memref.load %[[V]]
// CHECK: memref.store %{{.*}}, %[[C]]
// CHECK-NOT: omp.barrier
// CHECK: omp.terminator
// CHECK-NEXT: }
// CHECK-NOT: omp.parallel
// CHECK: return %[[C]]
func.func @chain(%x: f32) -> memref<32xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  %a = memref.alloc() : memref<64xf32>
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        memref.store %x, %a[%i] : memref<64xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  %b = memref.alloc() : memref<64xf32>
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        %v = memref.load %a[%i] : memref<64xf32>
        memref.store %v, %b[%i] : memref<64xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  %view = memref.subview %b[0] [32] [1] : memref<64xf32> to memref<32xf32, strided<[1]>>
  %c32 = arith.constant 32 : index
  %c = memref.alloc() : memref<32xf32>
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c32) step (%c1) {
        %v = memref.load %view[%i] : memref<32xf32, strided<[1]>>
        memref.store %v, %c[%i] : memref<32xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return %c : memref<32xf32>
}

// -----

// A sequential loop (memory effects, a region) between two parallel loops
// keeps them apart; so does a region with a clause (num_threads).
// CHECK-LABEL: func @kept_apart
// CHECK: omp.parallel {
// CHECK: omp.terminator
// CHECK: scf.for
// CHECK: omp.parallel {
// CHECK: omp.terminator
// CHECK: omp.parallel num_threads
// CHECK: omp.terminator
func.func @kept_apart(%a: memref<64xf32>, %x: f32, %n: i32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        memref.store %x, %a[%i] : memref<64xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  scf.for %i = %c0 to %c64 step %c1 {
    memref.store %x, %a[%i] : memref<64xf32>
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        memref.store %x, %a[%i] : memref<64xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel num_threads(%n : i32) {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        memref.store %x, %a[%i] : memref<64xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// The first region's loop does not wait for all threads (nowait): an
// omp.barrier separates it from the second loop.
// CHECK-LABEL: func @nowait
// CHECK: omp.parallel {
// CHECK: omp.wsloop nowait {
// CHECK: omp.barrier
// CHECK-NEXT: omp.wsloop {
// CHECK-NOT: omp.parallel
func.func @nowait(%a: memref<64xf32>, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c64 = arith.constant 64 : index
  omp.parallel {
    omp.wsloop nowait {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        memref.store %x, %a[%i] : memref<64xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  omp.parallel {
    omp.wsloop {
      omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
        memref.store %x, %a[%i] : memref<64xf32>
        omp.yield
      }
    }
    omp.terminator
  }
  return
}

// -----

// Regions in any block merge, here in a sequential loop's body (one region
// per iteration, forked once instead of twice).
// CHECK-LABEL: func @in_loop
// CHECK: scf.for
// CHECK-NEXT: omp.parallel {
// CHECK: omp.wsloop {
// CHECK: omp.wsloop {
// CHECK: omp.terminator
// CHECK-NOT: omp.parallel
func.func @in_loop(%a: memref<64xf32>, %b: memref<64xf32>, %x: f32) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c64 = arith.constant 64 : index
  scf.for %t = %c0 to %c4 step %c1 {
    omp.parallel {
      omp.wsloop {
        omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
          memref.store %x, %a[%i] : memref<64xf32>
          omp.yield
        }
      }
      omp.terminator
    }
    omp.parallel {
      omp.wsloop {
        omp.loop_nest (%i) : index = (%c0) to (%c64) step (%c1) {
          %v = memref.load %a[%i] : memref<64xf32>
          memref.store %v, %b[%i] : memref<64xf32>
          omp.yield
        }
      }
      omp.terminator
    }
  }
  return
}
