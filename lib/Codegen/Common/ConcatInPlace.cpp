//===- ConcatInPlace.cpp - Concatenations that share one buffer -----------===//
//
// A concatenation is lowered as a chain of tensor.insert_slice ops into a
// tensor.empty. A densely connected network concatenates the same growing
// list of values again and again (DenseNet: layer k reads the
// concatenation of the block's input and the k-1 layers' outputs), so each
// value is copied once per later layer: copies quadratic in the block's
// depth, and as many copy kernels to compile. When the shorter chains are
// prefixes of the longest, the longest one is built as its values appear
// and every shorter concatenation becomes a view of its leading part.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/Common/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/MapVector.h"

namespace strata {
#define GEN_PASS_DEF_STRATACONCATINPLACEPASS
#include "strata/Codegen/Common/Passes.h.inc"
} // namespace strata

using namespace mlir;

namespace {
/// A concatenation along `axis`: insertions of whole values at increasing
/// offsets into a tensor.empty, covering it exactly.
struct Concatenation {
  tensor::EmptyOp empty;
  int64_t axis = -1;
  SmallVector<tensor::InsertSliceOp> inserts;

  Value result() { return inserts.back().getResult(); }
  Value source(size_t i) { return inserts[i].getSource(); }
  /// The extent along the axis covered by the first `count` insertions.
  int64_t extent(size_t count) {
    return count == 0 ? 0
                      : inserts[count - 1].getStaticOffsets()[axis] +
                            inserts[count - 1].getStaticSizes()[axis];
  }
};
} // namespace

/// The dimension along which `insert` places a whole value, if it does so
/// at offset `expected` (zero offsets elsewhere, unit strides, the
/// source's shape).
static std::optional<int64_t> concatAxis(tensor::InsertSliceOp insert,
                                         int64_t expected) {
  RankedTensorType source = insert.getSourceType();
  RankedTensorType dest = insert.getDestType();
  if (source.getRank() != dest.getRank() || !dest.hasStaticShape() ||
      !source.hasStaticShape())
    return std::nullopt;
  std::optional<int64_t> axis;
  for (int64_t d = 0; d < dest.getRank(); ++d) {
    int64_t offset = insert.getStaticOffsets()[d];
    if (insert.getStaticStrides()[d] != 1 ||
        insert.getStaticSizes()[d] != source.getDimSize(d) ||
        ShapedType::isDynamic(offset))
      return std::nullopt;
    if (source.getDimSize(d) == dest.getDimSize(d) && offset == 0)
      continue;
    if (axis)
      return std::nullopt;
    axis = d;
  }
  if (!axis || insert.getStaticOffsets()[*axis] != expected)
    return std::nullopt;
  return axis;
}

/// The concatenation that starts at `empty`, if its chain is one.
static std::optional<Concatenation> concatenationFrom(tensor::EmptyOp empty) {
  Concatenation concat;
  concat.empty = empty;
  Value current = empty.getResult();
  while (current.hasOneUse()) {
    auto insert = dyn_cast<tensor::InsertSliceOp>(*current.getUsers().begin());
    if (!insert || insert.getDest() != current ||
        insert->getBlock() != empty->getBlock())
      break;
    std::optional<int64_t> axis =
        concatAxis(insert, concat.extent(concat.inserts.size()));
    if (!axis || (concat.axis >= 0 && *axis != concat.axis))
      break;
    concat.axis = *axis;
    concat.inserts.push_back(insert);
    current = insert.getResult();
  }
  if (concat.inserts.size() < 2 || concat.extent(concat.inserts.size()) !=
                                       empty.getType().getDimSize(concat.axis))
    return std::nullopt;
  return concat;
}

/// Whether `shorter` concatenates the first values of `longer`, in the
/// same places, into a tensor shaped like `longer`'s but for its extent.
static bool isPrefixOf(Concatenation &shorter, Concatenation &longer) {
  if (shorter.axis != longer.axis ||
      shorter.inserts.size() >= longer.inserts.size())
    return false;
  RankedTensorType small = shorter.empty.getType();
  RankedTensorType large = longer.empty.getType();
  if (small.getElementType() != large.getElementType() ||
      small.getRank() != large.getRank())
    return false;
  for (int64_t d = 0; d < small.getRank(); ++d)
    if (d != shorter.axis && small.getDimSize(d) != large.getDimSize(d))
      return false;
  for (size_t i = 0; i < shorter.inserts.size(); ++i)
    if (shorter.source(i) != longer.source(i))
      return false;
  return true;
}

/// Builds `concat` as its values appear: the empty tensor at the top of
/// the block, each insertion right after its value (and the insertion
/// before it).
static void buildEarly(Concatenation &concat) {
  Block *block = concat.empty->getBlock();
  concat.empty->moveBefore(block, block->begin());
  Operation *previous = concat.empty;
  for (tensor::InsertSliceOp insert : concat.inserts) {
    Operation *after = previous;
    if (Operation *def = insert.getSource().getDefiningOp())
      if (after->isBeforeInBlock(def))
        after = def;
    insert->moveAfter(after);
    previous = insert;
  }
}

namespace {
struct StrataConcatInPlacePass
    : strata::impl::StrataConcatInPlacePassBase<StrataConcatInPlacePass> {
  void runOnOperation() override {
    // Concatenations by their first value: a family's members share it.
    llvm::MapVector<Value, SmallVector<Concatenation>> families;
    getOperation()->walk([&](tensor::EmptyOp empty) {
      if (std::optional<Concatenation> concat = concatenationFrom(empty))
        families[concat->source(0)].push_back(std::move(*concat));
    });
    IRRewriter rewriter(&getContext());
    for (auto &[first, members] : families) {
      if (members.size() < 2)
        continue;
      Concatenation *longest = &members.front();
      for (Concatenation &concat : members)
        if (concat.inserts.size() > longest->inserts.size())
          longest = &concat;
      SmallVector<Concatenation *> prefixes;
      for (Concatenation &concat : members)
        if (isPrefixOf(concat, *longest))
          prefixes.push_back(&concat);
      if (prefixes.empty())
        continue;
      // Every value of the longest must be defined in its block, or
      // before it: moving the insertions up cannot cross a region.
      Block *block = longest->empty->getBlock();
      if (llvm::any_of(longest->inserts, [&](tensor::InsertSliceOp insert) {
            Operation *def = insert.getSource().getDefiningOp();
            return def && def->getBlock() != block;
          }))
        continue;
      buildEarly(*longest);
      for (Concatenation *prefix : prefixes) {
        if (prefix->empty->getBlock() != block)
          continue;
        size_t count = prefix->inserts.size();
        tensor::InsertSliceOp last = longest->inserts[count - 1];
        rewriter.setInsertionPointAfter(last);
        RankedTensorType type = prefix->empty.getType();
        SmallVector<OpFoldResult> offsets(type.getRank(),
                                          rewriter.getIndexAttr(0));
        SmallVector<OpFoldResult> sizes,
            strides(type.getRank(), rewriter.getIndexAttr(1));
        for (int64_t size : type.getShape())
          sizes.push_back(rewriter.getIndexAttr(size));
        auto view = tensor::ExtractSliceOp::create(
            rewriter, prefix->inserts.back().getLoc(), type, last.getResult(),
            offsets, sizes, strides);
        rewriter.replaceAllUsesWith(prefix->result(), view.getResult());
        for (tensor::InsertSliceOp insert : llvm::reverse(prefix->inserts))
          rewriter.eraseOp(insert);
        rewriter.eraseOp(prefix->empty);
      }
    }
  }
};
} // namespace
