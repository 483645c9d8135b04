//===- MergeParallelRegions.cpp - One OpenMP region for a chain of loops --===//
//
// convert-scf-to-openmp gives every parallel loop its own omp.parallel
// region: the threads are forked before the loop and joined after it. A
// model runs tens of such loops back to back, separated only by buffer
// allocations and views. This pass moves those in-between ops above the
// first region and runs the loops of consecutive regions in one region,
// one after the other: the worksharing loop's closing barrier then takes
// the place of a join and a fork.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "llvm/Support/Debug.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUMERGEPARALLELREGIONSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-merge-parallel-regions"

/// Whether `region` is a plain parallel region: no clauses (threads,
/// condition, privatization, reductions, thread binding...), one block.
static bool isPlain(omp::ParallelOp region) {
  return region->getNumOperands() == 0 && !region.getProcBindKind() &&
         region.getRegion().hasOneBlock();
}

/// Whether `op`, found between two regions, may run before the first one
/// instead: it allocates a buffer or has no memory effects (a view, a
/// constant), and has no regions.
static bool canRunBefore(Operation *op) {
  if (op->getNumRegions() != 0)
    return false;
  if (isa<memref::AllocOp>(op))
    return true;
  return isMemoryEffectFree(op);
}

/// Whether the body of `region` ends with a worksharing loop that waits
/// for all threads (no nowait) before the region's terminator.
static bool endsWithBarrier(omp::ParallelOp region) {
  Block &body = region.getRegion().front();
  Operation *terminator = body.getTerminator();
  auto loop = dyn_cast_or_null<omp::WsloopOp>(terminator->getPrevNode());
  return loop && !loop.getNowait();
}

/// Merges the plain regions of `block` that only such ops separate.
static void mergeRegions(Block &block) {
  omp::ParallelOp current;
  for (Operation &op : llvm::make_early_inc_range(block)) {
    auto region = dyn_cast<omp::ParallelOp>(op);
    if (!region) {
      if (current && !canRunBefore(&op))
        current = nullptr;
      continue;
    }
    if (!isPlain(region)) {
      current = nullptr;
      continue;
    }
    if (!current) {
      current = region;
      continue;
    }
    // The ops in between run first, in order, before `current`.
    for (Operation &between : llvm::make_early_inc_range(llvm::make_range(
             std::next(current->getIterator()), region->getIterator())))
      between.moveBefore(current);
    // The threads finish `current`'s loop before any starts `region`'s.
    Block &body = current.getRegion().front();
    OpBuilder builder(body.getTerminator());
    if (!endsWithBarrier(current))
      omp::BarrierOp::create(builder, region.getLoc());
    Block &next = region.getRegion().front();
    next.getTerminator()->erase();
    body.getOperations().splice(Block::iterator(body.getTerminator()),
                                next.getOperations());
    region.erase();
  }
}

namespace {
struct StrataCPUMergeParallelRegionsPass
    : strata::cpu::impl::StrataCPUMergeParallelRegionsPassBase<
          StrataCPUMergeParallelRegionsPass> {
  void runOnOperation() override {
    SmallVector<Block *> blocks;
    getOperation()->walk([&](Block *block) {
      if (llvm::any_of(*block,
                       [](Operation &op) { return isa<omp::ParallelOp>(op); }))
        blocks.push_back(block);
    });
    for (Block *block : blocks) {
      LLVM_DEBUG(llvm::dbgs() << "merging the parallel regions of a block in "
                              << block->getParentOp()->getName() << "\n");
      mergeRegions(*block);
    }
  }
};
} // namespace
