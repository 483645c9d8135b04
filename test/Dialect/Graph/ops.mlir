// Round trip of every graph op, through the pretty and the generic form.
// RUN: strata-opt %s | strata-opt | FileCheck %s
// RUN: strata-opt %s --mlir-print-op-generic | strata-opt | FileCheck %s

// CHECK-LABEL: func @constant
func.func @constant() -> (tensor<2xf32>, tensor<i64>, tensor<2x2xi1>) {
  // CHECK: graph.constant dense<[1.000000e+00, 2.000000e+00]> : tensor<2xf32>
  %0 = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
  // CHECK: graph.constant dense<7> : tensor<i64>
  %1 = graph.constant dense<7> : tensor<i64>
  // CHECK: graph.constant dense<true> : tensor<2x2xi1>
  %2 = graph.constant dense<true> : tensor<2x2xi1>
  return %0, %1, %2 : tensor<2xf32>, tensor<i64>, tensor<2x2xi1>
}

// CHECK-LABEL: func @binary
// CHECK-SAME: (%[[A:.*]]: tensor<4x3xf32>, %[[B:.*]]: tensor<3xf32>, %[[S:.*]]: tensor<f32>, %[[C:.*]]: tensor<4x1xf32>)
func.func @binary(%a: tensor<4x3xf32>, %b: tensor<3xf32>, %s: tensor<f32>,
                  %c: tensor<4x1xf32>) -> tensor<4x3xf32> {
  // CHECK: %[[ADD:.*]] = graph.add %[[A]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>
  %0 = graph.add %a, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: %[[SUB:.*]] = graph.sub %[[ADD]], %[[C]] : tensor<4x3xf32>, tensor<4x1xf32>
  %1 = graph.sub %0, %c : tensor<4x3xf32>, tensor<4x1xf32>
  // CHECK: %[[MUL:.*]] = graph.mul %[[SUB]], %[[S]] : tensor<4x3xf32>, tensor<f32>
  %2 = graph.mul %1, %s : tensor<4x3xf32>, tensor<f32>
  // CHECK: %[[DIV:.*]] = graph.div %[[S]], %[[MUL]] : tensor<f32>, tensor<4x3xf32>
  %3 = graph.div %s, %2 : tensor<f32>, tensor<4x3xf32>
  // CHECK: %[[POW:.*]] = graph.pow %[[DIV]], %[[S]] : tensor<4x3xf32>, tensor<f32>
  %4 = graph.pow %3, %s : tensor<4x3xf32>, tensor<f32>
  // CHECK: %[[MAX:.*]] = graph.max %[[POW]], %[[B]] : tensor<4x3xf32>, tensor<3xf32>
  %5 = graph.max %4, %b : tensor<4x3xf32>, tensor<3xf32>
  // CHECK: %[[MIN:.*]] = graph.min %[[C]], %[[MAX]] : tensor<4x1xf32>, tensor<4x3xf32>
  %6 = graph.min %c, %5 : tensor<4x1xf32>, tensor<4x3xf32>
  // CHECK: return %[[MIN]]
  return %6 : tensor<4x3xf32>
}

// The result shape is the broadcast of both operands, even when neither has it.
// CHECK-LABEL: func @binary_broadcast_both
func.func @binary_broadcast_both(%a: tensor<5x1x3xf32>, %b: tensor<4x1xf32>) -> tensor<5x4x3xf32> {
  // CHECK: graph.add %{{.*}}, %{{.*}} : tensor<5x1x3xf32>, tensor<4x1xf32>
  %0 = graph.add %a, %b : tensor<5x1x3xf32>, tensor<4x1xf32>
  return %0 : tensor<5x4x3xf32>
}

// CHECK-LABEL: func @binary_int
func.func @binary_int(%a: tensor<8xi32>, %b: tensor<8xi32>) -> tensor<8xi32> {
  // CHECK: graph.div %{{.*}}, %{{.*}} : tensor<8xi32>, tensor<8xi32>
  %0 = graph.div %a, %b : tensor<8xi32>, tensor<8xi32>
  return %0 : tensor<8xi32>
}

