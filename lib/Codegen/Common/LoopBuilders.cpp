//===- LoopBuilders.cpp - Loops shared by the matmul and conv passes ------===//

#include "strata/Codegen/Common/LoopBuilders.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;

Value strata::buildStripMatmuls(
    OpBuilder &b, Location loc, Value lhs, Value acc, int64_t first,
    int64_t width, int64_t count,
    function_ref<Value(OpBuilder &, Location, Value)> stripOf,
    Operation **matmul) {
  int64_t rows = cast<RankedTensorType>(acc.getType()).getDimSize(0);
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(count)}, ValueRange{acc},
      std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forall.getTerminator());
  Value s = forall.getInductionVars()[0];
  Value out = forall.getRegionIterArgs()[0];
  Value strip = stripOf(b, loc, s);
  OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
  OpFoldResult column = affine::makeComposedFoldedAffineApply(
      b, loc, b.getAffineDimExpr(0) * width + first, ArrayRef<OpFoldResult>{s});
  SmallVector<OpFoldResult> offsets = {zero, column};
  SmallVector<OpFoldResult> sizes = {b.getIndexAttr(rows),
                                     b.getIndexAttr(width)};
  SmallVector<OpFoldResult> unit = {one, one};
  Value accStrip =
      tensor::ExtractSliceOp::create(b, loc, out, offsets, sizes, unit);
  auto product =
      linalg::MatmulOp::create(b, loc, TypeRange{accStrip.getType()},
                               ValueRange{lhs, strip}, ValueRange{accStrip});
  if (matmul)
    *matmul = product;
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, product.getResult(0), out,
                                        offsets, sizes, unit);
  return forall.getResult(0);
}

/// The offsets, sizes and strides of batch slice `index` of `type`.
static void batchSliceParameters(OpBuilder &b, RankedTensorType type,
                                 OpFoldResult index,
                                 SmallVectorImpl<OpFoldResult> &offsets,
                                 SmallVectorImpl<OpFoldResult> &sizes,
                                 SmallVectorImpl<OpFoldResult> &strides) {
  offsets.assign(type.getRank(), b.getIndexAttr(0));
  offsets[0] = index;
  for (int64_t d : type.getShape())
    sizes.push_back(b.getIndexAttr(d));
  sizes[0] = b.getIndexAttr(1);
  strides.assign(type.getRank(), b.getIndexAttr(1));
}

Value strata::batchSlice(OpBuilder &b, Location loc, Value batched, Value index,
                         bool dropBatchDim) {
  auto type = cast<RankedTensorType>(batched.getType());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  batchSliceParameters(b, type, index, offsets, sizes, strides);
  if (!dropBatchDim)
    return tensor::ExtractSliceOp::create(b, loc, batched, offsets, sizes,
                                          strides);
  auto sliceType = RankedTensorType::get(type.getShape().drop_front(),
                                         type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, sliceType, batched, offsets,
                                        sizes, strides);
}

Value strata::buildBatchLoop(
    OpBuilder &b, Location loc, Value init, bool dropBatchDim,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  auto type = cast<RankedTensorType>(init.getType());
  Value lb = arith::ConstantIndexOp::create(b, loc, 0);
  Value ub = arith::ConstantIndexOp::create(b, loc, type.getDimSize(0));
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, lb, ub, step, ValueRange{init},
      [&](OpBuilder &nb, Location l, Value index, ValueRange args) {
        Value result =
            body(nb, l, index, batchSlice(nb, l, args[0], index, dropBatchDim));
        SmallVector<OpFoldResult> offsets, sizes, strides;
        batchSliceParameters(nb, type, index, offsets, sizes, strides);
        Value updated = tensor::InsertSliceOp::create(nb, l, result, args[0],
                                                      offsets, sizes, strides);
        scf::YieldOp::create(nb, l, updated);
      });
  return loop.getResult(0);
}

Value strata::buildRowsForall(
    OpBuilder &b, Location loc, Value init, int64_t dim, int64_t rows,
    function_ref<Value(OpBuilder &, Location, Value, Value, Value)> body) {
  auto type = cast<RankedTensorType>(init.getType());
  OpBuilder::InsertionGuard guard(b);
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(type.getDimSize(dim))},
      ValueRange{init}, std::nullopt);
  Value index = forall.getInductionVars()[0];
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  SmallVector<OpFoldResult> sizes, strides(type.getRank(), b.getIndexAttr(1));
  for (int64_t size : type.getShape())
    sizes.push_back(b.getIndexAttr(size));
  offsets[dim] = index;
  sizes[dim] = b.getIndexAttr(1);
  b.setInsertionPoint(forall.getTerminator());
  Value slice = tensor::ExtractSliceOp::create(
      b, loc, forall.getRegionIterArgs()[0], offsets, sizes, strides);
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto loop = scf::ForOp::create(
      b, loc, constant(0), constant(rows), constant(1), ValueRange{slice},
      [&](OpBuilder &nb, Location l, Value row, ValueRange args) {
        scf::YieldOp::create(nb, l, body(nb, l, index, row, args[0]));
      });
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, loop.getResult(0),
                                        forall.getRegionIterArgs()[0], offsets,
                                        sizes, strides);
  return forall.getResult(0);
}

