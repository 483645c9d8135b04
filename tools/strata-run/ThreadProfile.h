//===- ThreadProfile.h - Per-loop thread times from OpenMP ------*- C++ -*-===//
//
// strata-run --thread-profile: through the OpenMP tool interface (OMPT),
// times what each thread does in every worksharing loop of the compiled
// code (working, then waiting at the barrier after it) and how long the
// main thread runs alone between parallel regions. This tells a loop whose
// work is split unevenly from a thread that runs slower, and both from
// serial code.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TOOLS_STRATA_RUN_THREADPROFILE_H
#define STRATA_TOOLS_STRATA_RUN_THREADPROFILE_H

#include "strata/Execution/CompiledModel.h"

#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace strata {

/// Asks the OpenMP runtime for the callbacks. Must be called before the
/// runtime starts (before anything is compiled or run); returns false, with
/// a message in `error`, if it has already started.
bool requestThreadProfile(const char *&error);

/// Collects only between start and stop (the timed runs), each run
/// between begin and end.
void startThreadProfile();
void stopThreadProfile();
void beginProfiledRun();
void endProfiledRun();

/// Prints the table, as per-run averages over `runs` runs, each loop named
/// by the nodes of the kernel it ran in.
void printThreadProfile(llvm::raw_ostream &os, unsigned runs,
                        const std::vector<KernelInfo> &kernels);

} // namespace strata

#endif // STRATA_TOOLS_STRATA_RUN_THREADPROFILE_H
