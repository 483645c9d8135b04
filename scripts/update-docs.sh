#!/usr/bin/env bash
# Regenerates the ODS-generated references in docs/ (dialects and passes).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${STRATA_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >/dev/null
for doc in Dialects/GraphOps.md Dialects/TensorXOps.md Passes/GraphPasses.md \
  Passes/TensorXPasses.md \
  Passes/ConversionPasses.md Passes/CodegenCommonPasses.md \
  Passes/CodegenCPUPasses.md; do
  mkdir -p "$root/docs/$(dirname "$doc")"
  cp "$build/docs/$doc" "$root/docs/$doc"
  echo "updated docs/$doc"
done
