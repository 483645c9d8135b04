// RUN: strata-opt %s -graph-fuse -split-input-file | FileCheck %s

// Matmul epilogue: bias add and activation join the matmul's kernel; the
// weight and bias come in as inputs.
// CHECK-LABEL: func @matmul_bias_relu
// CHECK-SAME: (%[[X:.*]]: tensor<4x8xf32>, %[[W:.*]]: tensor<8x16xf32>, %[[B:.*]]: tensor<16xf32>)
// CHECK: %[[F:.*]] = graph.fusion(%[[X]], %[[W]], %[[B]] : tensor<4x8xf32>, tensor<8x16xf32>, tensor<16xf32>) {
// CHECK: ^bb0(%[[A0:.*]]: tensor<4x8xf32>, %[[A1:.*]]: tensor<8x16xf32>, %[[A2:.*]]: tensor<16xf32>):
// CHECK: %[[M:.*]] = graph.matmul %[[A0]], %[[A1]]
// CHECK: %[[S:.*]] = graph.add %[[M]], %[[A2]]
// CHECK: %[[R:.*]] = graph.relu %[[S]]
// CHECK: graph.yield %[[R]] : tensor<4x16xf32>
// CHECK: return %[[F]]
func.func @matmul_bias_relu(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>) -> tensor<4x16xf32> {
  %0 = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = graph.add %0, %b : tensor<4x16xf32>, tensor<16xf32>
  %2 = graph.relu %1 : tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}

// -----

// Convolution epilogue: residual add and activation. The splat constant of
// the clip is cloned into the kernel, not passed in.
// CHECK-LABEL: func @conv_residual_relu
// CHECK: graph.fusion(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}} : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>, tensor<1x4x8x8xf32>)
// CHECK: graph.conv2d
// CHECK: graph.add
// CHECK: graph.relu
// CHECK: graph.yield
// CHECK-NOT: graph.conv2d
func.func @conv_residual_relu(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x3x3xf32>, %b: tensor<4xf32>, %skip: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %0 = graph.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>} : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>
  %1 = graph.add %0, %skip : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
  %2 = graph.relu %1 : tensor<1x4x8x8xf32>
  return %2 : tensor<1x4x8x8xf32>
}

// -----

// An elementwise chain is one kernel; splat constants are cloned in.
// CHECK-LABEL: func @elementwise_chain
// CHECK-NOT: graph.constant
// CHECK: graph.fusion(%{{.*}} : tensor<16xf32>) {
// CHECK: graph.constant dense<5.000000e-01>
// CHECK: graph.mul
// CHECK: graph.tanh
// CHECK: graph.exp
// CHECK: graph.yield
func.func @elementwise_chain(%x: tensor<16xf32>) -> tensor<16xf32> {
  %c = graph.constant dense<0.5> : tensor<16xf32>
  %0 = graph.mul %x, %c : tensor<16xf32>, tensor<16xf32>
  %1 = graph.tanh %0 : tensor<16xf32>
  %2 = graph.exp %1 : tensor<16xf32>
  return %2 : tensor<16xf32>
}

// -----

// Softmax takes its scaling prologue; layer_norm its residual add.
// CHECK-LABEL: func @normalization_kernels
// CHECK: graph.fusion
// CHECK: graph.mul
// CHECK: graph.softmax
// CHECK: graph.yield
// CHECK: graph.fusion
// CHECK: graph.add
// CHECK: graph.layer_norm
// CHECK: graph.yield
func.func @normalization_kernels(%s: tensor<2x8x8xf32>, %scale: tensor<f32>, %x: tensor<8x32xf32>, %r: tensor<8x32xf32>, %g: tensor<32xf32>, %b: tensor<32xf32>) -> (tensor<2x8x8xf32>, tensor<8x32xf32>) {
  %0 = graph.mul %s, %scale : tensor<2x8x8xf32>, tensor<f32>
  %1 = graph.softmax %0 {axis = -1 : i64} : tensor<2x8x8xf32>
  %2 = graph.add %x, %r : tensor<8x32xf32>, tensor<8x32xf32>
  %3 = graph.layer_norm %2, %g, %b {axis = -1 : i64} : tensor<8x32xf32>, tensor<32xf32>, tensor<32xf32>
  return %1, %3 : tensor<2x8x8xf32>, tensor<8x32xf32>
}

// -----

