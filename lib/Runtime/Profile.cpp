//===- Profile.cpp - Per-kernel times of compiled models ------------------===//

#include "strata/Runtime/Profile.h"

#include <algorithm>
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

static double upperMedian(std::vector<double> values) {
  if (values.empty())
    return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

ProfileSummary summarizeProfile(const KernelProfile &profile,
                                const RunSpans &runs, size_t kernelCount) {
  // Milliseconds per kernel and run; events are in run order.
  std::vector<std::vector<double>> times(kernelCount,
                                         std::vector<double>(runs.size(), 0.0));
  std::vector<int64_t> calls(kernelCount, 0);
  size_t run = 0;
  for (const KernelEvent &e : profile.events) {
    while (run + 1 < runs.size() && e.startNs >= runs[run].second)
      ++run;
    if (runs.empty() || e.kernel < 0 || size_t(e.kernel) >= kernelCount ||
        !e.endNs)
      continue;
    times[e.kernel][run] += (e.endNs - e.startNs) / 1e6;
    ++calls[e.kernel];
  }
  ProfileSummary summary;
  std::vector<double> latencies, sums(runs.size(), 0.0);
  for (auto [start, end] : runs)
    latencies.push_back((end - start) / 1e6);
  for (size_t k = 0; k < kernelCount; ++k) {
    for (size_t r = 0; r < runs.size(); ++r)
      sums[r] += times[k][r];
    summary.kernels.push_back(
        {upperMedian(times[k]),
         runs.empty() ? 0 : calls[k] / int64_t(runs.size())});
  }
  summary.latencyMs = upperMedian(latencies);
  summary.kernelsMs = upperMedian(sums);
  return summary;
}

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
