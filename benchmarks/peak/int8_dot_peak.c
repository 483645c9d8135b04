// The peak of this core's 4-way u8 x s8 dot product (vpdpbusd), for the
// int8 benchmark's "percent of peak": 24 independent accumulators (more
// than latency x throughput on the cores seen), no memory operands.
// Prints one JSON line: {"gops": G, "instruction": "vpdpbusd zmm"}; int8
// operations count a multiply and an add per byte pair (128 per zmm
// instruction).
//
// Built by benchmarks/int8.py with clang -O2 -march=native; exits with
// status 2 when the host has no AVX-512 VNNI.
#include <immintrin.h>
#include <stdio.h>
#include <time.h>

#ifndef __AVX512VNNI__
int main(void) {
  fprintf(stderr, "this host has no AVX-512 VNNI\n");
  return 2;
}
#else
static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

#define ACCUMULATORS 24

int main(void) {
  __m512i acc[ACCUMULATORS];
  for (int i = 0; i < ACCUMULATORS; ++i)
    acc[i] = _mm512_set1_epi32(i);
  __m512i a = _mm512_set1_epi8(3), b = _mm512_set1_epi8(-2);
  const long iterations = 20000000;
  double best = 0;
  for (int round = 0; round < 5; ++round) {
    double t0 = now();
    for (long n = 0; n < iterations; ++n) {
#pragma clang loop unroll(full)
      for (int i = 0; i < ACCUMULATORS; ++i)
        acc[i] = _mm512_dpbusd_epi32(acc[i], a, b);
      // Keeps the operands in registers without letting the compiler
      // hoist or fold the products.
      __asm__ volatile("" : "+v"(a), "+v"(b));
    }
    double seconds = now() - t0;
    double gops = 128.0 * ACCUMULATORS * iterations / seconds * 1e-9;
    if (gops > best)
      best = gops;
  }
  int sink = 0;
  for (int i = 0; i < ACCUMULATORS; ++i)
    sink += _mm512_reduce_add_epi32(acc[i]);
  printf("{\"gops\": %.1f, \"instruction\": \"vpdpbusd zmm\", \"check\": %d}\n",
         best, sink & 1);
  return 0;
}
#endif
