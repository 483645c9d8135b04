//===- EinsumOps.cpp - ONNX Einsum to graph ops ---------------------------===//
//
// Einsum becomes the graph ops a person would write for it, operand pair by
// operand pair (left to right):
//  - a letter repeated within one operand takes the diagonal (a gather of
//    the flattened pair of axes);
//  - a letter that no later operand and not the output uses is summed
//    away first;
//  - two operands become one batched matmul: the letters both keep are the
//    batch, those both drop are contracted (K), each operand's own kept
//    letters are M and N; transposes and reshapes put them in that order;
//  - the result is transposed to the output's letter order.
// Ellipses stand for the same number of leading letters in every operand
// that has one (broadcasting between ellipses of different lengths is not
// supported).
//
//===----------------------------------------------------------------------===//

#include "HandlerUtils.h"

#include "llvm/ADT/StringExtras.h"

#include <cstring>
#include <map>

using namespace mlir;

namespace strata::onnx_import {
namespace {

using namespace strata::graph;

/// A value with one letter per dimension.
struct Term {
  Value value;
  std::string letters;
};

class Einsum {
public:
  explicit Einsum(NodeContext &n) : n(n), e(n) {}

  LogicalResult build();

private:
  LogicalResult parse(StringRef equation, size_t operands);
  /// Takes the diagonal of every repeated letter of `t`.
  void diagonals(Term &t);
  /// Sums `t`'s letters that are not in `keep`.
  void sumAllBut(Term &t, StringRef keep);
  /// Transposes `t` to `order` (a permutation of its letters).
  void transposeTo(Term &t, StringRef order);
  Term contract(Term a, Term b, StringRef keep);
  int64_t size(char letter) const { return sizes.at(letter); }

