#!/usr/bin/env bash
# Runs every Strata test suite on this machine, from a fresh Debian 12 machine
# or a clean clone: installs the Debian packages that are missing, configures
# and builds (ccache keeps rebuilds fast), then runs
#   - the lit/FileCheck suite (test/),
#   - the GoogleTest unit tests through ctest (unittests/),
#   - the ONNX conformance suite, end-to-end and Python tests (pytest),
#   - the hostile-input campaign (scripts/hostile-inputs.py),
#   - each libFuzzer target for a short, fixed budget (scripts/fuzz.sh --smoke),
#   - the benchmark's smoke runs, models, sparse weights and int8 (outputs
#     checked, speed not measured),
# and ends with one summary line: "N passed, M failed[, K skipped]".
# Exit code: 0 when nothing failed.
#
#   scripts/test.sh              # the suites above, in build/
#   scripts/test.sh --sanitize   # lit, unit, conformance, end-to-end, Python
#                                # and hostile inputs under ASan + UBSan, in
#                                # build-asan/ (no fuzzing, no benchmark)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
sanitize=0
if [ "${1:-}" = "--sanitize" ]; then
  sanitize=1
elif [ -n "${1:-}" ]; then
  echo "usage: scripts/test.sh [--sanitize]" >&2
  exit 2
fi
export PATH="/usr/lib/llvm-22/bin:$PATH"
build_args=()
if [ $sanitize -eq 1 ]; then
  build="${STRATA_BUILD_DIR:-$root/build-asan}"
  build_args=(-DSTRATA_SANITIZE=ON)
  # Any report fails the test that caused it. Leaks are checked in the
  # tools (strata-run, strata-opt); Python itself leaks by design.
  export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1:allow_user_poisoning=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  export LSAN_OPTIONS=suppressions=$root/scripts/lsan-suppressions.txt
  export STRATA_SANITIZE=1
  asan_runtime=$(clang++ -print-file-name=libclang_rt.asan-x86_64.so)
else
  build="${STRATA_BUILD_DIR:-$root/build}"
fi
export STRATA_BUILD_DIR="$build"
# Every test compiles; the tests of the compile cache turn it on themselves.
export STRATA_CACHE=0

passed=0
failed=0
skipped=0

