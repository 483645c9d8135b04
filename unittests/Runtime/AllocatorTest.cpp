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
// A freed block comes back for the next allocation of its size and
// alignment (the next run of a model), not for another size.
TEST(Temporaries, FreedBlocksAreReused) {
  releaseKeptTemporaries();
  void *a = allocTemporary(1 << 20, 64);
  void *b = allocTemporary(1 << 20, 64);
  ASSERT_NE(a, b);
  freeTemporary(a);
  freeTemporary(b);
  void *c = allocTemporary(1 << 20, 64);
  EXPECT_TRUE(c == a || c == b);
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
#endif
