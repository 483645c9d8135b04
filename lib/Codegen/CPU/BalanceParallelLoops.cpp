//===- BalanceParallelLoops.cpp - Threads take over each other's items ----===//
//
// A parallel loop of N items on T threads becomes
//
//   scf.parallel (%t) = (0) to (T) {            // one item per thread
//     scf.while (%k = 0) {                       // counters visited
//       %s = (%t + %k) mod T                     // own range first
//       %first = atomic_rmw addi grain, counter[%s]
//       %got = %first < end(%s)
//       continue while %got or %k + 1 < T, with %k + 1 if not %got
//     } do {
//       if %got: scf.for %i = %first to min(%first + grain, end(%s)):
//         body(%i)
//     }
//   }
//
// with counter[s] set to begin(s) at the function's entry, [begin(s),
// end(s)) being thread s's range under a static schedule. Every item is
// claimed once: a claim is a fetch-and-add, and claims at or past the end
// of a range are dropped.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"

#include "llvm/Support/Debug.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUBALANCEPARALLELLOOPSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-balance-parallel-loops"

namespace {

/// Counters of one thread are this many i64 apart: a cache line each.
constexpr int64_t kCounterStride = 8;

/// The trip counts of `loop`'s dimensions, if all are constant.
std::optional<SmallVector<int64_t>> tripCounts(scf::ParallelOp loop) {
  SmallVector<int64_t> trips;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    std::optional<int64_t> l = getConstantIntValue(lb);
    std::optional<int64_t> u = getConstantIntValue(ub);
    std::optional<int64_t> s = getConstantIntValue(step);
    if (!l || !u || !s || *s <= 0)
      return std::nullopt;
    trips.push_back(*u > *l ? (*u - *l + *s - 1) / *s : 0);
  }
  return trips;
}

/// First item of thread `t`'s range of `items` (as a static schedule
/// splits them: the first `items % threads` ranges are one longer).
int64_t rangeBegin(int64_t t, int64_t items, int64_t threads) {
  return t * (items / threads) + std::min(t, items % threads);
}