Value strata::buildSlicesForall(
    OpBuilder &b, Location loc, Value init, int64_t dim, int64_t extent,
    int64_t items,
    function_ref<Value(OpBuilder &, Location, Value, Value)> body) {
  if (items <= 1)
    return body(b, loc, arith::ConstantIndexOp::create(b, loc, 0), init);
  auto type = cast<RankedTensorType>(init.getType());
  int64_t size = extent / items;
  auto forall = scf::ForallOp::create(
      b, loc, ArrayRef<OpFoldResult>{b.getIndexAttr(items)}, ValueRange{init},
      std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  Value item = forall.getInductionVars()[0];
  Value first = arith::MulIOp::create(
      b, loc, item, arith::ConstantIndexOp::create(b, loc, size));
  SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  offsets[dim] = first;
  SmallVector<OpFoldResult> sizes;
  for (int64_t extentOf : type.getShape())
    sizes.push_back(b.getIndexAttr(extentOf));
  sizes[dim] = b.getIndexAttr(size);
  SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  Value shared = forall.getRegionIterArgs()[0];
  Value slice =
      tensor::ExtractSliceOp::create(b, loc, shared, offsets, sizes, strides);
  Value result = body(b, loc, first, slice);
  b.setInsertionPointToEnd(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, result, shared, offsets, sizes,
                                        strides);
  return forall.getResult(0);
}

int64_t strata::largestDivisorAtMost(int64_t total, int64_t limit) {
  for (int64_t d = std::min(total, limit); d > 1; --d)
    if (total % d == 0)
      return d;
  return 1;
}

bool strata::isTileableInit(Operation *op) {
  return isa_and_nonnull<linalg::FillOp, linalg::BroadcastOp>(op);
}

linalg::GenericOp strata::elementwiseConsumer(Value value) {
  if (!value.hasOneUse())
    return nullptr;
  auto generic = dyn_cast<linalg::GenericOp>(*value.getUsers().begin());
  if (!generic || !generic.hasPureTensorSemantics() ||
      generic.getNumDpsInits() != 1 ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return nullptr;
  OpOperand *use = &*value.getUses().begin();
  auto isProjected = [](AffineMap map) { return map.isProjectedPermutation(); };
  if (!generic.isDpsInput(use) ||
      !generic.getMatchingIndexingMap(use).isIdentity() ||
      !generic.getIndexingMapMatchingResult(generic->getResult(0))
           .isIdentity() ||
      !llvm::all_of(generic.getIndexingMapsArray(), isProjected))
    return nullptr;
  return generic;
}

FailureOr<SmallVector<Operation *>>
strata::tileAndFuse(RewriterBase &rewriter, Operation *root,
                    ArrayRef<int64_t> sizes, bool forall,
                    function_ref<bool(Operation *)> fuse,
                    ArrayRef<int64_t> interchange) {
  scf::SCFTilingOptions tiling;
  tiling.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  tiling.setInterchange(interchange);
  tiling.setLoopType(forall ? scf::SCFTilingOptions::LoopType::ForallOp
                            : scf::SCFTilingOptions::LoopType::ForOp);
  scf::SCFTileAndFuseOptions options;
  options.setTilingOptions(tiling);
  options.setFusionControlFn(
      [&](tensor::ExtractSliceOp, OpResult producer,
          bool) -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        if (fuse(producer.getOwner()))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(root);
  FailureOr<scf::SCFTileAndFuseResult> tiled =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(root), options);
  if (failed(tiled))
    return failure();
  for (OpResult result : root->getResults())
    rewriter.replaceAllUsesWith(result, tiled->replacements.lookup(result));
  rewriter.eraseOp(root);
  for (Operation *producer : llvm::reverse(tiled->fusedProducers))
    if (producer->use_empty())
      rewriter.eraseOp(producer);
  return SmallVector<Operation *>(tiled->tiledAndFusedOps.begin(),
                                  tiled->tiledAndFusedOps.end());
}