// CHECK-LABEL: func @binary_dynamic
func.func @binary_dynamic(%a: tensor<?x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  // CHECK: graph.add %{{.*}}, %{{.*}} : tensor<?x3xf32>, tensor<3xf32>
  %0 = graph.add %a, %b : tensor<?x3xf32>, tensor<3xf32>
  return %0 : tensor<?x3xf32>
}

// CHECK-LABEL: func @unary
func.func @unary(%x: tensor<2x3xf32>, %i: tensor<5xi8>) -> (tensor<2x3xf32>, tensor<5xi8>) {
  // CHECK: %[[NEG:.*]] = graph.neg %{{.*}} : tensor<2x3xf32>
  %0 = graph.neg %x : tensor<2x3xf32>
  // CHECK: %[[ABS:.*]] = graph.abs %[[NEG]] : tensor<2x3xf32>
  %1 = graph.abs %0 : tensor<2x3xf32>
  // CHECK: %[[EXP:.*]] = graph.exp %[[ABS]] : tensor<2x3xf32>
  %2 = graph.exp %1 : tensor<2x3xf32>
  // CHECK: %[[LOG:.*]] = graph.log %[[EXP]] : tensor<2x3xf32>
  %3 = graph.log %2 : tensor<2x3xf32>
  // CHECK: %[[SQRT:.*]] = graph.sqrt %[[LOG]] : tensor<2x3xf32>
  %4 = graph.sqrt %3 : tensor<2x3xf32>
  // CHECK: %[[RSQRT:.*]] = graph.rsqrt %[[SQRT]] : tensor<2x3xf32>
  %5 = graph.rsqrt %4 : tensor<2x3xf32>
  // CHECK: %[[TANH:.*]] = graph.tanh %[[RSQRT]] : tensor<2x3xf32>
  %6 = graph.tanh %5 : tensor<2x3xf32>
  // CHECK: %[[SIG:.*]] = graph.sigmoid %[[TANH]] : tensor<2x3xf32>
  %7 = graph.sigmoid %6 : tensor<2x3xf32>
  // CHECK: %[[RELU:.*]] = graph.relu %[[SIG]] : tensor<2x3xf32>
  %8 = graph.relu %7 : tensor<2x3xf32>
  // CHECK: %[[GELU:.*]] = graph.gelu %[[RELU]] : tensor<2x3xf32>
  %9 = graph.gelu %8 : tensor<2x3xf32>
  // CHECK: %[[ERF:.*]] = graph.erf %[[GELU]] : tensor<2x3xf32>
  %10 = graph.erf %9 : tensor<2x3xf32>
  // CHECK: %[[CLIP:.*]] = graph.clip %[[ERF]] min 0.000000e+00 max 6.000000e+00 : tensor<2x3xf32>
  %11 = graph.clip %10 min 0.0 max 6.0 : tensor<2x3xf32>
  // CHECK: %[[IABS:.*]] = graph.abs %{{.*}} : tensor<5xi8>
  %12 = graph.abs %i : tensor<5xi8>
  // CHECK: graph.clip %[[IABS]] max 3.000000e+00 : tensor<5xi8>
  %13 = graph.clip %12 max 3.0 : tensor<5xi8>
  return %11, %13 : tensor<2x3xf32>, tensor<5xi8>
}

// CHECK-LABEL: func @compare_select_cast
func.func @compare_select_cast(%a: tensor<4xf32>, %b: tensor<f32>) -> (tensor<4xf32>, tensor<4xi32>) {
  // CHECK: %[[C:.*]] = graph.compare lt, %{{.*}}, %{{.*}} : tensor<4xf32>, tensor<f32>
  %c = graph.compare lt, %a, %b : tensor<4xf32>, tensor<f32>
  // CHECK: graph.compare ge, %{{.*}}, %{{.*}} : tensor<4xf32>, tensor<4xf32>
  %d = graph.compare ge, %a, %a : tensor<4xf32>, tensor<4xf32>
  // CHECK: %[[S:.*]] = graph.select %[[C]], %{{.*}}, %{{.*}} : tensor<4xi1>, tensor<4xf32>, tensor<f32>
  %s = graph.select %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<f32>
  // CHECK: graph.cast %[[S]] : tensor<4xf32> to i32
  %i = graph.cast %s : tensor<4xf32> to i32
  return %s, %i : tensor<4xf32>, tensor<4xi32>
}

