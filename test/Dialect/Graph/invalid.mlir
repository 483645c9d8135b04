// Every verifier and shape-inference error of the graph dialect.
// RUN: strata-opt %s -split-input-file -verify-diagnostics

func.func @constant_unranked() {
  // expected-error @+1 {{custom op 'graph.constant' invalid kind of attribute specified}}
  %0 = graph.constant 1.0 : f32
  return
}

// -----

func.func @add_not_broadcastable(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{'graph.add' op operands are not broadcast-compatible: 2x3 vs 4x3}}
  %0 = graph.add %a, %b : tensor<2x3xf32>, tensor<4x3xf32>
  return
}

// -----

func.func @sub_element_types(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{'graph.sub' op operand element types differ: 'f32' vs 'i32'}}
  %0 = graph.sub %a, %b : tensor<3xf32>, tensor<3xi32>
  return
}

// -----

func.func @mul_wrong_result(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'graph.mul' op inferred type(s) 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<4xf32>'}}
  // expected-error @+1 {{'graph.mul' op failed to infer returned types}}
  %0 = "graph.mul"(%a, %b) : (tensor<3xf32>, tensor<3xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @pow_int(%a: tensor<3xi32>) {
  // expected-error @+1 {{'graph.pow' op operand #0 must be ranked tensor of floating-point values}}
  %0 = graph.pow %a, %a : tensor<3xi32>, tensor<3xi32>
  return
}

// -----

func.func @add_unranked(%a: tensor<*xf32>) {
  // expected-error @+1 {{custom op 'graph.add' invalid kind of type specified: expected builtin.tensor, but found 'tensor<*xf32>'}}
  %0 = graph.add %a, %a : tensor<*xf32>, tensor<*xf32>
  return
}

// -----

func.func @exp_int(%a: tensor<3xi32>) {
  // expected-error @+1 {{'graph.exp' op operand #0 must be ranked tensor of floating-point values}}
  %0 = graph.exp %a : tensor<3xi32>
  return
}

// -----

func.func @relu_result_type(%a: tensor<3xf32>) {
  // expected-error @+1 {{'graph.relu' op requires the same type for all operands and results}}
  %0 = "graph.relu"(%a) : (tensor<3xf32>) -> tensor<3xf16>
  return
}

// -----

func.func @clip_bounds(%a: tensor<3xf32>) {
  // expected-error @+1 {{'graph.clip' op min (6.000000e+00) is greater than max (0.000000e+00)}}
  %0 = graph.clip %a min 6.0 max 0.0 : tensor<3xf32>
  return
}

// -----

func.func @compare_shapes(%a: tensor<3xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'graph.compare' op operands are not broadcast-compatible: 3 vs 2}}
  %0 = graph.compare eq, %a, %b : tensor<3xf32>, tensor<2xf32>
  return
}

// -----

func.func @compare_predicate(%a: tensor<3xf32>) {
  // expected-error @+2 {{expected ::strata::graph::ComparePredicate to be one of: eq, ne, lt, le, gt, ge}}
  // expected-error @+1 {{failed to parse Graph_ComparePredicateAttr parameter 'value'}}
  %0 = graph.compare less, %a, %a : tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @select_branches(%c: tensor<3xi1>, %a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{'graph.select' op branch element types differ: 'f32' vs 'i32'}}
  %0 = graph.select %c, %a, %b : tensor<3xi1>, tensor<3xf32>, tensor<3xi32>
  return
}

// -----