summary() {
  local line="$passed passed, $failed failed"
  [ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
  echo
  echo "$line"
}

echo "== build"
if ! "$root/scripts/build.sh" "${build_args[@]}"; then
  echo "build failed"
  failed=$((failed + 1))
  summary
  exit 1
fi

# Reads a count from a tool's summary ("  Passed: 12", "  Failed: 1").
count() { grep -E "^ *$1 *: *[0-9]+" "$2" | grep -oE '[0-9]+' | head -n1; }

echo "== lit (test/)"
lit_log=$(mktemp)
lit -sv "$build/test" 2>&1 | tee "$lit_log"
lit_pass=$(( $(count Passed "$lit_log" || echo 0) + $(count "Expectedly Failed" "$lit_log" || echo 0) ))
lit_fail=$(( $(count Failed "$lit_log" || echo 0) + $(count "Unexpectedly Passed" "$lit_log" || echo 0) + $(count Timed\ Out "$lit_log" || echo 0) ))
lit_skip=$(( $(count Unsupported "$lit_log" || echo 0) + $(count Skipped "$lit_log" || echo 0) ))
if [ "$lit_pass" -eq 0 ] && [ "$lit_fail" -eq 0 ]; then
  echo "lit ran no test: counted as a failure"
  lit_fail=1
fi
passed=$((passed + lit_pass)); failed=$((failed + lit_fail)); skipped=$((skipped + lit_skip))

echo "== unit tests (ctest)"
ctest_log=$(mktemp)
(cd "$build" && ctest --output-on-failure) 2>&1 | tee "$ctest_log"
# "100% tests passed, 0 tests failed out of 16"
ct_line=$(grep -E "tests passed, [0-9]+ tests? failed out of [0-9]+" "$ctest_log" | tail -n1)
if [ -n "$ct_line" ]; then
  ct_fail=$(echo "$ct_line" | sed -E 's/.*passed, ([0-9]+) tests? failed out of ([0-9]+).*/\1/')
  ct_total=$(echo "$ct_line" | sed -E 's/.*passed, ([0-9]+) tests? failed out of ([0-9]+).*/\2/')
  passed=$((passed + ct_total - ct_fail)); failed=$((failed + ct_fail))
else
  echo "ctest ran no test: counted as a failure"
  failed=$((failed + 1))
fi

echo "== ONNX conformance (integration_test/onnx_conformance)"
conf_log=$(mktemp)
/usr/bin/python3 "$root/integration_test/onnx_conformance/run_conformance.py" \
  --strata-run "$build/bin/strata-run" --check 2>&1 | tee "$conf_log"
# "585 passed, 0 failed, 341 skipped (expected failures on the xfail list)"
conf_line=$(grep -E "^[0-9]+ passed, [0-9]+ failed, [0-9]+ skipped" "$conf_log" | tail -n1)
if [ -n "$conf_line" ]; then
  read -r cp cf cs <<<"$(echo "$conf_line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed, ([0-9]+) skipped.*/\1 \2 \3/')"
  passed=$((passed + cp)); failed=$((failed + cf)); skipped=$((skipped + cs))
else
  echo "the conformance runner did not finish: counted as a failure"
  failed=$((failed + 1))
fi
# Runs pytest ([--in-process] if the tests load the extension) in directory
# $1 on the rest of the arguments and adds its
# counts (from its last line, e.g. "178 passed, 1 skipped in 80.1s").
run_pytest() {
  local in_process=""
  if [ "$1" = "--in-process" ]; then
    in_process=--in-process
    shift
  fi
  local dir=$1
  shift
  local log
  log=$(mktemp)
  # Suites that load the extension into the interpreter need the ASan
  # runtime preloaded; the others run strata-run, which has its own and
  # must not inherit the preload.
  local preload=()
  if [ -n "$in_process" ]; then
    [ $sanitize -eq 1 ] && preload=(env LD_PRELOAD="$asan_runtime" \
      ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:allow_user_poisoning=0)
  fi
  (cd "$dir" && STRATA_BUILD_DIR="$build" "${preload[@]}" /usr/bin/python3 \
    -m pytest -q -p no:cacheprovider "$@") 2>&1 | tee "$log"
  local line
  line=$(grep -E "[0-9]+ (passed|failed|error)" "$log" | tail -n1)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "pytest ran no test in $dir: counted as a failure"
    failed=$((failed + 1))
    return
  fi
  local p f s
  p=$(echo "$line" | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+" || true)
  f=$(echo "$line" | grep -oE "[0-9]+ (failed|errors?)" | awk '{s += $1} END {print s + 0}')
  s=$(echo "$line" | grep -oE "[0-9]+ skipped" | grep -oE "[0-9]+" || true)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
}

# Runs a command whose output ends with "N passed, M failed" and adds the
# counts; a run that does not get there counts as one failure.
run_counted() {
  local what=$1
  shift
  local log
  log=$(mktemp)
  "$@" 2>&1 | tee "$log"
  local line
  line=$(grep -E "^[0-9]+ passed, [0-9]+ failed$" "$log" | tail -n1)
  rm -f "$log"
  if [ -z "$line" ]; then
    echo "$what did not finish: counted as a failure"
    failed=$((failed + 1))
    return
  fi
  local p f
  read -r p f <<<"$(echo "$line" | sed -E 's/^([0-9]+) passed, ([0-9]+) failed$/\1 \2/')"
  passed=$((passed + p)); failed=$((failed + f))
}

echo "== end-to-end tests (pytest: integration_test/ops, models, leaks)"
run_pytest "$root/integration_test" ops models leaks

echo "== Python bindings and examples (pytest: python/test, examples/python, examples/c)"
run_pytest --in-process "$root/python/test" . "$root/examples/python" \
  "$root/examples/c"

# Hostile inputs: every class of bad input, and mutated models, must give
# a clear error or a right answer, never a crash, a hang or a wrong exit
# code (ends with "N passed, M failed").
echo "== hostile inputs (scripts/hostile-inputs.py)"
run_counted "the hostile-input campaign" \
  env STRATA_PYTHON_PRELOAD="${asan_runtime:-}" \
  /usr/bin/python3 "$root/scripts/hostile-inputs.py"

if [ $sanitize -eq 1 ]; then
  rm -f "$lit_log" "$ctest_log" "$conf_log"
  summary
  [ "$failed" -eq 0 ]
  exit
fi

# Each libFuzzer target for a fixed number of runs from its seeds (the
# long runs: scripts/fuzz.sh --time, docs/reliability.md).
echo "== fuzzing smoke run (scripts/fuzz.sh --smoke)"
run_counted "the fuzzing smoke run" "$root/scripts/fuzz.sh" --smoke

# The benchmark's smoke version: every engine runs the MLP once and its
# output is checked against PyTorch's; speed is not tested.
echo "== benchmark smoke run (benchmarks/run.py --smoke)"
run_counted "the benchmark smoke run" /usr/bin/python3 "$root/benchmarks/run.py" \
  --smoke --out "$build/benchmarks-smoke"
# And of the sparse section: one pruned FFN, sparse and dense, checked
# against numpy.
echo "== sparse benchmark smoke run (benchmarks/run.py --sparse --smoke)"
run_counted "the sparse benchmark smoke run" /usr/bin/python3 \
  "$root/benchmarks/run.py" --sparse --smoke --out "$build/benchmarks-smoke"
# And of the int8 section: the dot-product peak, the u8 x s8 matmul
# (exact against numpy) and a quantized ResNet-18 (its output near
# float's).
echo "== int8 benchmark smoke run (benchmarks/run.py --int8 --smoke)"
run_counted "the int8 benchmark smoke run" /usr/bin/python3 \
  "$root/benchmarks/run.py" --int8 --smoke --out "$build/benchmarks-smoke"
rm -f "$lit_log" "$ctest_log" "$conf_log"

summary
[ "$failed" -eq 0 ]
