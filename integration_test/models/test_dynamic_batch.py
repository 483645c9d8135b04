"""Models exported the usual way, with a dynamic batch axis
(`dynamic_axes={"input": {0: "batch"}}`), run at batch 1 and 8 by
strata-run, whose --input array sizes the batch (Python's dims= is tested in
python/test/test_onnx.py). Outputs must be within 1e-4 of PyTorch's, relative to
the largest output magnitude. The ViT's class-token Expand takes its shape
from a Where/Equal/ConstantOfShape computation that must fold at import.
The recurrent models (a 2-layer LSTM tagger, a bidirectional GRU) are
batch-first sequence models whose output has a tag score per step."""

import os
import subprocess

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="python3-torch is required")
torchvision = pytest.importorskip("torchvision",
                                  reason="python3-torchvision is required")

from conftest import STRATA_RUN  # noqa: E402


def vit():
    from torchvision.models.vision_transformer import VisionTransformer
    model = VisionTransformer(image_size=32, patch_size=8, num_layers=2,
                              num_heads=2, hidden_dim=32, mlp_dim=64,
                              num_classes=10)
    # torchvision zeroes the head; random weights make the check meaningful.
    with torch.no_grad():
        for p in model.heads.parameters():
            p.normal_()
    return model, (3, 32, 32)


def resnet18():
    return torchvision.models.resnet18(num_classes=10), (3, 64, 64)


def mobilenet_v2():
    return torchvision.models.mobilenet_v2(num_classes=10), (3, 64, 64)


class Tagger(torch.nn.Module):
    """A recurrent layer stack, then a linear layer scoring 10 tags per
    step."""

    def __init__(self, cell, layers, bidirectional):
        super().__init__()
        self.rnn = cell(24, 32, num_layers=layers, batch_first=True,
                        bidirectional=bidirectional)
        self.out = torch.nn.Linear(64 if bidirectional else 32, 10)

    def forward(self, x):
        return self.out(self.rnn(x)[0])


def lstm_tagger():
    return Tagger(torch.nn.LSTM, 2, False), (12, 24)


def gru():
    return Tagger(torch.nn.GRU, 1, True), (12, 24)


MODELS = {"vit": vit, "resnet18": resnet18, "mobilenet_v2": mobilenet_v2,
          "lstm_tagger": lstm_tagger, "gru": gru}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """name -> (path of the export with a dynamic batch, model)."""
    directory = tmp_path_factory.mktemp("dynamic")
    result = {}
    for name, make in MODELS.items():
        torch.manual_seed(0)
        model, shape = make()
        model.eval()
        path = str(directory / (name + ".onnx"))
        torch.onnx.export(model, torch.randn(1, *shape), path,
                          opset_version=13, input_names=["input"],
                          output_names=["output"],
                          dynamic_axes={"input": {0: "batch"},
                                        "output": {0: "batch"}})
        result[name] = (path, model, shape)
    return result


def reference(model, x):
    with torch.no_grad():
        return model(torch.from_numpy(x)).numpy()


def relative_error(actual, expected):
    return float(np.abs(actual - expected).max() / np.abs(expected).max())


@pytest.mark.parametrize("batch", [1, 8])
@pytest.mark.parametrize("name", sorted(MODELS))
def test_strata_run_sizes_the_batch_from_the_input(exported, name, batch,
                                                   tmp_path):
    path, model, shape = exported[name]
    x = np.random.default_rng(batch).standard_normal(
        (batch,) + shape).astype(np.float32)
    np.save(tmp_path / "x.npy", x)
    proc = subprocess.run(
        [STRATA_RUN, path, "--input", str(tmp_path / "x.npy"), "--output",
         str(tmp_path / "y.npy"), "--threads", "2"],
        capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    actual = np.load(tmp_path / "y.npy")
    expected = reference(model, x)
    assert actual.shape == expected.shape
    assert actual.shape[0] == batch and actual.shape[-1] == 10
    error = relative_error(actual, expected)
    assert error <= 1e-4, "%s batch %d: relative error %g" % (name, batch,
                                                                error)


def test_unsized_batch_is_a_clear_error(exported):
    path = exported["resnet18"][0]
    proc = subprocess.run([STRATA_RUN, path, "--random-inputs"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2
    assert "dynamic dimension 'batch' (dimension 0)" in proc.stderr
    assert "--dim batch=N" in proc.stderr