func.func @select_shapes(%c: tensor<4xi1>, %a: tensor<3xf32>) {
  // expected-error @+1 {{'graph.select' op operands are not broadcast-compatible: 4 vs 3}}
  %0 = graph.select %c, %a, %a : tensor<4xi1>, tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @select_condition(%c: tensor<3xf32>, %a: tensor<3xf32>) {
  // expected-error @+1 {{'graph.select' op operand #0 must be ranked tensor of 1-bit signless integer values}}
  %0 = graph.select %c, %a, %a : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>
  return
}

// -----

func.func @cast_dtype(%a: tensor<3xf32>) {
  // expected-error @+1 {{'graph.cast' op attribute 'dtype' failed to satisfy constraint: type attribute of float, signless or unsigned integer}}
  %0 = graph.cast %a : tensor<3xf32> to index
  return
}

// -----

func.func @matmul_contracting(%a: tensor<4x64xf32>, %b: tensor<32x8xf32>) {
  // expected-error @+1 {{'graph.matmul' op contracting dimensions differ: 64 vs 32}}
  %0 = graph.matmul %a, %b : tensor<4x64xf32>, tensor<32x8xf32>
  return
}

// -----

func.func @matmul_rank(%a: tensor<64xf32>, %b: tensor<64x8xf32>) {
  // expected-error @+1 {{'graph.matmul' op operands must have rank >= 2, got 1 and 2}}
  %0 = graph.matmul %a, %b : tensor<64xf32>, tensor<64x8xf32>
  return
}

// -----

func.func @matmul_batch(%a: tensor<2x4x8xf32>, %b: tensor<3x8x5xf32>) {
  // expected-error @+1 {{'graph.matmul' op batch dimensions are not broadcast-compatible: 2 vs 3}}
  %0 = graph.matmul %a, %b : tensor<2x4x8xf32>, tensor<3x8x5xf32>
  return
}

// -----

func.func @matmul_types(%a: tensor<4x8xf32>, %b: tensor<8x5xf16>) {
  // expected-error @+1 {{'graph.matmul' op operand element types differ: 'f32' vs 'f16'}}
  %0 = graph.matmul %a, %b : tensor<4x8xf32>, tensor<8x5xf16>
  return
}

// -----

func.func @conv_rank(%x: tensor<3x8x8xf32>, %w: tensor<4x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op input must be 4-D (NCHW), got rank 3}}
  %0 = graph.conv2d %x, %w : tensor<3x8x8xf32>, tensor<4x3x3x3xf32>
  return
}

// -----

func.func @conv_weight_rank(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op weight must be 4-D (OIHW), got rank 3}}
  %0 = graph.conv2d %x, %w : tensor<1x3x8x8xf32>, tensor<4x3x3xf32>
  return
}

// -----

func.func @conv_channels(%x: tensor<1x4x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op weight input channels (3) times groups (1) must equal input channels (4)}}
  %0 = graph.conv2d %x, %w : tensor<1x4x8x8xf32>, tensor<8x3x3x3xf32>
  return
}

// -----

func.func @conv_groups_input(%x: tensor<1x6x8x8xf32>, %w: tensor<8x2x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op input channels (6) are not divisible by groups (4)}}
  %0 = graph.conv2d %x, %w {groups = 4 : i64} : tensor<1x6x8x8xf32>, tensor<8x2x3x3xf32>
  return
}

// -----

func.func @conv_groups_output(%x: tensor<1x4x8x8xf32>, %w: tensor<6x1x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op output channels (6) are not divisible by groups (4)}}
  %0 = graph.conv2d %x, %w {groups = 4 : i64} : tensor<1x4x8x8xf32>, tensor<6x1x3x3xf32>
  return
}

// -----

func.func @conv_groups_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<4x1x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op groups must be >= 1, got 0}}
  %0 = graph.conv2d %x, %w {groups = 0 : i64} : tensor<1x4x8x8xf32>, tensor<4x1x3x3xf32>
  return
}

// -----

func.func @conv_bias(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+1 {{'graph.conv2d' op bias must be 1-D of size 8 (output channels), got 4}}
  %0 = graph.conv2d %x, %w, %b : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>, tensor<4xf32>
  return
}

// -----

func.func @conv_strides(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op expects 2 strides, got 3}}
  %0 = graph.conv2d %x, %w {strides = array<i64: 1, 1, 1>} : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op strides must be >= 1, got 0}}
  %0 = graph.conv2d %x, %w {strides = array<i64: 0, 1>} : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>
  return
}

// -----

func.func @conv_pads(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op pads must be >= 0, got -1}}
  %0 = graph.conv2d %x, %w {pads = array<i64: -1, 0, 0, 0>} : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>
  return
}

// -----

