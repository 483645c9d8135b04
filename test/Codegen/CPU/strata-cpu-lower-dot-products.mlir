// RUN: strata-opt %s --strata-cpu-lower-dot-products=dot-product=vnni -split-input-file | FileCheck %s --check-prefix=VNNI
// RUN: strata-opt %s --strata-cpu-lower-dot-products=dot-product=generic -split-input-file | FileCheck %s --check-prefix=GENERIC
// RUN: not strata-opt %s --strata-cpu-lower-dot-products=dot-product=amx -split-input-file 2>&1 | FileCheck %s --check-prefix=BAD

// A marked dot product of 16 lanes: vpdpbusd on the bytes that were
// extended (the unsigned ones first), or the reduction left as it is.
// VNNI-LABEL: func @dot16
// VNNI: %[[D:.*]] = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%arg0, %arg1, %arg2) : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
// VNNI-NOT: vector.multi_reduction
// VNNI: return %[[D]]
// GENERIC-LABEL: func @dot16
// GENERIC: vector.multi_reduction <add>, %{{.*}}, %arg0 [1] : vector<16x4xi32> to vector<16xi32>
// GENERIC-NOT: strata.dot_product
// GENERIC-NOT: llvm.call_intrinsic
// BAD: strata-cpu-lower-dot-products: dot-product must be host, vnni or generic, got 'amx'
func.func @dot16(%acc: vector<16xi32>, %u: vector<64xi8>, %s: vector<64xi8>) -> vector<16xi32> {
  %ue = arith.extui %u : vector<64xi8> to vector<64xi32>
  %se = arith.extsi %s : vector<64xi8> to vector<64xi32>
  %p = arith.muli %ue, %se : vector<64xi32>
  %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
  %d = vector.multi_reduction <add>, %g, %acc {strata.dot_product} [1] : vector<16x4xi32> to vector<16xi32>
  return %d : vector<16xi32>
}

// -----

// 8 lanes: the 256-bit form. An unmarked reduction is not touched.
// VNNI-LABEL: func @dot8
// VNNI: llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.256"(%arg0, %arg1, %arg2) : (vector<8xi32>, vector<32xi8>, vector<32xi8>) -> vector<8xi32>
// VNNI: vector.multi_reduction <add>, %{{.*}}, %arg0 [1] : vector<8x4xi32> to vector<8xi32>
func.func @dot8(%acc: vector<8xi32>, %u: vector<32xi8>, %s: vector<32xi8>) -> (vector<8xi32>, vector<8xi32>) {
  %ue = arith.extui %u : vector<32xi8> to vector<32xi32>
  %se = arith.extsi %s : vector<32xi8> to vector<32xi32>
  %p = arith.muli %ue, %se : vector<32xi32>
  %g = vector.shape_cast %p : vector<32xi32> to vector<8x4xi32>
  %d = vector.multi_reduction <add>, %g, %acc {strata.dot_product} [1] : vector<8x4xi32> to vector<8xi32>
  %e = vector.multi_reduction <add>, %g, %acc [1] : vector<8x4xi32> to vector<8xi32>
  return %d, %e : vector<8xi32>, vector<8xi32>
}
