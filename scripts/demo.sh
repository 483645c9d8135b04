#!/usr/bin/env bash
# Strata's main job on a bundled example, from a fresh Debian 12 machine:
# installs what is missing, builds, then takes examples/small_cnn.mlir (a
# small CNN in the graph dialect) through the passes that exist today:
# parse + verify, canonicalize (folding), graph-decompose (batch_norm becomes
# a per-channel scale and shift whose constants fold).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="${STRATA_BUILD_DIR:-$root/build}"
"$root/scripts/build.sh" >/dev/null
opt="$build/bin/strata-opt"
model="$root/examples/small_cnn.mlir"

count_ops() { grep -oE 'graph\.[a-z_0-9]+' | sort | uniq -c | sort -rn; }

echo "== 1. parse and verify: $model"
"$opt" "$model" > /dev/null
echo "ok: $(grep -cE '= graph\.' "$model") graph ops verified"
echo
echo "== 2. ops before the passes"
"$opt" "$model" | count_ops
echo
echo "== 3. strata-opt --graph-decompose --canonicalize"
"$opt" --graph-decompose --canonicalize "$model"
echo
echo "== 4. ops after the passes"
"$opt" --graph-decompose --canonicalize "$model" | count_ops
echo
echo "Strata compiled the graph to its canonical form."
