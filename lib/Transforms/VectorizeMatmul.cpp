//===- VectorizeMatmul.cpp - Register-tiled, vectorized matmul ------------===//
//
// Chooses a register tile per linalg.matmul from the vector width, then runs
// one transform-dialect schedule (built for the tiles in use) that tiles,
// vectorizes, hoists the accumulator and lowers to outer-product FMAs.
//
//===----------------------------------------------------------------------===//

#include "strata/Transforms/ConstantData.h"
#include "strata/Transforms/Passes.h"

#include "LoopBuilders.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"

namespace strata {
#define GEN_PASS_DEF_STRATAVECTORIZEMATMULPASS
#include "strata/Transforms/Passes.h.inc"
} // namespace strata

using namespace mlir;

static constexpr StringLiteral kTileAttr = "strata.register_tile";
/// Marks the elementwise ops of a register tile (its initial value and its
/// epilogue) for the schedule to vectorize.
static constexpr StringLiteral kVectorizeAttr = "strata.vectorize";

/// Enough strips of a matmul to keep a few threads busy.
static constexpr int64_t kMinStrips = 4;

namespace {
/// The register tile of one group of matmuls: tileM x tileN, K by 1.
struct TileConfig {
  int64_t tileM, tileN;
  /// Whether the threads share out column strips (tileN wide, all rows)
  /// rather than row strips (tileM high, all columns).
  bool byColumns;
  /// Whether the op already runs inside a parallel loop (a strip of a
  /// packed B, of constants or of a convolution's im2col matrix): plain
  /// tile loops, no scf.forall of its own.
  bool inParallelLoop;
  std::string key() const {
    return std::to_string(tileM) + "x" + std::to_string(tileN) +
           (inParallelLoop ? "p"
            : byColumns    ? "c"
                           : "r");
  }
};
} // namespace

/// The transform script for the register tiles in `configs`: tile each
/// group (N-tile loop outermost, then M, then K by 1) and vectorize every
/// tile. lowerRegisterTiles does the rest.
static std::string buildSchedule(ArrayRef<TileConfig> configs) {
  std::string s =
      "module attributes {transform.with_named_sequence} {\n"
      "transform.named_sequence @__transform_main(%root: !transform.any_op "
      "{transform.readonly}) {\n";
  for (auto [i, config] : llvm::enumerate(configs)) {
    s += llvm::formatv("  %mm{0} = transform.structured.match "
                       "ops{{[\"linalg.matmul\"]} attributes {{{1} = "
                       "\"{2}\"} in %root : (!transform.any_op) -> "
                       "!transform.any_op\n",
                       i, kTileAttr, config.key());
    if (config.inParallelLoop) {
      // Already inside a parallel loop: plain tile loops, K by 1.
      s += llvm::formatv(
          "  %t{0}, %l{0}:3 = transform.structured.tile_using_for %mm{0} "
          "tile_sizes [{1}, {2}, 1] : (!transform.any_op) -> "
          "(!transform.any_op, !transform.any_op, !transform.any_op, "
          "!transform.any_op)\n"
          "  transform.structured.vectorize %t{0} : !transform.any_op\n",
          i, config.tileM, config.tileN);
      continue;
    }
    // An scf.forall over strips (run by the threads), then within a strip
    // the other tile loop and K by 1.
    int64_t forallM = config.byColumns ? 0 : config.tileM;
    int64_t forallN = config.byColumns ? config.tileN : 0;
    int64_t forM = config.byColumns ? config.tileM : 0;
    int64_t forN = config.byColumns ? 0 : config.tileN;
    s += llvm::formatv(
        "  %s{0}, %forall{0} = transform.structured.tile_using_forall %mm{0} "
        "tile_sizes [{1}, {2}] : (!transform.any_op) -> (!transform.any_op, "
        "!transform.any_op)\n"
        "  %t{0}, %l{0}:2 = transform.structured.tile_using_for %s{0} "
        "tile_sizes [{3}, {4}, 1] : (!transform.any_op) -> "
        "(!transform.any_op, !transform.any_op, !transform.any_op)\n"
        "  transform.structured.vectorize %t{0} : !transform.any_op\n",
        i, forallM, forallN, forM, forN);
  }
  // The initial values and epilogues fused into register tiles.
  s += llvm::formatv("  %ew = transform.structured.match attributes {{{0}} "
                     "in %root : (!transform.any_op) -> !transform.any_op\n"
                     "  transform.structured.vectorize %ew : "
                     "!transform.any_op\n",
                     kVectorizeAttr);
  s += "  transform.yield\n}\n}\n";
  return s;
}

