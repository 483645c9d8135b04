//===- ShapeUtilsTest.cpp - Tests of the shared shape helpers -------------===//

#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

#include "gtest/gtest.h"

using namespace strata::shape;
using llvm::SmallVector;

namespace {

SmallVector<int64_t> bcast(llvm::ArrayRef<int64_t> a,
                           llvm::ArrayRef<int64_t> b) {
  auto r = broadcastShapes(a, b);
  EXPECT_TRUE(r.has_value());
  return r ? *r : SmallVector<int64_t>{};
}

TEST(BroadcastShapes, EqualShapes) {
  EXPECT_EQ(bcast({2, 3}, {2, 3}), (SmallVector<int64_t>{2, 3}));
}

TEST(BroadcastShapes, TrailingAlignment) {
  EXPECT_EQ(bcast({4, 1, 3}, {5, 1}), (SmallVector<int64_t>{4, 5, 3}));
  EXPECT_EQ(bcast({3}, {2, 4, 3}), (SmallVector<int64_t>{2, 4, 3}));
}

TEST(BroadcastShapes, ScalarBroadcastsToAnything) {
  EXPECT_EQ(bcast({}, {7, 8}), (SmallVector<int64_t>{7, 8}));
  EXPECT_EQ(bcast({}, {}), (SmallVector<int64_t>{}));
}

TEST(BroadcastShapes, IsSymmetric) {
  EXPECT_EQ(bcast({1, 5}, {3, 1}), bcast({3, 1}, {1, 5}));
}

TEST(BroadcastShapes, RejectsMismatch) {
  EXPECT_FALSE(broadcastShapes({2, 3}, {4, 3}).has_value());
  EXPECT_FALSE(broadcastShapes({3}, {4}).has_value());
}

TEST(BroadcastShapes, ZeroSizedDimensions) {
  EXPECT_EQ(bcast({0, 3}, {1, 3}), (SmallVector<int64_t>{0, 3}));
  EXPECT_FALSE(broadcastShapes({0}, {2}).has_value());
}

TEST(BroadcastShapes, DynamicDimensions) {
  EXPECT_EQ(bcast({kDynamic, 3}, {1, 3}), (SmallVector<int64_t>{kDynamic, 3}));
  EXPECT_EQ(bcast({kDynamic}, {4}), (SmallVector<int64_t>{4}));
  EXPECT_EQ(bcast({kDynamic}, {kDynamic}), (SmallVector<int64_t>{kDynamic}));
}

TEST(IsBroadcastableTo, OneDirection) {
  EXPECT_TRUE(isBroadcastableTo({3}, {4, 3}));
  EXPECT_TRUE(isBroadcastableTo({1, 3}, {4, 3}));
  EXPECT_FALSE(isBroadcastableTo({4, 3}, {3}));
  EXPECT_FALSE(isBroadcastableTo({2}, {4, 3}));
  EXPECT_FALSE(isBroadcastableTo({4, 1}, {1, 1}));
}

TEST(NormalizeAxis, Ranges) {
  EXPECT_EQ(normalizeAxis(0, 3), 0);
  EXPECT_EQ(normalizeAxis(-1, 3), 2);
  EXPECT_EQ(normalizeAxis(-3, 3), 0);
  EXPECT_FALSE(normalizeAxis(3, 3).has_value());
  EXPECT_FALSE(normalizeAxis(-4, 3).has_value());
  EXPECT_FALSE(normalizeAxis(0, 0).has_value());
}

TEST(NormalizeAxes, SortsAndRejectsDuplicates) {
  EXPECT_EQ(*normalizeAxes({-1, 0}, 3), (SmallVector<int64_t>{0, 2}));
  EXPECT_EQ(*normalizeAxes({}, 3), (SmallVector<int64_t>{0, 1, 2}));
  EXPECT_FALSE(normalizeAxes({1, -2}, 3).has_value());
  EXPECT_FALSE(normalizeAxes({5}, 3).has_value());
}

TEST(ReducedShape, KeepAndDrop) {
  EXPECT_EQ(reducedShape({2, 3, 4}, {1}, false), (SmallVector<int64_t>{2, 4}));
  EXPECT_EQ(reducedShape({2, 3, 4}, {0, 2}, true),
            (SmallVector<int64_t>{1, 3, 1}));
  EXPECT_EQ(reducedShape({2, 3}, {0, 1}, false), (SmallVector<int64_t>{}));
}

TEST(WindowOutputSize, Convolution) {
  // ResNet stem: 224, k7, s2, p3 -> 112.
  EXPECT_EQ(windowOutputSize(224, 7, 2, 3, 3, 1), 112);
  // 3x3 same padding.
  EXPECT_EQ(windowOutputSize(56, 3, 1, 1, 1, 1), 56);
  // Dilation 2 widens a 3-tap kernel to 5.
  EXPECT_EQ(windowOutputSize(10, 3, 1, 0, 0, 2), 6);
  // Window larger than the input.
  EXPECT_LT(windowOutputSize(2, 3, 1, 0, 0, 1), 1);
  EXPECT_EQ(windowOutputSize(kDynamic, 3, 1, 1, 1, 1), kDynamic);
}

TEST(WindowOutputSize, CeilMode) {
  // 112, k3, s2, p1: floor gives 56, ceil 57 (as PyTorch's ceil_mode).
  EXPECT_EQ(windowOutputSize(112, 3, 2, 1, 1, 1, false), 56);
  EXPECT_EQ(windowOutputSize(112, 3, 2, 1, 1, 1, true), 57);
  // Exact division: ceil mode adds nothing.
  EXPECT_EQ(windowOutputSize(7, 3, 2, 0, 0, 1, true), 3);
  // 5, k2, s2: floor 2, ceil 3.
  EXPECT_EQ(windowOutputSize(5, 2, 2, 0, 0, 1, false), 2);
  EXPECT_EQ(windowOutputSize(5, 2, 2, 0, 0, 1, true), 3);
  // The last window may not start in the trailing padding: 4, k2, s2, p(0,1)
  // gives 2 windows in floor mode, and ceil mode adds none.
  EXPECT_EQ(windowOutputSize(4, 2, 2, 0, 1, 1, true), 2);
}

TEST(NumElements, StaticAndDynamic) {
  EXPECT_EQ(numElements({2, 3, 4}), 24);
  EXPECT_EQ(numElements({}), 1);
  EXPECT_EQ(numElements({2, kDynamic}), kDynamic);
}

TEST(IsPermutation, Cases) {
  EXPECT_TRUE(isPermutation({2, 0, 1}));
  EXPECT_TRUE(isPermutation({}));
  EXPECT_FALSE(isPermutation({0, 0}));
  EXPECT_FALSE(isPermutation({0, 2}));
  EXPECT_FALSE(isPermutation({-1, 0}));
}

TEST(FormatShape, Rendering) {
  EXPECT_EQ(formatShape({2, kDynamic, 3}), "2x?x3");
  EXPECT_EQ(formatShape({}), "scalar");
}

} // namespace

TEST(ShapeUtils, NumElementsOverflow) {
  // 2^40 x 2^40 overflows int64: no count, never a wrapped one.
  EXPECT_EQ(numElements({int64_t(1) << 40, int64_t(1) << 40}), -1);
  EXPECT_EQ(numElements({int64_t(1) << 31, int64_t(1) << 31}),
            int64_t(1) << 62);
}
