//===- VectorizeMatmul.cpp - Register-tiled, vectorized matmul ------------===//
//
// Register-tiles each linalg.matmul by the tile its kernel configuration
// gives (splitting off the extents the tile does not divide, fusing its
// initial value and epilogue), then tiles, vectorizes, hoists the
// accumulator and lowers to outer-product FMAs.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"
#include "strata/Support/ConstantData.h"

#include "strata/Codegen/Common/LoopBuilders.h"

#include "ConvolutionKernels.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringMap.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUVECTORIZEMATMULPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-vectorize-matmul"

static constexpr StringLiteral kTileAttr = "strata.register_tile";
/// Marks the elementwise ops of a register tile (its initial value and its
/// epilogue) for the schedule to vectorize.
static constexpr StringLiteral kVectorizeAttr = "strata.vectorize";

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

/// Gives `forall` the bounds 0 to its trip counts by steps of 1, the
/// induction variables recomputed inside (as the transform dialect's
/// tile_using_forall leaves its loops).
static void normalizeForall(RewriterBase &rewriter, scf::ForallOp forall) {
  SmallVector<OpFoldResult> lbs = forall.getMixedLowerBound();
  SmallVector<OpFoldResult> ubs = forall.getMixedUpperBound();
  SmallVector<OpFoldResult> steps = forall.getMixedStep();
  if (llvm::all_of(lbs,
                   [](OpFoldResult v) { return isConstantIntValue(v, 0); }) &&
      llvm::all_of(steps,
                   [](OpFoldResult v) { return isConstantIntValue(v, 1); }))
    return;
  Location loc = forall.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(forall);
  AffineExpr s0, s1, s2, d0;
  bindSymbols(rewriter.getContext(), s0, s1, s2);
  bindDims(rewriter.getContext(), d0);
  SmallVector<OpFoldResult> counts;
  for (auto [lb, ub, step] : llvm::zip_equal(lbs, ubs, steps))
    counts.push_back(affine::makeComposedFoldedAffineApply(
        rewriter, loc, (s1 - s0).ceilDiv(s2), {lb, ub, step}));
  auto normalized = scf::ForallOp::create(
      rewriter, loc,
      SmallVector<OpFoldResult>(counts.size(), rewriter.getIndexAttr(0)),
      counts,
      SmallVector<OpFoldResult>(counts.size(), rewriter.getIndexAttr(1)),
      forall.getOutputs(), forall.getMapping(),
      [](OpBuilder &, Location, ValueRange) {});
  rewriter.setInsertionPointToStart(normalized.getBody());
  SmallVector<Value> args;
  for (auto [iv, lb, step] :
       llvm::zip_equal(normalized.getInductionVars(), lbs, steps))
    args.push_back(getValueOrCreateConstantIndexOp(
        rewriter, loc,
        affine::makeComposedFoldedAffineApply(
            rewriter, loc, s0 + d0 * s1,
            ArrayRef<OpFoldResult>{iv, lb, step})));
  llvm::append_range(args, normalized.getRegionIterArgs());
  rewriter.mergeBlocks(forall.getBody(), normalized.getBody(), args);
  rewriter.replaceOp(forall, normalized);
}

/// Tiles `op` by `sizes` (0: not tiled) into an scf.forall (`forall`) or
/// nested scf.for loops, replaces it, and returns the tiled op.
static FailureOr<Operation *> tileOp(RewriterBase &rewriter, Operation *op,
                                     ArrayRef<int64_t> sizes, bool forall) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  options.setLoopType(forall ? scf::SCFTilingOptions::LoopType::ForallOp
                             : scf::SCFTilingOptions::LoopType::ForOp);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled =
      scf::tileUsingSCF(rewriter, cast<TilingInterface>(op), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);
  if (forall && !tiled->loops.empty())
    normalizeForall(rewriter, cast<scf::ForallOp>(tiled->loops.front()));
  return tiled->tiledOps.front();
}

/// Replaces `op` by its vector form.
static LogicalResult vectorizeOp(RewriterBase &rewriter, Operation *op) {
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::VectorizationResult> vectorized =
      linalg::vectorize(rewriter, op);
  if (failed(vectorized))
    return failure();
  rewriter.replaceOp(op, vectorized->replacements);
  return success();
}