/// Applies `patterns` to every function of `module`. Not converging within
/// the driver's iteration limit is not an error: the IR stays valid.
static void applyToFunctions(ModuleOp module,
                             const FrozenRewritePatternSet &patterns) {
  for (auto func : module.getOps<FunctionOpInterface>())
    (void)applyPatternsGreedily(func, patterns);
}

/// After vectorization: hoists each accumulator tile out of its K loop, so
/// that it stays in registers, and lowers the contractions to broadcast
/// FMAs and the transfers to plain vector loads and stores.
///
/// These steps run here rather than as `transform.apply_patterns` in the
/// schedule: the transform interpreter's tracking listener renders a
/// diagnostic, printing (and so verifying) the op, for every pattern that
/// fails to match, which took ResNet-18's compile from 2 s to 9 s once the
/// module held the Winograd kernels' large loop bodies.
static void lowerRegisterTiles(ModuleOp module) {
  MLIRContext *ctx = module.getContext();
  auto addCanonicalization = [ctx](RewritePatternSet &patterns) {
    for (Dialect *dialect : ctx->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : ctx->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, ctx);
  };
  {
    RewritePatternSet patterns(ctx);
    vector::populateVectorReductionToContractPatterns(patterns);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateCastAwayVectorLeadingOneDimPatterns(patterns);
    addCanonicalization(patterns);
    applyToFunctions(module, FrozenRewritePatternSet(std::move(patterns)));
  }
  // Keep each accumulator tile in registers across its K loop (inner loops
  // first, as a post-order walk visits them).
  SmallVector<LoopLikeOpInterface> loops;
  module.walk([&](scf::ForOp loop) { loops.push_back(loop); });
  IRRewriter rewriter(ctx);
  for (LoopLikeOpInterface loop : loops)
    hoistLoopInvariantSubsets(rewriter, loop);
  // Lowering and canonicalization run as separate pattern sets: mixed, they
  // do not converge on single-row tiles.
  {
    RewritePatternSet patterns(ctx);
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    applyToFunctions(module, FrozenRewritePatternSet(std::move(patterns)));
  }
  {
    RewritePatternSet patterns(ctx);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    applyToFunctions(module, FrozenRewritePatternSet(std::move(patterns)));
  }
  RewritePatternSet canonicalization(ctx);
  addCanonicalization(canonicalization);
  applyToFunctions(module,
                   FrozenRewritePatternSet(std::move(canonicalization)));
}

/// Splits `op` along `dim` into pieces that `tile` or a smaller tile divides
/// exactly: a multiple of `tile`, then either one remainder piece or (with
/// `powersOfTwo`) pieces of decreasing powers of two. Returns each piece
/// with its tile size along `dim`.
template <typename OpTy>
static SmallVector<std::pair<OpTy, int64_t>>
splitForTiles(RewriterBase &rewriter, OpTy op, unsigned dim, int64_t tile,
              bool powersOfTwo) {
  SmallVector<std::pair<OpTy, int64_t>> pieces;
  OpTy rest = op;
  int64_t step = tile;
  while (true) {
    int64_t extent =
        cast<RankedTensorType>(rest->getResultTypes()[0]).getDimSize(dim);
    if (extent <= step && (!powersOfTwo || llvm::isPowerOf2_64(extent))) {
      pieces.push_back({rest, extent});
      return pieces;
    }
    if (extent < step) {
      step = llvm::bit_floor(static_cast<uint64_t>(extent));
      continue;
    }
    int64_t head = extent / step * step;
    if (head == extent) {
      pieces.push_back({rest, step});
      return pieces;
    }
    rewriter.setInsertionPoint(rest);
    auto [first, second] =
        linalg::splitOp(rewriter, cast<TilingInterface>(rest.getOperation()),
                        dim, rewriter.getIndexAttr(head));
    pieces.push_back({cast<OpTy>(first.getOperation()), step});
    rest = cast<OpTy>(second.getOperation());
    if (!powersOfTwo) {
      pieces.push_back({rest, extent - head});
      return pieces;
    }
  }
}

