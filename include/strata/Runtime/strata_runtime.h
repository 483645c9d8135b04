/*===- strata_runtime.h - C interface to compiled models ----------*- C -*-===//
 *
 * Loads a model compiled by Strata (strata-compile, Model.save) and runs it,
 * from C or any language with a C FFI. Link with -lstrata_runtime; the model
 * and the library find each other and the OpenMP runtime through the
 * model's rpath ($ORIGIN first: deploy the three side by side).
 *
 *   strata_model *m = strata_model_load("resnet18.so");
 *   if (!m) { fprintf(stderr, "%s\n", strata_last_error()); return 1; }
 *   strata_tensor_info in;
 *   strata_model_input_info(m, 0, &in);   // name, dtype, shape, bytes
 *   ...
 *   strata_model_run(m, inputs, outputs); // dense row-major buffers
 *   strata_model_free(m);
 *
 *===----------------------------------------------------------------------===*/

#ifndef STRATA_RUNTIME_STRATA_RUNTIME_H
#define STRATA_RUNTIME_STRATA_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct strata_model strata_model;

/* An input or output of a model. The strings and the shape live as long as
 * the model. */
typedef struct strata_tensor_info {
  const char *name;
  const char *dtype; /* "f32", "i64", "bool", ... */
  size_t rank;
  const int64_t *shape;
  size_t bytes; /* of the dense row-major buffer */
} strata_tensor_info;

/* Loads a compiled model; NULL on failure, with the reason in
 * strata_last_error(). */
strata_model *strata_model_load(const char *path);
void strata_model_free(strata_model *model);

/* Why the last call on this thread failed. */
const char *strata_last_error(void);

size_t strata_model_num_inputs(const strata_model *model);
size_t strata_model_num_outputs(const strata_model *model);
/* 0 on success, -1 if `index` is out of range. */
int strata_model_input_info(const strata_model *model, size_t index,
                            strata_tensor_info *info);
int strata_model_output_info(const strata_model *model, size_t index,
                             strata_tensor_info *info);

/* The threads the model's parallel loops run on (default: the count it was
 * compiled for). */
void strata_model_set_threads(strata_model *model, int threads);

/* Runs the model: inputs[i] and outputs[i] are dense row-major buffers of
 * the sizes the infos give; outputs are written. Several threads may run
 * one model at once. Returns 0, or -1 for null arguments. */
int strata_model_run(const strata_model *model, const void *const *inputs,
                     void *const *outputs);

#ifdef __cplusplus
}
#endif

#endif /* STRATA_RUNTIME_STRATA_RUNTIME_H */
