// RUN: strata-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// Broadcasting is an indexing map, not a copy.
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func @add_broadcast
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>)
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%[[A]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<4x3xf32>)
// CHECK: arith.addf
func.func @add_broadcast(%a: tensor<4x3xf32>, %b: tensor<3xf32>) -> tensor<4x3xf32> {
  %0 = graph.add %a, %b : tensor<4x3xf32>, tensor<3xf32>
  return %0 : tensor<4x3xf32>
}

// -----

// A stretched size-1 dimension reads index 0.
// CHECK-DAG: #[[COL0:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-LABEL: func @sub_stretch
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[COL0]], #{{.*}}]
// CHECK: arith.subi
func.func @sub_stretch(%a: tensor<4x3xi32>, %b: tensor<4x1xi32>) -> tensor<4x3xi32> {
  %0 = graph.sub %a, %b : tensor<4x3xi32>, tensor<4x1xi32>
  return %0 : tensor<4x3xi32>
}

// -----

// CHECK-LABEL: func @arith_families
// CHECK: arith.mulf
// CHECK: arith.divsi
// CHECK: math.powf
// CHECK: arith.maximumf
// CHECK: arith.minsi
// CHECK: arith.remf
func.func @arith_families(%f: tensor<2xf32>, %i: tensor<2xi32>, %g: tensor<2xf32>, %j: tensor<2xi32>) -> (tensor<2xf32>, tensor<2xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xf32>) {
  %0 = graph.mul %f, %f : tensor<2xf32>, tensor<2xf32>
  %1 = graph.div %i, %i : tensor<2xi32>, tensor<2xi32>
  %2 = graph.pow %f, %f : tensor<2xf32>, tensor<2xf32>
  %3 = graph.max %f, %g : tensor<2xf32>, tensor<2xf32>
  %4 = graph.min %i, %j : tensor<2xi32>, tensor<2xi32>
  %5 = graph.rem %f, %f : tensor<2xf32>, tensor<2xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2xf32>, tensor<2xi32>, tensor<2xf32>, tensor<2xf32>, tensor<2xi32>, tensor<2xf32>
}

// -----

// CHECK-LABEL: func @unary
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: math.rsqrt
// CHECK: math.tanh
// GELU is exact: x * (1 + erf(x / sqrt(2))) / 2.
// CHECK: math.erf
// CHECK: arith.maximumf
// CHECK: math.roundeven
func.func @unary(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
  %0 = graph.neg %x : tensor<8xf32>
  %1 = graph.exp %x : tensor<8xf32>
  %2 = graph.rsqrt %x : tensor<8xf32>
  %3 = graph.tanh %x : tensor<8xf32>
  %4 = graph.gelu %x : tensor<8xf32>
  %5 = graph.relu %x : tensor<8xf32>
  %6 = graph.round %x : tensor<8xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}

// -----

// CHECK-LABEL: func @clip
// CHECK: %[[LO:.*]] = arith.constant 0.000000e+00 : f32
// CHECK: %[[M:.*]] = arith.maximumf %{{.*}}, %[[LO]]
// CHECK: %[[HI:.*]] = arith.constant 6.000000e+00 : f32
// CHECK: arith.minimumf %[[M]], %[[HI]]
func.func @clip(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = graph.clip %x min 0.0 max 6.0 : tensor<8xf32>
  return %0 : tensor<8xf32>
}

// -----

// CHECK-LABEL: func @compare_select_cast
// CHECK: arith.cmpf olt
// CHECK: arith.cmpf une
// CHECK: arith.select
// CHECK: arith.fptosi %{{.*}} : f32 to i32
// CHECK: arith.uitofp %{{.*}} : i1 to f32
func.func @compare_select_cast(%a: tensor<4xf32>, %b: tensor<f32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>) {
  %c = graph.compare lt, %a, %b : tensor<4xf32>, tensor<f32>
  %d = graph.compare ne, %a, %a : tensor<4xf32>, tensor<4xf32>
  %s = graph.select %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<f32>
  %i = graph.cast %s : tensor<4xf32> to i32
  %f = graph.cast %d : tensor<4xi1> to f32
  return %s, %i, %f : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>
}

// -----

// Small constants stay dense; resource blobs stay blobs.
// CHECK-LABEL: func @constants
// CHECK: arith.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: arith.constant dense_resource<blob> : tensor<2xf32>
func.func @constants() -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %1 = graph.constant dense_resource<blob> : tensor<2xf32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000000803F00000040"
    }
  }
#-}

// -----

// A fusion region is inlined at this level.
// CHECK-LABEL: func @fusion
// CHECK-NOT: graph.
// CHECK: linalg.generic
// CHECK: arith.addf
// CHECK: linalg.generic
// CHECK: arith.maximumf
func.func @fusion(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = graph.fusion (%x, %b : tensor<4x8xf32>, tensor<8xf32>) {
  ^bb0(%a: tensor<4x8xf32>, %c: tensor<8xf32>):
    %s = graph.add %a, %c : tensor<4x8xf32>, tensor<8xf32>
    %r = graph.relu %s : tensor<4x8xf32>
    graph.yield %r : tensor<4x8xf32>
  }
  return %0 : tensor<4x8xf32>
}

// -----

// i1 compares and takes maxima unsigned, so that true > false.
// CHECK-LABEL: func @bool_ops
// CHECK: arith.maxui
// CHECK: arith.cmpi ult
func.func @bool_ops(%a: tensor<4xi1>, %b: tensor<4xi1>) -> (tensor<4xi1>, tensor<4xi1>) {
  %0 = graph.max %a, %b : tensor<4xi1>, tensor<4xi1>
  %1 = graph.compare lt, %a, %b : tensor<4xi1>, tensor<4xi1>
  return %0, %1 : tensor<4xi1>, tensor<4xi1>
}

// -----

// Integer division and remainder never trap: where the divisor is 0 or -1
// the division runs on 1 instead, and the result is chosen by a select
// (by zero: 0; by -1: the wrapped negation, remainder 0).
// CHECK-LABEL: func @int_division_guards
// CHECK: linalg.generic
// CHECK: %[[ZERO:.*]] = arith.cmpi eq, %[[RHS:.*]], %{{.*}} : i32
// CHECK: %[[MINUS1:.*]] = arith.cmpi eq, %[[RHS]], %{{.*}} : i32
// CHECK: %[[TRAP:.*]] = arith.ori %[[ZERO]], %[[MINUS1]] : i1
// CHECK: %[[DIVISOR:.*]] = arith.select %[[TRAP]], %{{.*}}, %[[RHS]] : i32
// CHECK: %[[Q:.*]] = arith.divsi %{{.*}}, %[[DIVISOR]] : i32
// CHECK: %[[NEG:.*]] = arith.subi
// CHECK: %[[Q2:.*]] = arith.select %[[MINUS1]], %[[NEG]], %[[Q]] : i32
// CHECK: arith.select %[[ZERO]], %{{.*}}, %[[Q2]] : i32
// CHECK: linalg.generic
// CHECK: arith.remsi %{{.*}}, %{{.*}} : i64
// CHECK-NOT: arith.remsi
func.func @int_division_guards(%a: tensor<4xi32>, %b: tensor<4xi32>, %c: tensor<4xi64>, %d: tensor<4xi64>) -> (tensor<4xi32>, tensor<4xi64>) {
  %0 = graph.div %a, %b : tensor<4xi32>, tensor<4xi32>
  %1 = graph.rem %c, %d : tensor<4xi64>, tensor<4xi64>
  return %0, %1 : tensor<4xi32>, tensor<4xi64>
}