/// When B is a constant and `tileN` divides its N columns into several
/// strips, packs B at compile time into strips (N/tileN x K x tileN, each
/// strip contiguous) and rewrites the matmul as an scf.forall over the
/// strips of one matmul each: a strip of B then streams through the cache
/// in order instead of as K rows N apart. Returns the strip matmul.
static linalg::MatmulOp packConstantRhs(RewriterBase &rewriter,
                                        linalg::MatmulOp op, int64_t tileN) {
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  std::optional<ArrayRef<float>> data = strata::constantF32Data(rhs);
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  int64_t k = rhsType.getDimSize(0), n = rhsType.getDimSize(1);
  if (!data || n % tileN != 0 || n / tileN < 2)
    return nullptr;
  int64_t strips = n / tileN;
  std::vector<float> packed(k * n);
  for (int64_t j = 0; j < strips; ++j)
    for (int64_t r = 0; r < k; ++r)
      std::copy_n(data->data() + r * n + j * tileN, tileN,
                  packed.data() + (j * k + r) * tileN);
  auto packedType =
      RankedTensorType::get({strips, k, tileN}, rhsType.getElementType());
  Location loc = op.getLoc();
  rewriter.setInsertionPoint(op);
  Value packedRhs = arith::ConstantOp::create(
      rewriter, loc, packedType,
      DenseResourceElementsAttr::get(
          packedType, "strata.packed_rhs",
          HeapAsmResourceBlob::allocateAndCopyInferAlign(
              ArrayRef<float>(packed))));

  Operation *strip = nullptr;
  Value result = strata::buildStripMatmuls(
      rewriter, loc, lhs, init, /*first=*/0, tileN, strips,
      [&](OpBuilder &b, Location l, Value j) -> Value {
        OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
        return tensor::ExtractSliceOp::create(
            b, l, RankedTensorType::get({k, tileN}, rhsType.getElementType()),
            packedRhs, ArrayRef<OpFoldResult>{j, zero, zero},
            ArrayRef<OpFoldResult>{one, b.getIndexAttr(k),
                                   b.getIndexAttr(tileN)},
            ArrayRef<OpFoldResult>{one, one, one});
      },
      &strip);
  rewriter.replaceOp(op, result);
  return cast<linalg::MatmulOp>(strip);
}

/// Rewrites a static batch matmul as a loop over the batch of 2-D matmuls
/// on rank-reduced slices, which then get the matmul schedule.
static void splitBatch(linalg::BatchMatmulOp op) {
  OpBuilder b(op);
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value result = strata::buildBatchLoop(
      b, op.getLoc(), op.getDpsInits()[0], /*dropBatchDim=*/true,
      [&](OpBuilder &nb, Location l, Value index, Value acc) -> Value {
        return linalg::MatmulOp::create(
                   nb, l, TypeRange{acc.getType()},
                   ValueRange{strata::batchSlice(nb, l, lhs, index, true),
                              strata::batchSlice(nb, l, rhs, index, true)},
                   ValueRange{acc})
            .getResult(0);
      });
  op->replaceAllUsesWith(ValueRange{result});
  op->erase();
}

/// The initial value of `op` as an op to recompute in its tiles: a fill or
/// a broadcast, also when it comes through a collapse_shape (a
/// convolution's bias broadcast, seen as a matrix), which is then rewritten
/// as a fill or broadcast of the matrix. Null if it is neither.
static Operation *tileableInit(RewriterBase &rewriter, linalg::MatmulOp op) {
  Operation *init = op.getDpsInits()[0].getDefiningOp();
  auto collapse = dyn_cast_or_null<tensor::CollapseShapeOp>(init);
  if (!collapse)
    return strata::isTileableInit(init) ? init : nullptr;
  Operation *source = collapse.getSrc().getDefiningOp();
  if (!strata::isTileableInit(source) || !source->hasOneUse())
    return nullptr;
  RankedTensorType type = collapse.getResultType();
  rewriter.setInsertionPoint(collapse);
  Value empty = tensor::EmptyOp::create(rewriter, collapse.getLoc(),
                                        type.getShape(), type.getElementType());
  Operation *replacement;
  if (auto fill = dyn_cast<linalg::FillOp>(source)) {
    replacement = linalg::FillOp::create(rewriter, fill.getLoc(),
                                         fill.getInputs()[0], empty);
  } else {
    // Each group of collapsed dims keeps at most one dim of the broadcast's
    // input, the others of the group being unit dims.
    auto broadcast = cast<linalg::BroadcastOp>(source);
    ArrayRef<int64_t> added = broadcast.getDimensions();
    ArrayRef<int64_t> shape = broadcast.getInit().getType().getShape();
    SmallVector<int64_t> dims;
    for (auto [group, indices] :
         llvm::enumerate(collapse.getReassociationIndices())) {
      int64_t kept = 0;
      for (int64_t d : indices)
        if (!llvm::is_contained(added, d))
          ++kept;
      bool unitRest = llvm::all_of(indices, [&](int64_t d) {
        return !llvm::is_contained(added, d) || shape[d] == 1;
      });
      if (kept > 1 || (kept == 1 && !unitRest))
        return nullptr;
      if (kept == 0)
        dims.push_back(group);
    }
    replacement = linalg::BroadcastOp::create(
        rewriter, broadcast.getLoc(), broadcast.getInput(), empty, dims);
  }
  rewriter.replaceOp(collapse, replacement->getResults());
  rewriter.eraseOp(source);
  return replacement;
}

