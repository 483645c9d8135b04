"""Real models, exported from PyTorch 1.13 (Debian's python3-torch and
python3-torchvision, random weights with a fixed seed), imported from ONNX and
JIT-run by strata-run; outputs must be within 1e-4 of PyTorch's, relative to
the largest output magnitude."""

import os
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="python3-torch is required")
torchvision = pytest.importorskip("torchvision", reason="python3-torchvision is required")

from conftest import STRATA_RUN  # noqa: E402


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(784, 512), torch.nn.ReLU(),
            torch.nn.Linear(512, 512), torch.nn.ReLU(),
            torch.nn.Linear(512, 10))

    def forward(self, x):
        return self.net(x)


def make(name):
    torch.manual_seed(0)
    if name == "mlp":
        return MLP(), torch.randn(64, 784)
    if name == "resnet18":
        return torchvision.models.resnet18(), torch.randn(1, 3, 224, 224)
    if name == "mobilenet_v2":
        return torchvision.models.mobilenet_v2(), torch.randn(1, 3, 224, 224)
    if name == "bert_layer":
        layer = torch.nn.TransformerEncoderLayer(768, 12, 3072, batch_first=True)
        return layer, torch.randn(1, 128, 768)
    raise ValueError(name)


def export(name, directory):
    model, x = make(name)
    model.eval()
    path = os.path.join(directory, name + ".onnx")
    # Export with autograd on: under no_grad PyTorch takes the fused
    # transformer fast path, which has no ONNX export.
    torch.onnx.export(model, x, path, opset_version=17,
                      input_names=["input"], output_names=["output"])
    with torch.no_grad():
        reference = model(x).numpy()
    np.save(os.path.join(directory, name + "_in.npy"), x.numpy())
    return path, reference


@pytest.mark.parametrize("name", ["mlp", "resnet18", "mobilenet_v2", "bert_layer"])
def test_model_matches_pytorch(name, tmp_path):
    path, reference = export(name, str(tmp_path))
    out = str(tmp_path / "out.npy")
    proc = subprocess.run(
        [STRATA_RUN, path, "--input", str(tmp_path / (name + "_in.npy")),
         "--output", out, "--repeat", "2"],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    print(name, proc.stdout.strip())
    actual = np.load(out)
    assert actual.shape == reference.shape
    error = np.abs(actual - reference).max() / np.abs(reference).max()
    assert error <= 1e-4, "%s: relative error %g" % (name, error)
