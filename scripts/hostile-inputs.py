#!/usr/bin/env python3
"""A campaign of hostile inputs against strata-run and the Python API.

Generates, for every class of bad input the reliability issue found (and
byte-level mutations of good models), inputs and runs them, then checks
what a mature tool must do:

- never die by a signal (a crash: SIGSEGV, SIGFPE, SIGABRT ...) or hang;
- exit 0 only with a right answer, 1 when the model does not compile, 2 on
  bad usage or bad input, with an error message for 1 and 2;
- in Python, raise strata.Error (never kill the interpreter).

    /usr/bin/python3 scripts/hostile-inputs.py            # the whole campaign
    /usr/bin/python3 scripts/hostile-inputs.py --quick    # a sample (CI)

Prints one line per class and ends with "N passed, M failed". The cases
whose exact messages matter are lit tests (test/Target/ONNX, test/Tools).
"""

import argparse
import os
import random
import subprocess
import sys
import tempfile

import numpy as np
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("STRATA_BUILD_DIR", os.path.join(ROOT, "build"))
STRATA_RUN = os.path.join(BUILD, "bin", "strata-run")
F = TensorProto.FLOAT


def model(nodes, inputs, outputs, inits=(), opset=13):
    graph = helper.make_graph(nodes, "g", inputs, outputs, initializer=list(inits))
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])
    return m.SerializeToString()


def vi(name, shape, t=F):
    return helper.make_tensor_value_info(name, t, shape)


def arr(name, values, dtype=np.float32):
    return numpy_helper.from_array(np.array(values, dtype), name)


def good_models():
    """Small valid models whose byte mutations make the byte-level class."""
    yield model([helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
                 helper.make_node("Relu", ["c"], ["y"])],
                [vi("x", [1, 2, 6, 6])], [vi("y", [1, 3, 6, 6])],
                [arr("w", np.ones((3, 2, 3, 3)))])
    yield model([helper.make_node("Gemm", ["x", "w", "b"], ["y"], transB=1)],
                [vi("x", [4, 8])], [vi("y", [4, 5])],
                [arr("w", np.ones((5, 8))), arr("b", np.zeros(5))])
    yield model([helper.make_node("Reshape", ["x", "s"], ["r"]),
                 helper.make_node("Softmax", ["r"], ["y"], axis=1)],
                [vi("x", [2, 3, 4])], [vi("y", [6, 4])],
                [arr("s", [6, 4], np.int64)])


