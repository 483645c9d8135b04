// RUN: strata-opt %s -strata-parallelize-linalg -split-input-file | FileCheck %s

// An elementwise op over 1x64x56x56 is shared out over its 64 channels (the
// outermost dimension with more than one index); each slice keeps the op's
// loop order.
// CHECK-LABEL: func @elementwise
// CHECK: scf.forall (%[[C:.*]]) in (64) shared_outs(%[[OUT:.*]] = %{{.*}}) -> (tensor<1x64x56x56xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x56x56xf32>) outs(%{{.*}} : tensor<1x1x56x56xf32>)
// CHECK: tensor.parallel_insert_slice %{{.*}} into %[[OUT]][0, %[[C]], 0, 0] [1, 1, 56, 56]
#id = affine_map<(n, c, h, w) -> (n, c, h, w)>
func.func @elementwise(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x56x56xf32> {
  %e = tensor.empty() : tensor<1x64x56x56xf32>
  %0 = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x64x56x56xf32>) outs(%e : tensor<1x64x56x56xf32>) {
  ^bb0(%a: f32, %b: f32):
    %r = math.tanh %a : f32
    linalg.yield %r : f32
  } -> tensor<1x64x56x56xf32>
  return %0 : tensor<1x64x56x56xf32>
}

// -----

// Reductions stay inside each slice: a row-wise sum over 512x1024 is shared
// out over its rows.
// CHECK-LABEL: func @row_sum
// CHECK: scf.forall (%{{.*}}) in (512)
// CHECK: linalg.reduce ins(%{{.*}} : tensor<1x1024xf32>) outs(%{{.*}} : tensor<1xf32>) dimensions = [1]
func.func @row_sum(%x: tensor<512x1024xf32>, %init: tensor<512xf32>) -> tensor<512xf32> {
  %0 = linalg.reduce ins(%x : tensor<512x1024xf32>) outs(%init : tensor<512xf32>) dimensions = [1]
    (%a: f32, %b: f32) {
      %s = arith.addf %a, %b : f32
      linalg.yield %s : f32
    }
  return %0 : tensor<512xf32>
}

// -----

// Small ops are not worth a parallel region; ops already inside one (the
// register tiles of a matmul) are left as they are.
// CHECK-LABEL: func @negative
// CHECK-NOT: scf.forall (%{{.*}}) in (16)
// CHECK: linalg.fill
// CHECK: scf.forall (%{{.*}}) in (4)
// CHECK-NOT: scf.forall (
func.func @negative(%x: tensor<16x16xf32>, %big: tensor<4x65536xf32>) -> (tensor<16x16xf32>, tensor<4x65536xf32>) {
  %zero = arith.constant 0.0 : f32
  %0 = linalg.fill ins(%zero : f32) outs(%x : tensor<16x16xf32>) -> tensor<16x16xf32>
  %1 = scf.forall (%i) in (4) shared_outs(%o = %big) -> (tensor<4x65536xf32>) {
    %s = tensor.extract_slice %o[%i, 0] [1, 65536] [1, 1] : tensor<4x65536xf32> to tensor<1x65536xf32>
    %f = linalg.fill ins(%zero : f32) outs(%s : tensor<1x65536xf32>) -> tensor<1x65536xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %f into %o[%i, 0] [1, 65536] [1, 1] : tensor<1x65536xf32> into tensor<4x65536xf32>
    }
  }
  return %0, %1 : tensor<16x16xf32>, tensor<4x65536xf32>
}

// -----

// An op reading through a map with divisions or remainders is left alone:
// tiling cannot compute its operand slices.
// CHECK-LABEL: func @negative_division
// CHECK-NOT: scf.forall
// CHECK: linalg.generic
#gather = affine_map<(i, j) -> (i floordiv 4, j mod 256)>
#out = affine_map<(i, j) -> (i, j)>
func.func @negative_division(%x: tensor<64x256xf32>, %e: tensor<256x512xf32>) -> tensor<256x512xf32> {
  %0 = linalg.generic {indexing_maps = [#gather, #out], iterator_types = ["parallel", "parallel"]} ins(%x : tensor<64x256xf32>) outs(%e : tensor<256x512xf32>) {
  ^bb0(%a: f32, %b: f32):
    linalg.yield %a : f32
  } -> tensor<256x512xf32>
  return %0 : tensor<256x512xf32>
}

// -----

// A pad becomes a fill and a copy into the interior, both shared out: the
// fill over the 64 padded channels, the copy (a linalg.copy into the
// destination's slice) over the 64 channels of the image.
// CHECK-LABEL: func @pad
// CHECK: scf.forall (%{{.*}}) in (64)
// CHECK: linalg.fill {{.*}} -> tensor<1x1x58x58xf32>
// CHECK: scf.forall (%{{.*}}) in (64)
// CHECK: linalg.copy ins(%{{.*}} : tensor<1x1x56x56xf32>)
// CHECK: tensor.insert_slice
// CHECK-NOT: tensor.pad
func.func @pad(%x: tensor<1x64x56x56xf32>) -> tensor<1x64x58x58xf32> {
  %zero = arith.constant 0.0 : f32
  %0 = tensor.pad %x low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%a: index, %b: index, %c: index, %d: index):
    tensor.yield %zero : f32
  } : tensor<1x64x56x56xf32> to tensor<1x64x58x58xf32>
  return %0 : tensor<1x64x58x58xf32>
}

// -----

// An insertion that puts a value back where it was computed (the loop wrote
// into the same slice of the same tensor) copies nothing once bufferized: it
// is left alone. The other insertion, of a value computed elsewhere, becomes
// a shared-out copy.
// CHECK-LABEL: func @in_place_insertion
// CHECK: %[[E:.*]] = tensor.empty() : tensor<256x512xf32>
// CHECK: %[[S:.*]] = tensor.extract_slice %[[E]][0, 0] [256, 256] [1, 1]
// CHECK: %[[R:.*]] = scf.forall (%{{.*}}) in (256) shared_outs(%{{.*}} = %[[S]])
// CHECK: %[[I:.*]] = tensor.insert_slice %[[R]] into %[[E]][0, 0] [256, 256] [1, 1]
// CHECK: scf.forall (%{{.*}}) in (256)
// CHECK: linalg.copy
// CHECK: tensor.insert_slice %{{.*}} into %[[I]][0, 256] [256, 256] [1, 1]
func.func @in_place_insertion(%x: tensor<256x256xf32>) -> tensor<256x512xf32> {
  %e = tensor.empty() : tensor<256x512xf32>
  %s = tensor.extract_slice %e[0, 0] [256, 256] [1, 1] : tensor<256x512xf32> to tensor<256x256xf32>
  %r = scf.forall (%i) in (256) shared_outs(%o = %s) -> (tensor<256x256xf32>) {
    %row = tensor.extract_slice %x[%i, 0] [1, 256] [1, 1] : tensor<256x256xf32> to tensor<1x256xf32>
    scf.forall.in_parallel {
      tensor.parallel_insert_slice %row into %o[%i, 0] [1, 256] [1, 1] : tensor<1x256xf32> into tensor<256x256xf32>
    }
  }
  %0 = tensor.insert_slice %r into %e[0, 0] [256, 256] [1, 1] : tensor<256x256xf32> into tensor<256x512xf32>
  %1 = tensor.insert_slice %x into %0[0, 256] [256, 256] [1, 1] : tensor<256x256xf32> into tensor<256x512xf32>
  return %1 : tensor<256x512xf32>
}
