// RUN: strata-opt %s --strata-apply-noalias-args | FileCheck %s

// The recorded positions become llvm.noalias arguments; positions that are
// not pointers (or past the end) are left alone, and the record goes.

// CHECK-LABEL: llvm.func internal @kernel(
// CHECK-SAME:      %{{.*}}: !llvm.ptr, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: i64, %{{.*}}: !llvm.ptr {llvm.noalias}, %{{.*}}: i64)
// CHECK-NOT:     strata.noalias_args
llvm.func internal @kernel(%a: !llvm.ptr, %b: !llvm.ptr, %i: i64, %c: !llvm.ptr, %j: i64) attributes {strata.noalias_args = array<i64: 1, 2, 3, 9>} {
  llvm.return
}

// CHECK-LABEL: llvm.func @untouched(
// CHECK-SAME:      %{{.*}}: !llvm.ptr)
llvm.func @untouched(%a: !llvm.ptr) {
  llvm.return
}
