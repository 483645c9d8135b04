//===- AllocatorTest.cpp - Temporaries of compiled models -----------------===//

#include "strata/Runtime/Allocator.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

using namespace strata;

namespace {
bool alignedTo(void *p, size_t alignment) {
  return reinterpret_cast<uintptr_t>(p) % alignment == 0;
}
} // namespace

TEST(Temporaries, AlignedAndWritable) {
  for (size_t alignment : {1, 64, 128, 4096}) {
    void *p = allocTemporary(1000, alignment);
    ASSERT_NE(p, nullptr);
    EXPECT_TRUE(alignedTo(p, alignment < 64 ? 64 : alignment));
    std::memset(p, 0xab, 1000);
    freeTemporary(p);
  }
  EXPECT_EQ(allocTemporary(64, 96), nullptr); // not a power of two
  freeTemporary(nullptr);
  releaseKeptTemporaries();
}

#if !defined(__SANITIZE_ADDRESS__) &&                                          \
    !(defined(__has_feature) && __has_feature(address_sanitizer))
// A freed block comes back for the next allocation that fits it (in the
// same run of a model or the next), not for a larger size or alignment.
TEST(Temporaries, FreedBlocksAreReused) {
  releaseKeptTemporaries();
  void *a = allocTemporary(1 << 20, 64);
  void *b = allocTemporary(1 << 20, 64);
  ASSERT_NE(a, b);
  freeTemporary(a);
  freeTemporary(b);
  void *c = allocTemporary(1 << 20, 64);
  EXPECT_EQ(c, b); // the most recently freed
  void *d = allocTemporary(2 << 20, 64);
  EXPECT_NE(d, a);
  EXPECT_NE(d, b);
  void *e = allocTemporary(1 << 20, 128);
  EXPECT_NE(e, a);
  EXPECT_NE(e, b);
  for (void *p : {c, d, e})
    freeTemporary(p);
  releaseKeptTemporaries();
  // After the release, nothing is kept: new blocks are fresh (and
  // releasing twice is harmless).
  releaseKeptTemporaries();
}

// A smaller allocation takes the smallest kept block that holds it, if that
// wastes at most half of the block.
TEST(Temporaries, SmallerAllocationsTakeTheBestFit) {
  releaseKeptTemporaries();
  void *large = allocTemporary(3 << 19, 64);
  void *exact = allocTemporary(1 << 20, 64);
  freeTemporary(exact);
  freeTemporary(large);
  void *a = allocTemporary(1 << 20, 64);
  EXPECT_EQ(a, exact); // not the more recently freed, larger block
  void *b = allocTemporary(900 << 10, 64);
  EXPECT_EQ(b, large);
  freeTemporary(a);
  void *c = allocTemporary(400 << 10, 64); // 1 MiB would waste over half
  EXPECT_NE(c, exact);
  freeTemporary(b);
  freeTemporary(c);
  // A block keeps its size: freed again, it holds a full-sized request.
  void *d = allocTemporary(3 << 19, 64);
  EXPECT_EQ(d, large);
  freeTemporary(d);
  releaseKeptTemporaries();
}
#endif
