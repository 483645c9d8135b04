// The compile cache: the second run of a model loads it; --no-cache,
// STRATA_CACHE=0 and IR dumps compile. (lit turns the cache off for every
// other test.)
// RUN: rm -rf %t && mkdir -p %t
// RUN: env -u STRATA_CACHE STRATA_CACHE_DIR=%t/cache strata-run %s --random-inputs | FileCheck %s --check-prefix=FIRST
// RUN: env -u STRATA_CACHE STRATA_CACHE_DIR=%t/cache strata-run %s --random-inputs --timing 2>&1 | FileCheck %s --check-prefix=SECOND
// RUN: env -u STRATA_CACHE STRATA_CACHE_DIR=%t/cache strata-compile %s -o %t/m.so --timing 2>&1 | FileCheck %s --check-prefix=SECOND-COMPILE
// RUN: env -u STRATA_CACHE STRATA_CACHE_DIR=%t/cache strata-run %s --random-inputs --no-cache | FileCheck %s --check-prefix=FIRST
// RUN: env STRATA_CACHE=0 STRATA_CACHE_DIR=%t/cache strata-run %s --random-inputs | FileCheck %s --check-prefix=FIRST
// RUN: env -u STRATA_CACHE STRATA_CACHE_DIR=%t/cache strata-run %s --random-inputs --dump-ir=llvm | FileCheck %s --check-prefix=DUMP
// Other options are another model.
// RUN: env -u STRATA_CACHE STRATA_CACHE_DIR=%t/cache strata-run %s --random-inputs --threads 3 | FileCheck %s --check-prefix=FIRST
// RUN: ls %t/cache | FileCheck %s --check-prefix=FILES
// A model that does not load leaves no entry behind.
// RUN: %expect_exit 1 env -u STRATA_CACHE STRATA_CACHE_DIR=%t/cache strata-run %S/Inputs/external-call.mlir --random-inputs | FileCheck %s --check-prefix=UNDEFINED
// RUN: ls %t/cache | FileCheck %s --check-prefix=FILES

func.func @relu(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  %y = graph.relu %x : tensor<2x3xf32>
  return %y : tensor<2x3xf32>
}

// FIRST: compile: {{.*}} s, run: {{.*}} ms
// SECOND: compile time:
// SECOND-NEXT: cache-load {{.*}} s
// SECOND-NEXT: total
// SECOND-NEXT: compile (cached): {{.*}} s, run: {{.*}} ms
// SECOND-COMPILE: compile time:
// SECOND-COMPILE-NEXT: cache-load {{.*}} s
// SECOND-COMPILE-NEXT: total
// DUMP: llvm.func
// UNDEFINED: error: cannot load '{{.*}}.so': {{.*}}undefined symbol: ext
// FILES-COUNT-2: {{^[0-9a-f]+}}.so
// FILES-NOT: .so