/// Register-tiles the matmuls marked with each of `configs`: strips (an
/// scf.forall, unless already in a parallel loop), then register tiles
/// (scf.for, N outermost, K by 1), each vectorized; then vectorizes the
/// initial values and epilogues fused into register tiles.
/// lowerRegisterTiles does the rest.
static LogicalResult applyRegisterTiles(FunctionOpInterface func,
                                        ArrayRef<TileConfig> configs) {
  IRRewriter rewriter(func.getContext());
  for (const TileConfig &config : configs) {
    SmallVector<Operation *> matmuls;
    func->walk([&](linalg::MatmulOp op) {
      auto key = op->getAttrOfType<StringAttr>(kTileAttr);
      if (key && key.getValue() == config.key())
        matmuls.push_back(op);
    });
    LLVM_DEBUG(llvm::dbgs()
               << matmuls.size() << " matmul pieces with register tile "
               << config.tileM << " x " << config.tileN
               << (config.inParallelLoop ? " in a parallel loop"
                   : config.byColumns    ? ", threads share column strips"
                                         : ", threads share row strips")
               << "\n");
    for (Operation *op : matmuls) {
      SmallVector<int64_t> sizes = {config.tileM, config.tileN, 1};
      if (!config.inParallelLoop) {
        // Strips for the threads, then the other tile loop and K by 1.
        SmallVector<int64_t> strips = {config.byColumns ? 0 : config.tileM,
                                       config.byColumns ? config.tileN : 0};
        FailureOr<Operation *> strip = tileOp(rewriter, op, strips, true);
        if (failed(strip))
          return op->emitError("strata-cpu-vectorize-matmul: cannot tile "
                               "this matmul into strips");
        op = *strip;
        sizes = {config.byColumns ? config.tileM : 0,
                 config.byColumns ? 0 : config.tileN, 1};
      }
      FailureOr<Operation *> tile = tileOp(rewriter, op, sizes, false);
      if (failed(tile) || failed(vectorizeOp(rewriter, *tile)))
        return op->emitError("strata-cpu-vectorize-matmul: cannot tile and "
                             "vectorize this matmul");
    }
  }
  SmallVector<Operation *> elementwise;
  func->walk([&](Operation *op) {
    if (op->hasAttr(kVectorizeAttr))
      elementwise.push_back(op);
  });
  for (Operation *op : elementwise)
    if (failed(vectorizeOp(rewriter, op)))
      return op->emitError("strata-cpu-vectorize-matmul: cannot vectorize "
                           "this op of a register tile");
  return success();
}

/// Applies `patterns` to `func`. Not converging within the driver's
/// iteration limit is not an error: the IR stays valid.
static void applyToFunction(FunctionOpInterface func,
                            const FrozenRewritePatternSet &patterns) {
  (void)applyPatternsGreedily(func, patterns);
}

/// After vectorization: hoists each accumulator tile out of its K loop, so
/// that it stays in registers, and lowers the contractions to broadcast
/// FMAs and the transfers to plain vector loads and stores.
///
static void lowerRegisterTiles(FunctionOpInterface func) {
  MLIRContext *ctx = func.getContext();
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
    applyToFunction(func, FrozenRewritePatternSet(std::move(patterns)));
  }
  // Keep each accumulator tile in registers across its K loop (inner loops
  // first, as a post-order walk visits them).
  SmallVector<LoopLikeOpInterface> loops;
  func->walk([&](scf::ForOp loop) { loops.push_back(loop); });
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
    applyToFunction(func, FrozenRewritePatternSet(std::move(patterns)));
  }
  {
    RewritePatternSet patterns(ctx);
    vector::populateVectorTransferLoweringPatterns(patterns,
                                                   /*maxTransferRank=*/1);
    vector::populateVectorBroadcastLoweringPatterns(patterns);
    applyToFunction(func, FrozenRewritePatternSet(std::move(patterns)));
  }
  RewritePatternSet canonicalization(ctx);
  addCanonicalization(canonicalization);
  applyToFunction(func, FrozenRewritePatternSet(std::move(canonicalization)));
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

/// Packed copies of constant B operands, by constant and strip width: a
/// weight that several matmuls share (an unrolled recurrent layer's, tied
/// weights) is packed once, and its matmuls stream the same copy.
using PackedConstants = llvm::DenseMap<std::pair<Attribute, int64_t>, Value>;

/// A constant B packed into strips: the matmul over the strips, and the
/// matmul of the columns left over when `tileN` does not divide N (its B a
/// constant of its own), to be tiled as any other.
struct PackedMatmul {
  linalg::MatmulOp strip, tail;
};

