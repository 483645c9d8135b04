"""A zoo of models exported the usual way, with a dynamic batch axis
(`dynamic_axes={"input": {0: "batch"}}`, opset 13), run at batch 1 and 8 by
strata-run, whose --input array sizes the batch (Python's dims= is tested in
python/test/test_onnx.py). Outputs must be within 1e-4 of PyTorch's, relative to
the largest output magnitude, and must differ between the batch's inputs
(so that a model whose output does not depend on its input cannot pass).

The zoo: fifteen torchvision classification architectures across families
(ResNet, ResNeXt, MobileNetV2/V3, EfficientNet, RegNet, MNASNet,
ShuffleNetV2, SqueezeNet, GoogLeNet, Inception v3, DenseNet, ConvNeXt,
ViT, Swin), a 2-layer LSTM tagger and a bidirectional GRU. Inputs are
small, and the architectures that compile slowest at full size (DenseNet,
ConvNeXt, Swin, ViT) are built with fewer or narrower blocks from their
torchvision classes, to keep the test's run time reasonable. The ViT's
class-token Expand and Swin's shifted-window mask are shape computations
that must fold at import. Batch-norm statistics are measured on random
inputs and its affine parameters randomized (see calibrate_normalization)."""

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


def classifier(name, size=64, **kwargs):
    """A torchvision classifier by name, for size x size images."""
    def make():
        model = getattr(torchvision.models, name)(num_classes=10, **kwargs)
        return model, (3, size, size)
    return make


def densenet():
    from torchvision.models.densenet import DenseNet
    return DenseNet(growth_rate=12, block_config=(2, 3, 4),
                    num_init_features=24, num_classes=10), (3, 64, 64)


def convnext():
    from torchvision.models.convnext import CNBlockConfig, ConvNeXt
    blocks = [CNBlockConfig(32, 64, 2), CNBlockConfig(64, 128, 2),
              CNBlockConfig(128, None, 2)]
    return ConvNeXt(blocks, num_classes=10), (3, 64, 64)


def swin():
    from torchvision.models.swin_transformer import SwinTransformer
    return SwinTransformer(patch_size=[4, 4], embed_dim=32, depths=[2, 2],
                           num_heads=[2, 4], window_size=[4, 4],
                           num_classes=10), (3, 64, 64)


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


MODELS = {
    "resnet18": classifier("resnet18"),
    "resnext50_32x4d": classifier("resnext50_32x4d"),
    "mobilenet_v2": classifier("mobilenet_v2"),
    "mobilenet_v3_small": classifier("mobilenet_v3_small"),
    "efficientnet_b0": classifier("efficientnet_b0"),
    "regnet_y_400mf": classifier("regnet_y_400mf"),
    "mnasnet0_5": classifier("mnasnet0_5"),
    "shufflenet_v2_x0_5": classifier("shufflenet_v2_x0_5"),
    "squeezenet1_1": classifier("squeezenet1_1"),
    "googlenet": classifier("googlenet", aux_logits=False,
                            init_weights=True),
    "inception_v3": classifier("inception_v3", size=80, aux_logits=False,
                               init_weights=True),
    "densenet": densenet,
    "convnext": convnext,
    "vit": vit,
    "swin": swin,
    "lstm_tagger": lstm_tagger,
    "gru": gru,
}


def calibrate_normalization(model, shape):
    """Random batch-norm affine parameters, and statistics measured on
    random inputs (as training would measure them on data): with
    torchvision's initialization the activations of some models (ReLU
    networks, EfficientNet's gated blocks) vanish, and their outputs would
    not depend on the input."""
    norms = [m for m in model.modules()
             if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    if not norms:
        return
    with torch.no_grad():
        for m in norms:
            m.weight.uniform_(0.5, 1.5)
            m.bias.normal_(0, 0.2)
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over the batches
        model.train()
        for _ in range(2):
            model(torch.randn((8,) + shape))


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """name -> (path of the export with a dynamic batch, model)."""
    directory = tmp_path_factory.mktemp("dynamic")
    result = {}
    for name, make in MODELS.items():
        torch.manual_seed(0)
        model, shape = make()
        calibrate_normalization(model, shape)
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
    if batch > 1:
        spread = float(np.abs(expected - expected[:1]).max())
        assert spread > 1e-3 * np.abs(expected).max(), (
            "%s: the output does not depend on the input" % name)


def test_unsized_batch_is_a_clear_error(exported):
    path = exported["resnet18"][0]
    proc = subprocess.run([STRATA_RUN, path, "--random-inputs"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 2
    assert "dynamic dimension 'batch' (dimension 0)" in proc.stderr
    assert "--dim batch=N" in proc.stderr
