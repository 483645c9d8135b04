//===- CompileReport.cpp - Progress and timing of a compilation -----------===//

#include "CompileReport.h"

#include "llvm/Support/raw_ostream.h"

namespace strata {

/// Compilations shorter than this show no progress (no flicker).
static constexpr std::chrono::milliseconds kQuietPeriod(2000);

CompileReport::CompileReport(bool showProgress)
    : begin(std::chrono::steady_clock::now()) {
  if (showProgress)
    display = std::thread([this] { showLoop(); });
}

CompileReport::~CompileReport() { finish(); }

void CompileReport::startPhase(llvm::StringRef phase) {
  std::lock_guard<std::mutex> lock(mutex);
  current = phase.str();
  changed.notify_all();
}

void CompileReport::endPhase(llvm::StringRef phase, double seconds) {
  phases.emplace_back(phase.str(), seconds);
}

void CompileReport::finish() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
    changed.notify_all();
  }
  if (display.joinable())
    display.join();
}

void CompileReport::showLoop() {
  std::unique_lock<std::mutex> lock(mutex);
  if (changed.wait_until(lock, begin + kQuietPeriod, [&] { return done; }))
    return;
  size_t width = 0;
  std::string shown;
  while (!done) {
    if (current != shown) {
      shown = current;
      std::string line = "strata-run: compiling (" + shown + ")...";
      // Pad over a longer previous line.
      size_t length = line.size();
      line.resize(std::max(width, length), ' ');
      width = length;
      llvm::errs() << "\r" << line;
      llvm::errs().flush();
    }
    changed.wait(lock);
  }
  llvm::errs() << "\r" << std::string(width, ' ') << "\r";
  llvm::errs().flush();
}

void CompileReport::print(llvm::raw_ostream &os) const {
  printCompileTimes(os, phases);
}

} // namespace strata
