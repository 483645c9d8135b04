//===- ProfileTest.cpp - Per-kernel profiles ------------------------------===//

#include "strata/Runtime/Profile.h"

#include <gtest/gtest.h>

using namespace strata;

// Two kernels over three runs of 10 ms each (times in ns): kernel 0 runs
// once per run (1, 2, 3 ms), kernel 1 twice per run (1 + 1 ms).
TEST(KernelProfiles, SummaryByRun) {
  constexpr int64_t ms = 1000000;
  RunSpans runs = {{0, 10 * ms}, {10 * ms, 20 * ms}, {20 * ms, 30 * ms}};
  KernelProfile profile;
  for (int64_t r = 0; r < 3; ++r) {
    int64_t base = r * 10 * ms;
    profile.events.push_back({0, base, base + (r + 1) * ms});
    profile.events.push_back({1, base + 4 * ms, base + 5 * ms});
    profile.events.push_back({1, base + 6 * ms, base + 7 * ms});
  }
  // An unfinished call and a kernel number out of range do not count.
  profile.events.push_back({0, 25 * ms, 0});
  profile.events.push_back({7, 26 * ms, 27 * ms});

  ProfileSummary summary = summarizeProfile(profile, runs, 2);
  ASSERT_EQ(summary.kernels.size(), 2u);
  EXPECT_DOUBLE_EQ(summary.kernels[0].medianMs, 2.0);
  EXPECT_EQ(summary.kernels[0].callsPerRun, 1);
  EXPECT_DOUBLE_EQ(summary.kernels[1].medianMs, 2.0);
  EXPECT_EQ(summary.kernels[1].callsPerRun, 2);
  EXPECT_DOUBLE_EQ(summary.latencyMs, 10.0);
  // Run totals 3, 4, 5 ms.
  EXPECT_DOUBLE_EQ(summary.kernelsMs, 4.0);
}

TEST(KernelProfiles, EmptySummary) {
  ProfileSummary summary = summarizeProfile(KernelProfile(), RunSpans(), 3);
  ASSERT_EQ(summary.kernels.size(), 3u);
  EXPECT_EQ(summary.kernels[0].callsPerRun, 0);
  EXPECT_DOUBLE_EQ(summary.latencyMs, 0.0);
  EXPECT_DOUBLE_EQ(summary.kernelsMs, 0.0);
}