/// The elementwise op that consumes all of `op`'s result (directly or through
/// an expand_shape, as after a convolution), rewritten onto the matmul's
/// rows x columns iteration space so that it can be tiled with the matmul;
/// null if there is none.
static linalg::GenericOp takeEpilogue(RewriterBase &rewriter,
                                      linalg::MatmulOp op) {
  Value result = op.getResult(0);
  tensor::ExpandShapeOp expand =
      result.hasOneUse()
          ? dyn_cast<tensor::ExpandShapeOp>(*result.getUsers().begin())
          : nullptr;
  Value consumed = expand ? expand.getResult() : result;
  linalg::GenericOp generic = strata::elementwiseConsumer(consumed);
  if (!generic || generic->getBlock() != op->getBlock())
    return nullptr;
  if (!expand)
    return generic;

  SmallVector<ReassociationIndices> groups = expand.getReassociationIndices();
  if (!linalg::areDimSequencesPreserved(generic.getIndexingMapsArray(), groups))
    return nullptr;
  rewriter.setInsertionPoint(generic);
  FailureOr<linalg::CollapseResult> collapsed =
      linalg::collapseOpIterationDims(generic, groups, rewriter);
  if (failed(collapsed))
    return nullptr;
  rewriter.replaceOp(generic, collapsed->results);
  auto epilogue = cast<linalg::GenericOp>(collapsed->collapsedOp);
  // It reads collapse_shape(expand_shape(result)): make it read the result.
  for (OpOperand &operand : epilogue->getOpOperands()) {
    auto collapse = operand.get().getDefiningOp<tensor::CollapseShapeOp>();
    if (collapse && collapse.getSrc() == consumed)
      rewriter.modifyOpInPlace(epilogue, [&] { operand.set(result); });
  }
  return epilogue;
}

/// Register-tiles `matmul` together with its initial value (when a fill or
/// a broadcast) and the epilogue `root` that consumes it (or the matmul
/// alone when `root` is the matmul): every tile starts its accumulators
/// from the initial value in registers, and applies the epilogue to them
/// before the only store. Strips (`config.byColumns`: tileN-wide columns,
/// else tileM-high rows) are an scf.forall unless already inside one; the
/// register tiles within a strip are scf.for loops. Tags the tile's matmul
/// for the schedule (tiled by K) and its other ops for vectorization.
static LogicalResult tileWithEpilogue(RewriterBase &rewriter, Operation *root,
                                      linalg::MatmulOp matmul,
                                      TileConfig config) {
  MLIRContext *ctx = rewriter.getContext();
  bool rootIsMatmul = root == matmul.getOperation();
  auto sizesFor = [&](int64_t rows, int64_t columns) {
    SmallVector<int64_t> sizes = {rows, columns};
    if (rootIsMatmul)
      sizes.push_back(0);
    return sizes;
  };
  Operation *current = matmul;
  // The matmul, and the fill or broadcast that makes its initial value.
  auto fuse = [&](Operation *producer) {
    if (producer == current)
      return true;
    auto matmul = cast<linalg::MatmulOp>(current);
    return strata::isTileableInit(producer) &&
           matmul.getDpsInits()[0].getDefiningOp() == producer;
  };
  auto findMatmul = [](ArrayRef<Operation *> ops) -> Operation * {
    for (Operation *op : ops)
      if (isa<linalg::MatmulOp>(op))
        return op;
    return nullptr;
  };
  if (!config.inParallelLoop) {
    FailureOr<SmallVector<Operation *>> strips =
        strata::tileAndFuse(rewriter, root,
                            config.byColumns ? sizesFor(0, config.tileN)
                                             : sizesFor(config.tileM, 0),
                            /*forall=*/true, fuse);
    if (failed(strips))
      return failure();
    root = strips->front();
    current = rootIsMatmul ? root : findMatmul(*strips);
    if (!current)
      return failure();
  }
  FailureOr<SmallVector<Operation *>> tiles =
      strata::tileAndFuse(rewriter, root, sizesFor(config.tileM, config.tileN),
                          /*forall=*/false, fuse);
  if (failed(tiles))
    return failure();
  TileConfig inTile = config;
  inTile.inParallelLoop = true;
  for (Operation *op : *tiles) {
    if (isa<linalg::MatmulOp>(op))
      op->setAttr(kTileAttr, StringAttr::get(ctx, inTile.key()));
    else
      op->setAttr(kVectorizeAttr, UnitAttr::get(ctx));
  }
  return success();
}

