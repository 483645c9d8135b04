//===- OutlineKernels.cpp - One function per loop nest ----------*- C++ -*-===//
//
// A model lowered to loops is one function holding every kernel. LLVM's
// function passes scale badly with a function's size (analyses that walk
// up the dominator tree from every block are quadratic), so each top-level
// loop nest or parallel region moves into a function of its own, which
// LLVM must not inline back.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/Common/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace strata {
#define GEN_PASS_DEF_STRATAOUTLINEKERNELSPASS
#include "strata/Codegen/Common/Passes.h.inc"
} // namespace strata

using namespace mlir;

/// Whether a value defined by `op` is better recreated in the kernel than
/// passed to it: it is free and tells LLVM more as what it is (a constant
/// loop bound, a global's known address) than as an argument.
static bool isRematerializable(Operation *op) {
  return op && op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
         (op->hasTrait<OpTrait::ConstantLike>() ||
          isa<ub::PoisonOp, memref::GetGlobalOp>(op));
}

/// Every name in the locations of `op` and the ops it holds, in order and
/// without repeats: the ONNX nodes it computes, for imported models (its
/// own location first, then those of the ops fused into it).
static SmallVector<StringRef> nodeNames(Operation *op) {
  llvm::SetVector<StringRef> names;
  op->walk<WalkOrder::PreOrder>([&](Operation *inner) {
    inner->getLoc()->walk([&](Location loc) {
      if (auto named = dyn_cast<NameLoc>(loc))
        names.insert(named.getName().strref());
      return WalkResult::advance();
    });
  });
  return names.takeVector();
}

/// `name` with every character outside [A-Za-z0-9_] replaced by '_', runs
/// of them collapsed, at most `limit` characters.
static std::string symbolSafe(StringRef name, size_t limit = 48) {
  std::string safe;
  for (char c : name) {
    if (safe.size() >= limit)
      break;
    bool ok = llvm::isAlnum(c) || c == '_';
    if (ok)
      safe += c;
    else if (!safe.empty() && safe.back() != '_')
      safe += '_';
  }
  while (!safe.empty() && safe.back() == '_')
    safe.pop_back();
  return safe;
}

/// The buffer `value` views: through view-like ops (subviews, casts,
/// reshapes) to an allocation or an argument of the caller; null when it
/// comes from anything else.
static Value rootBuffer(Value value) {
  while (true) {
    if (isa<BlockArgument>(value))
      return value;
    Operation *def = value.getDefiningOp();
    if (isa<memref::AllocOp, memref::AllocaOp>(def))
      return value;
    auto view = dyn_cast<ViewLikeOpInterface>(def);
    if (!view)
      return nullptr;
    value = view.getViewSource();
  }
}

/// The position among the LLVM function's arguments of each argument's
/// first LLVM argument: a ranked memref becomes its descriptor's fields
/// (allocated and aligned pointers, offset, sizes, strides), anything
/// else one argument.
static SmallVector<int64_t> loweredPositions(TypeRange types) {
  SmallVector<int64_t> positions;
  int64_t next = 0;
  for (Type type : types) {
    positions.push_back(next);
    auto memref = dyn_cast<MemRefType>(type);
    next += memref ? 3 + 2 * memref.getRank() : 1;
  }
  return positions;
}

/// The LLVM argument positions of the aligned pointers of the memref
/// `arguments` whose buffers no other argument can reach: each views an
/// allocation or a caller argument of its own. (Entry function arguments
/// are distinct buffers: the runtime allocates every output, and inputs
/// are only read.)
static SmallVector<int64_t> noAliasPositions(ArrayRef<Value> arguments) {
  SmallVector<Value> roots;
  for (Value argument : arguments)
    roots.push_back(isa<MemRefType>(argument.getType()) ? rootBuffer(argument)
                                                        : Value());
  bool unknown = llvm::any_of(llvm::zip(arguments, roots), [](auto pair) {
    return isa<MemRefType>(std::get<0>(pair).getType()) && !std::get<1>(pair);
  });
  SmallVector<int64_t> positions;
  if (unknown)
    return positions;
  SmallVector<int64_t> lowered =
      loweredPositions(ValueRange(arguments).getTypes());
  for (auto [i, root] : llvm::enumerate(roots))
    if (root && llvm::count(roots, root) == 1)
      positions.push_back(lowered[i] + 1);
  return positions;
}

/// The runtime functions that time each kernel call.
static constexpr llvm::StringLiteral kProfileBegin = "strata_profile_begin";
static constexpr llvm::StringLiteral kProfileEnd = "strata_profile_end";

/// Declares `name` as a function taking a kernel's number, if not yet.
static void declareProfileFunction(ModuleOp module, StringRef name) {
  if (module.lookupSymbol(name))
    return;
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType({b.getI64Type()}, {}));
  fn.setPrivate();
}