// What must not fuse:
// - a value with another use (%0 is also returned) ends the kernel: the
//   matmul stays alone and its add starts a chain with the relu, which ends
//   there too (its result is used twice);
// - two matmuls never share a kernel: the second starts its own;
// - a lone op is not wrapped.
// CHECK-LABEL: func @negative
// CHECK: %[[M:.*]] = graph.matmul
// CHECK-NEXT: %[[F:.*]] = graph.fusion(%[[M]], %{{.*}} : tensor<4x16xf32>, tensor<16xf32>)
// CHECK: graph.add
// CHECK: graph.relu
// CHECK: graph.yield
// CHECK: graph.fusion(%[[F]], %{{.*}} : tensor<4x16xf32>, tensor<16x16xf32>)
// CHECK: graph.matmul
// CHECK-NOT: graph.matmul
// CHECK: graph.tanh
// CHECK: graph.yield
// CHECK-NOT: graph.fusion
// CHECK: graph.sigmoid
// CHECK-NOT: graph.fusion
// CHECK: return
func.func @negative(%x: tensor<4x8xf32>, %w: tensor<8x16xf32>, %b: tensor<16xf32>, %w2: tensor<16x16xf32>, %y: tensor<8xf32>) -> (tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<8xf32>) {
  %0 = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x16xf32>
  %1 = graph.add %0, %b : tensor<4x16xf32>, tensor<16xf32>
  %2 = graph.relu %1 : tensor<4x16xf32>
  %3 = graph.matmul %2, %w2 : tensor<4x16xf32>, tensor<16x16xf32>
  %4 = graph.tanh %3 : tensor<4x16xf32>
  %6 = graph.sigmoid %y : tensor<8xf32>
  return %0, %4, %2, %6 : tensor<4x16xf32>, tensor<4x16xf32>, tensor<4x16xf32>, tensor<8xf32>
}

// -----

// An op that broadcasts the chain's value to a larger shape starts a new
// kernel: the exp on 4x1 stays alone, the add to 4x16 and the relu fuse.
// CHECK-LABEL: func @broadcast_starts_a_kernel
// CHECK: %[[E:.*]] = graph.exp %{{.*}} : tensor<4x1xf32>
// CHECK: graph.fusion(%[[E]], %{{.*}} : tensor<4x1xf32>, tensor<4x16xf32>)
// CHECK: graph.add
// CHECK: graph.relu
// CHECK: graph.yield
func.func @broadcast_starts_a_kernel(%col: tensor<4x1xf32>, %m: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %0 = graph.exp %col : tensor<4x1xf32>
  %1 = graph.add %0, %m : tensor<4x1xf32>, tensor<4x16xf32>
  %2 = graph.relu %1 : tensor<4x16xf32>
  return %2 : tensor<4x16xf32>
}

// -----

// A residual block with a projection shortcut: the add joins the first
// convolution that reaches it (in program order); the shortcut convolution,
// whose consumer is then taken, stays a kernel of its own.
// CHECK-LABEL: func @two_convs_one_add
// CHECK: %[[MAIN:.*]] = graph.conv2d %{{.*}} {pads = array<i64: 1, 1, 1, 1>}
// CHECK: %[[SHORT:.*]] = graph.conv2d
// CHECK: graph.fusion(%[[MAIN]], %{{.*}}, %{{.*}}, %[[SHORT]] :
// CHECK: graph.conv2d
// CHECK: graph.add
// CHECK: graph.relu
// CHECK: graph.yield
func.func @two_convs_one_add(%x: tensor<1x4x8x8xf32>, %w1: tensor<4x4x3x3xf32>, %w2: tensor<4x4x3x3xf32>, %ws: tensor<4x4x1x1xf32>, %b: tensor<4xf32>) -> tensor<1x4x8x8xf32> {
  %0 = graph.conv2d %x, %w1, %b {pads = array<i64: 1, 1, 1, 1>} : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>
  %1 = graph.conv2d %0, %w2, %b {pads = array<i64: 1, 1, 1, 1>} : tensor<1x4x8x8xf32>, tensor<4x4x3x3xf32>, tensor<4xf32>
  %2 = graph.conv2d %x, %ws, %b : tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>
  %3 = graph.add %1, %2 : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
  %4 = graph.relu %3 : tensor<1x4x8x8xf32>
  return %4 : tensor<1x4x8x8xf32>
}

// -----

