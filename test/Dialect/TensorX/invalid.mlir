// RUN: strata-opt %s -split-input-file -verify-diagnostics

// expected-error @+1 {{#tensorx.layout: [0, 0] is not a permutation of 0..1}}
func.func @not_a_permutation(%x: tensor<4x4xf32, #tensorx.layout<[0, 0]>>) { return }

// -----

// expected-error @+1 {{#tensorx.layout: dimension 1 is tiled twice}}
func.func @tiled_twice(%x: tensor<4x4xf32, #tensorx.layout<[0, 1], tiles = [1 : 2, 1 : 2]>>) { return }

// -----

// expected-error @+1 {{#tensorx.layout: tile size 0 of dimension 1 must be positive}}
func.func @empty_tile(%x: tensor<4x4xf32, #tensorx.layout<[0, 1], tiles = [1 : 0]>>) { return }

// -----

// expected-error @+1 {{#tensorx.layout<[0, 1, 2, 3], tiles = [1 : 16]>: block 16 does not divide dimension 1 of size 24; pad the tensor explicitly (graph.pad) first}}
func.func @block_not_dividing(%x: tensor<1x24x8x8xf32, #tensorx.layout<[0, 1, 2, 3], tiles = [1 : 16]>>) { return }

// -----

// expected-error @+1 {{#tensorx.layout<[0, 2, 3, 1]> is a layout of rank 4 and cannot apply to a tensor of rank 2}}
func.func @wrong_rank(%x: tensor<4x4xf32, #tensorx.layout<[0, 2, 3, 1]>>) { return }

// -----

#CSC = #sparse_tensor.encoding<{map = (k, n) -> (n : dense, k : compressed)}>
func.func @sparse_to_layout(%w: tensor<8x8xf32, #CSC>) -> tensor<8x8xf32, #tensorx.layout<[1, 0]>> {
  // expected-error @+1 {{cannot convert 'tensor<8x8xf32, #sparse_tensor.encoding<{ map = (d0, d1) -> (d1 : dense, d0 : compressed) }>>' to 'tensor<8x8xf32, #tensorx.layout<[1, 0]>>': a sparse format converts only from or to the row-major layout}}
  %0 = tensorx.convert %w : tensor<8x8xf32, #CSC> to tensor<8x8xf32, #tensorx.layout<[1, 0]>>
  return %0 : tensor<8x8xf32, #tensorx.layout<[1, 0]>>
}

// -----

func.func @shape_change(%x: tensor<8x4xf32>) -> tensor<4x8xf32> {
  // expected-error @+1 {{requires the same shape for all operands and results}}
  %0 = tensorx.convert %x : tensor<8x4xf32> to tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

func.func @inner_mismatch(%x: tensor<8x4xf32>, %w: tensor<8x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{lhs has 4 columns but rhs has 8 rows}}
  %0 = tensorx.matmul %x, %w : tensor<8x4xf32>, tensor<8x16xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @result_shape(%x: tensor<8x4xf32>, %w: tensor<4x16xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{result shape must be 8x16, got 'tensor<8x8xf32>'}}
  %0 = tensorx.matmul %x, %w : tensor<8x4xf32>, tensor<4x16xf32> -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

#B = #tensorx.layout<[0, 1], tiles = [1 : 2]>
func.func @blocked_activations(%x: tensor<8x4xf32, #B>, %w: tensor<4x16xf32>) -> tensor<8x16xf32> {
  // expected-error @+1 {{lhs format must be row-major or a transposition, got #tensorx.layout<[0, 1], tiles = [1 : 2]>}}
  %0 = tensorx.matmul %x, %w : tensor<8x4xf32, #B>, tensor<4x16xf32> -> tensor<8x16xf32>
  return %0 : tensor<8x16xf32>
}

// -----

func.func @rank(%x: tensor<2x8x4xf32>, %w: tensor<4x16xf32>) -> tensor<2x8x16xf32> {
  // expected-error @+1 {{operands and result must have rank 2}}
  %0 = tensorx.matmul %x, %w : tensor<2x8x4xf32>, tensor<4x16xf32> -> tensor<2x8x16xf32>
  return %0 : tensor<2x8x16xf32>
}
