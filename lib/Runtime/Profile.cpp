//===- Profile.cpp - Per-kernel times of compiled models ------------------===//

#include "strata/Runtime/Profile.h"

#include <atomic>
#include <chrono>

namespace strata {

// A model's entry function runs on the thread that calls it (its kernels
// fork OpenMP threads inside their calls), so the profile is per thread:
// concurrent runs on several threads profile apart.
static thread_local KernelProfile *currentProfile = nullptr;

void setThreadProfile(KernelProfile *profile) { currentProfile = profile; }

// Process-wide: the OpenMP threads of a kernel read what the thread that
// called it wrote.
static std::atomic<int64_t> lastKernel{-1};

int64_t lastStartedKernel() {
  return lastKernel.load(std::memory_order_relaxed);
}

int64_t profileClockNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

} // namespace strata

extern "C" void strata_profile_begin(int64_t kernel) {
  strata::lastKernel.store(kernel, std::memory_order_relaxed);
  if (strata::KernelProfile *profile = strata::currentProfile)
    profile->events.push_back({kernel, strata::profileClockNs(), 0});
}

extern "C" void strata_profile_end(int64_t kernel) {
  strata::KernelProfile *profile = strata::currentProfile;
  if (!profile || profile->events.empty() ||
      profile->events.back().kernel != kernel)
    return;
  profile->events.back().endNs = strata::profileClockNs();
}