// CHECK-LABEL: func @matmul
func.func @matmul(%a: tensor<8x64x32xf32>, %b: tensor<32x16xf32>, %c: tensor<2x1x16x8xf32>)
    -> (tensor<8x64x16xf32>, tensor<2x8x64x8xf32>) {
  // CHECK: graph.matmul %{{.*}}, %{{.*}} : tensor<8x64x32xf32>, tensor<32x16xf32>
  %0 = graph.matmul %a, %b : tensor<8x64x32xf32>, tensor<32x16xf32>
  // CHECK: graph.matmul %{{.*}}, %{{.*}} : tensor<8x64x16xf32>, tensor<2x1x16x8xf32>
  %1 = graph.matmul %0, %c : tensor<8x64x16xf32>, tensor<2x1x16x8xf32>
  return %0, %1 : tensor<8x64x16xf32>, tensor<2x8x64x8xf32>
}

// CHECK-LABEL: func @conv2d
func.func @conv2d(%x: tensor<1x3x224x224xf32>, %w: tensor<64x3x7x7xf32>, %b: tensor<64xf32>,
                  %dw: tensor<64x1x3x3xf32>) -> tensor<1x64x56x56xf32> {
  // CHECK: graph.conv2d %{{.*}}, %{{.*}}, %{{.*}} {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>} : tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>
  %0 = graph.conv2d %x, %w, %b {pads = array<i64: 3, 3, 3, 3>, strides = array<i64: 2, 2>}
       : tensor<1x3x224x224xf32>, tensor<64x3x7x7xf32>, tensor<64xf32>
  // CHECK: graph.conv2d %{{.*}}, %{{.*}} {dilations = array<i64: 2, 2>, groups = 64 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>} : tensor<1x64x112x112xf32>, tensor<64x1x3x3xf32>
  %1 = graph.conv2d %0, %dw {groups = 64 : i64, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 2, 2>, dilations = array<i64: 2, 2>}
       : tensor<1x64x112x112xf32>, tensor<64x1x3x3xf32>
  return %1 : tensor<1x64x56x56xf32>
}

// CHECK-LABEL: func @pooling
func.func @pooling(%x: tensor<1x64x112x112xf32>) -> (tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>, tensor<1x64x1x1xf32>, tensor<1x64x1x1xf32>) {
  // CHECK: graph.max_pool2d %{{.*}} {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x64x112x112xf32>
  %0 = graph.max_pool2d %x {kernel = array<i64: 3, 3>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : tensor<1x64x112x112xf32>
  // CHECK: graph.avg_pool2d %{{.*}} {ceil_mode, count_include_pad, kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>} : tensor<1x64x112x112xf32>
  %1 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>, count_include_pad, ceil_mode} : tensor<1x64x112x112xf32>
  // CHECK: graph.global_avg_pool2d %{{.*}} : tensor<1x64x56x56xf32>
  %2 = graph.global_avg_pool2d %0 : tensor<1x64x56x56xf32>
  // CHECK: graph.global_max_pool2d %{{.*}} : tensor<1x64x56x56xf32>
  %3 = graph.global_max_pool2d %1 : tensor<1x64x56x56xf32>
  return %0, %1, %2, %3 : tensor<1x64x56x56xf32>, tensor<1x64x56x56xf32>, tensor<1x64x1x1xf32>, tensor<1x64x1x1xf32>
}

