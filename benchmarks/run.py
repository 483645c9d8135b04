#!/usr/bin/env python3
"""Strata vs ONNX Runtime vs PyTorch (and numpy/OpenBLAS on matmul), in one
run on this machine, at 1 and 2 threads.

    /usr/bin/python3 benchmarks/run.py            # the models (~10 minutes)
    /usr/bin/python3 benchmarks/run.py --models zoo  # ten torchvision classifiers
    /usr/bin/python3 benchmarks/run.py --sparse   # sparse weights (~10 minutes)
    /usr/bin/python3 benchmarks/run.py --int8     # quantized models, int8 peak
    /usr/bin/python3 benchmarks/run.py --smoke    # tiny version run by CI

Each engine runs in its own process with OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS set to the thread count, taking turns with the others
(--rounds) since this machine's speed drifts. Every engine's output is
checked against PyTorch's before its time counts. Prints a table of median
latencies and ratios (Strata / peer), Strata's compile times, and writes
results.json and latency.png to --out (default build/benchmarks)."""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
# Compile times are measured: never load a model from the compile cache.
os.environ["STRATA_CACHE"] = "0"
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

ALL_MODELS = ["matmul_1024", "matmul_128x768x3072", "mlp", "resnet18",
              "mobilenet_v2", "bert_layer", "lstm_tagger"]
# Outputs must match PyTorch's this closely (relative to their magnitude).
TOLERANCE = 1e-3


def time_calls(fn, runs):
    """Latencies (ms) of `runs` calls after one warm-up call."""
    fn()  # warm-up
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1e3)
    return times


def worker(engine, name, threads, runs, directory):
    """Runs in a child process: times `engine` on `name`, prints JSON."""
    import numpy as np
    import models
    x = np.load(os.path.join(directory, name + "_in.npy"))
    ref = np.load(os.path.join(directory, name + "_ref.npy"))
    result = {}
    if engine == "pytorch":
        import torch
        torch.set_num_threads(threads)
        model, _ = models.make(name)
        tx = torch.from_numpy(x)
        with torch.no_grad():
            out = model(tx).numpy()
            result["times_ms"] = time_calls(lambda: model(tx), runs)
    elif engine == "numpy":
        model, _ = models.make(name)
        w = model.w.detach().numpy().copy()
        out = x @ w
        result["times_ms"] = time_calls(lambda: x @ w, runs)
    elif engine == "strata":
        sys.path.insert(0, os.path.join(ROOT, "build", "python"))
        import strata
        # A serving process keeps its temporaries mapped between calls, as
        # strata-run does (a process-wide choice, so made here).
        strata.keep_temporaries_in_heap()
        t0 = time.perf_counter()
        model = strata.compile(os.path.join(directory, name + ".onnx"),
                               threads=threads)
        result["compile_s"] = time.perf_counter() - t0
        out = model(x)
        result["times_ms"] = time_calls(lambda: model(x), runs)
    else:
        raise ValueError(engine)
    result["error"] = models.relative_error(out, ref)
    print(json.dumps(result))


def run_ort(name, threads, runs, directory):
    path = os.path.join(directory, name)
    result = ort_on_file(path + ".onnx", path + "_in.npy", path + "_ref.npy",
                         threads, runs)
    result.pop("median_ms", None)  # main() takes it over all rounds
    return result


def engine_env(threads):
    env = dict(os.environ)
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    return env


def ort_on_file(model, inp, ref, threads, runs):
    """ONNX Runtime on the model at `model` with the input and reference
    .npy files given; None if it is not installed."""
    import numpy as np
    import models
    if not ort_available():
        return None
    x, expected = np.load(inp), np.load(ref)
    raw = inp[:-len(".npy")] + ".f32"
    out = inp[:-len(".npy")] + "_ort.f32"
    x.astype(np.float32).tofile(raw)
    proc = subprocess.run(
        ["node", os.path.join(HERE, "ort_bench.js"), model, raw,
         ",".join(map(str, x.shape)), str(threads), str(runs), out],
        capture_output=True, text=True, env=engine_env(threads))
    if proc.returncode != 0:
        return {"failed": proc.stderr.strip()[-300:]}
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    actual = np.fromfile(out, dtype=np.float32).reshape(expected.shape)
    result["error"] = models.relative_error(actual, expected)
    result["median_ms"] = statistics.median(result["times_ms"])
    return result


