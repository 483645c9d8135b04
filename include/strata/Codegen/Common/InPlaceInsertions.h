//===- InPlaceInsertions.h - Insertions bufferization makes free *- C++ -*-===//
//
// Shared by strata-untie-shared-destinations and strata-parallelize-linalg,
// which must both leave such insertions alone.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_COMMON_INPLACEINSERTIONS_H
#define STRATA_CODEGEN_COMMON_INPLACEINSERTIONS_H

namespace mlir::tensor {
class InsertSliceOp;
} // namespace mlir::tensor

namespace strata {

/// Whether `insert` puts a value back where it was computed: its source is
/// the result of a destination-style op or an scf.forall whose destination
/// (tied init or shared output) is a `tensor.extract_slice` of the
/// insertion's destination at the same offsets, sizes and strides. One-shot
/// bufferization computes such a value in the destination's buffer and the
/// insertion copies nothing; rewriting it as a copy (or giving the two
/// sides different tensors) would copy it.
bool insertsInPlace(mlir::tensor::InsertSliceOp insert);

} // namespace strata

#endif // STRATA_CODEGEN_COMMON_INPLACEINSERTIONS_H
