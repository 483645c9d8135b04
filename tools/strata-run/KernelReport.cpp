//===- KernelReport.cpp - strata-run --profile ----------------------------===//

#include "KernelReport.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace strata {

void printKernelTable(llvm::raw_ostream &os,
                      const std::vector<KernelInfo> &kernels,
                      const KernelProfile &profile, const RunSpans &runs) {
  ProfileSummary summary = summarizeProfile(profile, runs, kernels.size());
  std::vector<std::pair<double, size_t>> rows;
  double total = 0;
  for (auto [k, kernel] : llvm::enumerate(summary.kernels)) {
    rows.emplace_back(kernel.medianMs, k);
    total += kernel.medianMs;
  }
  std::sort(rows.begin(), rows.end(),
            [](auto &a, auto &b) { return a.first > b.first; });
  os << "kernel profile (median per run):\n";
  os << llvm::format("%9s %6s  %s\n", "time (ms)", "%", "nodes (kernel)");
  for (auto [t, k] : rows)
    os << llvm::format("%9.3f %6.1f  ", t, total > 0 ? 100 * t / total : 0.0)
       << kernelLabel(kernels[k]) << "\n";
  os << llvm::format("kernels: %.3f ms of a %.3f ms run (%.0f%%)\n",
                     summary.kernelsMs, summary.latencyMs,
                     summary.latencyMs > 0
                         ? 100 * summary.kernelsMs / summary.latencyMs
                         : 0.0);
}

} // namespace strata
