//===- KernelReport.cpp - strata-run --profile ----------------------------===//

#include "KernelReport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

namespace strata {

/// A kernel's label: its nodes, or its symbol if it has none.
static std::string label(const KernelInfo &kernel) {
  std::string text;
  for (const std::string &node : kernel.nodes)
    text += (text.empty() ? "" : ", ") + node;
  return text.empty() ? kernel.symbol : text;
}

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
       << label(kernels[k]) << "\n";
  os << llvm::format("kernels: %.3f ms of a %.3f ms run (%.0f%%)\n",
                     summary.kernelsMs, summary.latencyMs,
                     summary.latencyMs > 0
                         ? 100 * summary.kernelsMs / summary.latencyMs
                         : 0.0);
}

bool writeKernelTrace(const std::string &path,
                      const std::vector<KernelInfo> &kernels,
                      const KernelProfile &profile, const RunSpans &runs,
                      std::string &error) {
  std::error_code ec;
  llvm::raw_fd_ostream file(path, ec, llvm::sys::fs::OF_Text);
  if (ec) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  int64_t origin = runs.empty() ? 0 : runs.front().first;
  auto event = [&](llvm::json::OStream &json, const std::string &name,
                   const char *category, int64_t start, int64_t end) {
    json.attribute("name", name);
    json.attribute("cat", category);
    json.attribute("ph", "X");
    json.attribute("pid", 1);
    json.attribute("tid", 1);
    json.attribute("ts", (start - origin) / 1e3);
    json.attribute("dur", (end - start) / 1e3);
  };
  llvm::json::OStream json(file);
  json.object([&] {
    json.attribute("displayTimeUnit", "ms");
    json.attributeArray("traceEvents", [&] {
      for (auto [i, span] : llvm::enumerate(runs))
        json.object([&] {
          event(json, "run " + std::to_string(i), "run", span.first,
                span.second);
        });
      for (const KernelEvent &e : profile.events) {
        if (e.kernel < 0 || size_t(e.kernel) >= kernels.size() || !e.endNs)
          continue;
        const KernelInfo &kernel = kernels[e.kernel];
        json.object([&] {
          event(json, label(kernel), "kernel", e.startNs, e.endNs);
          json.attributeObject("args", [&] {
            json.attribute("kernel", kernel.symbol);
            json.attributeArray("nodes", [&] {
              for (const std::string &node : kernel.nodes)
                json.value(node);
            });
          });
        });
      }
    });
  });
  file << "\n";
  return true;
}

} // namespace strata
