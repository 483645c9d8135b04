"""Builds examples/c/run_model.c against Strata's runtime library and runs
ResNet-18 (torchvision, seeded weights) from the shared object that
strata-compile writes, checking its output against PyTorch's; the C header
strata-compile writes must compile and agree with the model."""

import os
import subprocess

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BUILD = os.environ.get("STRATA_BUILD_DIR", os.path.join(ROOT, "build"))
CC = "/usr/lib/llvm-22/bin/clang"

torch = pytest.importorskip("torch")
torchvision = pytest.importorskip("torchvision")


RUNTIME = os.path.join(BUILD, "lib", "libstrata_runtime.so")


def sanitized_runtime():
    """Whether the runtime library is a sanitizer build's (scripts/test.sh
    --sanitize): C programs must then be built with the sanitizers too."""
    symbols = subprocess.run(["nm", "-D", "--undefined-only", RUNTIME],
                             capture_output=True, text=True).stdout
    return "__asan" in symbols


def tool_env():
    """The environment for Strata's tools and the C programs: in a sanitizer
    build they have their own ASan runtime and must not inherit the one
    scripts/test.sh --sanitize preloads into this interpreter."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    return env


@pytest.fixture(scope="module")
def resnet18(tmp_path_factory):
    """ResNet-18 exported to ONNX, compiled by strata-compile, with an input
    and PyTorch's output."""
    tmp = tmp_path_factory.mktemp("resnet18")
    torch.manual_seed(0)
    model = torchvision.models.resnet18().eval()
    x = torch.rand(1, 3, 224, 224)
    with torch.no_grad():
        expected = model(x).numpy()
    onnx_path = str(tmp / "resnet18.onnx")
    torch.onnx.export(model, x, onnx_path, opset_version=13,
                      input_names=["input"], output_names=["output"])
    so = str(tmp / "resnet18.so")
    proc = subprocess.run(
        [os.path.join(BUILD, "bin", "strata-compile"), onnx_path, "-o", so,
         "--threads", "2"], capture_output=True, text=True, timeout=600,
        env=tool_env())
    assert proc.returncode == 0, proc.stderr
    x.numpy().astype(np.float32).tofile(str(tmp / "input.bin"))
    return tmp, expected


def build(tmp, source, name):
    exe = str(tmp / name)
    sanitizers = (["-fsanitize=address,undefined"] if sanitized_runtime()
                  else [])
    proc = subprocess.run(
        [CC, "-std=c11", "-Wall", "-Werror", "-O2", *sanitizers, source,
         "-I", os.path.join(ROOT, "include"), "-I", str(tmp),
         "-L", os.path.join(BUILD, "lib"), "-lstrata_runtime",
         "-Wl,-rpath," + os.path.join(BUILD, "lib"), "-o", exe],
        capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return exe


def test_c_example_runs_resnet18(resnet18):
    tmp, expected = resnet18
    exe = build(tmp, os.path.join(HERE, "run_model.c"), "run_model")
    out = str(tmp / "output.bin")
    proc = subprocess.run([exe, str(tmp / "resnet18.so"),
                           str(tmp / "input.bin"), out, "3"],
                          capture_output=True, text=True, timeout=300,
                          env=tool_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "input #0 input: f32[1x3x224x224] (602112 bytes)" in proc.stdout
    assert "output #0 output: f32[1x1000] (4000 bytes)" in proc.stdout
    got = np.fromfile(out, dtype=np.float32).reshape(expected.shape)
    error = np.abs(got - expected).max() / np.abs(expected).max()
    assert error <= 1e-4, error
    assert got.argmax() == expected.argmax()


def test_generated_header_matches_the_model(resnet18):
    tmp, _ = resnet18
    source = tmp / "header_check.c"
    source.write_text(
        '#include "resnet18.h"\n'
        '#include "strata/Runtime/strata_runtime.h"\n'
        "#include <stdio.h>\n#include <string.h>\n"
        "_Static_assert(RESNET18_INPUT0_BYTES == 602112, \"input bytes\");\n"
        "_Static_assert(RESNET18_OUTPUT0_ELEMENTS == 1000, \"output\");\n"
        "int main(int argc, char **argv) {\n"
        "  strata_model *m = strata_model_load(argv[1]);\n"
        "  if (!m) { puts(strata_last_error()); return 1; }\n"
        "  strata_tensor_info in;\n"
        "  if (strata_model_input_info(m, 0, &in) != 0) return 1;\n"
        "  if (strcmp(in.name, RESNET18_INPUT0_NAME) ||\n"
        "      strcmp(in.dtype, RESNET18_INPUT0_DTYPE) ||\n"
        "      in.rank != RESNET18_INPUT0_RANK ||\n"
        "      in.shape[1] != RESNET18_INPUT0_SHAPE[1]) return 1;\n"
        "  if (strata_model_input_info(m, 1, &in) != -1) return 1;\n"
        "  strata_model_free(m);\n"
        "  if (strata_model_load(\"/nonexistent.so\")) return 1;\n"
        "  puts(strata_last_error());\n"
        "  return 0;\n}\n")
    exe = build(tmp, str(source), "header_check")
    proc = subprocess.run([exe, str(tmp / "resnet18.so")],
                          capture_output=True, text=True, timeout=300,
                          env=tool_env())
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "cannot open '/nonexistent.so'" in proc.stdout


def needed_libraries(path):
    proc = subprocess.run(["readelf", "-d", path], capture_output=True,
                          text=True, check=True)
    return [line.split("[")[1].rstrip("]") for line in proc.stdout.splitlines()
            if "(NEEDED)" in line]


def test_a_deployed_model_needs_no_llvm_or_mlir(resnet18):
    tmp, _ = resnet18
    runtime = RUNTIME
    for library in needed_libraries(runtime):
        assert "LLVM" not in library and "MLIR" not in library, library
    assert sorted(needed_libraries(str(tmp / "resnet18.so"))) == [
        "libomp.so.5", "libstrata_runtime.so"]
    # The runtime library's size (docs/deploying.md; TVM's is 300-600 KB),
    # but for a sanitizer build's (instrumented) one.
    if not sanitized_runtime():
        assert os.path.getsize(runtime) < 300 * 1024
