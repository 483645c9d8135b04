//===- CAPI.cpp - C interface to compiled models --------------------------===//

#include "strata/Runtime/ModelLibrary.h"
#include "strata/Runtime/strata_runtime.h"

#include <atomic>

struct strata_model {
  std::unique_ptr<strata::ModelLibrary> library;
  std::atomic<int> threads;
};

static thread_local std::string lastError;

extern "C" {

strata_model *strata_model_load(const char *path) {
  if (!path) {
    lastError = "strata_model_load: null path";
    return nullptr;
  }
  std::string error;
  std::unique_ptr<strata::ModelLibrary> library =
      strata::ModelLibrary::open(path, error);
  if (!library) {
    lastError = error;
    return nullptr;
  }
  auto *model = new strata_model;
  model->threads = library->metadata().threads;
  model->library = std::move(library);
  return model;
}

void strata_model_free(strata_model *model) { delete model; }

const char *strata_last_error(void) { return lastError.c_str(); }

size_t strata_model_num_inputs(const strata_model *model) {
  return model ? model->library->metadata().inputs.size() : 0;
}

size_t strata_model_num_outputs(const strata_model *model) {
  return model ? model->library->metadata().outputs.size() : 0;
}

static int describe(const std::vector<strata::TensorSpec> &specs, size_t index,
                    strata_tensor_info *info) {
  if (!info || index >= specs.size())
    return -1;
  const strata::TensorSpec &spec = specs[index];
  info->name = spec.name.c_str();
  info->dtype = strata::dtypeName(spec.dtype);
  info->rank = spec.shape.size();
  info->shape = spec.shape.data();
  info->bytes = spec.numBytes();
  return 0;
}

int strata_model_input_info(const strata_model *model, size_t index,
                            strata_tensor_info *info) {
  return model ? describe(model->library->metadata().inputs, index, info) : -1;
}

int strata_model_output_info(const strata_model *model, size_t index,
                             strata_tensor_info *info) {
  return model ? describe(model->library->metadata().outputs, index, info) : -1;
}

void strata_model_set_threads(strata_model *model, int threads) {
  if (model)
    model->threads = threads < 1 ? 1 : threads;
}

int strata_model_run(const strata_model *model, const void *const *inputs,
                     void *const *outputs) {
  if (!model || (!inputs && strata_model_num_inputs(model)) ||
      (!outputs && strata_model_num_outputs(model))) {
    lastError = "strata_model_run: null argument";
    return -1;
  }
  const strata::ModelMetadata &metadata = model->library->metadata();
  std::vector<const void *> in(inputs, inputs + metadata.inputs.size());
  std::vector<void *> out(outputs, outputs + metadata.outputs.size());
  model->library->run(in, out, model->threads);
  return 0;
}

} // extern "C"