// CHECK-LABEL: func @normalization
func.func @normalization(%x: tensor<1x128x768xf32>, %g: tensor<768xf32>, %b: tensor<768xf32>,
                         %y: tensor<1x64x8x8xf32>, %p: tensor<64xf32>) -> (tensor<1x128x768xf32>, tensor<1x64x8x8xf32>) {
  // CHECK: %[[SM:.*]] = graph.softmax %{{.*}} : tensor<1x128x768xf32>
  %0 = graph.softmax %x : tensor<1x128x768xf32>
  // CHECK: graph.softmax %[[SM]] {axis = 1 : i64} : tensor<1x128x768xf32>
  %1 = graph.softmax %0 {axis = 1 : i64} : tensor<1x128x768xf32>
  // CHECK: %[[LN:.*]] = graph.layer_norm %{{.*}}, %{{.*}}, %{{.*}} {epsilon = 9.9999999999999998E-13 : f64} : tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>
  %2 = graph.layer_norm %1, %g, %b {epsilon = 1.0e-12 : f64} : tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>
  // CHECK: graph.layer_norm %[[LN]], %{{.*}} : tensor<1x128x768xf32>, tensor<768xf32>
  %3 = graph.layer_norm %2, %g : tensor<1x128x768xf32>, tensor<768xf32>
  // CHECK: graph.batch_norm %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  %4 = graph.batch_norm %y, %p, %p, %p, %p : tensor<1x64x8x8xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>
  return %3, %4 : tensor<1x128x768xf32>, tensor<1x64x8x8xf32>
}

// CHECK-LABEL: func @reductions
func.func @reductions(%x: tensor<4x8x2xf32>) -> (tensor<4x1x2xf32>, tensor<f32>, tensor<8xf32>, tensor<4x8x1xf32>, tensor<4x2xf32>) {
  // CHECK: graph.reduce_sum %{{.*}} {axes = array<i64: 1>, keep_dims} : tensor<4x8x2xf32>
  %0 = graph.reduce_sum %x {axes = array<i64: 1>, keep_dims} : tensor<4x8x2xf32>
  // CHECK: graph.reduce_mean %{{.*}} : tensor<4x8x2xf32>
  %1 = graph.reduce_mean %x : tensor<4x8x2xf32>
  // CHECK: graph.reduce_max %{{.*}} {axes = array<i64: 0, -1>} : tensor<4x8x2xf32>
  %2 = graph.reduce_max %x {axes = array<i64: 0, -1>} : tensor<4x8x2xf32>
  // CHECK: graph.reduce_min %{{.*}} {axes = array<i64: 2>, keep_dims} : tensor<4x8x2xf32>
  %3 = graph.reduce_min %x {axes = array<i64: 2>, keep_dims} : tensor<4x8x2xf32>
  // CHECK: graph.reduce_prod %{{.*}} {axes = array<i64: 1>} : tensor<4x8x2xf32>
  %4 = graph.reduce_prod %x {axes = array<i64: 1>} : tensor<4x8x2xf32>
  return %0, %1, %2, %3, %4 : tensor<4x1x2xf32>, tensor<f32>, tensor<8xf32>, tensor<4x8x1xf32>, tensor<4x2xf32>
}

// CHECK-LABEL: func @data_movement
func.func @data_movement(%x: tensor<2x3x4xf32>, %v: tensor<3xf32>) -> (tensor<2x12xf32>, tensor<4x2x3xf32>, tensor<5x3xf32>) {
  // CHECK: graph.reshape %{{.*}} [2, 12] : tensor<2x3x4xf32>
  %0 = graph.reshape %x [2, 12] : tensor<2x3x4xf32>
  // CHECK: graph.transpose %{{.*}} [2, 0, 1] : tensor<2x3x4xf32>
  %1 = graph.transpose %x [2, 0, 1] : tensor<2x3x4xf32>
  // CHECK: graph.broadcast_to %{{.*}} [5, 3] : tensor<3xf32>
  %2 = graph.broadcast_to %v [5, 3] : tensor<3xf32>
  return %0, %1, %2 : tensor<2x12xf32>, tensor<4x2x3xf32>, tensor<5x3xf32>
}

