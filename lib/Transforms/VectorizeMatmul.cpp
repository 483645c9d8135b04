//===- VectorizeMatmul.cpp - Register-tiled, vectorized matmul ------------===//
//
// Chooses a register tile per linalg.matmul from the vector width, then runs
// one transform-dialect schedule (built for the tiles in use) that tiles,
// vectorizes, hoists the accumulator and lowers to outer-product FMAs.
//
//===----------------------------------------------------------------------===//

#include "strata/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Transform/IR/TransformOps.h"
#include "mlir/Dialect/Transform/Interfaces/TransformInterfaces.h"
#include "mlir/Dialect/Transform/Transforms/TransformInterpreterUtils.h"
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

namespace {
/// How one group of contractions is scheduled: the op name, its tile sizes
/// (one per loop, 0 = untiled) in loop order, the loop interchange, and
/// which tiled loops need a remainder iteration peeled off.
struct TileConfig {
  std::string opName;
  SmallVector<int64_t> tileSizes;
  SmallVector<int64_t> interchange;
  SmallVector<bool> peel; // per tiled loop, outermost first

  std::string key() const {
    std::string k = opName;
    for (int64_t t : tileSizes)
      k += "_" + std::to_string(t);
    for (bool b : peel)
      k += b ? "p" : "n";
    return k;
  }
};
} // namespace

static std::string joined(ArrayRef<int64_t> values) {
  std::string s;
  for (auto [i, v] : llvm::enumerate(values))
    s += (i ? ", " : "") + std::to_string(v);
  return s;
}