// A tree of elementwise ops (an LSTM cell's state: sigmoid(f) * c +
// sigmoid(i) * tanh(g)) is one kernel: the chain from sigmoid(i) takes the
// other operands' producers, each used only there. The product read by two
// ops (%p) starts the chain, which goes on through both of its users (their
// result alone leaves them); the exp broadcast from 4x1 stays outside.
// CHECK-LABEL: func @elementwise_tree
// CHECK: %[[E:.*]] = graph.exp %{{.*}} : tensor<4x1xf32>
// CHECK: graph.fusion(%{{.*}}, %{{.*}}, %{{.*}}, %{{.*}}, %[[E]] :
// CHECK-NEXT: ^bb0
// CHECK-NEXT: graph.mul
// CHECK-NEXT: graph.sigmoid
// CHECK-NEXT: graph.sigmoid
// CHECK-NEXT: graph.tanh
// CHECK-NEXT: graph.mul
// CHECK-NEXT: graph.mul
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.yield
// CHECK-NOT: graph.fusion
func.func @elementwise_tree(%i: tensor<4x8xf32>, %f: tensor<4x8xf32>, %g: tensor<4x8xf32>, %c: tensor<4x8xf32>, %col: tensor<4x1xf32>) -> tensor<4x8xf32> {
  %p = graph.mul %c, %c : tensor<4x8xf32>, tensor<4x8xf32>
  %e = graph.exp %col : tensor<4x1xf32>
  %si = graph.sigmoid %i : tensor<4x8xf32>
  %sf = graph.sigmoid %f : tensor<4x8xf32>
  %tg = graph.tanh %g : tensor<4x8xf32>
  %fc = graph.mul %sf, %c : tensor<4x8xf32>, tensor<4x8xf32>
  %ig = graph.mul %si, %tg : tensor<4x8xf32>, tensor<4x8xf32>
  %s = graph.add %fc, %ig : tensor<4x8xf32>, tensor<4x8xf32>
  %q = graph.add %s, %p : tensor<4x8xf32>, tensor<4x8xf32>
  %r = graph.add %q, %p : tensor<4x8xf32>, tensor<4x8xf32>
  %t = graph.add %r, %e : tensor<4x8xf32>, tensor<4x1xf32>
  return %t : tensor<4x8xf32>
}

// -----

// An activation that reads its input twice (SiLU: x * sigmoid(x)) joins the
// convolution's kernel, and the chain goes on after it.
// CHECK-LABEL: func @conv_silu
// CHECK: graph.fusion
// CHECK-NEXT: ^bb0
// CHECK-NEXT: graph.conv2d
// CHECK-NEXT: graph.sigmoid
// CHECK-NEXT: graph.mul
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.yield
// CHECK-NOT: graph.fusion
func.func @conv_silu(%x: tensor<1x4x8x8xf32>, %w: tensor<4x4x1x1xf32>, %b: tensor<4xf32>, %r: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %c = graph.conv2d %x, %w, %b : tensor<1x4x8x8xf32>, tensor<4x4x1x1xf32>, tensor<4xf32>
  %s = graph.sigmoid %c : tensor<1x4x8x8xf32>
  %y = graph.mul %c, %s : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
  %z = graph.add %y, %r : tensor<1x4x8x8xf32>, tensor<1x4x8x8xf32>
  return %z : tensor<1x4x8x8xf32>
}

// -----

// Hardswish as exported (x * clip(x + 3, 0, 6) / 6): the region of the
// value's users grows until one result alone leaves it.
// CHECK-LABEL: func @matmul_hardswish
// CHECK: graph.fusion
// CHECK-NEXT: ^bb0
// CHECK: graph.matmul
// CHECK-NEXT: graph.add
// CHECK-NEXT: graph.clip
// CHECK-NEXT: graph.div
// CHECK-NEXT: graph.mul
// CHECK-NEXT: graph.yield
// CHECK-NOT: graph.fusion
func.func @matmul_hardswish(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %three = graph.constant dense<3.0> : tensor<f32>
  %six = graph.constant dense<6.0> : tensor<f32>
  %m = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x8xf32>
  %a = graph.add %m, %three : tensor<4x8xf32>, tensor<f32>
  %c = graph.clip %a {min = 0.0 : f64, max = 6.0 : f64} : tensor<4x8xf32>
  %d = graph.div %c, %six : tensor<4x8xf32>, tensor<f32>
  %y = graph.mul %m, %d : tensor<4x8xf32>, tensor<4x8xf32>
  return %y : tensor<4x8xf32>
}

// -----

// Two results of the users leave them (the sigmoid is returned too): no
// region; each op stays a kernel of its own.
// CHECK-LABEL: func @two_exits
// CHECK: %[[M:.*]] = graph.matmul
// CHECK-NEXT: %[[S:.*]] = graph.sigmoid %[[M]]
// CHECK-NEXT: graph.mul %[[M]], %[[S]]
// CHECK-NOT: graph.fusion
func.func @two_exits(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %m = graph.matmul %x, %w : tensor<4x8xf32>, tensor<8x8xf32>
  %s = graph.sigmoid %m : tensor<4x8xf32>
  %y = graph.mul %m, %s : tensor<4x8xf32>, tensor<4x8xf32>
  return %y, %s : tensor<4x8xf32>, tensor<4x8xf32>
}
