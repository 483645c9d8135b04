//===- Allocator.cpp - Process allocator settings -------------------------===//

#include "strata/Runtime/Allocator.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void strata::keepTemporariesInHeap() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
#endif
}
