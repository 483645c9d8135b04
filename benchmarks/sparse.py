"""The sparse section of the benchmarks (benchmarks/run.py --sparse): a
feed-forward layer 128x768 -> 3072 with magnitude-pruned weights, and a
BERT-base encoder layer pruned to 90%, in one run on this machine.

FFN (x @ w, 1 and 2 threads, M = 128 rows and M = 1): Strata with the weight
sparse (sparse_threshold=1) against Strata with it dense (sparse_threshold=0),
numpy/OpenBLAS, and (M = 128, 1 thread) the upstream MLIR sparsifier in its
best form (benchmarks/upstream_sparse.py: transposed operands given, the
kernel alone timed), at densities 5-70% (unstructured), 2:4, and 1x4
blocks. BERT: Strata dense vs Strata sparse vs ONNX Runtime running the same
pruned model (densely). Each engine runs in its own process, taking turns;
every output is checked (against float64 numpy for the FFN, against Strata
dense for BERT) before its time counts. Writes sparse.json, sparse.txt and
sparse.png (time against density) to the output directory."""

import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

K, N = 768, 3072
# (label, density, pattern) of the FFN weights.
FFN_CASES = [("5%", 0.05, "unstructured"), ("10%", 0.10, "unstructured"),
             ("20%", 0.20, "unstructured"), ("30%", 0.30, "unstructured"),
             ("50%", 0.50, "unstructured"), ("70%", 0.70, "unstructured"),
             ("2:4", 0.50, "2:4"), ("1x4 10%", 0.10, "block1x4"),
             ("1x4 30%", 0.30, "block1x4"), ("1x4 70%", 0.70, "block1x4")]
SMOKE_CASES = [("10%", 0.10, "unstructured")]
TOLERANCE = 1e-4


def ffn_weight(density, pattern):
    """The seeded K x N weight, magnitude-pruned to `density`."""
    import numpy as np
    sys.path.insert(0, os.path.join(ROOT, "build", "python"))
    from strata.sparsity import prune_array
    w = np.random.default_rng(0).standard_normal((K, N)).astype(np.float32)
    return prune_array(w, 1.0 - density if pattern != "2:4" else 0.5, pattern)


def ffn_worker(engine, case, m, threads, runs):
    """Child process: times `engine` on one FFN case, prints JSON."""
    import numpy as np
    from run import time_calls
    label, density, pattern = case
    w = ffn_weight(density, pattern)
    x = np.random.default_rng(1).standard_normal((m, K)).astype(np.float32)
    result = {}
    if engine == "numpy":
        fn = lambda: x @ w
    elif engine == "upstream":
        sys.path.insert(0, HERE)
        from upstream_sparse import UpstreamSparseMatmul
        kernel = UpstreamSparseMatmul(w, m, os.environ["STRATA_BENCH_DIR"])
        xt = np.ascontiguousarray(x.T)
        result["error"] = float(np.abs(kernel(xt).T - x.astype(np.float64) @ w)
                                .max() / np.abs(x @ w).max())
        result["times_ms"] = time_calls(lambda: kernel(xt), runs)
        return result
    else:
        import strata
        strata.keep_temporaries_in_heap()
        g = strata.Graph()
        g.output(g.matmul(g.input("x", (m, K)), g.constant(w)))
        model = strata.compile(g, threads=threads, sparse_threshold=(
            1.0 if engine == "strata-sparse" else 0.0))
        fn = lambda: model(x)
        sparse = "tensorx.matmul" in model.mlir("tensorx")
        if sparse != (engine == "strata-sparse"):
            return {"failed": "the weight is %s" % ("sparse" if sparse
                                                    else "dense")}
    ref = x.astype(np.float64) @ w.astype(np.float64)
    result["error"] = float(np.abs(fn() - ref).max() / np.abs(ref).max())
    result["times_ms"] = time_calls(fn, runs)
    return result