/// Records the ops a rewriter erases (and forwards every notification to
/// the listener it replaces). An address in the set may have been reused
/// since, so the set answers "was this op erased", not "is this op live".
namespace {
class ErasedOps : public RewriterBase::ForwardingListener {
public:
  explicit ErasedOps(OpBuilder::Listener *forwarded)
      : ForwardingListener(forwarded), forwarded(forwarded) {}
  void notifyOperationErased(Operation *op) override {
    erased.insert(op);
    ForwardingListener::notifyOperationErased(op);
  }
  bool contains(Operation *op) const { return erased.contains(op); }
  OpBuilder::Listener *getForwarded() const { return forwarded; }

private:
  OpBuilder::Listener *forwarded;
  SmallPtrSet<Operation *, 16> erased;
};
} // namespace

/// When `value` is a slice of the result of an op that `accept`s, computes
/// just that slice of the op instead; returns the value now used.
static Value sliceProducer(RewriterBase &rewriter, Value value,
                           llvm::function_ref<bool(Operation *)> accept) {
  auto slice = value.getDefiningOp<tensor::ExtractSliceOp>();
  while (slice) {
    // A slice of what an insertion left alone (the next piece of a split
    // op) as a slice of the insertion's destination.
    if (auto insert =
            slice.getSource().getDefiningOp<tensor::InsertSliceOp>()) {
      FailureOr<bool> overlap = ValueBoundsConstraintSet::areOverlappingSlices(
          rewriter.getContext(), HyperrectangularSlice(insert),
          HyperrectangularSlice(slice));
      if (succeeded(overlap) && !*overlap) {
        rewriter.modifyOpInPlace(
            slice, [&] { slice.getSourceMutable().assign(insert.getDest()); });
        continue;
      }
    }
    // A slice of a slice (pieces split again) as one slice of the source.
    auto outer = slice.getSource().getDefiningOp<tensor::ExtractSliceOp>();
    if (!outer || !outer.hasUnitStride() || !slice.hasUnitStride() ||
        outer.getSourceType().getRank() != outer.getType().getRank())
      break;
    rewriter.setInsertionPoint(slice);
    SmallVector<OpFoldResult> offsets;
    for (auto [a, b] :
         llvm::zip(outer.getMixedOffsets(), slice.getMixedOffsets())) {
      AffineExpr x, y;
      bindSymbols(rewriter.getContext(), x, y);
      offsets.push_back(affine::makeComposedFoldedAffineApply(
          rewriter, slice.getLoc(), x + y, {a, b}));
    }
    slice = rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        slice, slice.getType(), outer.getSource(), offsets,
        slice.getMixedSizes(), slice.getMixedStrides());
    value = slice.getResult();
  }
  auto producer = slice ? dyn_cast<OpResult>(slice.getSource()) : OpResult();
  if (!producer || !accept(producer.getOwner()))
    return value;
  rewriter.setInsertionPoint(slice);
  FailureOr<TilingResult> tiled =
      tensor::replaceExtractSliceWithTiledProducer(rewriter, slice, producer);
  if (failed(tiled))
    return value;
  rewriter.replaceOp(slice, tiled->tiledValues[0]);
  return tiled->tiledValues[0];
}

