// --profile: each kernel's time per run, named by the nodes it computes
// (fused ops name all of theirs), and a Chrome-trace JSON of the runs.
// RUN: rm -rf %t && mkdir -p %t
// RUN: strata-run %s --random-inputs --threads 1 --repeat 3 --profile %t/trace.json | FileCheck %s
// RUN: %python -c "import json; e = json.load(open('%t/trace.json'))['traceEvents']; runs = [x for x in e if x['cat'] == 'run']; kernels = [x for x in e if x['cat'] == 'kernel']; assert len(runs) == 3 and kernels and all(k['dur'] >= 0 for k in kernels); print(sorted({n for k in kernels for n in k['args']['nodes']}))" | FileCheck %s --check-prefix=TRACE
// An unwritable trace file is bad usage.
// RUN: %expect_exit 2 strata-run %s --random-inputs --profile %t/none/trace.json 2>&1 | FileCheck %s --check-prefix=NOFILE

// CHECK: compile: {{.*}} runs: 3 (after a warm-up run)
// CHECK-NEXT: kernel profile (median per run):
// CHECK-NEXT: time (ms) % nodes (kernel)
// CHECK-DAG: {{[0-9.]+ +[0-9.]+ +(bias|matmul|relu), (bias|matmul|relu), (bias|matmul|relu)$}}
// CHECK-DAG: {{[0-9.]+ +[0-9.]+ +softmax$}}
// CHECK: kernels: {{[0-9.]+}} ms of a {{[0-9.]+}} ms run ({{[0-9]+}}%)
// TRACE: ['bias', 'matmul', 'relu', 'softmax']
// NOFILE: error: cannot write '{{.*}}trace.json'

func.func @mlp(%x: tensor<32x64xf32>) -> tensor<32x16xf32> {
  %w = graph.constant dense<0.01> : tensor<64x16xf32>
  %b = graph.constant dense<0.5> : tensor<16xf32>
  %h = graph.matmul %x, %w : tensor<32x64xf32>, tensor<64x16xf32> loc("matmul")
  %a = graph.add %h, %b : tensor<32x16xf32>, tensor<16xf32> loc("bias")
  %r = graph.relu %a : tensor<32x16xf32> loc("relu")
  %y = graph.softmax %r {axis = 1 : i64} : tensor<32x16xf32> loc("softmax")
  return %y : tensor<32x16xf32>
}