/// Moves `op` (at the top level of `caller`) into a new function inserted
/// after `previous` (which becomes the new function), and calls it in op's
/// place; with `number`, between the calls that time it.
static void outline(Operation *op, func::FuncOp caller, unsigned index,
                    std::optional<int64_t> number, Operation *&previous,
                    SymbolTable &symbols) {
  // What the op uses from around it: arguments, or recreated inside.
  llvm::SetVector<Value> captured;
  getUsedValuesDefinedAbove(op->getRegions(), captured);
  captured.insert(op->operand_begin(), op->operand_end());
  SmallVector<Value> arguments;
  SmallVector<Operation *> recreated;
  for (Value value : captured) {
    Operation *def = value.getDefiningOp();
    if (isRematerializable(def))
      recreated.push_back(def);
    else
      arguments.push_back(value);
  }

  OpBuilder b(caller);
  b.setInsertionPointAfter(previous);
  SmallVector<StringRef> nodes = nodeNames(op);
  std::string name = (caller.getSymName() + "__k" + Twine(index)).str();
  if (!nodes.empty())
    if (std::string suffix = symbolSafe(nodes.front()); !suffix.empty())
      name += "_" + suffix;
  auto kernel =
      func::FuncOp::create(b, op->getLoc(), name,
                           b.getFunctionType(ValueRange(arguments).getTypes(),
                                             op->getResultTypes()));
  kernel.setPrivate();
  kernel.setNoInline(true);
  // Internal to the module in LLVM too, so that LLVM may specialize it to
  // its one call (constant sizes and strides of the memref descriptors).
  kernel->setAttr("llvm.linkage", LLVM::LinkageAttr::get(
                                      b.getContext(), LLVM::Linkage::Internal));
  if (!nodes.empty())
    kernel->setAttr("strata.nodes", b.getStrArrayAttr(nodes));
  if (number)
    kernel->setAttr("strata.kernel", b.getI64IntegerAttr(*number));
  // Without aliasing facts, LLVM guards every vectorized loop of the kernel
  // with runtime overlap checks and a scalar copy of the loop.
  if (SmallVector<int64_t> positions = noAliasPositions(arguments);
      !positions.empty())
    kernel->setAttr("strata.noalias_args", b.getDenseI64ArrayAttr(positions));
  symbols.insert(kernel);
  previous = kernel;

  Block *body = kernel.addEntryBlock();
  b.setInsertionPointToStart(body);
  IRMapping inside;
  for (auto [value, argument] : llvm::zip(arguments, body->getArguments()))
    inside.map(value, argument);
  for (Operation *def : recreated)
    b.clone(*def, inside);

  // Call the kernel where the op was, then move the op into it.
  OpBuilder callBuilder(op);
  Value numberValue;
  if (number) {
    numberValue =
        arith::ConstantIntOp::create(callBuilder, op->getLoc(), *number, 64);
    func::CallOp::create(callBuilder, op->getLoc(), kProfileBegin, TypeRange(),
                         numberValue);
  }
  auto call =
      func::CallOp::create(callBuilder, op->getLoc(), kernel, arguments);
  // The call's mark is the one that reaches LLVM (as noinline).
  call.setNoInline(true);
  op->replaceAllUsesWith(call.getResults());
  if (number)
    func::CallOp::create(callBuilder, op->getLoc(), kProfileEnd, TypeRange(),
                         numberValue);
  op->moveBefore(body, body->end());
  func::ReturnOp::create(b, op->getLoc(), op->getResults());
  for (Value value : captured) {
    Value replacement = inside.lookup(value);
    value.replaceUsesWithIf(replacement, [&](OpOperand &use) {
      return op->isAncestor(use.getOwner());
    });
  }
}

namespace {
struct StrataOutlineKernelsPass
    : strata::impl::StrataOutlineKernelsPassBase<StrataOutlineKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (instrument) {
      declareProfileFunction(module, kProfileBegin);
      declareProfileFunction(module, kProfileEnd);
    }
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> callers(module.getOps<func::FuncOp>());
    int64_t number = 0;
    for (func::FuncOp caller : callers) {
      if (caller.isExternal() || caller.getNoInline())
        continue;
      SmallVector<Operation *> kernels;
      for (Block &block : caller.getBody())
        for (Operation &op : block)
          if (op.getNumRegions() != 0)
            kernels.push_back(&op);
      Operation *previous = caller;
      for (auto [index, op] : llvm::enumerate(kernels))
        outline(op, caller, index,
                instrument ? std::optional<int64_t>(number++) : std::nullopt,
                previous, symbols);
    }
  }
};
} // namespace
