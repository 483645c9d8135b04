//===- Profile.h - Per-kernel times of compiled models ----------*- C++ -*-===//
//
// The CPU pipeline gives every loop nest of a model a function of its own
// (strata-outline-kernels) and, with `profile` on (the default), calls
// strata_profile_begin/end around each call with the kernel's number. The
// calls record into the profile the calling thread has set, and return at
// once when it has none: two calls per kernel are all that profiling costs
// a run that does not profile.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_PROFILE_H
#define STRATA_RUNTIME_PROFILE_H

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace strata {

/// One call of a kernel, in nanoseconds of a monotonic clock.
struct KernelEvent {
  int64_t kernel;
  int64_t startNs;
  int64_t endNs;
};

/// The kernel calls of the runs made while it was set on a thread.
struct KernelProfile {
  std::vector<KernelEvent> events;
};

/// Each profiled run's start and end (profileClockNs).
using RunSpans = std::vector<std::pair<int64_t, int64_t>>;

/// A kernel's share of the profiled runs.
struct KernelSummary {
  double medianMs = 0;     // its time per run, median over the runs
  int64_t callsPerRun = 0; // its calls, over the number of runs
};

/// What the runs of a profile add up to: each kernel (by number, for
/// `kernelCount` kernels), the median latency, and the median of each
/// run's kernel total (the rest is the glue between kernels). Events count
/// in the run during which they start. Medians are the upper middle.
struct ProfileSummary {
  std::vector<KernelSummary> kernels;
  double latencyMs = 0;
  double kernelsMs = 0;
};
ProfileSummary summarizeProfile(const KernelProfile &profile,
                                const RunSpans &runs, size_t kernelCount);

/// Makes the calling thread's runs record into `profile`; null stops.
void setThreadProfile(KernelProfile *profile);

/// The clock of the events, in nanoseconds.
int64_t profileClockNs();

/// The number of the kernel the process started last, whether or not it
/// profiles (-1 before any): tools that watch parallel loops
/// (strata-run --thread-profile) name them by it.
int64_t lastStartedKernel();

} // namespace strata

// The functions the compiled code calls (a model's shared object links them
// from this library).
extern "C" void strata_profile_begin(int64_t kernel);
extern "C" void strata_profile_end(int64_t kernel);

#endif // STRATA_RUNTIME_PROFILE_H