func.func @conv_window(%x: tensor<1x3x2x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op window does not fit: input height 2 with padding 0+0 is smaller than the dilated kernel 3}}
  %0 = graph.conv2d %x, %w : tensor<1x3x2x8xf32>, tensor<8x3x3x3xf32>
  return
}

// -----

func.func @conv_attr_kind(%x: tensor<1x3x8x8xf32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op attribute 'strides' failed to satisfy constraint: i64 dense array attribute}}
  %0 = graph.conv2d %x, %w {strides = [1, 1]} : tensor<1x3x8x8xf32>, tensor<8x3x3x3xf32>
  return
}

// -----

func.func @conv_mixed_types(%x: tensor<1x3x8x8xi32>, %w: tensor<8x3x3x3xf32>) {
  // expected-error @+1 {{'graph.conv2d' op input and weight element types differ: 'i32' vs 'f32'}}
  %0 = graph.conv2d %x, %w : tensor<1x3x8x8xi32>, tensor<8x3x3x3xf32>
  return
}

// -----

func.func @pool_kernel_missing(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'graph.max_pool2d' op requires attribute 'kernel'}}
  %0 = graph.max_pool2d %x : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @pool_kernel_size(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'graph.avg_pool2d' op expects 2 kernel, got 1}}
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2>} : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @pool_rank(%x: tensor<3x8x8xf32>) {
  // expected-error @+1 {{'graph.max_pool2d' op input must be 4-D (NCHW), got rank 3}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>} : tensor<3x8x8xf32>
  return
}

// -----

func.func @pool_padding(%x: tensor<1x3x8x8xf32>) {
  // expected-error @+1 {{'graph.max_pool2d' op padding (2) must be smaller than the kernel extent (2)}}
  %0 = graph.max_pool2d %x {kernel = array<i64: 2, 2>, pads = array<i64: 2, 0, 0, 0>} : tensor<1x3x8x8xf32>
  return
}

// -----

func.func @pool_window(%x: tensor<1x3x8x1xf32>) {
  // expected-error @+1 {{'graph.avg_pool2d' op window does not fit: input width 1 with padding 0+0 is smaller than the dilated kernel 2}}
  %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>} : tensor<1x3x8x1xf32>
  return
}

// -----

func.func @global_pool_rank(%x: tensor<1x3x8xf32>) {
  // expected-error @+1 {{'graph.global_avg_pool2d' op input must be 4-D (NCHW), got rank 3}}
  %0 = graph.global_avg_pool2d %x : tensor<1x3x8xf32>
  return
}

// -----

func.func @global_max_pool_rank(%x: tensor<8xf32>) {
  // expected-error @+1 {{'graph.global_max_pool2d' op input must be 4-D (NCHW), got rank 1}}
  %0 = graph.global_max_pool2d %x : tensor<8xf32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.softmax' op axis 2 is out of range for rank 2}}
  %0 = graph.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_scalar(%x: tensor<f32>) {
  // expected-error @+1 {{'graph.softmax' op input must have rank >= 1}}
  %0 = graph.softmax %x : tensor<f32>
  return
}

// -----

func.func @layer_norm_scale(%x: tensor<2x8x16xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op scale shape 8 must equal the normalized shape 16}}
  %0 = graph.layer_norm %x, %g : tensor<2x8x16xf32>, tensor<8xf32>
  return
}

// -----

func.func @layer_norm_bias(%x: tensor<2x8x16xf32>, %g: tensor<8x16xf32>, %b: tensor<16xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op bias shape 16 must equal the normalized shape 8x16}}
  %0 = graph.layer_norm %x, %g, %b {axis = 1 : i64} : tensor<2x8x16xf32>, tensor<8x16xf32>, tensor<16xf32>
  return
}

// -----

func.func @layer_norm_axis(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op axis -3 is out of range for rank 2}}
  %0 = graph.layer_norm %x, %g {axis = -3 : i64} : tensor<2x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @layer_norm_epsilon(%x: tensor<2x8xf32>, %g: tensor<8xf32>) {
  // expected-error @+1 {{'graph.layer_norm' op epsilon must be >= 0, got -1}}
  %0 = graph.layer_norm %x, %g {epsilon = -1.0 : f64} : tensor<2x8xf32>, tensor<8xf32>
  return
}

