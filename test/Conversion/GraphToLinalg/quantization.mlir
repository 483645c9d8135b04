// RUN: strata-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// Quantize: x / scale rounded half to even, plus the zero point, saturated
// to [0, 255] (NaN to 0), converted to unsigned.
// CHECK-LABEL: func @quantize_per_tensor
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xf32>, tensor<f32>, tensor<i8>)
// CHECK: %[[DIV:.*]] = arith.divf
// CHECK: %[[ROUND:.*]] = math.roundeven %[[DIV]]
// CHECK: %[[ZP:.*]] = arith.uitofp %{{.*}} : i8 to f32
// CHECK: %[[SUM:.*]] = arith.addf %[[ROUND]], %[[ZP]]
// CHECK: arith.constant 0.000000e+00 : f32
// CHECK: %[[LOW:.*]] = arith.maxnumf %[[SUM]]
// CHECK: arith.constant 2.550000e+02 : f32
// CHECK: %[[HIGH:.*]] = arith.minnumf %[[LOW]]
// CHECK: arith.fptoui %[[HIGH]] : f32 to i8
func.func @quantize_per_tensor(%x: tensor<2x3xf32>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2x3xui8> {
  %0 = graph.quantize %x, %s, %z : tensor<2x3xf32>, tensor<f32>, tensor<ui8>
  return %0 : tensor<2x3xui8>
}

// -----

// Per channel: the scale and zero point are reshaped to broadcast along
// the axis; signed saturation is [-128, 127].
// CHECK-DAG: #[[CHANNEL:.*]] = affine_map<(d0, d1, d2) -> (0, d1, 0)>
// CHECK-LABEL: func @quantize_per_channel
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2]] output_shape [1, 4, 1] : tensor<4xf32> into tensor<1x4x1xf32>
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[CHANNEL]], #[[CHANNEL]], #{{.*}}]
// CHECK: arith.sitofp %{{.*}} : i8 to f32
// CHECK: arith.constant -1.280000e+02 : f32
// CHECK: arith.constant 1.270000e+02 : f32
// CHECK: arith.fptosi
func.func @quantize_per_channel(%x: tensor<2x4x3xf32>, %s: tensor<4xf32>, %z: tensor<4xi8>) -> tensor<2x4x3xi8> {
  %0 = graph.quantize %x, %s, %z {axis = 1 : i64} : tensor<2x4x3xf32>, tensor<4xf32>, tensor<4xi8>
  return %0 : tensor<2x4x3xi8>
}

// -----

// Dequantize: the difference in i32 (zero-extended from unsigned), then
// converted and scaled.
// CHECK-LABEL: func @dequantize
// CHECK: %[[Q:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK: %[[Z:.*]] = arith.extui %{{.*}} : i8 to i32
// CHECK: %[[D:.*]] = arith.subi %[[Q]], %[[Z]] : i32
// CHECK: %[[F:.*]] = arith.sitofp %[[D]] : i32 to f32
// CHECK: arith.mulf %[[F]], %{{.*}} : f32
func.func @dequantize(%q: tensor<2x3xui8>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2x3xf32> {
  %0 = graph.dequantize %q, %s, %z : tensor<2x3xui8>, tensor<f32>, tensor<ui8>
  return %0 : tensor<2x3xf32>
}

// -----

// An integer convolution (a quantized one's i32 product) is linalg's
// convolution on i32.
// CHECK-LABEL: func @conv_i32
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<1x2x5x5xi32>, tensor<3x2x3x3xi32>)
func.func @conv_i32(%x: tensor<1x2x5x5xi32>, %w: tensor<3x2x3x3xi32>) -> tensor<1x3x3x3xi32> {
  %0 = graph.conv2d %x, %w : tensor<1x2x5x5xi32>, tensor<3x2x3x3xi32>
  return %0 : tensor<1x3x3x3xi32>
}

// -----

// Requantize: the i32 accumulator times the multiplier, rounded half to
// even, plus the zero point, saturated; the multiplier per channel, the
// zero point per tensor.
// CHECK-LABEL: func @requantize_per_channel
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : tensor<2x3xi32>, tensor<1x3xf32>, tensor<i8>)
// CHECK: %[[ACC:.*]] = arith.sitofp %{{.*}} : i32 to f32
// CHECK: %[[MUL:.*]] = arith.mulf %[[ACC]]
// CHECK: math.roundeven %[[MUL]]
// CHECK: arith.uitofp %{{.*}} : i8 to f32
// CHECK: arith.constant 2.550000e+02 : f32
// CHECK: arith.fptoui %{{.*}} : f32 to i8
func.func @requantize_per_channel(%acc: tensor<2x3xi32>, %m: tensor<3xf32>, %z: tensor<ui8>) -> tensor<2x3xui8> {
  %0 = graph.requantize %acc, %m, %z {axis = 1 : i64} : tensor<2x3xi32>, tensor<3xf32>, tensor<ui8>
  return %0 : tensor<2x3xui8>
}
