//===- ModelLibrary.h - Compiled models as shared objects -------*- C++ -*-===//
//
// A compiled model is a shared object (ELF .so) that Strata's runtime
// library loads and runs: the machine code of its kernels, its weights, an
// entry point taking memref descriptors, and a description of its
// signature and kernels. The compiler writes one for every compilation
// (CompiledModel in lib/Execution), strata-compile and Model.save() write
// it where the user says, and the compile cache keeps it; everything here
// is plain C++ with no LLVM or MLIR, so that a deployed model needs only
// this library (and the OpenMP runtime its parallel loops call).
//
// The shared object exports two symbols:
//   void strata_model_invoke(void **args);   // args[i]: pointer to the
//                                            // i-th memref descriptor
//   const char strata_model_metadata[];      // serializeModelMetadata()
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_MODELLIBRARY_H
#define STRATA_RUNTIME_MODELLIBRARY_H

#include "strata/Runtime/Profile.h"
#include "strata/Runtime/Tensor.h"

#include <memory>
#include <string>
#include <vector>

namespace strata {

/// The symbols a model's shared object exports.
inline constexpr const char *kModelInvokeSymbol = "strata_model_invoke";
inline constexpr const char *kModelMetadataSymbol = "strata_model_metadata";

/// A kernel of the compiled code (a loop nest in a function of its own,
/// strata-outline-kernels): its symbol and the model's nodes it computes
/// (the ONNX node names of its location).
struct KernelInfo {
  std::string symbol;
  std::vector<std::string> nodes;
};

/// What a model's shared object says about itself.
struct ModelMetadata {
  std::string entry;
  /// The thread count it was compiled for (its parallel loops' partition).
  int threads = 1;
  std::vector<TensorSpec> inputs, outputs;
  /// The kernels that profiles time, by number.
  std::vector<KernelInfo> kernels;
};

/// The text stored in strata_model_metadata (versioned, one item per line).
std::string serializeModelMetadata(const ModelMetadata &metadata);
/// Parses it back; false with the reason in `error` if malformed.
bool parseModelMetadata(const std::string &text, ModelMetadata &metadata,
                        std::string &error);

/// A loaded model: dlopen'ed, runnable from several threads at once.
class ModelLibrary {
public:
  ~ModelLibrary();
  ModelLibrary(const ModelLibrary &) = delete;
  ModelLibrary &operator=(const ModelLibrary &) = delete;

  /// Loads the shared object at `path`; null with the reason in `error`
  /// (no such file, not a Strata model, a runtime symbol missing, ...).
  static std::unique_ptr<ModelLibrary> open(const std::string &path,
                                            std::string &error);

  const ModelMetadata &metadata() const { return metadata_; }

  /// Runs the entry function on dense row-major buffers matching
  /// metadata().inputs and .outputs, on `threads` threads.
  void run(const std::vector<const void *> &inputs,
           const std::vector<void *> &outputs, int threads) const;

private:
  ModelLibrary() = default;

  void *handle_ = nullptr;
  void (*invoke_)(void **) = nullptr;
  ModelMetadata metadata_;
};

} // namespace strata

#endif // STRATA_RUNTIME_MODELLIBRARY_H