// -----

func.func @batch_norm_params(%x: tensor<1x8x4x4xf32>, %p: tensor<8xf32>, %q: tensor<4xf32>) {
  // expected-error @+1 {{'graph.batch_norm' op variance must be 1-D of size 8 (channels), got 4}}
  %0 = graph.batch_norm %x, %p, %p, %p, %q : tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<8xf32>, %p: tensor<8xf32>) {
  // expected-error @+1 {{'graph.batch_norm' op input must have rank >= 2 (N x C x ...), got rank 1}}
  %0 = graph.batch_norm %x, %p, %p, %p, %p : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  return
}

// -----

func.func @batch_norm_types(%x: tensor<1x8xf32>, %p: tensor<8xf32>, %h: tensor<8xf16>) {
  // expected-error @+1 {{'graph.batch_norm' op requires the same element type for all operands}}
  %0 = graph.batch_norm %x, %p, %p, %p, %h : tensor<1x8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf16>
  return
}

// -----

func.func @reduce_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.reduce_sum' op axes [2] must be distinct and in range for rank 2}}
  %0 = graph.reduce_sum %x {axes = array<i64: 2>} : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_duplicate(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.reduce_max' op axes [1, -1] must be distinct and in range for rank 2}}
  %0 = graph.reduce_max %x {axes = array<i64: 1, -1>} : tensor<2x3xf32>
  return
}

// -----

func.func @reduce_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'graph.reduce_mean' op inferred type(s) 'tensor<2xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{'graph.reduce_mean' op failed to infer returned types}}
  %0 = "graph.reduce_mean"(%x) <{axes = array<i64: 1>}> : (tensor<2x3xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @reshape_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.reshape' op cannot reshape 2x3 (6 elements) to 4x2 (8 elements)}}
  %0 = graph.reshape %x [4, 2] : tensor<2x3xf32>
  return
}

// -----

func.func @reshape_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.reshape' op target shape must be static and non-negative, got -1}}
  %0 = graph.reshape %x [-1] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_size(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.transpose' op perms has 3 entries but the input has rank 2}}
  %0 = graph.transpose %x [0, 1, 2] : tensor<2x3xf32>
  return
}

// -----

func.func @transpose_perm(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.transpose' op perms [1, 1] is not a permutation of [0, 2)}}
  %0 = graph.transpose %x [1, 1] : tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_to(%x: tensor<3xf32>) {
  // expected-error @+1 {{'graph.broadcast_to' op cannot broadcast 3 to 4x2}}
  %0 = graph.broadcast_to %x [4, 2] : tensor<3xf32>
  return
}

// -----

func.func @broadcast_to_rank(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.broadcast_to' op cannot broadcast 2x3 to 3}}
  %0 = graph.broadcast_to %x [3] : tensor<2x3xf32>
  return
}

// -----

func.func @concat_axis(%a: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.concat' op axis 2 is out of range for rank 2}}
  %0 = graph.concat %a, %a axis 2 : tensor<2x3xf32>, tensor<2x3xf32>
  return
}

// -----

func.func @concat_dims(%a: tensor<2x3xf32>, %b: tensor<4x3xf32>) {
  // expected-error @+1 {{'graph.concat' op input #1 has size 4 in dimension 0, expected 2}}
  %0 = graph.concat %a, %b axis 1 : tensor<2x3xf32>, tensor<4x3xf32>
  return
}

// -----

func.func @concat_rank(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+1 {{'graph.concat' op input #1 has rank 1, expected 2}}
  %0 = graph.concat %a, %b axis 0 : tensor<2x3xf32>, tensor<3xf32>
  return
}

// -----

func.func @concat_types(%a: tensor<2xf32>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'graph.concat' op input #1 element type 'i32' differs from 'f32'}}
  %0 = graph.concat %a, %b axis 0 : tensor<2xf32>, tensor<2xi32>
  return
}

// -----

func.func @concat_empty() {
  // expected-error @+1 {{'graph.concat' op expected 1 or more operands, but found 0}}
  %0 = "graph.concat"() <{axis = 0 : i64}> : () -> tensor<2xf32>
  return
}

// -----

func.func @slice_entries(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'graph.slice' op starts, ends and steps need one entry per dimension (2), got 1, 2 and 0}}
  %0 = graph.slice %x {starts = array<i64: 0>, ends = array<i64: 4, 8>} : tensor<4x8xf32>
  return
}

// -----

func.func @slice_bounds(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'graph.slice' op slice [2, 9) is out of bounds in dimension 1 of size 8}}
  %0 = graph.slice %x {starts = array<i64: 0, 2>, ends = array<i64: 4, 9>} : tensor<4x8xf32>
  return
}

