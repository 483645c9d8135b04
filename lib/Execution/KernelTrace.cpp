//===- KernelTrace.cpp - Kernel profiles as Chrome-trace JSON -------------===//

#include "strata/Execution/CompiledModel.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

namespace strata {

std::string kernelLabel(const KernelInfo &kernel) {
  std::string text;
  for (const std::string &node : kernel.nodes)
    text += (text.empty() ? "" : ", ") + node;
  return text.empty() ? kernel.symbol : text;
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
          event(json, kernelLabel(kernel), "kernel", e.startNs, e.endNs);
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