struct StrataCPUBalanceParallelLoopsPass
    : strata::cpu::impl::StrataCPUBalanceParallelLoopsPassBase<
          StrataCPUBalanceParallelLoopsPass> {
  using Base::Base;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (threads < 2 || grainsPerThread < 1 || func.getBody().empty())
      return;
    SmallVector<scf::ParallelOp> loops;
    for (Operation &op : func.getBody().front())
      if (auto loop = dyn_cast<scf::ParallelOp>(op))
        if (loop.getNumResults() == 0 && loop.getInitVals().empty())
          loops.push_back(loop);
    for (scf::ParallelOp loop : loops)
      balance(loop);
  }

  void balance(scf::ParallelOp loop) {
    std::optional<SmallVector<int64_t>> trips = tripCounts(loop);
    if (!trips)
      return;
    int64_t items = 1;
    for (int64_t n : *trips)
      items *= n;
    if (items < 2 * threads) {
      LLVM_DEBUG(llvm::dbgs() << "left alone: " << items << " items for "
                              << threads << " threads\n");
      return;
    }
    int64_t grain = std::max<int64_t>(1, items / threads / grainsPerThread);
    LLVM_DEBUG(llvm::dbgs() << "balancing " << items << " items over "
                            << threads << " threads in grains of " << grain
                            << " at " << loop.getLoc() << "\n");

    Location loc = loop.getLoc();
    MLIRContext *ctx = loop.getContext();
    Type i64 = IntegerType::get(ctx, 64);
    func::FuncOp func = getOperation();

    // The counters, set at the function's entry.
    OpBuilder entry(ctx);
    entry.setInsertionPointToStart(&func.getBody().front());
    auto counterType = MemRefType::get({threads * kCounterStride}, i64);
    Value counters = memref::AllocaOp::create(entry, loc, counterType,
                                              entry.getI64IntegerAttr(64));
    for (int64_t t = 0; t < threads; ++t) {
      Value begin = arith::ConstantIntOp::create(
          entry, loc, rangeBegin(t, items, threads), 64);
      Value at = arith::ConstantIndexOp::create(entry, loc, t * kCounterStride);
      memref::StoreOp::create(entry, loc, begin, counters, at);
    }

    OpBuilder b(loop);
    auto index = [&](int64_t v) -> Value {
      return arith::ConstantIndexOp::create(b, loc, v);
    };
    Value zero = index(0), one = index(1), numThreads = index(threads);
    auto outer = scf::ParallelOp::create(
        b, loc, ValueRange{zero}, ValueRange{numThreads}, ValueRange{one});
    b.setInsertionPointToStart(outer.getBody());
    Value thread = outer.getInductionVars()[0];
    // Thread t's range ends at t * (items / threads) + min(t + 1, rem).
    Value perThread = index(items / threads), rem = index(items % threads);
    Value grainIndex = index(grain),
          grainI64 = arith::ConstantIntOp::create(b, loc, grain, 64);
    Value stride = index(kCounterStride);

    // One loop over the claims, through the threads' counters in turn from
    // the thread's own (not a loop over the counters around a loop over
    // the claims: LLVM fully unrolls a loop of `threads` trips, body and
    // all).
    Type indexType = b.getIndexType();
    auto claims = scf::WhileOp::create(
        b, loc, TypeRange{indexType, indexType, indexType, b.getI1Type()},
        ValueRange{zero});
    {
      Block *before =
          b.createBlock(&claims.getBefore(), {}, {indexType}, {loc});
      b.setInsertionPointToStart(before);
      Value visited = before->getArgument(0);
      Value shard = arith::RemUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, thread, visited), numThreads);
      Value next = arith::AddIOp::create(b, loc, shard, one);
      Value end = arith::AddIOp::create(
          b, loc, arith::MulIOp::create(b, loc, next, perThread),
          arith::MinUIOp::create(b, loc, next, rem));
      Value slot = arith::MulIOp::create(b, loc, shard, stride);
      Value claimed =
          memref::AtomicRMWOp::create(b, loc, arith::AtomicRMWKind::addi,
                                      grainI64, counters, ValueRange{slot});
      Value first = arith::IndexCastOp::create(b, loc, indexType, claimed);
      Value got =
          arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, first, end);
      // An exhausted counter: the next one, if any is left.
      Value nextVisited = arith::AddIOp::create(b, loc, visited, one);
      Value left = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult,
                                         nextVisited, numThreads);
      Value more = arith::OrIOp::create(b, loc, got, left);
      Value visitedAfter =
          arith::SelectOp::create(b, loc, got, visited, nextVisited);
      scf::ConditionOp::create(b, loc, more,
                               ValueRange{visitedAfter, first, end, got});
    }
    {
      Block *after =
          b.createBlock(&claims.getAfter(), {},
                        {indexType, indexType, indexType, b.getI1Type()},
                        {loc, loc, loc, loc});
      b.setInsertionPointToStart(after);
      Value first = after->getArgument(1), end = after->getArgument(2);
      auto ifGot = scf::IfOp::create(b, loc, after->getArgument(3));
      scf::YieldOp::create(b, loc, after->getArgument(0));
      b.setInsertionPointToStart(ifGot.thenBlock());
      Value last = arith::MinUIOp::create(
          b, loc, arith::AddIOp::create(b, loc, first, grainIndex), end);
      auto grainLoop = scf::ForOp::create(b, loc, first, last, one);

      // The body, at the item's (row-major) indices.
      b.setInsertionPointToStart(grainLoop.getBody());
      Value item = grainLoop.getInductionVar();
      IRMapping mapping;
      for (int64_t d = trips->size() - 1; d >= 0; --d) {
        Value local = item;
        if (d > 0) {
          Value n = index((*trips)[d]);
          local = arith::RemUIOp::create(b, loc, item, n);
          item = arith::DivUIOp::create(b, loc, item, n);
        }
        Value iv = arith::AddIOp::create(
            b, loc, loop.getLowerBound()[d],
            arith::MulIOp::create(b, loc, local, loop.getStep()[d]));
        mapping.map(loop.getInductionVars()[d], iv);
      }
      for (Operation &op : loop.getBody()->without_terminator())
        b.clone(op, mapping);
    }
    loop.erase();
  }
};

} // namespace
