// The same results on any number of threads, also when the code compiled
// for two threads runs on one (OMP_THREAD_LIMIT): the threads share out the
// matmul's strips through strata-cpu-balance-parallel-loops' counters, and every
// strip is computed once whoever claims it.
// RUN: rm -rf %t && mkdir -p %t
// RUN: strata-run %s --random-inputs --threads 1 --output %t/y1.npy
// RUN: strata-run %s --random-inputs --threads 2 --output %t/y2.npy
// RUN: strata-run %s --random-inputs --threads 3 --output %t/y3.npy
// RUN: env OMP_THREAD_LIMIT=1 KMP_WARNINGS=0 strata-run %s --random-inputs --threads 2 --output %t/y2on1.npy
// RUN: %python -c "import numpy as np; y = np.load('%t/y1.npy'); assert y.shape == (96, 320) and (y > 0).any(); assert all(np.array_equal(y, np.load('%t/' + f + '.npy')) for f in ('y2', 'y3', 'y2on1')); print('same')" | FileCheck %s --check-prefix=SAME
// SAME: same

// --thread-profile: a row per parallel loop, each thread's time in it, and
// the nodes of the kernel it runs in.
// RUN: strata-run %s --random-inputs --threads 2 --repeat 3 --thread-profile | FileCheck %s --check-prefix=PROFILE
// PROFILE: compile: {{.*}} runs: 3
// PROFILE-NEXT: thread profile: 2 threads; ms per run, mean of 3 runs
// PROFILE-NEXT: loop region iterations | work per thread {{ *}}| wait after the loop | nodes
// PROFILE-NEXT: 0 0 2 | {{[0-9.]+ [0-9.]+}} | {{[0-9.]+ [0-9.]+}} | {{(matmul, relu|relu, matmul)}}
// PROFILE: all {{.*}}|
// PROFILE-NEXT: run: {{.*}} ms = {{.*}} ms in 1.0 parallel regions + {{.*}} ms outside them (one thread)
// RUN: strata-run %s --random-inputs --threads 1 --thread-profile | FileCheck %s --check-prefix=SERIAL
// SERIAL: thread profile: no parallel loop ran (code compiled for one thread, or ops too small to share out)
// RUN: strata-run --help | FileCheck %s --check-prefix=HELP
// HELP: --thread-profile {{.*}} After the runs, print each thread's working and waiting time

func.func @f(%x: tensor<96x256xf32> {strata.name = "x"}, %w: tensor<256x320xf32> {strata.name = "w"})
    -> (tensor<96x320xf32> {strata.name = "y"}) {
  %0 = graph.matmul %x, %w : tensor<96x256xf32>, tensor<256x320xf32> loc("matmul")
  %1 = graph.relu %0 : tensor<96x320xf32> loc("relu")
  return %1 : tensor<96x320xf32>
}
