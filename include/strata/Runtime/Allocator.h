//===- Allocator.h - Allocator settings for compiled models -----*- C++ -*-===//
//
// Compiled code allocates its temporaries (activations, im2col matrices)
// on every run. By default glibc serves blocks over 128 KiB with fresh
// mmaps and returns freed heap tops to the system, so every run faults its
// temporaries' pages in again. Keeping such blocks in the heap avoids that,
// at the price of a process that holds on to its peak heap.
//
// This is a process-wide setting, so the library never makes it on its
// own: the program that owns the process decides (strata-run does; Python
// users call strata.keep_temporaries_in_heap()).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_ALLOCATOR_H
#define STRATA_RUNTIME_ALLOCATOR_H

namespace strata {

/// Makes the C library keep blocks of up to 32 MiB in the heap and trim it
/// only above 512 MiB of free space (glibc's mallopt). No effect elsewhere.
void keepTemporariesInHeap();

} // namespace strata

#endif // STRATA_RUNTIME_ALLOCATOR_H