def semantic_cases():
    """(name, model bytes, allowed exit codes) for broken-but-parseable
    models: each class of the reliability issue."""
    x23 = vi("x", [2, 3])
    y23 = vi("y", [2, 3])
    cases = []
    # Zero-sized dimensions (class 1): must run (exit 0).
    for m_, k_, n_ in [(0, 4, 8), (4, 0, 8), (4, 8, 0)]:
        cases.append(("zero-matmul-%dx%dx%d" % (m_, k_, n_), model(
            [helper.make_node("MatMul", ["x", "w"], ["y"])], [vi("x", [m_, k_])],
            [vi("y", [m_, n_])], [arr("w", np.ones((k_, n_)))]), {0}))
    cases.append(("zero-conv-channels", model(
        [helper.make_node("Conv", ["x", "w"], ["y"])], [vi("x", [1, 0, 5, 5])],
        [vi("y", [1, 2, 3, 3])], [arr("w", np.ones((2, 0, 3, 3)))]), {0}))
    # The same value returned twice (class 2): must run.
    cases.append(("output-twice-via-identity", model(
        [helper.make_node("Relu", ["x"], ["r"]), helper.make_node("Identity", ["r"], ["y"]),
         helper.make_node("Identity", ["r"], ["z"])], [x23], [y23, vi("z", [2, 3])]), {0}))
    cases.append(("output-listed-twice", model(
        [helper.make_node("Relu", ["x"], ["y"])], [x23], [y23, y23]), {2}))
    # Huge tensors (class 3).
    cases.append(("huge-input", model(
        [helper.make_node("Relu", ["x"], ["y"])], [vi("x", [2 ** 40, 2 ** 40])],
        [vi("y", [2 ** 40, 2 ** 40])]), {1, 2}))
    # Initializers that do not fit their dims (class 4).
    bad = arr("w", [1.0, 2.0])
    bad.dims[:] = [2 ** 40, 2 ** 40]
    cases.append(("initializer-dims-overflow", model(
        [helper.make_node("Add", ["x", "w"], ["y"])], [x23], [y23], [bad]), {2}))
    short = arr("w", [1.0, 2.0])
    short.dims[:] = [1000, 1000]
    cases.append(("initializer-short", model(
        [helper.make_node("Add", ["x", "w"], ["y"])], [x23], [y23], [short]), {2}))
    # Unbounded import-time folding (class 5).
    cases.append(("constantofshape-negative", model(
        [helper.make_node("ConstantOfShape", ["s"], ["y"])], [], [vi("y", None)],
        [arr("s", [3, -1], np.int64)]), {2}))
    cases.append(("constantofshape-enormous", model(
        [helper.make_node("ConstantOfShape", ["s"], ["y"])], [], [vi("y", None)],
        [arr("s", [2 ** 30, 2 ** 30], np.int64)]), {2}))
    cases.append(("range-enormous", model(
        [helper.make_node("Range", ["a", "b", "d"], ["y"])], [], [vi("y", None, TensorProto.INT64)],
        [arr("a", 0, np.int64), arr("b", 2 ** 40, np.int64), arr("d", 1, np.int64)]), {2}))
    cases.append(("onehot-depth-enormous", model(
        [helper.make_node("OneHot", ["i", "d", "v"], ["y"])], [], [vi("y", None)],
        [arr("i", [1], np.int64), arr("d", 2 ** 40, np.int64), arr("v", [0, 1])]), {2}))
    # Split with zero outputs (class 6).
    cases.append(("split-no-outputs", model(
        [helper.make_node("Split", ["x"], []), helper.make_node("Relu", ["x"], ["y"])],
        [x23], [y23]), {2}))
    # Integer division by zero in the data (class 7): must run. The divisor
    # is an input, which --random-inputs fills with 0s and 1s.
    for op, t in [("Div", TensorProto.INT32), ("Mod", TensorProto.INT64)]:
        cases.append(("int-%s-by-zero" % op.lower(), model(
            [helper.make_node(op, ["x", "z"], ["y"])],
            [vi("x", [64], t), vi("z", [64], t)], [vi("y", [64], t)]), {0}))
    # Attributes of the wrong type (silent wrong results before).
    gemm = helper.make_node("Gemm", ["x", "w"], ["y"])
    gemm.attribute.append(helper.make_attribute("alpha", 1))
    cases.append(("gemm-alpha-int", model([gemm], [x23], [y23], [arr("w", np.ones((3, 3)))]), {2}))
    sm = helper.make_node("Softmax", ["x"], ["y"])
    sm.attribute.append(helper.make_attribute("axis", 1.5))
    cases.append(("softmax-axis-float", model([sm], [x23], [y23]), {2}))
    # Out-of-range constant indices, invalid models.
    cases.append(("gather-index-out-of-range", model(
        [helper.make_node("Gather", ["x", "i"], ["y"], axis=1)], [x23], [vi("y", [2, 1])],
        [arr("i", [5], np.int64)]), {2}))
    cases.append(("slice-duplicate-axes", model(
        [helper.make_node("Slice", ["x", "s", "e", "a"], ["y"])], [x23], [vi("y", [2, 1])],
        [arr("s", [0, 1], np.int64), arr("e", [1, 2], np.int64), arr("a", [1, 1], np.int64)]), {2}))
    cases.append(("output-shadows-input", model(
        [helper.make_node("Relu", ["x"], ["x"])], [x23], [x23]), {2}))
    cases.append(("initializer-overrides-input-shape", model(
        [helper.make_node("Relu", ["x"], ["y"])], [x23], [y23], [arr("x", np.ones((3, 2)))]), {2}))
    cases.append(("clip-non-scalar", model(
        [helper.make_node("Clip", ["x", "lo"], ["y"])], [x23], [y23], [arr("lo", [0.0, 1.0])]), {2}))
    cases.append(("nll-target-out-of-range", model(
        [helper.make_node("NegativeLogLikelihoodLoss", ["x", "t"], ["y"], reduction="none")],
        [x23], [vi("y", [2])], [arr("t", [0, 7], np.int64)]), {2}))
    cofs = helper.make_node("ConstantOfShape", ["s"], ["y"],
                            value=helper.make_tensor("v", F, [2], [1.0, 2.0]))
    cases.append(("constantofshape-two-values", model(
        [cofs], [], [vi("y", None)], [arr("s", [2], np.int64)]), {2}))
    return cases


