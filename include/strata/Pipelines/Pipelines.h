//===- Pipelines.h - Strata's compilation pipelines -------------*- C++ -*-===//
//
// The named pipelines of strata-opt (`--strata-cpu-pipeline`), built in
// stages so that the runner and the Python bindings can stop after any level
// and show its IR.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PIPELINES_PIPELINES_H
#define STRATA_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace strata {

/// The levels of the CPU path, in order. Each names the IR after its stage.
enum class CPUStage {
  Graph,   ///< Input: graph dialect, canonicalized, decomposed and fused.
  TensorX, ///< Physical formats chosen: sparse weights, operand layouts.
  Linalg,  ///< Linalg on tensors, elementwise ops fused.
  Loops,   ///< Bufferized to memrefs with explicit deallocation, as loops.
  LLVM,    ///< LLVM dialect with C-interface entry points.
};

/// All stages in order.
llvm::ArrayRef<CPUStage> allCPUStages();

/// The name of a stage as used by `--dump-ir=` and Python (`graph`,
/// `tensorx`, `linalg`, `loops`, `llvm`).
llvm::StringRef stageName(CPUStage stage);

/// The stage called `name`, if any.
std::optional<CPUStage> parseStage(llvm::StringRef name);

/// Options of the CPU pipeline, also `--strata-cpu-pipeline="threads=4"`.
/// CompiledModel (strata-run, Python) compiles with the same options, so
/// strata-opt reproduces what they run.
struct CPUPipelineOptions
    : public mlir::PassPipelineOptions<CPUPipelineOptions> {
  /// The threads the code runs on; kernels split their work into as many
  /// items. With more than one, matmul strips and large linalg ops become
  /// OpenMP worksharing loops; single-threaded code keeps plain loops (and
  /// each matmul's cache-friendliest loop order).
  Option<int64_t> threads{*this, "threads",
                          llvm::cl::desc("Threads the code runs on (default: "
                                         "the host's cores)"),
                          llvm::cl::init(defaultThreads())};
  /// Overrides of the host's description (strata::cpu::TargetInfo), for
  /// sizing code for another x86 CPU.
  Option<int64_t> vectorLanes{
      *this, "vector-lanes",
      llvm::cl::desc("f32 lanes of a vector register (default: the host's)"),
      llvm::cl::init(0)};
  Option<int64_t> l2Bytes{
      *this, "l2-bytes",
      llvm::cl::desc("L2 cache size in bytes (default: the host's)"),
      llvm::cl::init(0)};
  Option<int64_t> l1Bytes{
      *this, "l1-bytes",
      llvm::cl::desc("L1 data cache size in bytes (default: the host's)"),
      llvm::cl::init(0)};

  /// Constant matmul weights with a lower density become sparse
  /// (tensorx-sparsify); negative: each kernel's measured crossover.
  Option<double> sparseThreshold{
      *this, "sparse-threshold",
      llvm::cl::desc("Density below which constant matmul weights become "
                     "sparse (0: never; default: where the sparse kernels "
                     "start to win)"),
      llvm::cl::init(kDefaultSparseThreshold)};

  /// Kernel timing calls (strata/Runtime/Profile.h): they return at once
  /// unless a run profiles, so they are on by default and a compiled model
  /// can always be profiled.
  Option<bool> profile{
      *this, "profile",
      llvm::cl::desc("Call strata_profile_begin/end around each kernel, for "
                     "per-kernel profiles (default: on)"),
      llvm::cl::init(true)};

  bool parallel() const { return threads > 1; }

  /// The default of `sparse-threshold`: the density below which the sparse
  /// kernels beat the dense matmul (docs/performance.md, "Sparse weights").
  static constexpr double kDefaultSparseThreshold = 0.5;

  /// The host's core count, the default of `threads`.
  static int64_t defaultThreads();
};

/// Adds the passes that lower the IR of the stage before `stage` to `stage`.
void addCPUStage(mlir::OpPassManager &pm, CPUStage stage,
                 const CPUPipelineOptions &options);

/// Adds the whole CPU pipeline: graph (or any level below) to LLVM.
void buildCPUPipeline(mlir::OpPassManager &pm,
                      const CPUPipelineOptions &options);

/// Registers `--strata-cpu-pipeline` with its options.
void registerPipelines();

} // namespace strata

#endif // STRATA_PIPELINES_PIPELINES_H
