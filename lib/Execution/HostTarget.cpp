//===- HostTarget.cpp - The CPU compiled code is generated for ------------===//

#include "HostTarget.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/TargetParser/Host.h"

namespace strata {

const std::string &hostCPUName() {
  static const std::string name = llvm::sys::getHostCPUName().str();
  return name;
}

const std::string &hostTargetFeatures() {
  static const std::string features = [] {
    std::string list;
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      list += (list.empty() ? "" : ",") +
              std::string(feature.getValue() ? "+" : "-") +
              feature.getKey().str();
    // With the kernels' buffers known apart (strata-apply-noalias-args), the
    // loop vectorizer vectorizes the outer loop over short strided rows with
    // scatters, slower than the scalar stores they replace on AVX-512 hosts
    // (docs/performance.md, "Kernels as functions"). Explicit gathers (the
    // sparse kernels') are unaffected.
    return list + ",+prefer-no-scatter";
  }();
  return features;
}

} // namespace strata
