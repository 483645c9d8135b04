// RUN: strata-opt %s --strata-cpu-vectorize-matmul -split-input-file -verify-diagnostics
// RUN: strata-opt %s --strata-cpu-winograd-convolutions -split-input-file -verify-diagnostics

// Malformed `strata.kernel_config` attributes, written by hand, are errors
// at the op that say what is wrong (every kernel pass checks them).

func.func @unknown_kernel(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid strata.kernel_config: unknown kernel 'gemm' (known: matmul, winograd, direct_conv, im2col_matmul, window_rows, window_loops, sparse_panel, sparse_gather, transpose, integer_matmul, integer_conv)}}
  %0 = linalg.matmul {strata.kernel_config = {kernel = "gemm"}} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @missing_field(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid strata.kernel_config: 'matmul' needs 'tile_sizes'}}
  %0 = linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = 1 : i64}} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @bad_tile(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid strata.kernel_config: 'tile_sizes' must be array<i64: rows, columns> of positive sizes}}
  %0 = linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = 1 : i64, tile_sizes = array<i64: 0, 16>}} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @foreign_field(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid strata.kernel_config: 'matmul' takes no 'l2_bytes'}}
  %0 = linalg.matmul {strata.kernel_config = {kernel = "matmul", l2_bytes = 4096 : i64, min_strips = 4 : i64, threads = 1 : i64, tile_sizes = array<i64: 8, 16>}} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @not_a_dictionary(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid strata.kernel_config: expected a dictionary, got "matmul"}}
  %0 = linalg.matmul {strata.kernel_config = "matmul"} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @odd_winograd_run(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid strata.kernel_config: a Winograd run ('strip_width') must be an even number of tiles}}
  %0 = linalg.matmul {strata.kernel_config = {kernel = "winograd", l2_bytes = 4096 : i64, strip_width = 15 : i64, threads = 1 : i64}} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}

// -----

func.func @negative_threads(%a: tensor<8x8xf32>, %b: tensor<8x8xf32>, %c: tensor<8x8xf32>) -> tensor<8x8xf32> {
  // expected-error @+1 {{invalid strata.kernel_config: 'threads' must be a positive integer}}
  %0 = linalg.matmul {strata.kernel_config = {kernel = "matmul", min_strips = 4 : i64, threads = -1 : i64, tile_sizes = array<i64: 8, 16>}} ins(%a, %b : tensor<8x8xf32>, tensor<8x8xf32>) outs(%c : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %0 : tensor<8x8xf32>
}