// -----

func.func @slice_step(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'graph.slice' op step in dimension 0 must be >= 1, got -1}}
  %0 = graph.slice %x {starts = array<i64: 0, 0>, ends = array<i64: 4, 8>, steps = array<i64: -1, 1>} : tensor<4x8xf32>
  return
}

// -----

func.func @slice_missing(%x: tensor<4x8xf32>) {
  // expected-error @+1 {{'graph.slice' op requires attribute 'ends'}}
  %0 = graph.slice %x {starts = array<i64: 0, 0>} : tensor<4x8xf32>
  return
}

// -----

func.func @pad_count(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.pad' op expects 4 pads (before and after each of 2 dimensions), got 2}}
  %0 = graph.pad %x {pads = array<i64: 1, 1>} : tensor<2x3xf32>
  return
}

// -----

func.func @pad_negative(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.pad' op pads must be >= 0 (use graph.slice to crop), got -1 and 0 in dimension 0}}
  %0 = graph.pad %x {pads = array<i64: -1, 0, 0, 0>} : tensor<2x3xf32>
  return
}

// -----

func.func @pad_reflect(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'graph.pad' op reflect padding in dimension 1 must be smaller than its size 3, got 3 and 0}}
  %0 = graph.pad %x {mode = #graph<pad_mode reflect>, pads = array<i64: 0, 3, 0, 0>} : tensor<2x3xf32>
  return
}

// -----

func.func @pad_edge_empty(%x: tensor<0x3xf32>) {
  // expected-error @+1 {{'graph.pad' op edge padding of an empty dimension 0}}
  %0 = graph.pad %x {mode = #graph<pad_mode edge>, pads = array<i64: 1, 0, 0, 0>} : tensor<0x3xf32>
  return
}

// -----

func.func @gather_axis(%d: tensor<4x8xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{'graph.gather' op axis 2 is out of range for rank 2}}
  %0 = graph.gather %d, %i {axis = 2 : i64} : tensor<4x8xf32>, tensor<3xi64>
  return
}

// -----

func.func @gather_indices(%d: tensor<4x8xf32>, %i: tensor<3xf32>) {
  // expected-error @+1 {{'graph.gather' op operand #1 must be ranked tensor of 32-bit signless integer or 64-bit signless integer values}}
  %0 = graph.gather %d, %i : tensor<4x8xf32>, tensor<3xf32>
  return
}

// -----

func.func @expand_dims_axes(%x: tensor<3xf32>) {
  // expected-error @+1 {{'graph.expand_dims' op axes [2] must be non-empty, distinct and in range for the result rank 2}}
  %0 = graph.expand_dims %x [2] : tensor<3xf32>
  return
}

// -----

func.func @expand_dims_empty(%x: tensor<3xf32>) {
  // expected-error @+1 {{'graph.expand_dims' op axes [] must be non-empty, distinct and in range for the result rank 1}}
  %0 = graph.expand_dims %x [] : tensor<3xf32>
  return
}

// -----

func.func @squeeze_size(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'graph.squeeze' op cannot squeeze dimension 1 of size 3}}
  %0 = graph.squeeze %x [1] : tensor<1x3xf32>
  return
}

// -----

func.func @squeeze_axes(%x: tensor<1x3xf32>) {
  // expected-error @+1 {{'graph.squeeze' op axes [0, -2] must be distinct and in range for rank 2}}
  %0 = graph.squeeze %x [0, -2] : tensor<1x3xf32>
  return
}

