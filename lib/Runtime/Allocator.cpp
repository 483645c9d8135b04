//===- Allocator.cpp - Memory for compiled models -------------------------===//

#include "strata/Runtime/Allocator.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <mutex>

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
  /// Freed blocks by size; blocks of one size in the order they were freed.
  std::multimap<size_t, void *> bySize;
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
    // The smallest kept block that holds `size` bytes without wasting
    // more than half of it, the most recently freed of its size (whose
    // bytes are the likeliest to be in cache).
    for (auto it = blocks.bySize.lower_bound(size);
         it != blocks.bySize.end() && it->first / 2 <= size; ++it) {
      auto last = std::prev(blocks.bySize.upper_bound(it->first));
      for (auto candidate = last;; --candidate) {
        if (headerOf(candidate->second)->alignment % alignment == 0) {
          void *block = candidate->second;
          blocks.bytes -= candidate->first;
          blocks.bySize.erase(candidate);
          return block;
        }
        if (candidate == it)
          break;
      }
      it = last;
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
      blocks.bySize.emplace(header.size, block);
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
  for (auto &[size, block] : blocks.bySize)
    std::free(static_cast<char *>(block) - headerOf(block)->alignment);
  blocks.bySize.clear();
  blocks.bytes = 0;
}

// The generic allocation functions the compiled code calls
// (finalize-memref-to-llvm with use-generic-functions).
extern "C" void *_mlir_memref_to_llvm_alloc(uint64_t size) {
  return strata::allocTemporary(size, 64);
}
extern "C" void *_mlir_memref_to_llvm_aligned_alloc(uint64_t alignment,
                                                    uint64_t size) {
  return strata::allocTemporary(size, alignment);
}
extern "C" void _mlir_memref_to_llvm_free(void *block) {
  strata::freeTemporary(block);
}