/// Register-tiles `op` with its epilogue and its initial value (see
/// tileWithEpilogue) when it has either: the epilogue (or else the matmul)
/// is split into full tiles first, and each piece of the epilogue computes
/// its own piece of the matmul. Returns false, changing nothing, when there
/// is nothing to fuse.
static bool tileWithEpilogues(
    RewriterBase &rewriter, linalg::MatmulOp op, int64_t rowTile,
    int64_t colTile,
    llvm::function_ref<TileConfig(Operation *, int64_t, int64_t)> choose,
    llvm::StringMap<TileConfig> &configs) {
  Operation *init = tileableInit(rewriter, op);
  linalg::GenericOp epilogue = takeEpilogue(rewriter, op);
  if (!epilogue && !init)
    return false;
  Operation *root = epilogue ? epilogue.getOperation() : op.getOperation();
  // Splitting and tiling erase ops, `op` and `init` among them when they
  // are split or fused whole: ask the tracker, not the ops, whether they
  // are still there.
  ErasedOps erased(rewriter.getListener());
  rewriter.setListener(&erased);
  llvm::scope_exit restoreListener(
      [&] { rewriter.setListener(erased.getForwarded()); });
  auto isOp = [&](Operation *producer) { return producer == op; };
  // The epilogue's operand that reads the matmul (its pieces keep the
  // operand order).
  unsigned operandIndex = 0;
  if (epilogue)
    for (OpOperand &operand : epilogue->getOpOperands())
      if (operand.get() == op.getResult(0))
        operandIndex = operand.getOperandNumber();
  // The users the initial value has besides this op, before it is split.
  SmallPtrSet<Operation *, 4> otherUsers;
  if (init)
    for (Operation *user : init->getUsers())
      if (user != op)
        otherUsers.insert(user);
  for (auto [columns, tileN] :
       splitForTiles(rewriter, cast<linalg::LinalgOp>(root), 1, colTile,
                     /*powersOfTwo=*/true)) {
    for (auto [piece, tileM] :
         splitForTiles(rewriter, columns, 0, rowTile, false)) {
      linalg::MatmulOp matmul;
      if (!epilogue) {
        matmul = cast<linalg::MatmulOp>(piece.getOperation());
      } else {
        Value value =
            sliceProducer(rewriter, piece->getOperand(operandIndex), isOp);
        matmul = value.getDefiningOp<linalg::MatmulOp>();
      }
      if (!matmul)
        llvm::report_fatal_error("strata-vectorize-matmul: lost a matmul");
      sliceProducer(rewriter, matmul.getDpsInits()[0], strata::isTileableInit);
      TileConfig config = choose(piece, tileM, tileN);
      if (failed(tileWithEpilogue(rewriter, piece, matmul, config)))
        llvm::report_fatal_error("strata-vectorize-matmul: tiling failed");
      config.inParallelLoop = true;
      configs.try_emplace(config.key(), config);
    }
  }
  if (!erased.contains(op) && op->use_empty())
    rewriter.eraseOp(op);
  if (init && erased.contains(init))
    init = nullptr;
  // Every piece computed its part of the initial value in its tiles. When
  // what is left of it is only the tensor the split pieces are inserted
  // into, which they overwrite whole, its values are never read: insert
  // into its (empty) destination instead of computing it.
  if (init && !init->use_empty() &&
      llvm::all_of(init->getUses(), [&](OpOperand &use) {
        auto insert = dyn_cast<tensor::InsertSliceOp>(use.getOwner());
        return insert && !otherUsers.contains(insert) &&
               &use == &insert.getDestMutable();
      }))
    rewriter.replaceAllUsesWith(
        init->getResult(0),
        cast<DestinationStyleOpInterface>(init).getDpsInits()[0]);
  if (init && init->use_empty())
    rewriter.eraseOp(init);
  return true;
}

