//===- Fuse.cpp - Group graph ops into graph.fusion kernels ---------------===//
//
// Greedy, in program order: a matmul or conv2d takes its chain of
// elementwise consumers (bias, activation, residual add) as an epilogue; a
// softmax or layer_norm takes its chain of elementwise producers (scaling,
// masking, residual add) as a prologue; the remaining elementwise ops form
// chains. A chain only continues through a value with one use whose
// consumer keeps the shape, or through the elementwise ops that use a value
// several times up to one whose result alone leaves them (x * sigmoid(x),
// hardswish, an exported GELU), so no value is computed twice or broadcast
// to a larger kernel. A chain's elementwise ops then take the elementwise
// trees that feed them alone, under the same conditions.
//
//===----------------------------------------------------------------------===//

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/Graph/Transforms/Passes.h"

#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/SetVector.h"

namespace strata::graph {
#define GEN_PASS_DEF_GRAPHFUSEPASS
#include "strata/Dialect/Graph/Transforms/Passes.h.inc"
} // namespace strata::graph

using namespace mlir;
using namespace strata::graph;

/// Ops computing each output element from the same element of their
/// operands (with numpy broadcasting).
static bool isElementwise(Operation *op) {
  return isa<AddOp, SubOp, MulOp, DivOp, PowOp, MaxOp, MinOp, RemOp, NegOp,
             AbsOp, ExpOp, LogOp, SqrtOp, RsqrtOp, TanhOp, SigmoidOp, ReluOp,
             GeluOp, ErfOp, SinOp, CosOp, TanOp, AsinOp, AcosOp, AtanOp, SinhOp,
             CoshOp, AsinhOp, AcoshOp, AtanhOp, FloorOp, CeilOp, RoundOp,
             SignOp, ClipOp, CompareOp, SelectOp, CastOp>(op);
}

/// Ops that anchor a kernel with an elementwise epilogue.
static bool isContraction(Operation *op) { return isa<MatmulOp, Conv2DOp>(op); }

/// The single consumer of `op`'s single result, if it is elementwise, in the
/// same block and keeps the shape (it does not broadcast `op`'s result to a
/// larger one).
static Operation *epilogueConsumer(Operation *op) {
  if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return nullptr;
  Operation *user = *op->getResult(0).getUsers().begin();
  if (!isElementwise(user) || user->getBlock() != op->getBlock() ||
      user->getNumResults() != 1)
    return nullptr;
  auto from = cast<ShapedType>(op->getResult(0).getType());
  auto to = cast<ShapedType>(user->getResult(0).getType());
  if (from.getShape() != to.getShape())
    return nullptr;
  return user;
}

/// The most ops an epilogue region (epilogueRegion) may have.
static constexpr size_t kMaxRegionOps = 8;

/// The elementwise ops that use `op`'s single result more than once, and
/// what they compute from it, up to the first op whose result alone leaves
/// them (in program order, as they will be outlined): x * sigmoid(x) is
/// {sigmoid, mul}. Each keeps the shape and is in `op`'s block; empty if
/// there is no such region of at most kMaxRegionOps ops.
static SmallVector<Operation *>
epilogueRegion(Operation *op,
               const llvm::SmallPtrSetImpl<Operation *> &grouped) {
  if (op->getNumResults() != 1 || op->getResult(0).hasOneUse() ||
      op->getResult(0).use_empty())
    return {};
  ArrayRef<int64_t> shape =
      cast<ShapedType>(op->getResult(0).getType()).getShape();
  auto eligible = [&](Operation *user) {
    return isElementwise(user) && user->getBlock() == op->getBlock() &&
           user->getNumResults() == 1 && !grouped.contains(user) &&
           cast<ShapedType>(user->getResult(0).getType()).getShape() == shape;
  };
  llvm::SetVector<Operation *> region;
  SmallVector<Operation *> frontier(op->getResult(0).getUsers());
  while (!frontier.empty()) {
    for (Operation *user : frontier) {
      if (!eligible(user))
        return {};
      region.insert(user);
    }
    if (region.size() > kMaxRegionOps)
      return {};
    // The ops whose result leaves the region; all but the last (in program
    // order) must take their users in.
    SmallVector<Operation *> exits;
    for (Operation *member : region) {
      Value result = member->getResult(0);
      if (result.use_empty() ||
          llvm::any_of(result.getUsers(),
                       [&](Operation *user) { return !region.contains(user); }))
        exits.push_back(member);
    }
    if (exits.empty())
      return {};
    llvm::sort(exits, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });
    Operation *last = exits.back();
    if (exits.size() == 1) {
      if (llvm::any_of(region, [&](Operation *member) {
            return last->isBeforeInBlock(member);
          }))
        return {};
      SmallVector<Operation *> ops(region.begin(), region.end());
      llvm::sort(ops, [](Operation *a, Operation *b) {
        return a->isBeforeInBlock(b);
      });
      return ops;
    }
    frontier.clear();
    for (Operation *exit : ArrayRef(exits).drop_back())
      for (Operation *user : exit->getResult(0).getUsers())
        if (!region.contains(user))
          frontier.push_back(user);
  }
  return {};
}

/// The elementwise producer of `op`'s first operand, if `op` is its only
/// user and it has `op`'s operand shape.
static Operation *prologueProducer(Operation *op) {
  Value input = op->getOperand(0);
  Operation *producer = input.getDefiningOp();
  if (!producer || !isElementwise(producer) || !input.hasOneUse() ||
      producer->getBlock() != op->getBlock())
    return nullptr;
  return producer;
}

