#!/usr/bin/python3
"""ONNX backend conformance for Strata.

Runs every test of Debian's libonnx-testdata (the ONNX backend test data:
node, pytorch-converted, pytorch-operator, simple) through `strata-run`, and
classifies each as:

  pass          outputs match the reference (rtol 1e-3, atol 1e-4)
  wrong-result  it ran, but an output differs (or has the wrong shape/dtype)
  import-error  the ONNX importer rejected the model (strata-translate
                --import-onnx failed, and so did strata-run, which also
                has the test's inputs to specialize shape operands on)
  compile-error the model imported but strata-run did not compile it or
                rejected the inputs
  crash         strata-run died on a signal or timed out

With --check, compares against the expected-failure list (xfail.txt): any
test not on the list that does not pass is a regression, and any test on the
list that passes must be removed from it. Both make the run fail.
With --table, writes the results table (docs/onnx-conformance.md).
"""

import argparse
import collections
import concurrent.futures
import os
import re
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data"
SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
CATEGORIES = ["pass", "wrong-result", "import-error", "compile-error", "crash"]
HERE = os.path.dirname(os.path.abspath(__file__))


def load_tensor(path):
    t = onnx.TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def run_test(args):
    strata_run, test_dir, timeout = args
    strata_translate = os.path.join(os.path.dirname(strata_run), "strata-translate")
    name = os.path.basename(test_dir)
    model = os.path.join(test_dir, "model.onnx")
    data_dir = os.path.join(test_dir, "test_data_set_0")
    try:
        inputs = sorted(
            (f for f in os.listdir(data_dir) if f.startswith("input_")),
            key=lambda f: int(f[6:-3]))
        outputs = sorted(
            (f for f in os.listdir(data_dir) if f.startswith("output_")),
            key=lambda f: int(f[7:-3]))
        ops = sorted({n.op_type for n in onnx.load(model).graph.node})
    except Exception as e:  # Unreadable test data: count it as an import error.
        return name, "import-error", str(e).splitlines()[0][:200], []
    def first_line(text):
        line = (text.strip().splitlines() or [""])[0]
        # Keep messages stable across runs: drop temporary and data paths.
        line = re.sub(r"/tmp/[^ ']*/", "", line)
        return line.replace(test_dir + "/", "")[:300]

    try:
        proc = subprocess.run([strata_translate, "--import-onnx", model, "-o",
                               os.devnull], capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return name, "crash", "import timed out after %ds" % timeout, ops
    if proc.returncode < 0:
        return name, "crash", "import: signal %d" % -proc.returncode, ops
    # A model whose shape operands are graph inputs imports only given their
    # values (strata-run specializes it on its --input arrays): it is an
    # import error only if strata-run rejects it too.
    import_error = first_line(proc.stderr) if proc.returncode != 0 else None
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [strata_run, model]
        try:
            for f in inputs:
                array = load_tensor(os.path.join(data_dir, f))
                path = os.path.join(tmp, f[:-3] + ".npy")
                np.save(path, np.require(array, requirements="C"))
                cmd += ["--input", path]
        except Exception as e:
            return name, "import-error", "input: " + str(e)[:200], ops
        for i in range(len(outputs)):
            cmd += ["--output", os.path.join(tmp, "out_%d.npy" % i)]
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True,
                                  timeout=timeout)
        except subprocess.TimeoutExpired:
            return name, "crash", "timed out after %ds" % timeout, ops
        message = first_line(proc.stderr)
        if proc.returncode < 0 or proc.returncode > 2:
            return name, "crash", "exit code %d: %s" % (proc.returncode,
                                                         message), ops
        if proc.returncode != 0 and import_error is not None:
            return name, "import-error", import_error, ops
        if proc.returncode != 0:
            return name, "compile-error", message, ops
        for i, f in enumerate(outputs):
            expected = load_tensor(os.path.join(data_dir, f))
            actual = np.load(os.path.join(tmp, "out_%d.npy" % i))
            if actual.shape != expected.shape:
                return name, "wrong-result", "output %d shape %s, expected %s" % (
                    i, actual.shape, expected.shape), ops
            if expected.dtype.kind in "biu" or expected.dtype == np.bool_:
                ok = np.array_equal(actual.astype(expected.dtype), expected)
            else:
                ok = np.allclose(actual.astype(np.float64),
                                 expected.astype(np.float64),
                                 rtol=1e-3, atol=1e-4, equal_nan=True)
            if not ok:
                diff = np.max(np.abs(actual.astype(np.float64) -
                                     expected.astype(np.float64)))
                return name, "wrong-result", "output %d differs (max abs diff %g)" % (
                    i, diff), ops
    return name, "pass", "", ops


def read_xfail(path):
    xfail = {}
    if not os.path.exists(path):
        return xfail
    with open(path) as f:
        for line in f:
            line = line.split("#", 1)
            name = line[0].strip()
            if name:
                xfail[name] = line[1].strip() if len(line) > 1 else ""
    return xfail


# Tests whose reference data Strata deliberately differs from, and why;
# listed in the table. (They still fail, and stay in xfail.txt.)
KNOWN_DIFFERENCES = {
    "node/test_cast_FLOAT_to_BFLOAT16":
        "the ONNX 1.12 data truncates float32 to bfloat16; Strata rounds to "
        "nearest even, as ONNX's current reference, PyTorch and ONNX Runtime "
        "do (the values differ by one unit in the last place)",
}


