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
#include "llvm/ADT/MapVector.h"
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

/// The largest of `candidates` (in decreasing order) dividing `extent`.
static int64_t largestDivisor(int64_t extent, ArrayRef<int64_t> candidates) {
  for (int64_t c : candidates)
    if (c > 0 && extent % c == 0)
      return c;
  return 1;
}

static constexpr StringLiteral kTileAttr = "strata.register_tile";

/// The transform script for the register tiles in `tiles` (one block of
/// tiling + vectorization per tile shape), then the shared lowering.
static std::string buildSchedule(ArrayRef<std::pair<int64_t, int64_t>> tiles) {
  std::string s =
      "module attributes {transform.with_named_sequence} {\n"
      "transform.named_sequence @__transform_main(%root: !transform.any_op "
      "{transform.readonly}) {\n";
  for (auto [i, tile] : llvm::enumerate(tiles)) {
    s += llvm::formatv(
        "  %mm{0} = transform.structured.match ops{{[\"linalg.matmul\"]} "
        "attributes {{{1} = array<i64: {2}, {3}>} in %root : "
        "(!transform.any_op) -> !transform.any_op\n"
        "  %t{0}, %l{0}:3 = transform.structured.tile_using_for %mm{0} "
        "tile_sizes [{2}, {3}, 1] interchange = [1, 0, 2] : "
        "(!transform.any_op) -> (!transform.any_op, !transform.any_op, "
        "!transform.any_op, !transform.any_op)\n"
        "  transform.structured.vectorize %t{0} : !transform.any_op\n",
        i, kTileAttr, tile.first, tile.second);
  }
  s += "  %f = transform.structured.match ops{[\"func.func\"]} in %root : "
       "(!transform.any_op) -> !transform.any_op\n"
       "  transform.apply_patterns to %f {\n"
       "    transform.apply_patterns.vector.reduction_to_contract\n"
       "    transform.apply_patterns.vector.transfer_permutation_patterns\n"
       "    transform.apply_patterns.canonicalization\n"
       "  } : !transform.any_op\n";
  // Keep each accumulator tile in registers across its K loop.
  for (size_t i = 0; i < tiles.size(); ++i)
    s += llvm::formatv("  transform.loop.hoist_loop_invariant_subsets %l{0}#2 "
                       ": !transform.any_op\n",
                       i);
  s += "  transform.apply_patterns to %f {\n"
       "    transform.apply_patterns.vector.lower_contraction "
       "lowering_strategy = \"outerproduct\"\n"
       "    transform.apply_patterns.vector.lower_outerproduct\n"
       "    transform.apply_patterns.vector.lower_transfer "
       "max_transfer_rank = 1\n"
       "    transform.apply_patterns.vector.lower_broadcast\n"
       "    transform.apply_patterns.canonicalization\n"
       "  } : !transform.any_op\n";
  s += "  transform.yield\n}\n}\n";
  return s;
}

namespace {
struct StrataVectorizeMatmulPass
    : strata::impl::StrataVectorizeMatmulPassBase<StrataVectorizeMatmulPass> {
  using StrataVectorizeMatmulPassBase::StrataVectorizeMatmulPassBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int64_t lanes = vectorLanes > 0 ? vectorLanes : strata::hostVectorLanes();
    SmallVector<int64_t> nCandidates;
    for (int64_t n = 2 * lanes; n >= 1; n /= 2)
      nCandidates.push_back(n);
    static const int64_t mCandidates[] = {8, 4, 2, 1};

    // Give every static f32 matmul its register tile.
    llvm::SetVector<std::pair<int64_t, int64_t>> tiles;
    module.walk([&](linalg::MatmulOp op) {
      auto out = dyn_cast<RankedTensorType>(op.getResultTypes().front());
      if (!out || !out.hasStaticShape() || !out.getElementType().isF32() ||
          !op.hasPureTensorSemantics())
        return;
      std::pair<int64_t, int64_t> tile = {
          largestDivisor(out.getDimSize(0), mCandidates),
          largestDivisor(out.getDimSize(1), nCandidates)};
      // Single-row tiles (matrix-vector products) are left to the loop
      // path: upstream's vector lowering does not terminate on them.
      if (tile.first < 2)
        return;
      op->setAttr(kTileAttr, DenseI64ArrayAttr::get(&getContext(),
                                                    {tile.first, tile.second}));
      tiles.insert(tile);
    });
    if (tiles.empty())
      return;

    OwningOpRef<ModuleOp> schedule = parseSourceString<ModuleOp>(
        buildSchedule(tiles.getArrayRef()), &getContext());
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