namespace {
struct StrataVectorizeMatmulPass
    : strata::impl::StrataVectorizeMatmulPassBase<StrataVectorizeMatmulPass> {
  using StrataVectorizeMatmulPassBase::StrataVectorizeMatmulPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int64_t lanes = vectorLanes > 0 ? vectorLanes : strata::hostVectorLanes();
    // 8 rows x 2 vectors: 16 accumulator registers of the 32 (AVX-512) or
    // 16 (AVX2) vector registers, leaving room for the broadcast operands.
    const int64_t rowTile = 8, colTile = 2 * lanes;
    auto isCandidate = [](auto op) {
      auto out = dyn_cast<RankedTensorType>(op->getResultTypes()[0]);
      return op.hasPureTensorSemantics() && !op.hasUserDefinedMaps() && out &&
             out.hasStaticShape() && out.getElementType().isF32();
    };

    // Batch matmuls become loops of matmuls.
    SmallVector<linalg::BatchMatmulOp> batched;
    module.walk([&](linalg::BatchMatmulOp op) {
      if (isCandidate(op))
        batched.push_back(op);
    });
    for (linalg::BatchMatmulOp op : batched)
      splitBatch(op);

    // Give every static f32 matmul its register tiles. Extents a tile does
    // not divide are split off first, so that every tile is full and
    // static: columns into powers of two (whole vectors), rows into one
    // remainder piece (each row is its own vectors).
    SmallVector<linalg::MatmulOp> matmuls;
    module.walk([&](linalg::MatmulOp op) {
      if (isCandidate(op))
        matmuls.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    llvm::StringMap<TileConfig> configs;
    for (linalg::MatmulOp op : matmuls) {
      if (linalg::MatmulOp strip = packConstantRhs(rewriter, op, colTile)) {
        for (auto [piece, tileM] :
             splitForTiles(rewriter, strip, 0, rowTile, false)) {
          TileConfig config{tileM, colTile, true, /*inParallelLoop=*/true};
          piece->setAttr(kTileAttr,
                         StringAttr::get(&getContext(), config.key()));
          configs.try_emplace(config.key(), config);
        }
        continue;
      }
      // Threads share out column strips (keeping each strip of B in cache
      // while all of A passes) unless there are too few of them.
      auto chooseConfig = [&](Operation *piece, int64_t tileM, int64_t tileN) {
        auto shape = cast<RankedTensorType>(piece->getResultTypes()[0]);
        int64_t columnStrips = shape.getDimSize(1) / tileN;
        bool byColumns = !parallel || columnStrips >= kMinStrips ||
                         columnStrips >= shape.getDimSize(0) / tileM;
        // A matmul already inside a parallel loop (e.g. one strip of a
        // convolution's packed im2col matrix) gets plain tile loops.
        bool inParallelLoop = piece->getParentOfType<scf::ForallOp>();
        return TileConfig{tileM, tileN, byColumns, inParallelLoop};
      };
      if (tileWithEpilogues(rewriter, op, rowTile, colTile, chooseConfig,
                            configs))
        continue;
      for (auto [columns, tileN] :
           splitForTiles(rewriter, op, 1, colTile, /*powersOfTwo=*/true)) {
        for (auto [piece, tileM] :
             splitForTiles(rewriter, columns, 0, rowTile, false)) {
          TileConfig config = chooseConfig(piece, tileM, tileN);
          piece->setAttr(kTileAttr,
                         StringAttr::get(&getContext(), config.key()));
          configs.try_emplace(config.key(), config);
        }
      }
    }
    if (configs.empty())
      return;

    SmallVector<TileConfig> list;
    for (auto &entry : configs)
      list.push_back(entry.getValue());
    // A deterministic schedule, whatever the hash order.
    llvm::sort(list, [](const TileConfig &a, const TileConfig &b) {
      return a.key() < b.key();
    });
    OwningOpRef<ModuleOp> schedule =
        parseSourceString<ModuleOp>(buildSchedule(list), &getContext());
    if (!schedule) {
      module.emitError("strata-vectorize-matmul: invalid built-in schedule");
      return signalPassFailure();
    }
    auto entry =
        schedule->lookupSymbol<transform::NamedSequenceOp>("__transform_main");
    if (failed(transform::applyTransformNamedSequence(
            module, entry, *schedule,
            transform::TransformOptions().enableExpensiveChecks(false))))
      return signalPassFailure();
    lowerRegisterTiles(module);
    module.walk([](Operation *op) {
      op->removeAttr(kTileAttr);
      op->removeAttr(kVectorizeAttr);
    });
  }
};
} // namespace
