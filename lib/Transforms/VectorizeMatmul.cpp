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
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/TargetParser/Host.h"

namespace strata {
#define GEN_PASS_DEF_STRATAVECTORIZEMATMULPASS
#include "strata/Transforms/Passes.h.inc"
} // namespace strata

using namespace mlir;

int64_t strata::hostVectorLanes() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return 16;
  if (features.lookup("avx2") || features.lookup("avx"))
    return 8;
  return 4;
}

static constexpr StringLiteral kTileAttr = "strata.register_tile";

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
/// group (N-tile loop outermost, then M, then K by 1), vectorize every tile,
/// hoist the accumulators out of their K loops and lower the contractions
/// to broadcast FMAs.
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
  s += "  %f = transform.structured.match ops{[\"func.func\"]} in %root : "
       "(!transform.any_op) -> !transform.any_op\n"
       "  transform.apply_patterns to %f {\n"
       "    transform.apply_patterns.vector.reduction_to_contract\n"
       "    transform.apply_patterns.vector.transfer_permutation_patterns\n"
       "    transform.apply_patterns.vector.cast_away_vector_leading_one_dim\n"
       "    transform.apply_patterns.canonicalization\n"
       "  } : !transform.any_op\n"
       // Keep each accumulator tile in registers across its K loop.
       "  %loops = transform.structured.match ops{[\"scf.for\"]} in %root : "
       "(!transform.any_op) -> !transform.any_op\n"
       "  transform.foreach %loops : !transform.any_op {\n"
       "  ^bb0(%loop: !transform.any_op):\n"
       "    transform.loop.hoist_loop_invariant_subsets %loop : "
       "!transform.any_op\n"
       "  }\n"
       // Lowering and canonicalization run as separate pattern sets: mixed,
       // they do not converge on single-row tiles.
       "  transform.apply_patterns to %f {\n"
       "    transform.apply_patterns.vector.lower_contraction "
       "lowering_strategy = \"outerproduct\"\n"
       "    transform.apply_patterns.vector.lower_outerproduct\n"
       "  } : !transform.any_op\n"
       "  transform.apply_patterns to %f {\n"
       "    transform.apply_patterns.vector.lower_transfer "
       "max_transfer_rank = 1\n"
       "    transform.apply_patterns.vector.lower_broadcast\n"
       "  } : !transform.any_op\n"
       "  transform.apply_patterns to %f {\n"
       "    transform.apply_patterns.canonicalization\n"
       "  } : !transform.any_op\n"
       "  transform.yield\n}\n}\n";
  return s;
}

/// Splits `op` along `dim` into pieces that `tile` or a smaller tile divides
/// exactly: a multiple of `tile`, then either one remainder piece or (with
/// `powersOfTwo`) pieces of decreasing powers of two. Returns each piece
/// with its tile size along `dim`.
static SmallVector<std::pair<linalg::MatmulOp, int64_t>>
splitForTiles(RewriterBase &rewriter, linalg::MatmulOp op, unsigned dim,
              int64_t tile, bool powersOfTwo) {
  SmallVector<std::pair<linalg::MatmulOp, int64_t>> pieces;
  linalg::MatmulOp rest = op;
  int64_t step = tile;
  while (true) {
    int64_t extent =
        cast<RankedTensorType>(rest.getResultTypes()[0]).getDimSize(dim);
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
    pieces.push_back({cast<linalg::MatmulOp>(first.getOperation()), step});
    rest = cast<linalg::MatmulOp>(second.getOperation());
    if (!powersOfTwo) {
      pieces.push_back({rest, extent - head});
      return pieces;
    }
  }
}

/// The data of a non-splat f32 constant, if `value` is one.
static std::optional<ArrayRef<float>> constantData(Value value) {
  auto constant = value.getDefiningOp<arith::ConstantOp>();
  auto elements =
      constant ? dyn_cast<ElementsAttr>(constant.getValue()) : nullptr;
  if (!elements || !elements.getElementType().isF32())
    return std::nullopt;
  std::optional<ArrayRef<char>> raw = strata::constantBytes(elements);
  if (!raw)
    return std::nullopt;
  return ArrayRef<float>(reinterpret_cast<const float *>(raw->data()),
                         elements.getNumElements());
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
  std::optional<ArrayRef<float>> data = constantData(rhs);
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
      for (auto [columns, tileN] :
           splitForTiles(rewriter, op, 1, colTile, /*powersOfTwo=*/true)) {
        for (auto [piece, tileM] :
             splitForTiles(rewriter, columns, 0, rowTile, false)) {
          // Threads share out column strips (keeping each strip of B in
          // cache while all of A passes) unless there are too few of them.
          auto shape = cast<RankedTensorType>(piece.getResultTypes()[0]);
          int64_t columnStrips = shape.getDimSize(1) / tileN;
          bool byColumns = !parallel || columnStrips >= kMinStrips ||
                           columnStrips >= shape.getDimSize(0) / tileM;
          // A matmul already inside a parallel loop (e.g. one strip of a
          // convolution's packed im2col matrix) gets plain tile loops.
          bool inParallelLoop = piece->getParentOfType<scf::ForallOp>();
          TileConfig config{tileM, tileN, byColumns, inParallelLoop};
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
    module.walk([](Operation *op) { op->removeAttr(kTileAttr); });
  }
};
} // namespace