def bert_worker(engine, threads, runs, directory):
    import numpy as np
    from run import time_calls
    import strata
    strata.keep_temporaries_in_heap()
    x = np.load(os.path.join(directory, "bert_sparse_in.npy"))
    ref = np.load(os.path.join(directory, "bert_sparse_ref.npy"))
    model = strata.compile(os.path.join(directory, "bert_sparse.onnx"),
                           threads=threads, sparse_threshold=(
                               1.0 if engine == "strata-sparse" else 0.0))
    out = model(x)
    return {"error": float(np.abs(out - ref).max() / np.abs(ref).max()),
            "times_ms": time_calls(lambda: model(x), runs)}


def export_bert(directory):
    """The BERT layer of the benchmarks, pruned to 90% (unstructured), its
    input, and Strata's dense output as the reference."""
    import numpy as np
    sys.path.insert(0, HERE)
    sys.path.insert(0, os.path.join(ROOT, "build", "python"))
    import models
    import strata
    path, inp, _ = models.export("bert_layer", directory)
    pruned = os.path.join(directory, "bert_sparse.onnx")
    strata.prune(path, sparsity=0.9, output=pruned, quiet=True)
    x = np.load(inp)
    np.save(os.path.join(directory, "bert_sparse_in.npy"), x)
    dense = strata.compile(pruned, threads=1, sparse_threshold=0.0)
    np.save(os.path.join(directory, "bert_sparse_ref.npy"), dense(x))


