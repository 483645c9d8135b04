#!/usr/bin/env python3
"""Checks that a change to the compiler leaves its output alone.

Exports the MLP, ResNet-18, MobileNetV2 and the BERT-base layer (the
benchmark's models, seeded) and prints each one's LLVM-dialect IR, as
`strata-run --dump-ir=llvm` shows it, at 1 and 2 threads.

    # before the change: record the IR
    /usr/bin/python3 scripts/compare-llvm-ir.py --save /tmp/ir-before
    # after it: compare (exit 1 and the first differing lines if any differ)
    /usr/bin/python3 scripts/compare-llvm-ir.py --compare /tmp/ir-before

The reference directory holds one file per model and thread count, so a
restructuring can be checked byte for byte. Where the IR changes on
purpose, the benchmark (benchmarks/run.py) is the judge instead.
"""

import argparse
import difflib
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benchmarks"))

MODELS = ["mlp", "resnet18", "mobilenet_v2", "bert_layer"]
THREADS = [1, 2]


def dump(strata_run, model_path, threads):
    result = subprocess.run(
        [strata_run, model_path, "--random-inputs", "--threads",
         str(threads), "--dump-ir=llvm"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{model_path} at {threads} threads: strata-run exited "
                 f"{result.returncode}:\n{result.stderr}")
    return result.stdout


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", metavar="DIR", help="write the IR to DIR")
    mode.add_argument("--compare", metavar="DIR",
                      help="compare the IR with what DIR holds")
    parser.add_argument("--build", default=os.environ.get(
        "STRATA_BUILD_DIR", os.path.join(ROOT, "build")))
    parser.add_argument("--models", nargs="*", default=MODELS,
                        choices=MODELS)
    args = parser.parse_args()

    import models  # benchmarks/models.py: needs torch, so imported late

    strata_run = os.path.join(args.build, "bin", "strata-run")
    differing = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.models:
            path, _, _ = models.export(name, tmp)
            for threads in THREADS:
                ir = dump(strata_run, path, threads)
                ref_name = f"{name}.{threads}t.mlir"
                if args.save:
                    os.makedirs(args.save, exist_ok=True)
                    with open(os.path.join(args.save, ref_name), "w") as f:
                        f.write(ir)
                    print(f"saved {ref_name} ({len(ir)} bytes)")
                    continue
                with open(os.path.join(args.compare, ref_name)) as f:
                    reference = f.read()
                if ir == reference:
                    print(f"same      {ref_name}")
                    continue
                differing += 1
                print(f"DIFFERENT {ref_name}")
                diff = difflib.unified_diff(reference.splitlines(),
                                            ir.splitlines(), "before",
                                            "after", lineterm="", n=1)
                for i, line in enumerate(diff):
                    if i == 40:
                        print("  ...")
                        break
                    print("  " + line[:200])
    if args.compare:
        print(f"{len(args.models) * len(THREADS) - differing} same, "
              f"{differing} different")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
