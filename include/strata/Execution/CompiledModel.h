//===- CompiledModel.h - Models compiled for the host CPU -------*- C++ -*-===//
//
// Compiles a module (graph dialect or any level below it) through the CPU
// pipeline to machine code for the host CPU (LLVM -O3, the host's vector
// extensions), links it with its weights into a shared object, loads that
// (strata/Runtime/ModelLibrary.h) and runs its entry function on host
// tensors. The same shared object is what save() writes, load() reads and
// the compile cache keeps. Shared by the tools and the Python bindings.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_EXECUTION_COMPILEDMODEL_H
#define STRATA_EXECUTION_COMPILEDMODEL_H

#include "strata/Pipelines/Pipelines.h"
#include "strata/Runtime/ModelLibrary.h"
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
  /// "llvm-translate" (LLVM dialect to LLVM IR), "llvm-optimize" (-O3),
  /// "machine-code" (instruction selection to object files) and "link"
  /// (lld, into the shared object that is loaded); or only "cache-load"
  /// when the compile cache has the model.
  std::function<void(llvm::StringRef phase)> onPhaseStart;
  std::function<void(llvm::StringRef phase, double seconds)> onPhaseEnd;
  /// What identifies the model's source for the compile cache
  /// (strata/Execution/CompileCache.h), e.g. importCacheKey() of an ONNX
  /// file and its import options; empty: not cached. A compile
  /// with an observer (an IR dump) is never served from the cache (but
  /// stores its result there).
  std::string cacheKey;
};

class CompiledModel {
public:
  ~CompiledModel();

  /// Compiles `module` in place for the host CPU. Diagnostics go to the
  /// module's context; returns null on failure.
  static std::unique_ptr<CompiledModel> compile(mlir::ModuleOp module,
                                                const CompileOptions &options);

  /// The model `options.cacheKey` names, if the compile cache has it (the
  /// caller need not even import the model then); null otherwise.
  static std::unique_ptr<CompiledModel>
  fromCache(const CompileOptions &options);

  /// Loads a model saved by save() (or strata-compile); null with the
  /// reason in `error` on failure.
  static std::unique_ptr<CompiledModel> load(const std::string &path,
                                             std::string &error);

  /// Writes the compiled model as a shared object that load(), strata-run
  /// and the C interface (strata/Runtime/strata_runtime.h) run. False with
  /// the reason in `error` on failure.
  bool save(const std::string &path, std::string &error) const;

  /// Whether this model came from the compile cache.
  bool fromCompileCache() const { return fromCache_; }

  const std::string &entry() const { return metadata().entry; }
  const std::vector<TensorSpec> &inputs() const { return metadata().inputs; }
  const std::vector<TensorSpec> &outputs() const { return metadata().outputs; }

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
  const std::vector<KernelInfo> &kernels() const { return metadata().kernels; }

private:
  CompiledModel() = default;
  const ModelMetadata &metadata() const { return library_->metadata(); }
  /// Loads the shared object at `path`, keeping it open (by descriptor) for
  /// save(); unlinks it after loading if `temporary`.
  static std::unique_ptr<CompiledModel>
  open(const std::string &path, bool temporary, std::string &error);

  int threads_ = 1;
  bool fromCache_ = false;
  std::unique_ptr<ModelLibrary> library_;
  /// The shared object's file, open for save() (it may be unlinked).
  int fd_ = -1;
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

/// Writes a C header describing `model`, saved as `modelFile`: the entry,
/// and per input and output its name, dtype, rank, shape, element and byte
/// counts, as macros prefixed with the header's file name in capitals
/// (strata-compile). False with the reason in `error` on failure.
bool writeModelHeader(const std::string &path, const CompiledModel &model,
                      llvm::StringRef modelFile, std::string &error);

/// Converts an MLIR element type to a DType, if it is one.
std::optional<DType> toDType(mlir::Type type);

} // namespace strata

#endif // STRATA_EXECUTION_COMPILEDMODEL_H