def run_engine(engine, name, threads, runs, directory):
    if engine == "onnxruntime":
        return run_ort(name, threads, runs, directory)
    proc = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--worker", engine,
         "--models", name, "--threads", str(threads), "--runs", str(runs),
         "--out", directory],
        capture_output=True, text=True, env=engine_env(threads))
    if proc.returncode != 0:
        return {"failed": proc.stderr.strip()[-300:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def merge(total, run):
    """Adds one run's result to an engine's total: all latencies, the worst
    error, the first compile time, any failure."""
    if "failed" in run:
        total["failed"] = run["failed"]
        return
    total.setdefault("times_ms", []).extend(run["times_ms"])
    total["error"] = max(total.get("error", 0.0), run["error"])
    if "compile_s" in run:
        total.setdefault("compile_s", run["compile_s"])


def ort_available():
    return (shutil.which("node") is not None and os.path.isdir(
        os.path.join(HERE, "node_modules", "onnxruntime-node")))


def fmt(value, digits=2):
    return "-" if value is None else ("%.*f" % (digits, value))


def report(results, out_dir):
    header = ("%-20s %3s %10s %10s %10s %10s %8s %8s %9s" %
              ("model", "thr", "strata ms", "ort ms", "torch ms", "numpy ms",
               "s/ort", "s/torch", "compile s"))
    lines = [header, "-" * len(header)]
    for row in results:
        ms = {e: (r.get("median_ms") if r and r.get("ok") else None)
              for e, r in row["engines"].items()}
        s = ms.get("strata")

        def ratio(peer):
            p = ms.get(peer)
            return s / p if s and p else None
        lines.append("%-20s %3d %10s %10s %10s %10s %8s %8s %9s" % (
            row["model"], row["threads"], fmt(s), fmt(ms.get("onnxruntime")),
            fmt(ms.get("pytorch")), fmt(ms.get("numpy")),
            fmt(ratio("onnxruntime")), fmt(ratio("pytorch")),
            fmt(row["engines"].get("strata", {}).get("compile_s"))))
    for row in results:
        for engine, r in row["engines"].items():
            if r and not r.get("ok"):
                lines.append("note: %s on %s at %d threads not counted: %s" % (
                    engine, row["model"], row["threads"],
                    r.get("failed") or "relative error %.2g" % r["error"]))
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(out_dir, "results.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(out_dir, "table.txt"), "w") as f:
        f.write(text + "\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("python3-matplotlib is not installed: no chart")
        return
    engines = ["strata", "onnxruntime", "pytorch", "numpy"]
    labels = ["%s\n%dT" % (r["model"], r["threads"]) for r in results]
    fig, ax = plt.subplots(figsize=(max(8, 1.1 * len(results)), 5))
    width = 0.2
    for i, engine in enumerate(engines):
        values = [(r["engines"].get(engine) or {}).get("median_ms")
                  if (r["engines"].get(engine) or {}).get("ok") else 0
                  for r in results]
        ax.bar([k + (i - 1.5) * width for k in range(len(results))], values,
               width, label=engine)
    ax.set_yscale("log")
    ax.set_ylabel("median latency (ms, log scale)")
    ax.set_xticks(range(len(results)))
    ax.set_xticklabels(labels, fontsize=7)
    ax.legend()
    ax.set_title("Strata vs ONNX Runtime vs PyTorch (lower is better)")
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "latency.png"), dpi=120)
    print("wrote %s" % os.path.join(out_dir, "latency.png"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", default=",".join(ALL_MODELS))
    parser.add_argument("--threads", default="1,2")
    parser.add_argument("--runs", type=int, default=30,
                        help="timed runs per engine, over all rounds")
    parser.add_argument("--rounds", type=int, default=3,
                        help="times each engine takes its turn")
    parser.add_argument("--out", default=os.path.join(ROOT, "build",
                                                      "benchmarks"))
    parser.add_argument("--smoke", action="store_true",
                        help="MLP only, 1 thread, 3 runs: checks that every "
                        "engine runs and agrees, not their speed")
    parser.add_argument("--sparse", action="store_true",
                        help="the sparse-weight section instead of the "
                        "models (benchmarks/sparse.py); with --smoke, one "
                        "FFN case")
    parser.add_argument("--int8", action="store_true",
                        help="the int8 section instead of the models "
                        "(benchmarks/int8.py): the dot-product peak, a "
                        "u8 x s8 matmul, quantized ResNet-18/50 and BERT "
                        "against float and ONNX Runtime; with --smoke, "
                        "ResNet-18 at 1 thread")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.models, int(args.threads), args.runs,
               args.out)
        return 0
    if args.smoke:
        args.models, args.threads, args.runs, args.rounds = "mlp", "1", 3, 1
    # "zoo" stands for the torchvision classifiers of benchmarks/models.py.
    import models
    names = []
    for name in args.models.split(","):
        names += list(models.ZOO) if name == "zoo" else [name]
    thread_counts = [int(t) for t in args.threads.split(",")]
    os.makedirs(args.out, exist_ok=True)
    if args.sparse:
        import sparse
        failures = sparse.run(args.out, thread_counts, args.runs, args.rounds,
                              args.smoke, ort_on_file)
        if args.smoke:
            print("%d passed, %d failed" % (1 - failures, failures))
        return 1 if failures else 0
    if args.int8:
        import int8
        failures = int8.run(args.out, thread_counts, args.runs, args.rounds,
                            args.smoke, ort_on_file, time_calls)
        if args.smoke:
            print("%d passed, %d failed" % (1 - min(failures, 1),
                                            min(failures, 1)))
        return 1 if failures else 0
    import models
    for name in names:
        if name not in models.WORKLOADS:
            parser.error("unknown model %r; known: %s, zoo (%s)" %
                         (name, ", ".join(ALL_MODELS), ", ".join(models.ZOO)))
        models.export(name, args.out)
    engines = ["strata", "pytorch"]
    if ort_available():
        engines.append("onnxruntime")
    else:
        print("ONNX Runtime not found: run `npm install --ignore-scripts "
              "onnxruntime-node@1.30.0` in benchmarks/ (ORT column empty)")
    results = []
    failures = 0
    for name in names:
        for threads in thread_counts:
            row = {"model": name, "threads": threads, "engines": {}}
            peers = engines + (["numpy"] if name.startswith("matmul") else [])
            # The machine's speed drifts: the engines take turns, --rounds
            # times (in a rotated order), and each one's median is over
            # all its runs.
            for round_ in range(args.rounds):
                order = peers[round_ % len(peers):] + peers[:round_ % len(peers)]
                for engine in order:
                    r = run_engine(engine, name, threads,
                                   max(1, args.runs // args.rounds), args.out)
                    merge(row["engines"].setdefault(engine, {}), r)
            for engine, r in row["engines"].items():
                r["ok"] = "failed" not in r and r["error"] <= TOLERANCE
                if "times_ms" in r:
                    r["median_ms"] = statistics.median(r["times_ms"])
                    r["min_ms"] = min(r["times_ms"])
                failures += engine == "strata" and not r["ok"]
            results.append(row)
    report(results, args.out)
    if args.smoke:
        print("%d passed, %d failed" % (len(results) - failures, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
