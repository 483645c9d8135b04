//===- ThreadProfile.cpp - Per-loop thread times from OpenMP --------------===//
//
// The OpenMP runtime looks for `ompt_start_tool` in the process when it
// starts; strata-run exports it (ENABLE_EXPORTS). It returns the callbacks
// only when --thread-profile asked for them, so other runs pay nothing.
//
// Each thread records into its own column of each loop's row; the lock
// guards only the table of loops, looked up at each loop's start.
//
//===----------------------------------------------------------------------===//

#include "ThreadProfile.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <omp-tools.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <mutex>

namespace {

using Clock = std::chrono::steady_clock;

/// Threads beyond this many are not profiled.
constexpr int kMaxThreads = 64;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

struct Loop {
  unsigned region = 0;     // parallel region of the run it belongs to
  uint64_t iterations = 0; // of the whole loop
  int64_t kernel = -1;     // the kernel it runs in (KernelInfo's index)
  double work[kMaxThreads] = {};
  double wait[kMaxThreads] = {};
};

struct Profile {
  std::atomic<bool> requested{false};
  std::atomic<bool> runtimeStarted{false};
  std::atomic<bool> collecting{false};
  std::atomic<int> threadsSeen{0};

  std::mutex mutex;
  llvm::DenseMap<const void *, Loop *> loopsByCode;
  std::deque<Loop> loops; // in first-run order; stable addresses

  // Main thread only.
  unsigned regionInRun = 0;
  unsigned regions = 0;
  Clock::time_point regionStart, runStart;
  double regionMs = 0, runMs = 0;

  Loop *loopAt(const void *code, uint64_t iterations) {
    std::lock_guard<std::mutex> lock(mutex);
    Loop *&loop = loopsByCode[code];
    if (!loop) {
      loop = &loops.emplace_back();
      loop->region = regionInRun ? regionInRun - 1 : 0;
      loop->iterations = iterations;
      loop->kernel = strata::lastStartedKernel();
    }
    return loop;
  }
};

Profile &profile() {
  static Profile p;
  return p;
}

thread_local int threadIndex = -1;
thread_local Loop *lastLoop = nullptr;
thread_local Clock::time_point loopStart, waitStart;

void onThreadBegin(ompt_thread_t, ompt_data_t *) {
  threadIndex = profile().threadsSeen.fetch_add(1);
}

bool profiled() {
  return profile().collecting.load(std::memory_order_relaxed) &&
         threadIndex >= 0 && threadIndex < kMaxThreads;
}

void onParallelBegin(ompt_data_t *, const ompt_frame_t *, ompt_data_t *,
                     unsigned, int, const void *) {
  if (!profiled())
    return;
  Profile &p = profile();
  ++p.regionInRun;
  ++p.regions;
  p.regionStart = Clock::now();
}

void onParallelEnd(ompt_data_t *, ompt_data_t *, int, const void *) {
  if (!profiled())
    return;
  profile().regionMs += msSince(profile().regionStart);
}

void onWork(ompt_work_t kind, ompt_scope_endpoint_t endpoint, ompt_data_t *,
            ompt_data_t *, uint64_t count, const void *code) {
  if (kind != ompt_work_loop && kind != ompt_work_loop_static &&
      kind != ompt_work_loop_dynamic && kind != ompt_work_loop_guided &&
      kind != ompt_work_loop_other)
    return;
  if (!profiled())
    return;
  if (endpoint == ompt_scope_begin) {
    lastLoop = profile().loopAt(code, count);
    loopStart = Clock::now();
  } else if (lastLoop) {
    lastLoop->work[threadIndex] += msSince(loopStart);
  }
}

void onSyncWait(ompt_sync_region_t, ompt_scope_endpoint_t endpoint,
                ompt_data_t *, ompt_data_t *, const void *) {
  if (!profiled())
    return;
  if (endpoint == ompt_scope_begin)
    waitStart = Clock::now();
  else if (lastLoop)
    lastLoop->wait[threadIndex] += msSince(waitStart);
}

int initialize(ompt_function_lookup_t lookup, int, ompt_data_t *) {
  auto setCallback =
      reinterpret_cast<ompt_set_callback_t>(lookup("ompt_set_callback"));
  if (!setCallback)
    return 0;
  setCallback(ompt_callback_thread_begin,
              reinterpret_cast<ompt_callback_t>(&onThreadBegin));
  setCallback(ompt_callback_parallel_begin,
              reinterpret_cast<ompt_callback_t>(&onParallelBegin));
  setCallback(ompt_callback_parallel_end,
              reinterpret_cast<ompt_callback_t>(&onParallelEnd));
  setCallback(ompt_callback_work, reinterpret_cast<ompt_callback_t>(&onWork));
  setCallback(ompt_callback_sync_region_wait,
              reinterpret_cast<ompt_callback_t>(&onSyncWait));
  return 1; // keep the tool
}

void finalize(ompt_data_t *) {}

} // namespace

