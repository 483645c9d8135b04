//===- CompileReport.h - Progress and timing of a compilation ---*- C++ -*-===//
//
// strata-run's view of a compilation's phases (CompileOptions::onPhaseStart
// and onPhaseEnd): on a terminal, a compile that runs longer than a couple
// of seconds shows the phase it is in; --timing prints each phase's wall
// time afterwards.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_TOOLS_STRATA_RUN_COMPILEREPORT_H
#define STRATA_TOOLS_STRATA_RUN_COMPILEREPORT_H

#include "strata/Execution/CompiledModel.h"

#include "llvm/ADT/StringRef.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace llvm {
class raw_ostream;
} // namespace llvm

namespace strata {

class CompileReport {
public:
  /// `showProgress`: write the current phase to stderr if the compilation
  /// takes longer than a couple of seconds (the caller checks for a
  /// terminal and --quiet).
  explicit CompileReport(bool showProgress);
  ~CompileReport();

  void startPhase(llvm::StringRef phase);
  void endPhase(llvm::StringRef phase, double seconds);
  /// Stops the progress display and erases its line.
  void finish();

  /// Each phase and its seconds, in order, then the total.
  void print(llvm::raw_ostream &os) const;

private:
  void showLoop();

  PhaseTimes phases;
  std::chrono::steady_clock::time_point begin;

  // The progress display's thread and what it shows.
  std::thread display;
  std::mutex mutex;
  std::condition_variable changed;
  std::string current;
  bool done = false;
};

} // namespace strata

#endif // STRATA_TOOLS_STRATA_RUN_COMPILEREPORT_H