def npy_cases(tmp):
    """(name, path, allowed exit codes) for broken .npy inputs of a 2x3 f32
    model."""
    data = np.arange(6, dtype=np.float32).tobytes()

    def npy(name, header, payload=data):
        header = header.encode()
        header += b" " * ((64 - (10 + len(header) + 1) % 64) % 64) + b"\n"
        path = os.path.join(tmp, name + ".npy")
        with open(path, "wb") as f:
            f.write(b"\x93NUMPY\x01\x00" + len(header).to_bytes(2, "little") + header + payload)
        return path

    base = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"
    return [
        ("npy-trailing-junk", npy("junk", base, data + b"junk"), {2}),
        ("npy-shape-typo", npy("typo", base.replace("(2, 3)", "(2x, 3)")), {2}),
        ("npy-fortran-lowercase", npy("lower", base.replace("False", "false")), {2}),
        ("npy-truncated", npy("trunc", base, data[:10]), {2}),
        ("npy-huge-shape", npy("huge", base.replace("(2, 3)", "(1099511627776, 1099511627776)")), {2}),
        ("npy-negative-shape", npy("neg", base.replace("(2, 3)", "(-2, 3)")), {2}),
        ("npy-big-endian", npy("be", base.replace("<f4", ">f4")), {2}),
    ]


FLAG_CASES = [
    ("flag-threads-abc", ["--threads", "abc"], {2}),
    ("flag-threads-overflow", ["--threads", "99999999999"], {2}),
    ("flag-repeat-negative", ["--repeat", "-1"], {2}),
    ("flag-unknown", ["--bogus"], {2}),
    ("flag-entry-missing", ["--entry", "nope"], {2}),
    ("flag-dump-level", ["--dump-ir=bogus"], {2}),
]


def run(args, timeout=120):
    """(outcome, detail): outcome is an exit code, 'crash' or 'hang'."""
    try:
        p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return "hang", ""
    err = p.stderr.decode(errors="replace")
    if p.returncode < 0 or p.returncode >= 128 or "Stack dump" in err:
        return "crash", err[-400:]
    if p.returncode in (1, 2) and not err.strip():
        return "silent-error", ""
    return p.returncode, err[-200:]


def mutate(data, rng):
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.random()
        pos = rng.randrange(len(b))
        if kind < 0.5:
            b[pos] = rng.randrange(256)
        elif kind < 0.75:
            del b[pos:pos + rng.randint(1, 16)]
        else:
            b[pos:pos] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        if not b:
            b = bytearray(b"\0")
    return bytes(b)


