// RUN: strata-opt %s --graph-fold-qdq -split-input-file | FileCheck %s

// A convolution of a dequantized ui8 input and an i8 weight with
// per-channel scales and an int32 bias at the product's scale: the input
// padded with its zero point (3), an integer convolution whose bias is
// bias - zx * sum(w[f]) (10 - 3 * 4 = -2 and -20 - 3 * -2 = -14), one
// dequantize by sx * sw; the quantize of its ReLU a requantize by
// sx * sw / sy and a maximum with the zero point.
// CHECK-LABEL: func @conv_relu
// CHECK-DAG: %[[ZX:.*]] = graph.constant dense<3> : tensor<ui8>
// CHECK-DAG: %[[W:.*]] = graph.constant dense<{{\[\[\[\[}}1]], {{\[\[}}3]]], {{\[\[\[}}-1]], {{\[\[}}-1]]]]> : tensor<2x2x1x1xi8>
// CHECK-DAG: %[[ZY:.*]] = graph.constant dense<5> : tensor<ui8>
// CHECK: %[[Q:.*]] = graph.quantize %arg0
// CHECK: %[[PAD:.*]] = graph.pad %[[Q]] {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, value = 3.000000e+00 : f64} : tensor<1x2x4x4xui8>
// CHECK: %[[BIAS:.*]] = graph.constant dense<[-2, -14]> : tensor<2xi32>
// CHECK: %[[ACC:.*]] = graph.conv2d %[[PAD]], %[[W]], %[[BIAS]] : tensor<1x2x6x6xui8>, tensor<2x2x1x1xi8>, tensor<2xi32>
// CHECK: %[[M:.*]] = graph.constant dense<[5.000000e-01, 1.000000e+00]> : tensor<2xf32>
// CHECK: %[[R:.*]] = graph.requantize %[[ACC]], %[[M]], %[[ZY]] {axis = 1 : i64}
// CHECK: %[[MAX:.*]] = graph.max %[[R]], %[[ZY]]
// CHECK-NOT: graph.dequantize
// CHECK: return %[[MAX]]
func.func @conv_relu(%x: tensor<1x2x4x4xf32>) -> tensor<1x2x6x6xui8> {
  %sx = graph.constant dense<0.5> : tensor<f32>
  %zx = graph.constant dense<3> : tensor<ui8>
  %sw = graph.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %zw = graph.constant dense<0> : tensor<2xi8>
  %w = graph.constant dense<[[[[1]], [[3]]], [[[-1]], [[-1]]]]> : tensor<2x2x1x1xi8>
  %sb = graph.constant dense<[0.25, 0.5]> : tensor<2xf32>
  %zb = graph.constant dense<0> : tensor<2xi32>
  %b = graph.constant dense<[10, -20]> : tensor<2xi32>
  %sy = graph.constant dense<0.5> : tensor<f32>
  %zy = graph.constant dense<5> : tensor<ui8>
  %q = graph.quantize %x, %sx, %zx : tensor<1x2x4x4xf32>, tensor<f32>, tensor<ui8>
  %xd = graph.dequantize %q, %sx, %zx : tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>
  %wd = graph.dequantize %w, %sw, %zw {axis = 0 : i64} : tensor<2x2x1x1xi8>, tensor<2xf32>, tensor<2xi8>
  %bd = graph.dequantize %b, %sb, %zb {axis = 0 : i64} : tensor<2xi32>, tensor<2xf32>, tensor<2xi32>
  %y = graph.conv2d %xd, %wd, %bd {pads = array<i64: 1, 1, 1, 1>} : tensor<1x2x4x4xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>
  %r = graph.relu %y : tensor<1x2x6x6xf32>
  %out = graph.quantize %r, %sy, %zy : tensor<1x2x6x6xf32>, tensor<f32>, tensor<ui8>
  return %out : tensor<1x2x6x6xui8>
}

// -----