/// Adds to `group` (a chain, in program order) the elementwise ops whose
/// only use is an elementwise op of the group and whose result has the
/// group's shape, transitively: a tree of elementwise ops (a * b + c * d,
/// an LSTM cell's gates) is one kernel, not one per chain. Nothing is
/// computed twice, as every op taken has its single use in the group.
static void takeProducers(SmallVector<Operation *> &group,
                          const llvm::SmallPtrSetImpl<Operation *> &grouped) {
  ArrayRef<int64_t> shape =
      cast<ShapedType>(group.back()->getResult(0).getType()).getShape();
  llvm::SmallPtrSet<Operation *, 8> members(group.begin(), group.end());
  SmallVector<Operation *> worklist(group.begin(), group.end());
  while (!worklist.empty()) {
    Operation *op = worklist.pop_back_val();
    if (!isElementwise(op))
      continue;
    for (Value operand : op->getOperands()) {
      Operation *producer = operand.getDefiningOp();
      if (!producer || !isElementwise(producer) || !operand.hasOneUse() ||
          producer->getNumResults() != 1 ||
          producer->getBlock() != op->getBlock() ||
          grouped.contains(producer) || members.contains(producer) ||
          cast<ShapedType>(operand.getType()).getShape() != shape)
        continue;
      members.insert(producer);
      group.push_back(producer);
      worklist.push_back(producer);
    }
  }
  llvm::sort(group,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
}

/// Whether a splat constant (cloned into kernels rather than passed in).
static bool isSplatConstant(Value value) {
  auto constant = value.getDefiningOp<ConstantOp>();
  auto dense =
      constant ? dyn_cast<DenseElementsAttr>(constant.getValue()) : nullptr;
  return dense && dense.isSplat();
}

/// Replaces `group` (ops of one block, in program order, whose results are
/// used outside the group only for the last op's) by one graph.fusion at the
/// last op.
static void outline(ArrayRef<Operation *> group) {
  llvm::SmallPtrSet<Operation *, 8> members(group.begin(), group.end());
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> splats;
  for (Operation *op : group)
    for (Value operand : op->getOperands()) {
      Operation *def = operand.getDefiningOp();
      if (def && members.contains(def))
        continue;
      if (isSplatConstant(operand))
        splats.insert(def);
      else
        inputs.insert(operand);
    }
  Operation *last = group.back();
  // Every op of the kernel carries the locations of all (its own first):
  // the code generated for any of them names all the nodes it computes
  // (profiles attribute a fused kernel's time to each of its nodes).
  SmallVector<Location> locations;
  for (Operation *op : group)
    locations.push_back(op->getLoc());
  Location groupLoc = FusedLoc::get(last->getContext(), locations);
  OpBuilder builder(last);
  auto fusion = FusionOp::create(builder, groupLoc, last->getResultTypes(),
                                 inputs.getArrayRef());
  Block &body = fusion.getBody().front();
  IRMapping mapping;
  mapping.map(inputs.getArrayRef(), body.getArguments());
  OpBuilder inner = OpBuilder::atBlockEnd(&body);
  for (Operation *splat : splats)
    inner.clone(*splat, mapping);
  for (Operation *op : group) {
    Operation *clone = inner.clone(*op, mapping);
    clone->setLoc(FusedLoc::get(op->getContext(), {op->getLoc(), groupLoc}));
  }
  YieldOp::create(inner, last->getLoc(), mapping.lookup(last->getResult(0)));
  last->getResult(0).replaceAllUsesWith(fusion.getResult(0));
  for (Operation *op : llvm::reverse(group))
    op->erase();
  for (Operation *splat : splats)
    if (splat->use_empty())
      splat->erase();
}

namespace {
struct GraphFusePass : strata::graph::impl::GraphFusePassBase<GraphFusePass> {
  void runOnOperation() override {
    // Form the groups first (ops are not moved yet), then outline them.
    llvm::SmallPtrSet<Operation *, 32> grouped;
    SmallVector<SmallVector<Operation *>> groups;
    getOperation()->walk([&](Block *block) {
      for (Operation &op : *block) {
        if (grouped.contains(&op) || op.getParentOfType<FusionOp>() ||
            isa<FusionOp>(op))
          continue;
        SmallVector<Operation *> group;
        if (isa<SoftmaxOp, LayerNormOp>(op)) {
          // Normalization kernels take their elementwise prologue.
          for (Operation *p = prologueProducer(&op); p && !grouped.contains(p);
               p = prologueProducer(p))
            group.insert(group.begin(), p);
          group.push_back(&op);
          if (group.size() < 2)
            continue;
        } else if (isContraction(&op) || isElementwise(&op)) {
          group.push_back(&op);
          // (An op joins one kernel only: the consumer of a residual add's
          // second operand may already be another kernel's epilogue.)
          for (;;) {
            Operation *next = epilogueConsumer(group.back());
            if (next && !grouped.contains(next)) {
              group.push_back(next);
              continue;
            }
            SmallVector<Operation *> region =
                epilogueRegion(group.back(), grouped);
            if (region.empty())
              break;
            group.append(region.begin(), region.end());
          }
          takeProducers(group, grouped);
          // A lone op is already a kernel of its own.
          if (group.size() < 2)
            continue;
        } else {
          continue;
        }
        grouped.insert(group.begin(), group.end());
        groups.push_back(std::move(group));
      }
    });
    for (ArrayRef<Operation *> group : groups)
      outline(group);
  }
};
} // namespace