def python_cases():
    """Wrong Python arguments: each must raise strata.Error or TypeError,
    never kill the interpreter (run in a child process)."""
    return [
        "g = strata.Graph('g'); x = g.input('x', (0, 4), 'f32'); g.output(g.matmul(x, g.constant(np.ones((4, 3), np.float32)))); print(strata.compile(g)(np.ones((0, 4), np.float32)).shape)",
        "g = strata.Graph('g'); x = g.input('x', (4,), 'f32'); r = g.relu(x); g.output(r, r); print(strata.compile(g)(np.ones(4, np.float32)))",
        "g = strata.Graph('g'); x = g.input('x', (2**40, 2**40), 'f32'); g.output(g.relu(x)); strata.compile(g)",
        "g = strata.Graph('g'); x = g.input('x', (4,), 'i32'); g.output(x / g.constant(np.zeros(4, np.int32))); print(strata.compile(g)(np.arange(4, dtype=np.int32)))",
        "m = strata.compile('%s'); m(np.ones((3, 2), np.float32))",
        "m = strata.compile('%s'); m('not an array')",
        "strata.compile(12345)",
        "g = strata.Graph('g'); g.input('x', (-1, 3), 'f32')",
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a sample, for CI")
    parser.add_argument("--mutations", type=int, default=1500,
                        help="mutated ONNX models (a fifth as many MLIR files)")
    args = parser.parse_args()
    rng = random.Random(1234)
    failures = []
    counts = {}

    def check(cls, name, outcome, allowed, detail=""):
        counts.setdefault(cls, [0, 0])
        ok = outcome in allowed if allowed else outcome in (0, 1, 2)
        counts[cls][0 if ok else 1] += 1
        if not ok:
            failures.append("%s/%s: %s (allowed %s) %s" % (
                cls, name, outcome, sorted(allowed) if allowed else "0/1/2", detail))

    with tempfile.TemporaryDirectory() as tmp:
        # Semantically broken models, each class of the issue.
        for name, data, allowed in semantic_cases():
            path = os.path.join(tmp, name + ".onnx")
            open(path, "wb").write(data)
            outcome, detail = run([STRATA_RUN, path, "--random-inputs"])
            check("model", name, outcome, allowed, detail)
        # Byte-level mutations of good models.
        goods = list(good_models())
        count = 40 if args.quick else args.mutations
        for i in range(count):
            path = os.path.join(tmp, "mut%d.onnx" % i)
            open(path, "wb").write(mutate(rng.choice(goods), rng))
            outcome, detail = run([STRATA_RUN, path, "--random-inputs"])
            check("mutated-onnx", "mut%d" % i, outcome, None, detail)
        # Mutated MLIR.
        base = open(os.path.join(ROOT, "examples", "small_cnn.mlir"), "rb").read()
        for i in range(20 if args.quick else args.mutations // 5):
            path = os.path.join(tmp, "mut%d.mlir" % i)
            open(path, "wb").write(mutate(base, rng))
            outcome, detail = run([STRATA_RUN, path, "--random-inputs"])
            check("mutated-mlir", "mut%d" % i, outcome, None, detail)
        # Broken .npy files and bad flags, on a 2x3 model.
        simple = os.path.join(tmp, "simple.onnx")
        open(simple, "wb").write(model([helper.make_node("Relu", ["x"], ["y"])],
                                       [vi("x", [2, 3])], [vi("y", [2, 3])]))
        for name, path, allowed in npy_cases(tmp):
            outcome, detail = run([STRATA_RUN, simple, "--input", path])
            check("npy", name, outcome, allowed, detail)
        for name, flags, allowed in FLAG_CASES:
            outcome, detail = run([STRATA_RUN, simple, "--random-inputs"] + flags)
            check("flags", name, outcome, allowed, detail)
        # Python: every wrong call raises, none kills the interpreter.
        env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"))
        # Under sanitizers (scripts/test.sh --sanitize) the extension needs
        # the ASan runtime preloaded into the interpreter.
        if os.environ.get("STRATA_PYTHON_PRELOAD"):
            env["LD_PRELOAD"] = os.environ["STRATA_PYTHON_PRELOAD"]
            env["ASAN_OPTIONS"] = "detect_leaks=0:allocator_may_return_null=1:allow_user_poisoning=0"
        for i, code in enumerate(python_cases()):
            code = code.replace("%s", simple)
            script = ("import numpy as np, strata\ntry:\n    %s\n"
                      "except (strata.Error, TypeError, ValueError) as e:\n"
                      "    print('raised', type(e).__name__)\n" % code)
            try:
                p = subprocess.run([sys.executable, "-c", script], env=env, timeout=120,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
                outcome = "crash" if p.returncode != 0 else 0
                detail = p.stderr.decode(errors="replace")[-300:]
            except subprocess.TimeoutExpired:
                outcome, detail = "hang", ""
            check("python", "case%d" % i, outcome, {0}, detail)

    for cls, (ok, bad) in counts.items():
        print("%-14s %4d ok, %d failed" % (cls, ok, bad))
    for f in failures:
        print("FAILED " + f)
    passed = sum(ok for ok, _ in counts.values())
    print("%d passed, %d failed" % (passed, len(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
