//===- ShapeUtils.cpp - Shape arithmetic shared by graph ops --------------===//

#include "strata/Dialect/Graph/Utils/ShapeUtils.h"
#include "strata/Runtime/Tensor.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallBitVector.h"

using namespace llvm;

namespace strata {
namespace shape {

std::optional<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> lhs,
                                                    ArrayRef<int64_t> rhs) {
  size_t rank = std::max(lhs.size(), rhs.size());
  SmallVector<int64_t> result(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Align on trailing dimensions; missing leading dimensions act as 1.
    int64_t l = i < rank - lhs.size() ? 1 : lhs[i - (rank - lhs.size())];
    int64_t r = i < rank - rhs.size() ? 1 : rhs[i - (rank - rhs.size())];
    if (l == r) {
      result[i] = l;
    } else if (l == 1) {
      result[i] = r;
    } else if (r == 1) {
      result[i] = l;
    } else if (l == kDynamic) {
      result[i] = r;
    } else if (r == kDynamic) {
      result[i] = l;
    } else {
      return std::nullopt;
    }
  }
  return result;
}

bool isBroadcastableTo(ArrayRef<int64_t> from, ArrayRef<int64_t> to) {
  if (from.size() > to.size())
    return false;
  size_t lead = to.size() - from.size();
  for (size_t i = 0; i < from.size(); ++i) {
    int64_t f = from[i], t = to[lead + i];
    if (f != t && f != 1 && f != kDynamic)
      return false;
  }
  return true;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

int64_t windowOutputSize(int64_t in, int64_t kernel, int64_t stride,
                         int64_t padBefore, int64_t padAfter, int64_t dilation,
                         bool ceilMode) {
  if (in == kDynamic)
    return kDynamic;
  int64_t span = in + padBefore + padAfter - dilation * (kernel - 1) - 1;
  if (span < 0)
    return 0;
  int64_t out = span / stride + 1;
  if (ceilMode && span % stride != 0) {
    // The extra window must start inside the input or the leading padding.
    if (out * stride < in + padBefore)
      ++out;
  }
  return out;
}

int64_t numElements(ArrayRef<int64_t> shape) {
  if (llvm::is_contained(shape, kDynamic))
    return kDynamic;
  return checkedNumElements(shape.data(), shape.size()).value_or(-1);
}

bool isPermutation(ArrayRef<int64_t> perms) {
  SmallBitVector seen(perms.size());
  for (int64_t p : perms) {
    if (p < 0 || p >= static_cast<int64_t>(perms.size()) || seen.test(p))
      return false;
    seen.set(p);
  }
  return true;
}

std::optional<SmallVector<int64_t>> normalizeAxes(ArrayRef<int64_t> axes,
                                                  int64_t rank) {
  SmallVector<int64_t> result;
  if (axes.empty()) {
    for (int64_t i = 0; i < rank; ++i)
      result.push_back(i);
    return result;
  }
  for (int64_t axis : axes) {
    std::optional<int64_t> norm = normalizeAxis(axis, rank);
    if (!norm)
      return std::nullopt;
    result.push_back(*norm);
  }
  llvm::sort(result);
  if (std::adjacent_find(result.begin(), result.end()) != result.end())
    return std::nullopt;
  return result;
}

SmallVector<int64_t> reducedShape(ArrayRef<int64_t> shape,
                                  ArrayRef<int64_t> axes, bool keepDims) {
  SmallVector<int64_t> result;
  for (auto [i, d] : llvm::enumerate(shape)) {
    bool reduced = llvm::is_contained(axes, static_cast<int64_t>(i));
    if (!reduced)
      result.push_back(d);
    else if (keepDims)
      result.push_back(1);
  }
  return result;
}

std::string formatShape(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (i)
      s += 'x';
    s += d == kDynamic ? std::string("?") : std::to_string(d);
  }
  return s;
}

} // namespace shape
} // namespace strata
