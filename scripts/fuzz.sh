#!/usr/bin/env bash
# Builds Strata's libFuzzer targets (fuzz/) with ASan and UBSan in
# build-fuzz/, makes their seed corpora, and runs each one.
#
#   scripts/fuzz.sh                      # every target, 60 s each
#   scripts/fuzz.sh --time 7200 onnx_import
#   scripts/fuzz.sh --runs 1000000 npy   # a fixed number of executions
#   scripts/fuzz.sh --smoke              # what CI runs: 2000 runs each
#
# Inputs that once crashed a target are kept in fuzz/regressions/<target>
# and run first, every time (CI included).
#
# Targets: onnx_import (bytes -> ONNX import -> verify), mlir_pipeline
# (graph-dialect text -> parse, verify, whole CPU pipeline to the LLVM
# dialect), npy (bytes -> .npy reader). Corpora grow in
# build-fuzz/corpus/<target>; a crash leaves its input in
# build-fuzz/artifacts/<target>/ and the script exits 1. The counts of the
# long runs are recorded in docs/reliability.md.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${STRATA_FUZZ_BUILD_DIR:-$root/build-fuzz}"
time=60
runs=""
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time=$2; shift 2 ;;
    --runs) runs=$2; shift 2 ;;
    --smoke) runs=2000; shift ;;
    -h|--help) sed -n 2,17p "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -eq 0 ] && targets=(onnx_import mlir_pipeline npy)

STRATA_BUILD_DIR="$build" "$root/scripts/build.sh" -DSTRATA_FUZZ=ON \
  -DSTRATA_BUILD_PYTHON=OFF -DSTRATA_BUILD_UNITTESTS=OFF >"$build-build.log" 2>&1 || {
  tail -30 "$build-build.log"; echo "fuzz.sh: the fuzz build failed" >&2; exit 1; }

# Seeds: the tests' own inputs.
seeds() {
  local target=$1 dir="$build/seeds/$1"
  [ -d "$dir" ] && return
  mkdir -p "$dir"
  case "$target" in
    onnx_import)
      # Debian's ONNX backend node tests (a few hundred small models).
      local i=0
      for f in /usr/share/libonnx-testdata/data/node/*/model.onnx; do
        cp "$f" "$dir/$(basename "$(dirname "$f")").onnx"; i=$((i + 1))
      done ;;
    mlir_pipeline)
      # Graph-dialect tests, one case per file.
      /usr/bin/python3 - "$root" "$dir" <<'PY'
import glob, os, sys
root, out = sys.argv[1:]
n = 0
for path in sorted(glob.glob(root + "/test/Dialect/Graph/*.mlir")) + [root + "/examples/small_cnn.mlir"]:
    for case in open(path).read().split("// -----"):
        lines = [l for l in case.splitlines() if not l.lstrip().startswith("//")]
        text = "\n".join(lines).strip()
        if "func.func" in text and len(text) < 4000:
            open("%s/%04d.mlir" % (out, n), "w").write(text + "\n"); n += 1
PY
      ;;
    npy)
      /usr/bin/python3 - "$dir" <<'PY'
import sys, numpy as np
out = sys.argv[1]
arrays = [np.zeros((2, 3), np.float32), np.arange(5, dtype=np.int64),
          np.array(True), np.ones((1, 0, 4), np.float64),
          np.arange(24, dtype=np.int8).reshape(2, 3, 4), np.float16([1, 2])]
for i, a in enumerate(arrays):
    np.save("%s/%d.npy" % (out, i), a)
PY
      ;;
  esac
}

status=0
ok=0
bad=0
for target in "${targets[@]}"; do
  bin="$build/fuzz/strata-fuzz-$target"
  [ -x "$bin" ] || { echo "fuzz.sh: no target $target" >&2; exit 2; }
  seeds "$target"
  corpus="$build/corpus/$target"
  artifacts="$build/artifacts/$target"
  mkdir -p "$corpus" "$artifacts"
  dict="$root/fuzz/dicts/$(echo "$target" | sed 's/_import//; s/_pipeline//').dict"
  limit=(-max_total_time="$time")
  [ -n "$runs" ] && limit=(-runs="$runs")
  echo "== $target (${limit[*]})"
  log="$build/$target.log"
  # allow_user_poisoning=0: libMLIR.so is not instrumented, but LLVM's
  # bump allocator, inlined into Strata's instrumented code, poisons slabs
  # that the library's own copy then hands out unpoisoned (false reports).
  ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:allow_user_poisoning=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" "${limit[@]}" -timeout=60 -rss_limit_mb=6144 -malloc_limit_mb=4096 \
    -dict="$dict" -artifact_prefix="$artifacts/" -print_final_stats=1 \
    "$corpus" "$build/seeds/$target" "$root/fuzz/regressions/$target" \
    >"$log" 2>&1
  rc=$?
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$log" | tail -2
  if [ $rc -ne 0 ]; then
    echo "fuzz.sh: $target failed (exit $rc); see $log" >&2
    grep -E "ERROR|SUMMARY|runtime error|Test unit written" "$log" | head -8 >&2
    status=1
    bad=$((bad + 1))
  else
    ok=$((ok + 1))
  fi
done
echo "$ok passed, $bad failed"
exit $status
