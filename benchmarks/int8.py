"""The int8 section of the benchmarks (run.py --int8): quantized models and
the 8-bit matmul kernel against this core's dot-product peak.

- Peak: benchmarks/peak/int8_dot_peak.c, built here with clang -march=native
  (vpdpbusd on independent zmm accumulators), in int8 GOPS per core (a
  multiply and an add per byte pair).
- Matmul: a u8 x s8 -> s32 product of 1024^3 (a constant weight, as
  quantized layers have) through Strata, in GOPS and percent of the peak
  (times the threads).
- Models: ResNet-18, ResNet-50 and a BERT layer exported from PyTorch,
  quantized by strata.quantize (per-channel int8 weights, uint8
  activations, calibrated on 8 seeded random inputs) into a QDQ .onnx that
  both Strata and ONNX Runtime run; timed against Strata on the float
  model, taking turns (--rounds); the output error against float and the
  top-1 agreement with float over random inputs (--agreement) are
  reported too.

Writes int8.json and int8.txt to the output directory."""

import json
import os
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MODELS = ["resnet18", "resnet50", "bert_layer"]


def peak_gops(out_dir):
    """The single-core vpdpbusd peak, or None (with the reason) if this
    host has no AVX-512 VNNI or no clang."""
    binary = os.path.join(out_dir, "int8_dot_peak")
    source = os.path.join(HERE, "peak", "int8_dot_peak.c")
    for cc in ("clang-22", "clang"):
        proc = subprocess.run([cc, "-O2", "-march=native", source, "-o", binary],
                              capture_output=True, text=True)
        if proc.returncode == 0:
            break
    else:
        return None, "cannot build %s: %s" % (source, proc.stderr.strip()[-200:])
    proc = subprocess.run([binary], capture_output=True, text=True,
                          env=dict(os.environ, OMP_NUM_THREADS="1"))
    if proc.returncode != 0:
        return None, proc.stderr.strip()
    return json.loads(proc.stdout)["gops"], None


def matmul_rows(strata, thread_counts, runs, peak, time_calls):
    import numpy as np
    n = 1024
    rng = np.random.default_rng(0)
    a = rng.integers(0, 256, (n, n), dtype=np.uint8)
    w = rng.integers(-128, 128, (n, n), dtype=np.int8)
    g = strata.Graph("matmul_u8s8")
    g.output(g.matmul(g.input("a", (n, n), "u8"), g.constant(w)))
    rows = []
    for threads in thread_counts:
        model = strata.compile(g, threads=threads)
        exact = bool((model(a) == (a.astype(np.int64) @ w.astype(np.int64))
                      .astype(np.int32)).all())
        ms = statistics.median(time_calls(lambda: model(a), runs))
        gops = 2.0 * n ** 3 / ms * 1e-6
        rows.append({"threads": threads, "median_ms": ms, "gops": gops,
                     "percent_of_peak": (100.0 * gops / (peak * threads)
                                         if peak else None),
                     "exact": exact})
    return rows


def quantize_model(strata, models, name, out_dir):
    """Exports `name`, quantizes it and returns (float path, int8 path,
    input path, PyTorch's output path)."""
    import numpy as np
    path, inp, ref = models.export(name, out_dir)
    x = np.load(inp)
    rng = np.random.default_rng(1)
    calibration = [rng.standard_normal(x.shape).astype(np.float32)
                   for _ in range(8)]
    qpath = os.path.join(out_dir, name + "_int8.onnx")
    strata.quantize(path, calibration, output=qpath)
    return path, qpath, inp, ref


def agreement(strata, path, qpath, x_shape, samples):
    """Top-1 agreement (classifiers: the argmax of the last axis) and the
    median relative output error of the int8 model against the float one
    over `samples` seeded random inputs."""
    import numpy as np
    f = strata.compile(path)
    q = strata.compile(qpath)
    rng = np.random.default_rng(2)
    same, errors = 0, []
    for _ in range(samples):
        x = rng.standard_normal(x_shape).astype(np.float32)
        yf, yq = f(x), q(x)
        same += int(np.argmax(yf.reshape(-1, yf.shape[-1])[0]) ==
                    np.argmax(yq.reshape(-1, yq.shape[-1])[0]))
        errors.append(float(np.linalg.norm(yq - yf) / np.linalg.norm(yf)))
    return same / samples, statistics.median(errors)


