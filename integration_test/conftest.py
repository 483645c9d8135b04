"""Shared fixtures of Strata's end-to-end tests: run a graph-dialect function
through strata-run (JIT on this CPU) on numpy inputs."""

import os
import subprocess
import tempfile

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.environ.get("STRATA_BUILD_DIR", os.path.join(ROOT, "build"))
STRATA_RUN = os.path.join(BUILD, "bin", "strata-run")
# Every test compiles: the compile cache is off.
os.environ["STRATA_CACHE"] = "0"

MLIR_TYPES = {np.float32: "f32", np.float64: "f64", np.int64: "i64",
              np.int32: "i32", np.int8: "i8", np.bool_: "i1"}


def tensor_type(shape, dtype):
    dims = "".join("%dx" % d for d in shape)
    return "tensor<%s%s>" % (dims, MLIR_TYPES[np.dtype(dtype).type])


class Runner:
    """Compiles and runs MLIR text with numpy inputs, returning outputs."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.count = 0

    def run(self, mlir, inputs, num_outputs=1, model_suffix=".mlir",
            threads=None):
        self.count += 1
        d = os.path.join(self.tmp, "case%d" % self.count)
        os.makedirs(d)
        model = os.path.join(d, "model" + model_suffix)
        if isinstance(mlir, bytes):
            open(model, "wb").write(mlir)
        else:
            open(model, "w").write(mlir)
        cmd = [STRATA_RUN, model]
        for i, x in enumerate(inputs):
            path = os.path.join(d, "in%d.npy" % i)
            np.save(path, np.require(x, requirements="C"))
            cmd += ["--input", path]
        outs = [os.path.join(d, "out%d.npy" % i) for i in range(num_outputs)]
        for o in outs:
            cmd += ["--output", o]
        if threads is not None:
            cmd += ["--threads", str(threads)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, "strata-run failed:\n%s\n%s" % (
            proc.stderr, mlir if isinstance(mlir, str) else "")
        results = [np.load(o) for o in outs]
        return results[0] if num_outputs == 1 else results

    def function(self, body, inputs, result_shapes, result_dtypes=None):
        """Wraps `body` (using %a0, %a1, ... and returning via `return`)."""
        args = ", ".join("%%a%d: %s" % (i, tensor_type(x.shape, x.dtype))
                         for i, x in enumerate(inputs))
        result_dtypes = result_dtypes or [inputs[0].dtype] * len(result_shapes)
        results = ", ".join(tensor_type(s, t)
                            for s, t in zip(result_shapes, result_dtypes))
        text = "func.func @f(%s) -> (%s) {\n%s\n}\n" % (args, results, body)
        return self.run(text, inputs, len(result_shapes))


@pytest.fixture(scope="session")
def runner():
    if not os.path.exists(STRATA_RUN):
        pytest.fail("strata-run is not built (%s); run scripts/build.sh" % STRATA_RUN)
    with tempfile.TemporaryDirectory() as tmp:
        yield Runner(tmp)
