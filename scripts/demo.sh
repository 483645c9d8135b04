#!/usr/bin/env bash
# Strata's main job on a bundled model, from a fresh Debian 12 machine:
# installs what is missing, builds, then
#   1. imports examples/models/digits_cnn.onnx (a small CNN made by
#      examples/models/make_digits_cnn.py) into the graph dialect,
#   2. JIT-compiles it for this CPU and runs it on a bundled image, printing
#      the class probabilities and the latency,
#   3. checks the result against a NumPy reference implementation.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${STRATA_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

/usr/bin/python3 "$root/examples/models/make_digits_cnn.py" "$work"
model="$work/digits_cnn.onnx"

echo "== 1. strata-translate --import-onnx digits_cnn.onnx (graph dialect)"
# (The weights follow the function as binary resource blobs; not shown.)
"$build/bin/strata-translate" --import-onnx "$model" | sed '/^{-#/,$d'
echo
echo "== 2. strata-run digits_cnn.onnx --input digits_input.npy --print --repeat 20"
"$build/bin/strata-run" "$model" --input "$work/digits_input.npy" \
  --output "$work/probs.npy" --print --repeat 20
echo
echo "== 3. check against a NumPy reference"
/usr/bin/python3 "$root/examples/models/check_digits_cnn.py" "$model" \
  "$work/digits_input.npy" "$work/probs.npy"