def write_table(path, results, suites):
    by_suite = collections.defaultdict(collections.Counter)
    by_op = collections.defaultdict(collections.Counter)
    for (suite, name), (category, _, ops) in results.items():
        by_suite[suite][category] += 1
        if suite == "node":
            for op in ops:
                by_op[op][category] += 1
    lines = ["# ONNX backend conformance", "",
             "Generated by `integration_test/onnx_conformance/run_conformance.py "
             "--table docs/onnx-conformance.md` over Debian's libonnx-testdata "
             "(ONNX 1.12 backend test data). Outputs are compared with rtol "
             "1e-3, atol 1e-4. Categories: see the runner's docstring.", "",
             "## Per suite", "",
             "| suite | tests | " + " | ".join(CATEGORIES) + " |",
             "| --- | ---: | " + " | ".join("---:" for _ in CATEGORIES) + " |"]
    for suite in suites:
        c = by_suite[suite]
        lines.append("| %s | %d | %s |" % (suite, sum(c.values()),
                     " | ".join(str(c[k]) for k in CATEGORIES)))
    wrong = sorted("%s/%s" % key for key, (category, _, _) in results.items()
                   if category == "wrong-result")
    if wrong:
        lines += ["", "## Wrong results", ""]
        lines += ["- `%s`: %s" % (name, KNOWN_DIFFERENCES.get(name, "not explained yet"))
                  for name in wrong]
    lines += ["", "## Per operator (node suite)", "",
              "A test counts for every operator its model uses.", "",
              "| operator | tests | " + " | ".join(CATEGORIES) + " |",
              "| --- | ---: | " + " | ".join("---:" for _ in CATEGORIES) + " |"]
    for op in sorted(by_op):
        c = by_op[op]
        lines.append("| %s | %d | %s |" % (op, sum(c.values()),
                     " | ".join(str(c[k]) for k in CATEGORIES)))
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--strata-run", required=True)
    parser.add_argument("--suites", default=",".join(SUITES))
    parser.add_argument("--filter", default="", help="only tests containing this")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=int, default=120)
    parser.add_argument("--xfail", default=os.path.join(HERE, "xfail.txt"))
    parser.add_argument("--check", action="store_true",
                        help="fail on regressions and on newly passing xfails")
    parser.add_argument("--table", help="write the markdown results table here")
    parser.add_argument("--write-xfail", action="store_true",
                        help="rewrite the xfail list from this run's failures")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()

    suites = [s for s in args.suites.split(",") if s]
    tests = []
    for suite in suites:
        root = os.path.join(DATA, suite)
        for name in sorted(os.listdir(root)):
            if args.filter in name:
                tests.append((suite, os.path.join(root, name)))
    if not tests:
        print("no conformance tests found under %s" % DATA)
        return 1

    results = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        futures = {pool.submit(run_test, (args.strata_run, d, args.timeout)):
                   (suite, d) for suite, d in tests}
        for future in concurrent.futures.as_completed(futures):
            suite, d = futures[future]
            name, category, message, ops = future.result()
            results[(suite, name)] = (category, message, ops)
            if args.verbose:
                print("%-14s %s/%s %s" % (category, suite, name, message))

    xfail = read_xfail(args.xfail)
    counts = collections.Counter(c for c, _, _ in results.values())
    print("\nONNX conformance (%s):" % ", ".join(suites))
    for suite in suites:
        c = collections.Counter(cat for (s, _), (cat, _, _) in results.items()
                                if s == suite)
        print("  %-18s %4d tests: %s" % (suite, sum(c.values()), ", ".join(
            "%d %s" % (c[k], k) for k in CATEGORIES)))

    if args.table:
        write_table(args.table, results, suites)
    if args.write_xfail:
        with open(args.xfail, "w") as f:
            f.write("# Expected failures of the ONNX conformance suite, with the\n"
                    "# category and first line of the error. Regenerate with\n"
                    "# run_conformance.py --write-xfail after a change that\n"
                    "# makes tests pass; --check fails when this list is stale.\n")
            for (suite, name), (category, message, _) in sorted(results.items()):
                if category != "pass":
                    f.write("%s/%s  # %s: %s\n" % (suite, name, category,
                                                   message.replace("\n", " ")))

    regressions, fixed = [], []
    passed = failed = expected = 0
    for (suite, name), (category, message, _) in sorted(results.items()):
        key = "%s/%s" % (suite, name)
        if category == "pass":
            if key in xfail:
                fixed.append(key)
                failed += 1
            else:
                passed += 1
        elif key in xfail:
            expected += 1
        else:
            regressions.append((key, category, message))
            failed += 1
    if args.check:
        for key, category, message in regressions:
            print("REGRESSION %s: %s: %s" % (key, category, message))
        for key in fixed:
            print("NEWLY PASSING %s: remove it from %s" % (key, args.xfail))
        print("%d passed, %d failed, %d skipped (expected failures on the "
              "xfail list)" % (passed, failed, expected))
        return 1 if failed else 0
    print("%d pass of %d" % (counts["pass"], len(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