def run(out_dir, thread_counts, runs, rounds, smoke, ort_on_file, time_calls,
        names=None):
    """Runs the section; returns the number of failures (an engine whose
    output is far off, a matmul that is not exact). `ort_on_file` and
    `time_calls` are run.py's."""
    import numpy as np
    sys.path.insert(0, os.path.join(ROOT, "build", "python"))
    sys.path.insert(0, HERE)
    import models
    import strata
    strata.keep_temporaries_in_heap()
    names = names or (["resnet18"] if smoke else MODELS)
    if smoke:
        thread_counts, runs, rounds = [1], 3, 1
    failures = 0
    lines = []
    peak, why = peak_gops(out_dir)
    lines.append("int8 dot-product peak (vpdpbusd zmm, one core): %s" % (
        "%.1f GOPS" % peak if peak else "n/a (%s)" % why))
    mm = matmul_rows(strata, thread_counts, max(3, runs), peak, time_calls)
    for row in mm:
        failures += not row["exact"]
        lines.append("u8 x s8 matmul 1024^3, %d thread%s: %.3f ms, %.1f GOPS%s%s"
                     % (row["threads"], "s" if row["threads"] > 1 else "",
                        row["median_ms"], row["gops"],
                        ", %.0f%% of peak" % row["percent_of_peak"]
                        if row["percent_of_peak"] else "",
                        "" if row["exact"] else " (WRONG RESULT)"))
    header = "%-12s %3s %10s %10s %10s %8s %8s %8s %8s" % (
        "model", "thr", "float ms", "int8 ms", "ort i8 ms", "f/i8",
        "i8/ort", "error", "top-1")
    lines += ["", header, "-" * len(header)]
    results = {"peak_gops": peak, "matmul": mm, "models": []}
    for name in names:
        path, qpath, inp, _ = quantize_model(strata, models, name, out_dir)
        x = np.load(inp)
        samples = 5 if smoke else 100
        top1, error = agreement(strata, path, qpath, x.shape, samples)
        # An int8 model far from its float one is wrong, not imprecise.
        failures += error > 0.1
        for threads in thread_counts:
            times = {"float": [], "int8": [], "ort": []}
            ort_error = None
            compiled = {"float": strata.compile(path, threads=threads),
                        "int8": strata.compile(qpath, threads=threads)}
            ort_ref = os.path.join(out_dir, name + "_int8_strata.npy")
            np.save(ort_ref, compiled["int8"](x))
            for _ in range(rounds):
                for engine in ("int8", "float"):
                    m = compiled[engine]
                    times[engine] += time_calls(lambda: m(x),
                                               max(1, runs // rounds))
                r = ort_on_file(qpath, inp, ort_ref, threads,
                                max(1, runs // rounds))
                if r and "times_ms" in r:
                    times["ort"] += r["times_ms"]
                    ort_error = r["error"]
            ms = {k: statistics.median(v) if v else None
                  for k, v in times.items()}
            row = {"model": name, "threads": threads, "float_ms": ms["float"],
                   "int8_ms": ms["int8"], "ort_int8_ms": ms["ort"],
                   "relative_error": error, "top1_agreement": top1,
                   "samples": samples,
                   # ONNX Runtime's output against Strata's, same file.
                   "ort_vs_strata_error": ort_error}
            results["models"].append(row)
            lines.append("%-12s %3d %10.2f %10.2f %10s %8.2f %8s %8.3f %7.0f%%"
                         % (name, threads, ms["float"], ms["int8"],
                            "%.2f" % ms["ort"] if ms["ort"] else "-",
                            ms["float"] / ms["int8"],
                            "%.2f" % (ms["int8"] / ms["ort"])
                            if ms["ort"] else "-", error, 100 * top1))
    lines.append("")
    lines.append("f/i8: Strata float / Strata int8 (speedup); i8/ort: Strata "
                 "int8 / ONNX Runtime on the same QDQ file; error: median "
                 "relative output error of int8 against float, top-1: "
                 "agreement of the argmax with float (%s random inputs)"
                 % ("5" if smoke else "100"))
    text = "\n".join(lines)
    print(text)
    with open(os.path.join(out_dir, "int8.json"), "w") as f:
        json.dump(results, f, indent=1)
    with open(os.path.join(out_dir, "int8.txt"), "w") as f:
        f.write(text + "\n")
    return failures