// -----

func.func @fusion_args(%x: tensor<4xf32>) {
  // expected-error @+1 {{'graph.fusion' op body has 0 arguments but the op has 1 inputs}}
  %0 = graph.fusion (%x : tensor<4xf32>) {
    %c = graph.constant dense<1.0> : tensor<4xf32>
    graph.yield %c : tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_arg_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'graph.fusion' op body argument #0 has type 'tensor<8xf32>' but input #0 has type 'tensor<4xf32>'}}
  %0 = graph.fusion (%x : tensor<4xf32>) {
  ^bb0(%a: tensor<8xf32>):
    graph.yield %a : tensor<8xf32>
  }
  return
}

// -----

func.func @fusion_isolated(%x: tensor<4xf32>) {
  %0 = graph.fusion () {
    // expected-error @+2 {{using value defined outside the region}}
    // expected-note @-2 {{required by region isolation constraints}}
    %r = graph.relu %x : tensor<4xf32>
    graph.yield %r : tensor<4xf32>
  }
  return
}

// -----

func.func @fusion_terminator(%x: tensor<4xf32>) {
  // expected-error @+1 {{'graph.fusion' op body must end with graph.yield}}
  %0 = graph.fusion (%x : tensor<4xf32>) {
  ^bb0(%a: tensor<4xf32>):
    %r = graph.relu %a : tensor<4xf32>
  }
  return
}

// -----

func.func @yield_parent(%x: tensor<4xf32>) {
  // expected-error @+1 {{'graph.yield' op expects parent op 'graph.fusion'}}
  graph.yield %x : tensor<4xf32>
}

// -----

func.func @arg_max_axis(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'graph.arg_max' op axis 2 is out of range for rank 2}}
  %0 = graph.arg_max %x {axis = 2 : i64} : tensor<3x5xf32>
  return
}

// -----

func.func @cumsum_axis(%x: tensor<3x5xf32>) {
  // expected-error @+1 {{'graph.cumsum' op axis -3 is out of range for rank 2}}
  %0 = graph.cumsum %x {axis = -3 : i64} : tensor<3x5xf32>
  return
}

// -----

func.func @gather_elements_rank(%x: tensor<3x5xf32>, %i: tensor<3xi64>) {
  // expected-error @+1 {{'graph.gather_elements' op indices must have the rank of data (2), got 1}}
  %0 = graph.gather_elements %x, %i : tensor<3x5xf32>, tensor<3xi64>
  return
}

// -----

func.func @rem_types(%a: tensor<3xf32>, %b: tensor<3xi32>) {
  // expected-error @+1 {{'graph.rem' op operand element types differ: 'f32' vs 'i32'}}
  %0 = graph.rem %a, %b : tensor<3xf32>, tensor<3xi32>
  return
}

// -----

// A value larger than memory can hold is an error where it is made, not an
// overflow in compiled code (2^40 x 2^40 elements overflow int64).
func.func @too_large(%x: tensor<1x1xf32>) {
  // expected-error @+1 {{'graph.broadcast_to' op result #0 of type 'tensor<1099511627776x1099511627776xf32>' is larger than a tensor can be (140737488355328 bytes at most)}}
  %0 = graph.broadcast_to %x [1099511627776, 1099511627776] : tensor<1x1xf32>
  return
}

// -----

func.func @shift_float(%a: tensor<3xf32>) -> tensor<3xf32> {
  // expected-error @+1 {{'graph.shift_left' op operand #0 must be ranked tensor of signless integer or unsigned integer values}}
  %0 = graph.shift_left %a, %a : tensor<3xf32>, tensor<3xf32>
  return %0 : tensor<3xf32>
}

// -----

func.func @quantize_scale_zero_point_shapes(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<ui8>) -> tensor<2x3xui8> {
  // expected-error @+1 {{'graph.quantize' op scale and zero point must have the same shape, got 'tensor<3xf32>' and 'tensor<ui8>'}}
  %0 = graph.quantize %x, %s, %z {axis = 1 : i64} : tensor<2x3xf32>, tensor<3xf32>, tensor<ui8>
  return %0 : tensor<2x3xui8>
}