  NodeContext &n;
  Expr e;
  SmallVector<std::string> inputs;
  std::string output;
  std::map<char, int64_t> sizes;
};

LogicalResult Einsum::parse(StringRef equation, size_t operands) {
  std::string eq;
  for (char c : equation)
    if (c != ' ')
      eq.push_back(c);
  StringRef text(eq);
  auto [lhs, rhs] = text.split("->");
  bool implicit = !text.contains("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != operands)
    return n.fail("the equation has " + Twine(terms.size()) +
                  " input terms for " + Twine(operands) + " inputs");
  // Ellipses become the same run of capital letters (never used
  // otherwise: ONNX letters are lower and upper case, so pick from a
  // range disjoint from the equation's own).
  std::string used = eq;
  auto freshLetters = [&](size_t count) -> FailureOr<std::string> {
    std::string letters;
    for (char c = 'A'; c <= 'Z' && letters.size() < count; ++c)
      if (used.find(c) == std::string::npos)
        letters.push_back(c);
    if (letters.size() < count)
      return failure();
    return letters;
  };
  std::optional<std::string> ellipsis;
  for (size_t i = 0; i < operands; ++i) {
    std::string term = terms[i].str();
    int64_t rank = typeOf(n.input(i)).getRank();
    size_t dots = term.find("...");
    if (dots != std::string::npos) {
      int64_t count = rank - int64_t(term.size() - 3);
      if (count < 0)
        return n.fail("term '" + term + "' has more letters than input #" +
                      Twine(i) + " has dimensions");
      if (!ellipsis) {
        FailureOr<std::string> fresh = freshLetters(count);
        if (failed(fresh))
          return n.fail("too many letters in the equation");
        ellipsis = *fresh;
      } else if (int64_t(ellipsis->size()) != count) {
        return n.fail("ellipses of different lengths (broadcasting between "
                      "them) are not supported");
      }
      term.replace(dots, 3, *ellipsis);
    }
    if (int64_t(term.size()) != rank)
      return n.fail("term '" + terms[i] + "' has " + Twine(term.size()) +
                    " letters for input #" + Twine(i) + " of rank " +
                    Twine(rank));
    for (auto [d, c] : llvm::enumerate(term)) {
      if (!llvm::isAlpha(static_cast<unsigned char>(c)) &&
          !(ellipsis && ellipsis->find(c) != std::string::npos))
        return n.fail("'" + std::string(1, c) + "' is not a letter");
      int64_t dim = typeOf(n.input(i)).getDimSize(d);
      auto [it, inserted] = sizes.try_emplace(c, dim);
      if (!inserted && it->second != dim)
        return n.fail("letter '" + std::string(1, c) + "' has sizes " +
                      Twine(it->second) + " and " + Twine(dim) +
                      " (broadcasting a size-1 dimension is not supported)");
    }
    inputs.push_back(term);
  }
  if (implicit) {
    // The letters that appear once, in alphabetical order, after the
    // ellipsis.
    std::map<char, int> count;
    for (const std::string &t : inputs)
      for (char c : t)
        ++count[c];
    output = ellipsis.value_or("");
    for (auto [c, k] : count)
      if (k == 1 && output.find(c) == std::string::npos)
        output.push_back(c);
  } else {
    std::string out = rhs.str();
    size_t dots = out.find("...");
    if (dots != std::string::npos)
      out.replace(dots, 3, ellipsis.value_or(""));
    for (char c : out)
      if (!sizes.count(c) || llvm::count(out, c) != 1)
        return n.fail("output letter '" + std::string(1, c) +
                      "' is not an input letter, or repeats");
    output = out;
  }
  return success();
}

void Einsum::diagonals(Term &t) {
  while (!e.failed) {
    // The first letter that repeats, at positions i < j.
    size_t i = 0, j = std::string::npos;
    for (; i < t.letters.size() && j == std::string::npos; ++i)
      j = t.letters.find(t.letters[i], i + 1);
    if (j == std::string::npos)
      return;
    --i;
    char c = t.letters[i];
    // Move the pair last, flatten it, gather its diagonal.
    std::string rest;
    SmallVector<int64_t> perm, shape;
    for (size_t k = 0; k < t.letters.size(); ++k)
      if (k != i && k != j) {
        rest.push_back(t.letters[k]);
        perm.push_back(k);
        shape.push_back(size(t.letters[k]));
      }
    perm.push_back(i);
    perm.push_back(j);
    int64_t len = size(c);
    shape.push_back(len * len);
    Value v = e.op<TransposeOp>(t.value, perm);
    v = e.op<ReshapeOp>(v, shape);
    SmallVector<int64_t> diagonal;
    for (int64_t k = 0; k < len; ++k)
      diagonal.push_back(k * (len + 1));
    t.value = e.op<GatherOp>(v, int64Vector(n, diagonal), int64_t(rest.size()));
    t.letters = rest + c;
  }
}

void Einsum::sumAllBut(Term &t, StringRef keep) {
  SmallVector<int64_t> axes;
  std::string kept;
  for (auto [d, c] : llvm::enumerate(t.letters)) {
    if (keep.contains(c))
      kept.push_back(c);
    else
      axes.push_back(d);
  }
  if (axes.empty() || e.failed)
    return;
  t.value = e.op<ReduceSumOp>(t.value, axes, false);
  t.letters = kept;
}

void Einsum::transposeTo(Term &t, StringRef order) {
  if (t.letters == order || e.failed)
    return;
  SmallVector<int64_t> perm;
  for (char c : order)
    perm.push_back(t.letters.find(c));
  t.value = e.op<TransposeOp>(t.value, perm);
  t.letters = order.str();
}

Term Einsum::contract(Term a, Term b, StringRef keep) {
  std::string batch, contracted, aOnly, bOnly;
  for (char c : a.letters) {
    bool inB = b.letters.find(c) != std::string::npos;
    if (inB)
      (keep.contains(c) ? batch : contracted).push_back(c);
    else
      aOnly.push_back(c);
  }
  for (char c : b.letters)
    if (a.letters.find(c) == std::string::npos)
      bOnly.push_back(c);
  auto product = [&](StringRef letters) {
    int64_t p = 1;
    for (char c : letters)
      p *= size(c);
    return p;
  };
  transposeTo(a, batch + aOnly + contracted);
  transposeTo(b, batch + contracted + bOnly);
  int64_t B = product(batch), M = product(aOnly), K = product(contracted),
          N = product(bOnly);
  Value lhs = e.op<ReshapeOp>(a.value, ArrayRef<int64_t>{B, M, K});
  Value rhs = e.op<ReshapeOp>(b.value, ArrayRef<int64_t>{B, K, N});
  Value y = e.op<MatmulOp>(lhs, rhs);
  SmallVector<int64_t> shape;
  std::string letters = batch + aOnly + bOnly;
  for (char c : letters)
    shape.push_back(size(c));
  return {e.op<ReshapeOp>(y, shape), letters};
}

LogicalResult Einsum::build() {
  size_t operands = n.numInputs();
  if (operands == 0)
    return n.fail("expects at least one input");
  for (size_t i = 0; i < operands; ++i)
    if (!n.input(i))
      return failure();
  e.setType(typeOf(n.input(0)).getElementType());
  if (failed(parse(n.attrString("equation", ""), operands)))
    return failure();
  SmallVector<Term> terms;
  for (size_t i = 0; i < operands; ++i) {
    Term t{n.input(i), inputs[i]};
    diagonals(t);
    terms.push_back(t);
  }
  // The letters still needed after operand i: the output's and those of
  // the operands after it.
  auto neededAfter = [&](size_t i) {
    std::string needed = output;
    for (size_t j = i + 1; j < terms.size(); ++j)
      needed += terms[j].letters;
    return needed;
  };
  Term acc = terms[0];
  sumAllBut(acc, neededAfter(0));
  for (size_t i = 1; i < terms.size() && !e.failed; ++i) {
    Term next = terms[i];
    std::string keep = neededAfter(i);
    // Letters only one side has and nobody needs are summed first.
    sumAllBut(next, keep + acc.letters);
    sumAllBut(acc, keep + next.letters);
    acc = contract(acc, next, keep);
  }
  sumAllBut(acc, output);
  transposeTo(acc, output);
  return e.result(acc.value);
}

LogicalResult einsum(NodeContext &n) { return Einsum(n).build(); }

} // namespace

void addEinsumHandlers(llvm::StringMap<Handler> &h) { h["Einsum"] = einsum; }

} // namespace strata::onnx_import