// CHECK-LABEL: func @concat_slice_pad
func.func @concat_slice_pad(%a: tensor<2x3xf32>, %b: tensor<2x5xf32>) -> (tensor<2x8xf32>, tensor<2x4xf32>, tensor<4x5xf32>, tensor<2x7xf32>) {
  // CHECK: %[[CAT:.*]] = graph.concat %{{.*}}, %{{.*}} axis 1 : tensor<2x3xf32>, tensor<2x5xf32>
  %0 = graph.concat %a, %b axis 1 : tensor<2x3xf32>, tensor<2x5xf32>
  // CHECK: graph.slice %[[CAT]] {ends = array<i64: 2, 8>, starts = array<i64: 0, 1>, steps = array<i64: 1, 2>} : tensor<2x8xf32>
  %1 = graph.slice %0 {starts = array<i64: 0, 1>, ends = array<i64: 2, 8>, steps = array<i64: 1, 2>} : tensor<2x8xf32>
  // CHECK: graph.pad %{{.*}} {pads = array<i64: 1, 1, 1, 1>, value = 5.000000e-01 : f64} : tensor<2x3xf32>
  %2 = graph.pad %a {pads = array<i64: 1, 1, 1, 1>, value = 0.5 : f64} : tensor<2x3xf32>
  // CHECK: graph.pad %{{.*}} {mode = #graph<pad_mode reflect>, pads = array<i64: 0, 2, 0, 2>} : tensor<2x3xf32>
  %3 = graph.pad %a {mode = #graph<pad_mode reflect>, pads = array<i64: 0, 2, 0, 2>} : tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x8xf32>, tensor<2x4xf32>, tensor<4x5xf32>, tensor<2x7xf32>
}

// CHECK-LABEL: func @gather_expand_squeeze
func.func @gather_expand_squeeze(%emb: tensor<1000x64xf32>, %ids: tensor<1x16xi64>, %x: tensor<3x4xf32>)
    -> (tensor<1x16x64xf32>, tensor<1x3x4x1xf32>, tensor<3x4xf32>, tensor<3x4x1xf32>) {
  // CHECK: graph.gather %{{.*}}, %{{.*}} : tensor<1000x64xf32>, tensor<1x16xi64>
  %0 = graph.gather %emb, %ids : tensor<1000x64xf32>, tensor<1x16xi64>
  // CHECK: %[[E:.*]] = graph.expand_dims %{{.*}} [0, -1] : tensor<3x4xf32>
  %1 = graph.expand_dims %x [0, -1] : tensor<3x4xf32>
  // CHECK: graph.squeeze %[[E]] [] : tensor<1x3x4x1xf32>
  %2 = graph.squeeze %1 [] : tensor<1x3x4x1xf32>
  // CHECK: graph.squeeze %[[E]] [0] : tensor<1x3x4x1xf32>
  %3 = graph.squeeze %1 [0] : tensor<1x3x4x1xf32>
  return %0, %1, %2, %3 : tensor<1x16x64xf32>, tensor<1x3x4x1xf32>, tensor<3x4xf32>, tensor<3x4x1xf32>
}

// CHECK-LABEL: func @fusion
func.func @fusion(%x: tensor<4x8xf32>, %b: tensor<8xf32>) -> tensor<4x8xf32> {
  // CHECK: %[[F:.*]] = graph.fusion(%{{.*}}, %{{.*}} : tensor<4x8xf32>, tensor<8xf32>) {
  // CHECK-NEXT: ^bb0(%[[A:.*]]: tensor<4x8xf32>, %[[C:.*]]: tensor<8xf32>):
  // CHECK-NEXT:   %[[S:.*]] = graph.add %[[A]], %[[C]]
  // CHECK-NEXT:   %[[R:.*]] = graph.relu %[[S]]
  // CHECK-NEXT:   graph.yield %[[R]] : tensor<4x8xf32>
  // CHECK-NEXT: }
  %0 = graph.fusion (%x, %b : tensor<4x8xf32>, tensor<8xf32>) {
  ^bb0(%a: tensor<4x8xf32>, %c: tensor<8xf32>):
    %s = graph.add %a, %c : tensor<4x8xf32>, tensor<8xf32>
    %r = graph.relu %s : tensor<4x8xf32>
    graph.yield %r : tensor<4x8xf32>
  }
  // CHECK: return %[[F]]
  return %0 : tensor<4x8xf32>
}

// A fusion with no inputs and two results.
// CHECK-LABEL: func @fusion_no_inputs
func.func @fusion_no_inputs() -> (tensor<2xf32>, tensor<2xf32>) {
  // CHECK: graph.fusion() {
  %0:2 = graph.fusion () {
    %c = graph.constant dense<1.0> : tensor<2xf32>
    %e = graph.exp %c : tensor<2xf32>
    graph.yield %c, %e : tensor<2xf32>, tensor<2xf32>
  }
  return %0#0, %0#1 : tensor<2xf32>, tensor<2xf32>
}

// CHECK-LABEL: func @more_elementwise
func.func @more_elementwise(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  // CHECK: graph.rem %{{.*}}, %{{.*}} : tensor<4xi32>, tensor<4xi32>
  %r = graph.rem %i, %i : tensor<4xi32>, tensor<4xi32>
  // CHECK: graph.sin
  %0 = graph.sin %x : tensor<4xf32>
  // CHECK: graph.cos
  %1 = graph.cos %0 : tensor<4xf32>
  // CHECK: graph.tan
  %2 = graph.tan %1 : tensor<4xf32>
  // CHECK: graph.asin
  %3 = graph.asin %2 : tensor<4xf32>
  // CHECK: graph.acos
  %4 = graph.acos %3 : tensor<4xf32>
  // CHECK: graph.atan
  %5 = graph.atan %4 : tensor<4xf32>
  // CHECK: graph.sinh
  %6 = graph.sinh %5 : tensor<4xf32>
  // CHECK: graph.cosh
  %7 = graph.cosh %6 : tensor<4xf32>
  // CHECK: graph.asinh
  %8 = graph.asinh %7 : tensor<4xf32>
  // CHECK: graph.acosh
  %9 = graph.acosh %8 : tensor<4xf32>
  // CHECK: graph.atanh
  %10 = graph.atanh %9 : tensor<4xf32>
  // CHECK: graph.floor
  %11 = graph.floor %10 : tensor<4xf32>
  // CHECK: graph.ceil
  %12 = graph.ceil %11 : tensor<4xf32>
  // CHECK: graph.round
  %13 = graph.round %12 : tensor<4xf32>
  // CHECK: graph.sign %{{.*}} : tensor<4xi32>
  %14 = graph.sign %r : tensor<4xi32>
  return %13, %14 : tensor<4xf32>, tensor<4xi32>
}

// CHECK-LABEL: func @index_ops
func.func @index_ops(%x: tensor<3x5xf32>, %i: tensor<3x2xi64>) -> (tensor<3xi64>, tensor<1x5xi64>, tensor<3x5xf32>, tensor<3x2xf32>) {
  // CHECK: graph.arg_max %{{.*}} {axis = 1 : i64} : tensor<3x5xf32>
  %0 = graph.arg_max %x {axis = 1 : i64} : tensor<3x5xf32>
  // CHECK: graph.arg_min %{{.*}} {keep_dims, select_last_index} : tensor<3x5xf32>
  %1 = graph.arg_min %x {keep_dims, select_last_index} : tensor<3x5xf32>
  // CHECK: graph.cumsum %{{.*}} {axis = -1 : i64, exclusive, reverse} : tensor<3x5xf32>
  %2 = graph.cumsum %x {axis = -1 : i64, exclusive, reverse} : tensor<3x5xf32>
  // CHECK: graph.gather_elements %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<3x5xf32>, tensor<3x2xi64>
  %3 = graph.gather_elements %x, %i {axis = 1 : i64} : tensor<3x5xf32>, tensor<3x2xi64>
  return %0, %1, %2, %3 : tensor<3xi64>, tensor<1x5xi64>, tensor<3x5xf32>, tensor<3x2xf32>
}

// Unsigned integer tensors (ONNX's UINT types) and the shifts.
// CHECK-LABEL: func @unsigned_and_shifts
func.func @unsigned_and_shifts(%a: tensor<4xui8>, %b: tensor<ui8>) -> (tensor<4xui8>, tensor<4xui8>, tensor<4xf32>) {
  // CHECK: graph.shift_left %{{.*}}, %{{.*}} : tensor<4xui8>, tensor<ui8>
  %0 = graph.shift_left %a, %b : tensor<4xui8>, tensor<ui8>
  // CHECK: graph.shift_right %{{.*}}, %{{.*}} : tensor<4xui8>, tensor<ui8>
  %1 = graph.shift_right %0, %b : tensor<4xui8>, tensor<ui8>
  // CHECK: graph.cast %{{.*}} : tensor<4xui8> to f32
  %2 = graph.cast %1 : tensor<4xui8> to f32
  return %0, %1, %2 : tensor<4xui8>, tensor<4xui8>, tensor<4xf32>
}

// Quantization: per tensor (scalar scale and zero point) and per channel.
// CHECK-LABEL: func @quantization
func.func @quantization(%x: tensor<1x4x2x2xf32>, %s: tensor<f32>, %z: tensor<ui8>, %cs: tensor<4xf32>, %cz: tensor<4xi8>) -> (tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>) {
  // CHECK: graph.quantize %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x4x2x2xf32>, tensor<f32>, tensor<ui8>
  %q = graph.quantize %x, %s, %z : tensor<1x4x2x2xf32>, tensor<f32>, tensor<ui8>
  // CHECK: graph.dequantize %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x4x2x2xui8>, tensor<f32>, tensor<ui8>
  %d = graph.dequantize %q, %s, %z : tensor<1x4x2x2xui8>, tensor<f32>, tensor<ui8>
  // CHECK: graph.quantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xi8>
  %cq = graph.quantize %x, %cs, %cz {axis = 1 : i64} : tensor<1x4x2x2xf32>, tensor<4xf32>, tensor<4xi8>
  %cd = graph.dequantize %cq, %cs, %cz {axis = 1 : i64} : tensor<1x4x2x2xi8>, tensor<4xf32>, tensor<4xi8>
  return %d, %cd : tensor<1x4x2x2xf32>, tensor<1x4x2x2xf32>
}

// CHECK-LABEL: func @integer_products
// CHECK: graph.matmul %{{.*}}, %{{.*}} : tensor<2x3xui8>, tensor<3x4xi8>
// CHECK: graph.conv2d %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x2x4x4xi8>, tensor<3x2x1x1xui8>, tensor<3xi32>
// CHECK: graph.requantize %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64} : tensor<2x4xi32>, tensor<4xf32>, tensor<i8>
func.func @integer_products(%a: tensor<2x3xui8>, %b: tensor<3x4xi8>, %x: tensor<1x2x4x4xi8>, %w: tensor<3x2x1x1xui8>, %bias: tensor<3xi32>, %m: tensor<4xf32>, %z: tensor<i8>) -> (tensor<2x4xi8>, tensor<1x3x4x4xi32>) {
  %0 = graph.matmul %a, %b : tensor<2x3xui8>, tensor<3x4xi8>
  %1 = graph.conv2d %x, %w, %bias : tensor<1x2x4x4xi8>, tensor<3x2x1x1xui8>, tensor<3xi32>
  %2 = graph.requantize %0, %m, %z {axis = 1 : i64} : tensor<2x4xi32>, tensor<4xf32>, tensor<i8>
  return %2, %1 : tensor<2x4xi8>, tensor<1x3x4x4xi32>
}

// CHECK-LABEL: func @scatter
func.func @scatter(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x2xf32>) -> (tensor<3x4xf32>, tensor<3x4xf32>) {
  // CHECK: graph.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} {axis = 1 : i64, reduction = #graph<scatter_reduction add>} : tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>
  %0 = graph.scatter_elements %d, %i, %u {axis = 1 : i64, reduction = #graph<scatter_reduction add>} : tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>
  // CHECK: graph.scatter_elements %{{.*}}, %{{.*}}, %{{.*}} : tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>
  %1 = graph.scatter_elements %d, %i, %u : tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>
  return %0, %1 : tensor<3x4xf32>, tensor<3x4xf32>
}