/// When B is a constant with at least two strips of `tileN` columns, packs
/// those strips at compile time (N/tileN x K x tileN, each strip contiguous)
/// and rewrites the matmul as an scf.forall over the strips of one matmul
/// each: a strip of B then streams through the cache in order instead of as
/// K rows N apart. The columns left over (a classifier's 1000 outputs in
/// strips of 32) are split off first into a matmul by their own small
/// constant, so that the whole weight is read in order and stored once.
static PackedMatmul packConstantRhs(RewriterBase &rewriter, linalg::MatmulOp op,
                                    int64_t tileN,
                                    PackedConstants &packedConstants) {
  Value rhs = op.getDpsInputs()[1];
  Attribute constant;
  if (!matchPattern(rhs, m_Constant(&constant)))
    return {};
  std::optional<ArrayRef<float>> data = strata::constantF32Data(rhs);
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  Type elementType = rhsType.getElementType();
  int64_t k = rhsType.getDimSize(0), n = rhsType.getDimSize(1);
  int64_t strips = n / tileN, head = strips * tileN;
  if (!data || strips < 2)
    return {};
  Location loc = op.getLoc();
  auto atFunctionStart = [&] {
    // Where a new constant dominates every later user.
    rewriter.setInsertionPointToStart(
        &op->getParentOfType<FunctionOpInterface>().getFunctionBody().front());
  };
  auto newConstant = [&](RankedTensorType type, StringRef name,
                         ArrayRef<float> values) -> Value {
    atFunctionStart();
    return arith::ConstantOp::create(
        rewriter, loc, type,
        DenseResourceElementsAttr::get(
            type, name,
            HeapAsmResourceBlob::allocateAndCopyInferAlign(values)));
  };

  linalg::MatmulOp tail;
  if (head != n) {
    rewriter.setInsertionPoint(op);
    auto [first, second] =
        linalg::splitOp(rewriter, cast<TilingInterface>(op.getOperation()),
                        /*dimension=*/1, rewriter.getIndexAttr(head));
    op = cast<linalg::MatmulOp>(first.getOperation());
    tail = cast<linalg::MatmulOp>(second.getOperation());
    std::vector<float> rest;
    rest.reserve(k * (n - head));
    for (int64_t r = 0; r < k; ++r)
      rest.insert(rest.end(), data->begin() + r * n + head,
                  data->begin() + (r + 1) * n);
    Value tailRhs =
        newConstant(RankedTensorType::get({k, n - head}, elementType),
                    "strata.rhs_tail", rest);
    rewriter.modifyOpInPlace(tail, [&] { tail->setOperand(1, tailRhs); });
  }

  Value &packedRhs = packedConstants[{constant, tileN}];
  if (!packedRhs) {
    std::vector<float> packed(k * head);
    for (int64_t j = 0; j < strips; ++j)
      for (int64_t r = 0; r < k; ++r)
        std::copy_n(data->data() + r * n + j * tileN, tileN,
                    packed.data() + (j * k + r) * tileN);
    packedRhs =
        newConstant(RankedTensorType::get({strips, k, tileN}, elementType),
                    "strata.packed_rhs", packed);
  }
  rewriter.setInsertionPoint(op);

  Operation *strip = nullptr;
  Value result = strata::buildStripMatmuls(
      rewriter, loc, op.getDpsInputs()[0], op.getDpsInits()[0], /*first=*/0,
      tileN, strips,
      [&](OpBuilder &b, Location l, Value j) -> Value {
        OpFoldResult zero = b.getIndexAttr(0), one = b.getIndexAttr(1);
        return tensor::ExtractSliceOp::create(
            b, l, RankedTensorType::get({k, tileN}, elementType), packedRhs,
            ArrayRef<OpFoldResult>{j, zero, zero},
            ArrayRef<OpFoldResult>{one, b.getIndexAttr(k),
                                   b.getIndexAttr(tileN)},
            ArrayRef<OpFoldResult>{one, one, one});
      },
      &strip);
  rewriter.replaceOp(op, result);
  return {cast<linalg::MatmulOp>(strip), tail};
}