def child(args, threads, out_dir=None):
    env = dict(os.environ)
    if out_dir:
        env["STRATA_BENCH_DIR"] = out_dir
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = str(threads)
    env["PYTHONPATH"] = os.path.join(ROOT, "build", "python")
    proc = subprocess.run([sys.executable, os.path.abspath(__file__)] + args,
                          capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        return {"failed": proc.stderr.strip()[-300:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def take_turns(engines, run_one, rounds, runs):
    """Each engine's merged result over `rounds` turns (rotated order)."""
    totals = {e: {} for e in engines}
    for round_ in range(rounds):
        order = engines[round_ % len(engines):] + engines[:round_ % len(engines)]
        for engine in order:
            r = run_one(engine, max(1, runs // rounds))
            total = totals[engine]
            if "failed" in r:
                total["failed"] = r["failed"]
                continue
            total.setdefault("times_ms", []).extend(r["times_ms"])
            total["error"] = max(total.get("error", 0.0), r["error"])
    for r in totals.values():
        r["ok"] = "failed" not in r and r.get("error", 1.0) <= TOLERANCE
        if r.get("times_ms"):
            r["median_ms"] = statistics.median(r["times_ms"])
    return totals


def run(out_dir, threads_list, runs, rounds, smoke, ort_result):
    """Runs the section; `ort_result(path, x, threads, runs)` times ONNX
    Runtime (None when it is not installed). Returns the failure count."""
    cases = SMOKE_CASES if smoke else FFN_CASES
    rows_list = [128] if smoke else [128, 1]
    ffn, failures = [], 0
    for m in rows_list:
        for threads in threads_list:
            for case in cases:
                engines = ["strata-sparse", "strata-dense", "numpy"]
                if m == 128 and threads == 1 and not smoke:
                    engines.append("upstream")
                totals = take_turns(
                    engines, lambda e, n: child(
                        ["--ffn-worker", e, str(FFN_CASES.index(case)
                                                if case in FFN_CASES else 0),
                         str(m), str(threads), str(n)], threads, out_dir),
                    rounds, runs)
                failures += sum(not r["ok"] for e, r in totals.items()
                                if e.startswith("strata"))
                ffn.append({"case": case[0], "density": case[1],
                            "pattern": case[2], "m": m, "threads": threads,
                            "engines": totals})
    bert = []
    if not smoke:
        export_bert(out_dir)
        for threads in threads_list:
            engines = ["strata-sparse", "strata-dense"]
            totals = take_turns(engines, lambda e, n: child(
                ["--bert-worker", e, str(threads), str(n), out_dir], threads),
                rounds, runs)
            ort = ort_result(os.path.join(out_dir, "bert_sparse.onnx"),
                             os.path.join(out_dir, "bert_sparse_in.npy"),
                             os.path.join(out_dir, "bert_sparse_ref.npy"),
                             threads, runs)
            if ort is not None:
                ort["ok"] = "failed" not in ort and ort["error"] <= 1e-3
                totals["onnxruntime"] = ort
            failures += sum(not r["ok"] for e, r in totals.items()
                            if e.startswith("strata"))
            bert.append({"threads": threads, "engines": totals})
    report(ffn, bert, out_dir)
    return failures


def ms(r):
    return r.get("median_ms") if r and r.get("ok") else None


def fmt(value, digits=3):
    return "-" if value is None else "%.*f" % (digits, value)


def report(ffn, bert, out_dir):
    header = "%-9s %4s %3s %11s %11s %9s %11s %13s %12s %15s" % (
        "weight", "M", "thr", "sparse ms", "dense ms", "numpy ms",
        "upstream ms", "dense/sparse", "numpy/sparse", "upstream/sparse")
    lines = ["FFN %dx%d -> %d, weight magnitude-pruned" % (128, K, N), header,
             "-" * len(header)]
    for row in ffn:
        e = row["engines"]
        s, d, n = ms(e["strata-sparse"]), ms(e["strata-dense"]), ms(e["numpy"])
        u = ms(e.get("upstream"))
        lines.append("%-9s %4d %3d %11s %11s %9s %11s %13s %12s %15s" % (
            row["case"], row["m"], row["threads"], fmt(s), fmt(d), fmt(n),
            fmt(u), fmt(d / s if s and d else None, 2),
            fmt(n / s if s and n else None, 2),
            fmt(u / s if s and u else None, 2)))
    if bert:
        lines += ["", "BERT-base layer (1x128x768), 90% unstructured sparsity",
                  "%3s %11s %11s %9s %13s %10s" % ("thr", "sparse ms",
                                                   "dense ms", "ort ms",
                                                   "dense/sparse",
                                                   "ort/sparse")]
        for row in bert:
            e = row["engines"]
            s, d = ms(e["strata-sparse"]), ms(e["strata-dense"])
            o = ms(e.get("onnxruntime"))
            lines.append("%3d %11s %11s %9s %13s %10s" % (
                row["threads"], fmt(s, 2), fmt(d, 2), fmt(o, 2),
                fmt(d / s if s and d else None, 2),
                fmt(o / s if s and o else None, 2)))
    for row in ffn + bert:
        for engine, r in row["engines"].items():
            if not r.get("ok"):
                lines.append("note: %s not counted (%s): %s" % (
                    engine, row.get("case", "bert"),
                    r.get("failed") or "relative error %.2g" % r["error"]))
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(out_dir, "sparse.json"), "w") as f:
        json.dump({"ffn": ffn, "bert": bert}, f, indent=1)
    with open(os.path.join(out_dir, "sparse.txt"), "w") as f:
        f.write(text + "\n")
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for ax, m in zip(axes, (128, 1)):
        for engine, style in (("strata-sparse", "o-"), ("strata-dense", "s--"),
                              ("numpy", "^:"), ("upstream", "x-.")):
            for threads in sorted({r["threads"] for r in ffn}):
                rows = [r for r in ffn if r["m"] == m and r["threads"] == threads
                        and r["pattern"] == "unstructured"]
                points = [(r["density"] * 100, ms(r["engines"].get(engine)))
                          for r in rows if ms(r["engines"].get(engine))]
                if points:
                    ax.plot(*zip(*points), style,
                            label="%s, %d thread%s" % (
                                engine, threads, "" if threads == 1 else "s"))
        ax.set_xlabel("weight density (%)")
        ax.set_ylabel("median latency (ms)")
        ax.set_title("FFN %dx%d -> %d" % (m, K, N))
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(os.path.join(out_dir, "sparse.png"), dpi=120)
    print("wrote %s" % os.path.join(out_dir, "sparse.png"))


if __name__ == "__main__":
    if sys.argv[1] == "--ffn-worker":
        engine, case, m, threads, runs = sys.argv[2:7]
        print(json.dumps(ffn_worker(engine, FFN_CASES[int(case)], int(m),
                                    int(threads), int(runs))))
    elif sys.argv[1] == "--bert-worker":
        engine, threads, runs, directory = sys.argv[2:6]
        print(json.dumps(bert_worker(engine, int(threads), int(runs),
                                     directory)))
