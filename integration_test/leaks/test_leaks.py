"""Compiled code frees every temporary it allocates: a model with several
intermediate buffers runs under valgrind with no definitely or indirectly
lost bytes. (Invalid reads that valgrind reports inside glibc's dlopen are not
Strata's and are not counted here.)"""

import os
import re
import shutil
import subprocess

import pytest

from conftest import ROOT, STRATA_RUN


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
@pytest.mark.skipif(os.environ.get("STRATA_SANITIZE") == "1",
                    reason="valgrind cannot run ASan-instrumented tools; "
                           "LeakSanitizer checks leaks in this build")
def test_no_leaks_under_valgrind():
    model = os.path.join(ROOT, "examples", "small_cnn.mlir")
    proc = subprocess.run(
        ["valgrind", "--leak-check=full", STRATA_RUN, model, "--random-inputs",
         "--repeat", "3"], capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-2000:]
    lost = {kind: int(n.replace(",", "")) for kind, n in re.findall(
        r"(definitely|indirectly) lost: ([\d,]+) bytes", proc.stderr)}
    assert lost == {"definitely": 0, "indirectly": 0}, proc.stderr[-4000:]
