// RUN: strata-opt %s -strata-cpu-approximate-math | FileCheck %s

// exp, tanh, erf and log on scalars and vectors become arithmetic (no math
// op is left to turn into a libm call); sin keeps its libm call.
// CHECK-LABEL: func @transcendentals
// CHECK-NOT: math.exp
// CHECK-NOT: math.tanh
// CHECK-NOT: math.erf
// CHECK-NOT: math.log
// CHECK: math.sin
// CHECK-NOT: math.exp
// CHECK: return
func.func @transcendentals(%x: f32, %v: vector<16xf32>)
    -> (f32, vector<16xf32>, f32, vector<16xf32>, f32, f32) {
  %0 = math.exp %x : f32
  %1 = math.tanh %v : vector<16xf32>
  %2 = math.erf %x : f32
  %3 = math.log %v : vector<16xf32>
  %4 = math.sin %x : f32
  %5 = math.expm1 %x : f32
  return %0, %1, %2, %3, %4, %5 : f32, vector<16xf32>, f32, vector<16xf32>, f32, f32
}

// The polynomials are evaluated with fused multiply-adds.
// CHECK-LABEL: func @tanh_scalar
// CHECK: math.fma
// CHECK-NOT: math.tanh
func.func @tanh_scalar(%x: f32) -> f32 {
  %0 = math.tanh %x : f32
  return %0 : f32
}

// f64 keeps libm's precision.
// CHECK-LABEL: func @f64_untouched
// CHECK: math.exp %{{.*}} : f64
func.func @f64_untouched(%x: f64) -> f64 {
  %0 = math.exp %x : f64
  return %0 : f64
}
