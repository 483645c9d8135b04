//===- KernelReport.h - strata-run --profile --------------------*- C++ -*-===//
//
// The per-kernel profile of strata-run's timed runs: a table of each
// kernel's time per run by the model's nodes it computes (the trace file
// is strata::writeKernelTrace's).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TOOLS_STRATA_RUN_KERNELREPORT_H
#define STRATA_TOOLS_STRATA_RUN_KERNELREPORT_H

#include "strata/Execution/CompiledModel.h"

#include <string>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace strata {

/// Prints each kernel's median time per run, from the slowest, with its
/// share and nodes, then the kernels' total against the latency.
void printKernelTable(llvm::raw_ostream &os,
                      const std::vector<KernelInfo> &kernels,
                      const KernelProfile &profile, const RunSpans &runs);

} // namespace strata

#endif // STRATA_TOOLS_STRATA_RUN_KERNELREPORT_H