extern "C" ompt_start_tool_result_t *ompt_start_tool(unsigned, const char *) {
  Profile &p = profile();
  p.runtimeStarted = true;
  if (!p.requested)
    return nullptr;
  static ompt_start_tool_result_t result = {&initialize, &finalize, {0}};
  return &result;
}

bool strata::requestThreadProfile(const char *&error) {
  Profile &p = profile();
  if (p.runtimeStarted) {
    error = "the OpenMP runtime started before the thread profile was asked "
            "for";
    return false;
  }
  // Code from MLIR's OpenMP lowering makes libomp warn, once, that it
  // cannot tell the loop's schedule from the call ("Cannot determine
  // workshare type"); all loops are counted alike here.
  setenv("KMP_WARNINGS", "0", /*overwrite=*/0);
  p.requested = true;
  return true;
}

void strata::startThreadProfile() { profile().collecting = true; }

void strata::stopThreadProfile() { profile().collecting = false; }

void strata::beginProfiledRun() {
  Profile &p = profile();
  p.regionInRun = 0;
  p.runStart = Clock::now();
}

void strata::endProfiledRun() {
  profile().runMs += msSince(profile().runStart);
}

void strata::printThreadProfile(llvm::raw_ostream &os, unsigned runs,
                                const std::vector<KernelInfo> &kernels) {
  Profile &p = profile();
  std::lock_guard<std::mutex> lock(p.mutex);
  int threads = std::min(p.threadsSeen.load(), kMaxThreads);
  double per = runs ? 1.0 / runs : 0;
  if (p.loops.empty()) {
    os << "thread profile: no parallel loop ran (code compiled for one "
          "thread, or ops too small to share out)\n";
    return;
  }
  os << llvm::format("thread profile: %d threads; ms per run, mean of %u "
                     "runs\n",
                     threads, runs);
  os << "loop region iterations | work per thread";
  os.indent(std::max(0, 9 * threads - 16)) << " | wait after the loop";
  os.indent(std::max(0, 9 * threads - 19)) << " | nodes\n";
  auto row = [&](const double *work, const double *wait, int64_t kernel) {
    os << " | ";
    for (int t = 0; t < threads; ++t)
      os << llvm::format("%8.3f ", work[t] * per);
    os << "| ";
    for (int t = 0; t < threads; ++t)
      os << llvm::format("%8.3f ", wait[t] * per);
    if (kernel >= 0 && size_t(kernel) < kernels.size()) {
      const KernelInfo &info = kernels[kernel];
      os << "| ";
      if (info.nodes.empty())
        os << info.symbol;
      for (size_t i = 0; i < info.nodes.size(); ++i)
        os << (i ? ", " : "") << info.nodes[i];
    }
    os << "\n";
  };
  double workSum[kMaxThreads] = {}, waitSum[kMaxThreads] = {};
  unsigned index = 0;
  for (const Loop &loop : p.loops) {
    os << llvm::format("%4u %6u %10llu", index++, loop.region,
                       (unsigned long long)loop.iterations);
    row(loop.work, loop.wait, loop.kernel);
    for (int t = 0; t < threads; ++t) {
      workSum[t] += loop.work[t];
      waitSum[t] += loop.wait[t];
    }
  }
  os << "all                   ";
  row(workSum, waitSum, -1);
  os << llvm::format("run: %.3f ms = %.3f ms in %.1f parallel regions + "
                     "%.3f ms outside them (one thread)\n",
                     p.runMs * per, p.regionMs * per, p.regions * per,
                     (p.runMs - p.regionMs) * per);
  os << "(a thread's wait after a region's last loop includes the time until "
        "the next region)\n";
}