/// Rewrites a static batch matmul as a loop over the batch of 2-D matmuls
/// on rank-reduced slices, which then get the matmul schedule. Returns the
/// matmul in the loop.
static linalg::MatmulOp splitBatch(linalg::BatchMatmulOp op) {
  OpBuilder b(op);
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  linalg::MatmulOp matmul;
  Value result = strata::buildBatchLoop(
      b, op.getLoc(), op.getDpsInits()[0], /*dropBatchDim=*/true,
      [&](OpBuilder &nb, Location l, Value index, Value acc) -> Value {
        matmul = linalg::MatmulOp::create(
            nb, l, TypeRange{acc.getType()},
            ValueRange{strata::batchSlice(nb, l, lhs, index, true),
                       strata::batchSlice(nb, l, rhs, index, true)},
            ValueRange{acc});
        return matmul.getResult(0);
      });
  op->replaceAllUsesWith(ValueRange{result});
  op->erase();
  return matmul;
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
/// is nothing to fuse; fails, with an error at the op, if tiling does.
static FailureOr<bool> tileWithEpilogues(
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
        return piece->emitError("strata-cpu-vectorize-matmul: cannot find "
                                "the matmul piece this epilogue piece reads");
      sliceProducer(rewriter, matmul.getDpsInits()[0], strata::isTileableInit);
      TileConfig config = choose(piece, tileM, tileN);
      if (failed(tileWithEpilogue(rewriter, piece, matmul, config)))
        return piece->emitError("strata-cpu-vectorize-matmul: cannot tile "
                                "this matmul with its epilogue");
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

bool strata::cpu::isVectorizableMatmul(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  if (!isa_and_present<linalg::MatmulOp, linalg::BatchMatmulOp>(op))
    return false;
  auto out = dyn_cast<RankedTensorType>(op->getResultTypes()[0]);
  bool userMaps = isa<linalg::MatmulOp>(op)
                      ? cast<linalg::MatmulOp>(op).hasUserDefinedMaps()
                      : cast<linalg::BatchMatmulOp>(op).hasUserDefinedMaps();
  return linalgOp.hasPureTensorSemantics() && !userMaps && out &&
         strata::cpu::hasStaticNonEmptyTensors(op) &&
         out.getElementType().isF32();
}

namespace {
struct StrataCPUVectorizeMatmulPass
    : strata::cpu::impl::StrataCPUVectorizeMatmulPassBase<
          StrataCPUVectorizeMatmulPass> {
  using Base::Base;

  void runOnOperation() override {
    FunctionOpInterface func = getOperation();
    FailureOr<SmallVector<strata::cpu::ConfiguredOp>> ops =
        strata::cpu::opsWithKernel(func, strata::cpu::Kernel::Matmul);
    if (failed(ops))
      return signalPassFailure();

    // Batch matmuls become loops of matmuls, with the batch's kernel.
    SmallVector<std::pair<linalg::MatmulOp, strata::cpu::KernelConfig>> matmuls;
    for (auto [op, config] : *ops) {
      if (!strata::cpu::isVectorizableMatmul(op)) {
        LLVM_DEBUG(llvm::dbgs() << "not a static f32 matmul, left as it is: "
                                << *op << "\n");
        continue;
      }
      if (auto batch = dyn_cast<linalg::BatchMatmulOp>(op))
        matmuls.push_back({splitBatch(batch), config});
      else
        matmuls.push_back({cast<linalg::MatmulOp>(op), config});
    }

    // Give every matmul its register tiles. Extents a tile does not divide
    // are split off first, so that every tile is full and static: columns
    // into powers of two (whole vectors), rows into one remainder piece
    // (each row is its own vectors).
    IRRewriter rewriter(&getContext());
    llvm::StringMap<TileConfig> configs;
    PackedConstants packedConstants;
    for (auto [op, kernel] : matmuls) {
      const int64_t rowTile = kernel.tileRows, colTile = kernel.tileColumns;
      op->removeAttr(strata::cpu::kKernelConfigAttrName);
      PackedMatmul packed =
          packConstantRhs(rewriter, op, colTile, packedConstants);
      if (packed.strip) {
        LLVM_DEBUG(llvm::dbgs() << "constant B packed into strips of "
                                << colTile << " columns\n");
        for (auto [piece, tileM] :
             splitForTiles(rewriter, packed.strip, 0, rowTile, false)) {
          TileConfig config{tileM, colTile, true, /*inParallelLoop=*/true};
          piece->setAttr(kTileAttr,
                         StringAttr::get(&getContext(), config.key()));
          configs.try_emplace(config.key(), config);
        }
        if (!packed.tail)
          continue;
        op = packed.tail;
      }
      // Threads share out column strips (keeping each strip of B in cache
      // while all of A passes) unless there are too few of them.
      auto chooseConfig = [&, kernel = kernel](Operation *piece, int64_t tileM,
                                               int64_t tileN) {
        auto shape = cast<RankedTensorType>(piece->getResultTypes()[0]);
        int64_t columnStrips = shape.getDimSize(1) / tileN;
        bool byColumns = kernel.threads == 1 ||
                         columnStrips >= kernel.minStrips ||
                         columnStrips >= shape.getDimSize(0) / tileM;
        // A matmul already inside a parallel loop (e.g. one strip of a
        // convolution's packed im2col matrix) gets plain tile loops.
        bool inParallelLoop = piece->getParentOfType<scf::ForallOp>();
        return TileConfig{tileM, tileN, byColumns, inParallelLoop};
      };
      FailureOr<bool> fused = tileWithEpilogues(rewriter, op, rowTile, colTile,
                                                chooseConfig, configs);
      if (failed(fused))
        return signalPassFailure();
      if (*fused)
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
    // A deterministic order, whatever the hash order.
    llvm::sort(list, [](const TileConfig &a, const TileConfig &b) {
      return a.key() < b.key();
    });
    if (failed(applyRegisterTiles(func, list)))
      return signalPassFailure();
    lowerRegisterTiles(func);
    func->walk([](Operation *op) {
      op->removeAttr(kTileAttr);
      op->removeAttr(kVectorizeAttr);
    });
  }
};
} // namespace
