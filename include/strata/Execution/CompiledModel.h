//===- CompiledModel.h - JIT-compiled models for the host CPU ---*- C++ -*-===//
//
// Compiles a module (graph dialect or any level below it) through the CPU
// pipeline to machine code for the host CPU (ORC JIT, LLVM -O3, the host's
// vector extensions) and runs its entry function on host tensors. Shared by
// strata-run and the Python bindings.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_EXECUTION_COMPILEDMODEL_H
#define STRATA_EXECUTION_COMPILEDMODEL_H

#include "strata/Pipelines/Pipelines.h"
#include "strata/Runtime/Profile.h"
#include "strata/Runtime/Tensor.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/FunctionExtras.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mlir {
class ExecutionEngine;
} // namespace mlir

namespace strata {

/// The number of threads models run on by default: the machine's cores.
int defaultThreadCount();

struct CompileOptions {
  /// Threads the compiled code's parallel loops run on (OpenMP).
  int threads = defaultThreadCount();
  /// The function to run; empty means the module's only public function.
  std::string entry;
  /// Constant matmul weights with a lower density become sparse (0: never).
  double sparseThreshold = CPUPipelineOptions::kDefaultSparseThreshold;
  /// Compile in the kernel timing calls (CPUPipelineOptions::profile).
  bool profile = true;
  /// Called with the IR after each stage of the CPU pipeline (for dumps).
  std::function<void(CPUStage, mlir::ModuleOp)> observer;
  /// Called when each phase of the compilation starts (progress display)
  /// and when it ends, with its wall time in seconds (`--timing`). The
  /// phases, in order: the CPU pipeline's stages by name, then
  /// "llvm-translate" (LLVM dialect to LLVM IR), "llvm-optimize" (-O3) and
  /// "machine-code" (instruction selection to executable code).
  std::function<void(llvm::StringRef phase)> onPhaseStart;
  std::function<void(llvm::StringRef phase, double seconds)> onPhaseEnd;
};

/// A kernel of the compiled code (a loop nest in a function of its own,
/// strata-outline-kernels): its symbol and the model's nodes it computes
/// (the ONNX node names of its location).
struct KernelInfo {
  std::string symbol;
  std::vector<std::string> nodes;
};

class CompiledModel {
public:
  ~CompiledModel();

  /// Compiles `module` in place for the host CPU. Diagnostics go to the
  /// module's context; returns null on failure.
  static std::unique_ptr<CompiledModel> compile(mlir::ModuleOp module,
                                                const CompileOptions &options);

  const std::string &entry() const { return entry_; }
  const std::vector<TensorSpec> &inputs() const { return inputs_; }
  const std::vector<TensorSpec> &outputs() const { return outputs_; }

  /// The number of threads run() uses (at least 1).
  int threads() const { return threads_; }
  void setThreads(int threads) { threads_ = threads < 1 ? 1 : threads; }

  /// Runs the entry function. `inputs` and `outputs` point to dense
  /// row-major buffers matching inputs() and outputs(); outputs are written
  /// in place. Safe to call from several threads at once.
  void run(const std::vector<const void *> &inputs,
           const std::vector<void *> &outputs) const;
  /// Runs as run() does and appends the kernels' calls to `profile`, whose
  /// events name kernels by their index in kernels(). Needs a model
  /// compiled with `profile` (kernels() is empty otherwise).
  void run(const std::vector<const void *> &inputs,
           const std::vector<void *> &outputs, KernelProfile &profile) const;

  /// The kernels that profiles time, by number.
  const std::vector<KernelInfo> &kernels() const { return kernels_; }

private:
  CompiledModel() = default;

  std::string entry_;
  int threads_ = 1;
  std::vector<TensorSpec> inputs_, outputs_;
  std::vector<KernelInfo> kernels_;
  /// Weights, bound to the compiled code by symbol name; they must outlive
  /// engine_ (declared first, destroyed last).
  std::vector<std::unique_ptr<char[]>> constants_;
  std::vector<std::pair<std::string, const void *>> constantSymbols_;
  std::unique_ptr<mlir::ExecutionEngine> engine_;
  void (*invoke_)(void **) = nullptr;
};

/// The function of `module` to run: the one called `name`, or if `name` is
/// empty the only public function with a body. Emits an error naming the
/// functions there are and fails otherwise (a usage error, checked by
/// strata-run before it compiles).
mlir::FailureOr<mlir::func::FuncOp> findEntryFunction(mlir::ModuleOp module,
                                                      llvm::StringRef name);

/// The inputs and outputs of `entry` as the compiled model takes and
/// returns them (known before compiling, to check inputs early). Emits an
/// error and fails if a type is not one an entry function can have
/// (statically shaped tensors of a DType, of bounded size).
mlir::LogicalResult entrySignature(mlir::func::FuncOp entry,
                                   std::vector<TensorSpec> &inputs,
                                   std::vector<TensorSpec> &outputs);

/// A kernel's name for people: its nodes, or its symbol if it has none.
std::string kernelLabel(const KernelInfo &kernel);

/// Writes profiled runs and their kernel calls as Chrome-trace JSON
/// (chrome://tracing, ui.perfetto.dev): strata-run --profile and
/// Model.profile().trace(). False with a message in `error` if the file
/// cannot be written.
bool writeKernelTrace(const std::string &path,
                      const std::vector<KernelInfo> &kernels,
                      const KernelProfile &profile, const RunSpans &runs,
                      std::string &error);

/// Compilation phases and their wall times, as CompileOptions::onPhaseEnd
/// reports them.
using PhaseTimes = std::vector<std::pair<std::string, double>>;

/// Prints `phases` as a table with each one's share and the total (what
/// strata-run --timing and strata.compile(timing=True) show).
void printCompileTimes(llvm::raw_ostream &os, const PhaseTimes &phases);

/// Converts an MLIR element type to a DType, if it is one.
std::optional<DType> toDType(mlir::Type type);

} // namespace strata

#endif // STRATA_EXECUTION_COMPILEDMODEL_H
