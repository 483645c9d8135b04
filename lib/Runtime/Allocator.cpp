//===- Allocator.cpp - Memory for compiled models -------------------------===//

#include "strata/Runtime/Allocator.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void strata::keepTemporariesInHeap() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}

namespace {
/// What precedes each block: its size and alignment, so that a freed block
/// goes back to the right list. The header takes `alignment` bytes, which
/// keeps the block aligned.
struct Header {
  size_t size;
  size_t alignment;
};

struct KeptBlocks {
  std::mutex mutex;
  /// (size, alignment) -> freed blocks.
  std::map<std::pair<size_t, size_t>, std::vector<void *>> lists;
  size_t bytes = 0;
};

KeptBlocks &kept() {
  // Never destroyed: compiled code may free blocks during exit.
  static KeptBlocks *blocks = new KeptBlocks();
  return *blocks;
}

Header *headerOf(void *block) {
  return reinterpret_cast<Header *>(static_cast<char *>(block) -
                                    sizeof(Header));
}
} // namespace

void *strata::allocTemporary(size_t size, size_t alignment) {
  alignment = std::max<size_t>(alignment, 64);
  if ((alignment & (alignment - 1)) != 0)
    return nullptr;
  {
    KeptBlocks &blocks = kept();
    std::lock_guard<std::mutex> lock(blocks.mutex);
    auto it = blocks.lists.find({size, alignment});
    if (it != blocks.lists.end() && !it->second.empty()) {
      void *block = it->second.back();
      it->second.pop_back();
      blocks.bytes -= size;
      return block;
    }
  }
  void *base = nullptr;
  if (size > SIZE_MAX - alignment ||
      posix_memalign(&base, alignment, alignment + size) != 0)
    return nullptr;
  void *block = static_cast<char *>(base) + alignment;
  *headerOf(block) = Header{size, alignment};
  return block;
}

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define STRATA_NO_KEPT_TEMPORARIES
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define STRATA_NO_KEPT_TEMPORARIES
#endif

void strata::freeTemporary(void *block) {
  if (!block)
    return;
  Header header = *headerOf(block);
#ifndef STRATA_NO_KEPT_TEMPORARIES
  // (Under AddressSanitizer every block is freed at once, so that the
  // sanitizer's allocator sees each block's lifetime.)
  {
    KeptBlocks &blocks = kept();
    std::lock_guard<std::mutex> lock(blocks.mutex);
    if (blocks.bytes + header.size <= kMaxKeptTemporaryBytes) {
      blocks.lists[{header.size, header.alignment}].push_back(block);
      blocks.bytes += header.size;
      return;
    }
  }
#endif
  std::free(static_cast<char *>(block) - header.alignment);
}

void strata::releaseKeptTemporaries() {
  KeptBlocks &blocks = kept();
  std::lock_guard<std::mutex> lock(blocks.mutex);
  for (auto &[key, list] : blocks.lists)
    for (void *block : list)
      std::free(static_cast<char *>(block) - key.second);
  blocks.lists.clear();
  blocks.bytes = 0;
}