// -----

func.func @quantize_per_channel_without_axis(%x: tensor<2x3xf32>, %s: tensor<3xf32>, %z: tensor<3xi8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'graph.quantize' op a 1-D scale (per channel) needs an 'axis'}}
  %0 = graph.quantize %x, %s, %z : tensor<2x3xf32>, tensor<3xf32>, tensor<3xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @quantize_channel_count(%x: tensor<2x3xf32>, %s: tensor<2xf32>, %z: tensor<2xi8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'graph.quantize' op per-channel scale has 2 values but dimension 1 of the input has 3}}
  %0 = graph.quantize %x, %s, %z {axis = -1 : i64} : tensor<2x3xf32>, tensor<2xf32>, tensor<2xi8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @quantize_to_i32(%x: tensor<2xf32>, %s: tensor<f32>, %z: tensor<i32>) -> tensor<2xi32> {
  // expected-error @+1 {{'graph.quantize' op quantizes to i8 or ui8 (the zero point's type), not 'i32'}}
  %0 = graph.quantize %x, %s, %z : tensor<2xf32>, tensor<f32>, tensor<i32>
  return %0 : tensor<2xi32>
}

// -----

func.func @dequantize_zero_point_type(%q: tensor<2xi8>, %s: tensor<f32>, %z: tensor<ui8>) -> tensor<2xf32> {
  // expected-error @+1 {{'graph.dequantize' op the zero point's element type must be the input's ('i8'), got 'ui8'}}
  %0 = graph.dequantize %q, %s, %z : tensor<2xi8>, tensor<f32>, tensor<ui8>
  return %0 : tensor<2xf32>
}

// -----

func.func @requantize_to_i32(%a: tensor<2xi32>, %s: tensor<f32>, %z: tensor<i32>) -> tensor<2xi32> {
  // expected-error @+1 {{'graph.requantize' op requantizes to i8 or ui8 (the zero point's type), not 'i32'}}
  %0 = graph.requantize %a, %s, %z : tensor<2xi32>, tensor<f32>, tensor<i32>
  return %0 : tensor<2xi32>
}

// -----

func.func @requantize_channel_count(%a: tensor<2x3xi32>, %s: tensor<2xf32>, %z: tensor<i8>) -> tensor<2x3xi8> {
  // expected-error @+1 {{'graph.requantize' op per-channel scale has 2 values but dimension 1 of the input has 3}}
  %0 = graph.requantize %a, %s, %z {axis = 1 : i64} : tensor<2x3xi32>, tensor<2xf32>, tensor<i8>
  return %0 : tensor<2x3xi8>
}

// -----

func.func @matmul_mixed_widths(%a: tensor<2x3xui8>, %b: tensor<3x4xi16>) -> tensor<2x4xi32> {
  // expected-error @+1 {{'graph.matmul' op operand element types differ: 'ui8' vs 'i16' (only 8-bit integers, i8 or ui8, may mix)}}
  %0 = graph.matmul %a, %b : tensor<2x3xui8>, tensor<3x4xi16>
  return %0 : tensor<2x4xi32>
}

// -----

func.func @conv2d_integer_bias(%x: tensor<1x2x4x4xui8>, %w: tensor<3x2x1x1xi8>, %b: tensor<3xi8>) -> tensor<1x3x4x4xi32> {
  // expected-error @+1 {{'graph.conv2d' op bias element type 'i8' differs from the result's, 'i32'}}
  %0 = graph.conv2d %x, %w, %b : tensor<1x2x4x4xui8>, tensor<3x2x1x1xi8>, tensor<3xi8>
  return %0 : tensor<1x3x4x4xi32>
}

// -----

func.func @scatter_shapes(%d: tensor<3x4xf32>, %i: tensor<3x2xi64>, %u: tensor<3x3xf32>) -> tensor<3x4xf32> {
  // expected-error @+1 {{'graph.scatter_elements' op indices and updates must have one shape, got 3x2 and 3x3}}
  %0 = graph.scatter_elements %d, %i, %u : tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x3xf32>
  return %0 : tensor<3x4xf32>
}
