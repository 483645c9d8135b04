// RUN: strata-opt %s --strata-outline-kernels --split-input-file | FileCheck %s

// Each top-level loop nest becomes a function of its own, named after the
// caller, its rank and the node of its location. Buffers are arguments;
// constants and globals are recreated inside, so that loop bounds stay
// constants. A loop's results are the function's results.

memref.global "private" constant @bias : memref<4xf32> = dense<1.0>

// CHECK-LABEL: func.func @model(
// CHECK-SAME:      %[[X:.*]]: memref<4xf32>, %[[Y:.*]]: memref<4xf32>) -> f32
// CHECK:         %[[TMP:.*]] = memref.alloc() : memref<4xf32>
// CHECK-NEXT:    call @model__k0_conv1(%[[X]], %[[TMP]]) {no_inline} : (memref<4xf32>, memref<4xf32>) -> ()
// CHECK-NEXT:    %[[SUM:.*]] = call @model__k1(%[[TMP]], %[[Y]]) {no_inline} : (memref<4xf32>, memref<4xf32>) -> f32
// CHECK-NEXT:    memref.dealloc %[[TMP]]
// CHECK-NEXT:    return %[[SUM]] : f32

// CHECK:       func.func private @model__k0_conv1(%[[A:.*]]: memref<4xf32>, %[[B:.*]]: memref<4xf32>)
// CHECK-SAME:      attributes {llvm.linkage = #llvm.linkage<internal>, no_inline, strata.noalias_args = array<i64: 1, 6>, strata.nodes = ["conv1", "relu1"]}
// CHECK-DAG:     %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG:     %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG:     %[[C1:.*]] = arith.constant 1 : index
// CHECK-DAG:     %[[G:.*]] = memref.get_global @bias
// CHECK:         scf.for %[[I:.*]] = %[[C0]] to %[[C4]] step %[[C1]] {
// CHECK:           memref.load %[[A]][%[[I]]]
// CHECK:           memref.load %[[G]][%[[I]]]
// CHECK:           memref.store %{{.*}}, %[[B]][%[[I]]]
// CHECK:         }
// CHECK-NEXT:    return

// CHECK:       func.func private @model__k1(%{{.*}}: memref<4xf32>, %{{.*}}: memref<4xf32>) -> f32
// CHECK-SAME:      attributes {llvm.linkage = #llvm.linkage<internal>, no_inline, strata.noalias_args = array<i64: 1, 6>}
// CHECK:         %[[R:.*]] = scf.for
// CHECK:         return %[[R]] : f32
func.func @model(%x: memref<4xf32>, %y: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  %bias = memref.get_global @bias : memref<4xf32>
  %tmp = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %a = memref.load %x[%i] : memref<4xf32>
    %b = memref.load %bias[%i] : memref<4xf32>
    %s = arith.addf %a, %b : f32
    memref.store %s, %tmp[%i] : memref<4xf32>
  } loc(fused["conv1", "relu1"])
  %sum = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %zero) -> f32 {
    %a = memref.load %tmp[%i] : memref<4xf32>
    memref.store %a, %y[%i] : memref<4xf32>
    %n = arith.addf %acc, %a : f32
    scf.yield %n : f32
  }
  memref.dealloc %tmp : memref<4xf32>
  return %sum : f32
}

// -----

// Kernels are not outlined again, and a function without loops is left
// alone.

// CHECK-LABEL: func.func private @done__k0(
// CHECK-NOT:     call
// CHECK:         scf.for
func.func private @done__k0(%x: memref<4xf32>) attributes {no_inline} {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %zero, %x[%i] : memref<4xf32>
  }
  return
}

// CHECK-LABEL: func.func @straight(
// CHECK-NEXT:    memref.copy
// CHECK-NEXT:    return
func.func @straight(%x: memref<4xf32>, %y: memref<4xf32>) {
  memref.copy %x, %y : memref<4xf32> to memref<4xf32>
  return
}

// -----

// With instrument, each kernel gets a number and its call is timed by the
// runtime's profile functions.

// RUN: strata-opt %s --strata-outline-kernels="instrument=true" --split-input-file | FileCheck %s --check-prefix=PROFILE
// PROFILE-LABEL: func.func @timed(
// PROFILE:         %[[N0:.*]] = arith.constant 0 : i64
// PROFILE-NEXT:    call @strata_profile_begin(%[[N0]]) : (i64) -> ()
// PROFILE-NEXT:    call @timed__k0_fill(%{{.*}}) {no_inline}
// PROFILE-NEXT:    call @strata_profile_end(%[[N0]]) : (i64) -> ()
// PROFILE:         %[[N1:.*]] = arith.constant 1 : i64
// PROFILE-NEXT:    call @strata_profile_begin(%[[N1]])
// PROFILE-NEXT:    call @timed__k1(%{{.*}}) {no_inline}
// PROFILE-NEXT:    call @strata_profile_end(%[[N1]])
// PROFILE:       func.func private @timed__k0_fill({{.*}}) attributes {{{.*}}strata.kernel = 0 : i64, {{.*}}strata.nodes = ["fill", "store"]}
// PROFILE:       func.func private @timed__k1({{.*}}) attributes {{{.*}}strata.kernel = 1 : i64, strata.noalias_args = array<i64: 1>}
// PROFILE:       func.func private @strata_profile_begin(i64)
// PROFILE:       func.func private @strata_profile_end(i64)
func.func @timed(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %zero, %x[%i] : memref<4xf32> loc("store")
  } loc("fill")
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    %d = arith.addf %v, %v : f32
    memref.store %d, %x[%i] : memref<4xf32>
  }
  return
}

// -----

// Buffers no other argument reaches are recorded for noalias, as the
// positions of their aligned pointers among the lowered arguments (a
// rank-1 memref lowers to 5 arguments, an index to 1). The two views of
// %buf may overlap: neither is recorded.

// CHECK-LABEL: func.func private @aliasing__k0(
// CHECK-SAME:      strata.noalias_args = array<i64: 1, 16>
func.func @aliasing(%x: memref<8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %buf = memref.alloc() : memref<8xf32>
  %lo = memref.subview %buf[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  %hi = memref.subview %buf[4] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1], offset: 4>>
  %out = memref.alloc() : memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %a = memref.load %x[%i] : memref<8xf32>
    %b = memref.load %lo[%i] : memref<4xf32, strided<[1]>>
    %s = arith.addf %a, %b : f32
    memref.store %s, %hi[%i] : memref<4xf32, strided<[1], offset: 4>>
    memref.store %s, %out[%n] : memref<4xf32>
  }
  memref.dealloc %buf : memref<8xf32>
  memref.dealloc %out : memref<4xf32>
  return
}
