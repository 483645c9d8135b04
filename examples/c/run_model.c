/* run_model.c: runs a model compiled by Strata from C, with nothing but
 * Strata's runtime library.
 *
 *   strata-compile resnet18.onnx -o resnet18.so
 *   cc run_model.c -I<strata>/include -L<build>/lib -lstrata_runtime \
 *      -Wl,-rpath,<build>/lib -o run_model
 *   ./run_model resnet18.so input.bin output.bin [runs]
 *
 * input.bin holds the model's first input as raw row-major values (the
 * other inputs, if any, are zeros); output.bin receives its first output.
 * Prints each input and output, and the median time of `runs` runs. */

#define _POSIX_C_SOURCE 199309L /* clock_gettime */

#include "strata/Runtime/strata_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static void print_info(const char *kind, size_t i, const strata_tensor_info *t) {
  printf("%s #%zu %s: %s[", kind, i, t->name, t->dtype);
  for (size_t d = 0; d < t->rank; ++d)
    printf(d ? "x%lld" : "%lld", (long long)t->shape[d]);
  printf("] (%zu bytes)\n", t->bytes);
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: %s model.so input.bin output.bin [runs]\n",
            argv[0]);
    return 2;
  }
  int runs = argc > 4 ? atoi(argv[4]) : 1;
  if (runs < 1)
    runs = 1;

  strata_model *model = strata_model_load(argv[1]);
  if (!model) {
    fprintf(stderr, "error: %s\n", strata_last_error());
    return 1;
  }
  size_t num_inputs = strata_model_num_inputs(model);
  size_t num_outputs = strata_model_num_outputs(model);
  if (num_inputs < 1 || num_outputs < 1) {
    fprintf(stderr, "error: the model needs an input and an output\n");
    return 1;
  }
  void **inputs = calloc(num_inputs, sizeof(void *));
  void **outputs = calloc(num_outputs, sizeof(void *));
  for (size_t i = 0; i < num_inputs; ++i) {
    strata_tensor_info info;
    strata_model_input_info(model, i, &info);
    print_info("input", i, &info);
    inputs[i] = calloc(1, info.bytes ? info.bytes : 1);
    if (i == 0) {
      FILE *f = fopen(argv[2], "rb");
      if (!f || fread(inputs[0], 1, info.bytes, f) != info.bytes) {
        fprintf(stderr, "error: %s does not hold %zu bytes\n", argv[2],
                info.bytes);
        return 1;
      }
      fclose(f);
    }
  }
  strata_tensor_info out;
  for (size_t i = 0; i < num_outputs; ++i) {
    strata_tensor_info info;
    strata_model_output_info(model, i, &info);
    print_info("output", i, &info);
    outputs[i] = calloc(1, info.bytes ? info.bytes : 1);
    if (i == 0)
      out = info;
  }

  double *times = calloc(runs, sizeof(double));
  for (int r = 0; r < runs; ++r) {
    double start = now_ms();
    if (strata_model_run(model, (const void *const *)inputs, outputs) != 0) {
      fprintf(stderr, "error: %s\n", strata_last_error());
      return 1;
    }
    times[r] = now_ms() - start;
  }
  qsort(times, runs, sizeof(double), compare);
  printf("runs: %d, median: %.3f ms\n", runs, times[runs / 2]);

  FILE *f = fopen(argv[3], "wb");
  if (!f || fwrite(outputs[0], 1, out.bytes, f) != out.bytes) {
    fprintf(stderr, "error: cannot write %s\n", argv[3]);
    return 1;
  }
  fclose(f);
  for (size_t i = 0; i < num_inputs; ++i)
    free(inputs[i]);
  for (size_t i = 0; i < num_outputs; ++i)
    free(outputs[i]);
  free(inputs);
  free(outputs);
  free(times);
  strata_model_free(model);
  return 0;
}
