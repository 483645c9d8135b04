//===- HostTarget.cpp - What the kernels' sizes are chosen from -----------===//
//
// The host CPU's vector width and cache sizes, from which the passes pick
// their register tiles and blocks (declared in strata/Transforms/Passes.h).
//
//===----------------------------------------------------------------------===//

#include "strata/Transforms/Passes.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

#include <unistd.h>

int64_t strata::hostVectorLanes() {
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    return 16;
  if (features.lookup("avx2") || features.lookup("avx"))
    return 8;
  return 4;
}

int64_t strata::hostL2CacheBytes() {
  long bytes = sysconf(_SC_LEVEL2_CACHE_SIZE);
  return bytes > 0 ? bytes : 1024 * 1024;
}
