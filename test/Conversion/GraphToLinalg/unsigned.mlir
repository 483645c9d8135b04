// RUN: strata-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// Unsigned integers become signless (linalg and arith take no others): the
// signature, the values and the constants. The ops that depend on
// signedness take their unsigned forms: division and remainder (by zero:
// 0), max/min, comparisons.
// CHECK-LABEL: func @arithmetic
// CHECK-SAME: (%{{.*}}: tensor<4xi8>, %{{.*}}: tensor<4xi8>) -> (tensor<4xi8>, tensor<4xi8>, tensor<4xi8>, tensor<4xi1>)
// CHECK: arith.divui
// CHECK: arith.remui
// CHECK: arith.maxui
// CHECK: arith.cmpi ult
// CHECK-NOT: ui8
func.func @arithmetic(%a: tensor<4xui8>, %b: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xi1>) {
  %0 = graph.div %a, %b : tensor<4xui8>, tensor<4xui8>
  %1 = graph.rem %a, %b : tensor<4xui8>, tensor<4xui8>
  %2 = graph.max %a, %b : tensor<4xui8>, tensor<4xui8>
  %3 = graph.compare lt, %a, %b : tensor<4xui8>, tensor<4xui8>
  return %0, %1, %2, %3 : tensor<4xui8>, tensor<4xui8>, tensor<4xui8>, tensor<4xi1>
}

// -----

// A constant keeps its bits; ReLU and abs of an unsigned value are the value.
// CHECK-LABEL: func @constant_relu
// CHECK: arith.constant dense<[0, 127, -128, -1]> : tensor<4xi8>
// CHECK-NOT: arith.maxsi
// CHECK-NOT: math.absi
func.func @constant_relu(%a: tensor<4xui8>) -> (tensor<4xui8>, tensor<4xui8>) {
  %c = graph.constant dense<[0, 127, 128, 255]> : tensor<4xui8>
  %0 = graph.add %a, %c : tensor<4xui8>, tensor<4xui8>
  %1 = graph.relu %0 : tensor<4xui8>
  %2 = graph.abs %0 : tensor<4xui8>
  return %1, %2 : tensor<4xui8>, tensor<4xui8>
}

// -----

// Conversions zero-extend from unsigned integers and round toward zero into
// them.
// CHECK-LABEL: func @casts
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.extui %{{.*}} : i8 to i32
// CHECK: arith.fptoui %{{.*}} : f32 to i16
func.func @casts(%a: tensor<4xui8>, %f: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xui16>) {
  %0 = graph.cast %a : tensor<4xui8> to f32
  %1 = graph.cast %a : tensor<4xui8> to i32
  %2 = graph.cast %f : tensor<4xf32> to ui16
  return %0, %1, %2 : tensor<4xf32>, tensor<4xi32>, tensor<4xui16>
}

// -----

// Shifts by the width or more (poison in LLVM) give 0, or for a signed right
// shift the sign: the amount is clamped and the result selected.
// CHECK-LABEL: func @shifts
// CHECK: %[[FAR:.*]] = arith.cmpi uge, %{{.*}}, %c32_i32
// CHECK: %[[AMOUNT:.*]] = arith.select %[[FAR]], %c0_i32, %{{.*}}
// CHECK: %[[SHIFTED:.*]] = arith.shli %{{.*}}, %[[AMOUNT]]
// CHECK: arith.select %[[FAR]], %c0_i32{{.*}}, %[[SHIFTED]]
// CHECK: arith.shrui
// CHECK: %[[FAR2:.*]] = arith.cmpi uge, %{{.*}}, %c32_i32
// CHECK: %[[AMOUNT2:.*]] = arith.select %[[FAR2]], %c31_i32, %{{.*}}
// CHECK: arith.shrsi %{{.*}}, %[[AMOUNT2]]
func.func @shifts(%a: tensor<4xui32>, %b: tensor<4xui32>, %s: tensor<4xi32>) -> (tensor<4xui32>, tensor<4xui32>, tensor<4xi32>) {
  %0 = graph.shift_left %a, %b : tensor<4xui32>, tensor<4xui32>
  %1 = graph.shift_right %a, %b : tensor<4xui32>, tensor<4xui32>
  %2 = graph.shift_right %s, %s : tensor<4xi32>, tensor<4xi32>
  return %0, %1, %2 : tensor<4xui32>, tensor<4xui32>, tensor<4xi32>
}

// -----

// linalg's max pooling compares integers as signed: unsigned ones are pooled
// with their top bit flipped and flipped back.
// CHECK-LABEL: func @max_pool_unsigned
// CHECK: arith.xori %{{.*}}, %c-128_i8{{.*}}
// CHECK: linalg.pooling_nchw_max
// CHECK: arith.xori %{{.*}}, %c-128_i8{{.*}}
func.func @max_pool_unsigned(%x: tensor<1x1x4x4xui8>) -> tensor<1x1x2x2xui8> {
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x1x4x4xui8>
  return %0 : tensor<1x1x2x2xui8>
}