// Gemm with transB: the transposed weight is transposed at compile time
// (its channel axis with it); the bias add joins the zero point's share
// (7 - 2 * (1 + 2) = 1, -7 - 2 * (-3 + 4) = -9); the float result is the
// dequantized accumulator.
// CHECK-LABEL: func @gemm_trans_b
// CHECK-DAG: %[[WT:.*]] = graph.constant dense<{{\[\[}}1, -3], [2, 4]]> : tensor<2x2xi8>
// CHECK: %[[ACC:.*]] = graph.matmul %arg0, %[[WT]] : tensor<3x2xui8>, tensor<2x2xi8>
// CHECK: %[[C:.*]] = graph.constant dense<[1, -9]> : tensor<2xi32>
// CHECK: %[[SUM:.*]] = graph.add %[[ACC]], %[[C]] : tensor<3x2xi32>, tensor<2xi32>
// CHECK: %[[S:.*]] = graph.constant dense<[1.250000e-01, 2.500000e-01]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = graph.dequantize %[[SUM]], %[[S]], %{{.*}} {axis = 1 : i64} : tensor<3x2xi32>, tensor<2xf32>, tensor<2xi32>
// CHECK-NOT: graph.transpose
// CHECK: return %[[Y]]
func.func @gemm_trans_b(%xq: tensor<3x2xui8>) -> tensor<3x2xf32> {
  %sx = graph.constant dense<0.25> : tensor<f32>
  %zx = graph.constant dense<2> : tensor<ui8>
  %w = graph.constant dense<[[1, 2], [-3, 4]]> : tensor<2x2xi8>
  %sw = graph.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %zw = graph.constant dense<0> : tensor<2xi8>
  %b = graph.constant dense<[7, -7]> : tensor<2xi32>
  %sb = graph.constant dense<[0.125, 0.25]> : tensor<2xf32>
  %zb = graph.constant dense<0> : tensor<2xi32>
  %xd = graph.dequantize %xq, %sx, %zx : tensor<3x2xui8>, tensor<f32>, tensor<ui8>
  %wd = graph.dequantize %w, %sw, %zw {axis = 0 : i64} : tensor<2x2xi8>, tensor<2xf32>, tensor<2xi8>
  %wt = graph.transpose %wd [1, 0] : tensor<2x2xf32>
  %bd = graph.dequantize %b, %sb, %zb {axis = 0 : i64} : tensor<2xi32>, tensor<2xf32>, tensor<2xi32>
  %y = graph.matmul %xd, %wt : tensor<3x2xf32>, tensor<2x2xf32>
  %z = graph.add %y, %bd : tensor<3x2xf32>, tensor<2xf32>
  return %z : tensor<3x2xf32>
}

// -----

// A weight whose zero point is not 0, a bias at another scale: nothing is
// exact in integers, so the ops stay float; the dequantizes of constants
// fold to float constants.
// CHECK-LABEL: func @stays_float
// CHECK: %[[X:.*]] = graph.dequantize %arg0
// CHECK-DAG: %[[W:.*]] = graph.constant dense<{{\[\[}}0.000000e+00, 5.000000e-01], [1.000000e+00, 1.500000e+00]]> : tensor<2x2xf32>
// CHECK-DAG: %[[B:.*]] = graph.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
// CHECK: %[[Y:.*]] = graph.matmul %[[X]], %[[W]] : tensor<3x2xf32>, tensor<2x2xf32>
// CHECK: graph.add %[[Y]], %[[B]]
func.func @stays_float(%xq: tensor<3x2xui8>) -> tensor<3x2xf32> {
  %sx = graph.constant dense<0.25> : tensor<f32>
  %zx = graph.constant dense<2> : tensor<ui8>
  %w = graph.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi8>
  %sw = graph.constant dense<0.5> : tensor<f32>
  %zw = graph.constant dense<1> : tensor<i8>
  %b = graph.constant dense<[1, 2]> : tensor<2xi32>
  %sb = graph.constant dense<1.0> : tensor<f32>
  %zb = graph.constant dense<0> : tensor<i32>
  %xd = graph.dequantize %xq, %sx, %zx : tensor<3x2xui8>, tensor<f32>, tensor<ui8>
  %wd = graph.dequantize %w, %sw, %zw : tensor<2x2xi8>, tensor<f32>, tensor<i8>
  %bd = graph.dequantize %b, %sb, %zb : tensor<2xi32>, tensor<f32>, tensor<i32>
  %y = graph.matmul %xd, %wd : tensor<3x2xf32>, tensor<2x2xf32>
  %z = graph.add %y, %bd : tensor<3x2xf32>, tensor<2xf32>
  return %z : tensor<3x2xf32>
}

// -----

// Max pooling and a reshape of a per-tensor dequantize work on the bytes;
// quantizing the result with the same constants gives them back (the
// dequantize left for the float add).
// CHECK-LABEL: func @pool_reshape
// CHECK: %[[POOL:.*]] = graph.max_pool2d %arg0 {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xui8>
// CHECK: %[[FLAT:.*]] = graph.reshape %[[POOL]] [1, 8] : tensor<1x2x2x2xui8>
// CHECK: %[[D:.*]] = graph.dequantize %[[FLAT]]
// CHECK: graph.add %[[D]], %[[D]]
// CHECK: return %[[FLAT]], %{{.*}} : tensor<1x8xui8>, tensor<1x8xf32>
func.func @pool_reshape(%q: tensor<1x2x4x4xui8>) -> (tensor<1x8xui8>, tensor<1x8xf32>) {
  %s = graph.constant dense<0.5> : tensor<f32>
  %z = graph.constant dense<7> : tensor<ui8>
  %s2 = graph.constant dense<0.5> : tensor<f32>
  %d = graph.dequantize %q, %s, %z : tensor<1x2x4x4xui8>, tensor<f32>, tensor<ui8>
  %p = graph.max_pool2d %d {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x2x4x4xf32>
  %r = graph.reshape %p [1, 8] : tensor<1x2x2x2xf32>
  %out = graph.quantize %r, %s2, %z : tensor<1x8xf32>, tensor<f32>, tensor<ui8>
  %sum = graph.add %r, %r : tensor<1x8xf32>, tensor<1x8xf32>
  return %out, %sum : tensor<1x8xui8>, tensor<1x8xf32>
}