/// The transform script for the configurations in `configs`: per
/// configuration, tile, then peel the loops whose extent the tile does not
/// divide (innermost first, so that the outer remainder also covers the
/// inner one); then vectorize every tile, hoist the accumulators out of
/// their K loops and lower the contractions to broadcast FMAs.
static std::string buildSchedule(ArrayRef<TileConfig> configs) {
  std::string s =
      "module attributes {transform.with_named_sequence} {\n"
      "transform.named_sequence @__transform_main(%root: !transform.any_op "
      "{transform.readonly}) {\n";
  for (auto [i, config] : llvm::enumerate(configs)) {
    size_t numLoops = config.peel.size();
    std::string anyOps = "!transform.any_op";
    for (size_t l = 0; l < numLoops; ++l)
      anyOps += ", !transform.any_op";
    s += llvm::formatv(
        "  %mm{0} = transform.structured.match ops{{[\"{1}\"]} "
        "attributes {{{2} = \"{3}\"} in %root : "
        "(!transform.any_op) -> !transform.any_op\n"
        "  %t{0}, %l{0}:{4} = transform.structured.tile_using_for %mm{0} "
        "tile_sizes [{5}] interchange = [{6}] : "
        "(!transform.any_op) -> ({7})\n",
        i, config.opName, kTileAttr, config.key(), numLoops,
        joined(config.tileSizes), joined(config.interchange), anyOps);
    for (size_t l = numLoops; l-- > 0;) {
      if (!config.peel[l])
        continue;
      // One peel per loop: the handle holds a loop per op of the group.
      s += llvm::formatv(
          "  transform.foreach %l{0}#{1} : !transform.any_op {{\n"
          "  ^bb0(%loop: !transform.any_op):\n"
          "    %for = transform.cast %loop : !transform.any_op to "
          "!transform.op<\"scf.for\">\n"
          "    %parts:2 = transform.loop.peel %for : "
          "(!transform.op<\"scf.for\">) -> (!transform.any_op, "
          "!transform.any_op)\n"
          "  }\n",
          i, l);
    }
  }
  // Peeling leaves static remainder tiles once the bounds are folded.
  s += "  %f = transform.structured.match ops{[\"func.func\"]} in %root : "
       "(!transform.any_op) -> !transform.any_op\n"
       "  transform.apply_patterns to %f {\n"
       "    transform.apply_patterns.canonicalization\n"
       "  } : !transform.any_op\n";
  for (const TileConfig &config : configs)
    s += llvm::formatv(
        "  %v_{0} = transform.structured.match ops{{[\"{1}\"]} "
        "attributes {{{2} = \"{0}\"} in %root : (!transform.any_op) -> "
        "!transform.any_op\n"
        "  transform.structured.vectorize %v_{0} : !transform.any_op\n",
        config.key(), config.opName, kTileAttr);
  s += "  transform.apply_patterns to %f {\n"
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

/// The register tile of a static f32 matmul producing `out`: `rowTile` x
/// `colTile` (clamped to the extents) with K by 1, the N-tile loop outermost.
static std::optional<TileConfig> configFor(Operation *op,
                                           RankedTensorType out,
                                           int64_t rowTile, int64_t colTile) {
  if (!out || !out.hasStaticShape() || !out.getElementType().isF32())
    return std::nullopt;
  int64_t m = out.getDimSize(0), n = out.getDimSize(1);
  int64_t tm = std::min(rowTile, m), tn = std::min(colTile, n);
  TileConfig config;
  config.opName = op->getName().getStringRef().str();
  config.tileSizes = {tm, tn, 1};
  config.interchange = {1, 0, 2};
  config.peel = {n % tn != 0, m % tm != 0, false};
  return config;
}

/// Rewrites a static batch matmul as a loop over the batch of 2-D matmuls
/// on rank-reduced slices, which then get the matmul schedule.
static void splitBatch(linalg::BatchMatmulOp op) {
  OpBuilder b(op);
  Location loc = op.getLoc();
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Value init = op.getDpsInits()[0];
  auto sliceOf = [&](Value batched, Value index) -> Value {
    auto type = cast<RankedTensorType>(batched.getType());
    OpFoldResult one = b.getIndexAttr(1);
    SmallVector<OpFoldResult> offsets = {index, b.getIndexAttr(0),
                                         b.getIndexAttr(0)};
    SmallVector<OpFoldResult> sizes = {one, b.getIndexAttr(type.getDimSize(1)),
                                       b.getIndexAttr(type.getDimSize(2))};
    SmallVector<OpFoldResult> strides(3, one);
    auto sliceType = RankedTensorType::get(
        {type.getDimSize(1), type.getDimSize(2)}, type.getElementType());
    return tensor::ExtractSliceOp::create(b, loc, sliceType, batched, offsets,
                                          sizes, strides);
  };
  int64_t batch = cast<RankedTensorType>(init.getType()).getDimSize(0);
  Value lb = arith::ConstantIndexOp::create(b, loc, 0);
  Value ub = arith::ConstantIndexOp::create(b, loc, batch);
  Value step = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, lb, ub, step, ValueRange{init},
      [&](OpBuilder &nested, Location, Value index, ValueRange args) {
        OpBuilder::InsertionGuard guard(b);
        b.setInsertionPoint(nested.getInsertionBlock(),
                            nested.getInsertionPoint());
        Value acc = sliceOf(args[0], index);
        Value product = linalg::MatmulOp::create(
                            b, loc, TypeRange{acc.getType()},
                            ValueRange{sliceOf(lhs, index), sliceOf(rhs, index)},
                            ValueRange{acc})
                            .getResult(0);
        OpFoldResult one = b.getIndexAttr(1);
        auto type = cast<RankedTensorType>(args[0].getType());
        Value updated = tensor::InsertSliceOp::create(
            b, loc, product, args[0],
            ArrayRef<OpFoldResult>{index, b.getIndexAttr(0), b.getIndexAttr(0)},
            ArrayRef<OpFoldResult>{one, b.getIndexAttr(type.getDimSize(1)),
                                   b.getIndexAttr(type.getDimSize(2))},
            ArrayRef<OpFoldResult>{one, one, one});
        scf::YieldOp::create(b, loc, updated);
      });
  op->replaceAllUsesWith(loop.getResults());
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

    // Batch matmuls become loops of matmuls.
    SmallVector<linalg::BatchMatmulOp> batched;
    module.walk([&](linalg::BatchMatmulOp op) {
      auto out = dyn_cast<RankedTensorType>(op.getResultTypes()[0]);
      if (op.hasPureTensorSemantics() && !op.hasUserDefinedMaps() && out &&
          out.hasStaticShape() && out.getElementType().isF32())
        batched.push_back(op);
    });
    for (linalg::BatchMatmulOp op : batched)
      splitBatch(op);

    // Give every static f32 matmul its register tile.
    llvm::StringMap<TileConfig> configs;
    module.walk([&](linalg::MatmulOp op) {
      // Only plain matmuls: no transposed or broadcast operands.
      if (!op.hasPureTensorSemantics() || op.hasUserDefinedMaps())
        return;
      std::optional<TileConfig> config =
          configFor(op.getOperation(), dyn_cast<RankedTensorType>(op->getResultTypes()[0]),
                    rowTile, colTile);
      if (!config)
        return;
      std::string key = config->key();
      op->setAttr(kTileAttr, StringAttr::get(&getContext(), key));
      configs.try_emplace(key, std::move(*config));
    });
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
