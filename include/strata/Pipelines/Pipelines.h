//===- Pipelines.h - Strata's compilation pipelines -------------*- C++ -*-===//
//
// The named pipelines of strata-opt (`--strata-cpu-pipeline`), built in
// stages so that the runner and the Python bindings can stop after any level
// and show its IR.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_PIPELINES_PIPELINES_H
#define STRATA_PIPELINES_PIPELINES_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>

namespace mlir {
class OpPassManager;
} // namespace mlir

namespace strata {

/// The levels of the CPU path, in order. Each names the IR after its stage.
enum class CPUStage {
  Graph,  ///< Input: graph dialect, canonicalized and decomposed.
  Linalg, ///< Linalg on tensors, elementwise ops fused.
  Loops,  ///< Bufferized to memrefs with explicit deallocation, as loops.
  LLVM,   ///< LLVM dialect with C-interface entry points.
};

/// All stages in order.
llvm::ArrayRef<CPUStage> allCPUStages();

/// The name of a stage as used by `--dump-ir=` and Python (`graph`,
/// `linalg`, `loops`, `llvm`).
llvm::StringRef stageName(CPUStage stage);

/// The stage called `name`, if any.
std::optional<CPUStage> parseStage(llvm::StringRef name);

/// Options of the CPU pipeline.
struct CPUPipelineOptions {
  /// The threads the code runs on; kernels split their work into as many
  /// items. With more than one, matmul strips and large linalg ops become
  /// OpenMP worksharing loops; single-threaded code keeps plain loops (and
  /// each matmul's cache-friendliest loop order).
  int64_t threads = 2;

  bool parallel() const { return threads > 1; }
};

/// Adds the passes that lower the IR of the stage before `stage` to `stage`.
void addCPUStage(mlir::OpPassManager &pm, CPUStage stage,
                 const CPUPipelineOptions &options = {});

/// Adds the whole CPU pipeline: graph (or any level below) to LLVM.
void buildCPUPipeline(mlir::OpPassManager &pm,
                      const CPUPipelineOptions &options = {});

/// Registers `--strata-cpu-pipeline`.
void registerPipelines();

} // namespace strata

#endif // STRATA_PIPELINES_PIPELINES_H
