"""Runs every example script; each checks its own results and exits non-zero
on a mismatch."""

import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("STRATA_BUILD_DIR", os.path.join(ROOT, "build"))


@pytest.mark.parametrize("script", ["mlp.py", "small_cnn.py", "onnx_model.py",
                                    "sparse_bert.py"])
def test_example(script):
    env = dict(os.environ, PYTHONPATH=os.path.join(BUILD, "python"))
    proc = subprocess.run([sys.executable, os.path.join(HERE, script)], env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().endswith("ok")
