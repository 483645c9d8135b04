"""Real models, exported from PyTorch 1.13 (Debian's python3-torch and
python3-torchvision, random weights with a fixed seed; the workloads of
benchmarks/models.py), imported from ONNX and JIT-run by strata-run at 1 and
2 threads; outputs must be within 1e-4 of PyTorch's, relative to the largest
output magnitude."""

import os
import subprocess
import sys

import numpy as np
import pytest

pytest.importorskip("torch", reason="python3-torch is required")
pytest.importorskip("torchvision", reason="python3-torchvision is required")

from conftest import STRATA_RUN  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "benchmarks"))
import models  # noqa: E402


@pytest.mark.parametrize("threads", [1, 2])
@pytest.mark.parametrize("name", ["mlp", "resnet18", "mobilenet_v2",
                                  "bert_layer", "matmul_128x768x3072",
                                  "lstm_tagger"])
def test_model_matches_pytorch(name, threads, tmp_path):
    path, inp, ref = models.export(name, str(tmp_path))
    out = str(tmp_path / "out.npy")
    proc = subprocess.run(
        [STRATA_RUN, path, "--input", inp, "--output", out, "--repeat", "2",
         "--threads", str(threads)],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    print(name, proc.stdout.strip())
    actual = np.load(out)
    reference = np.load(ref)
    assert actual.shape == reference.shape
    error = models.relative_error(actual, reference)
    assert error <= 1e-4, "%s: relative error %g" % (name, error)
