//===- Allocator.h - Memory for compiled models ------------------*- C++
//-*-===//
//
// Compiled code allocates its temporaries (activations, im2col matrices,
// transposed operands) on every run. Two things keep that cheap:
//
// - The compiled code allocates through the generic memref allocation
//   functions (`_mlir_memref_to_llvm_alloc`, `..._aligned_alloc`,
//   `..._free`), which this library defines with allocTemporary/freeTemporary below:
//   freed blocks are kept for the next temporary that fits, in this run or
//   the next, so a run reuses the previous run's pages instead of faulting
//   fresh ones in. (With the C
//   library's malloc, glibc could return the heap top to the system on
//   every run, depending on the heap's layout after compilation: the same
//   model then ran 3x slower in some processes than in others.)
// - keepTemporariesInHeap: a process-wide setting for everything else the
//   program allocates per run (Python's output arrays), which the library
//   never makes on its own: the program that owns the process decides
//   (strata-run does; Python users call strata.keep_temporaries_in_heap()).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_ALLOCATOR_H
#define STRATA_RUNTIME_ALLOCATOR_H

#include <cstddef>

namespace strata {

/// Makes the C library keep blocks of up to 32 MiB in the heap and trim it
/// only above 512 MiB of free space (glibc's mallopt). No effect elsewhere.
void keepTemporariesInHeap();

/// A block of `size` bytes aligned to `alignment` (a power of two; at least
/// 64), reused when a kept block fits: the smallest of at most twice the
/// size, and of those the most recently freed, whose bytes are the
/// likeliest to be in cache (the compiled code frees each temporary after
/// its last use, so a chain of kernels cycles through a few blocks).
/// Thread-safe. Null if the system has no memory.
void *allocTemporary(size_t size, size_t alignment);

/// Gives back a block from allocTemporary (null is ignored). It is kept for
/// reuse while the blocks kept take less than kMaxKeptTemporaryBytes, else
/// freed.
void freeTemporary(void *block);

/// Frees every block kept for reuse.
void releaseKeptTemporaries();

/// The most bytes of freed temporaries kept for reuse.
inline constexpr size_t kMaxKeptTemporaryBytes = size_t(1) << 30;

} // namespace strata

#endif // STRATA_RUNTIME_ALLOCATOR_H
