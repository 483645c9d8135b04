"""The benchmark and model-test workloads, exported from PyTorch 1.13 with
fixed seeds: f32 matmul, an MLP, ResNet-18, MobileNetV2, a BERT-base
encoder layer, an LSTM tagger, and a zoo of ten torchvision classifiers of
other families. Shared by benchmarks/run.py and integration_test/models."""

import os

import numpy as np
import torch
import torchvision


class MLP(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.net = torch.nn.Sequential(
            torch.nn.Linear(784, 512), torch.nn.ReLU(),
            torch.nn.Linear(512, 512), torch.nn.ReLU(),
            torch.nn.Linear(512, 10))

    def forward(self, x):
        return self.net(x)


class MatMul(torch.nn.Module):
    """x @ w with a constant w: an f32 GEMM of the given shape."""

    def __init__(self, k, n):
        super().__init__()
        self.w = torch.nn.Parameter(torch.randn(k, n))

    def forward(self, x):
        return x @ self.w


class LSTMTagger(torch.nn.Module):
    """Two LSTM layers (input 128, hidden 256) over [seq, batch, 128], then
    10 tag scores per step."""

    def __init__(self):
        super().__init__()
        self.lstm = torch.nn.LSTM(128, 256, num_layers=2)
        self.tags = torch.nn.Linear(256, 10)

    def forward(self, x):
        return self.tags(self.lstm(x)[0])


# name -> (builder, input shape)
WORKLOADS = {
    "matmul_1024": (lambda: MatMul(1024, 1024), (1024, 1024)),
    "matmul_128x768x3072": (lambda: MatMul(768, 3072), (128, 768)),
    "mlp": (MLP, (64, 784)),
    "resnet18": (torchvision.models.resnet18, (1, 3, 224, 224)),
    "mobilenet_v2": (torchvision.models.mobilenet_v2, (1, 3, 224, 224)),
    "bert_layer": (lambda: torch.nn.TransformerEncoderLayer(
        768, 12, 3072, batch_first=True), (1, 128, 768)),
    "lstm_tagger": (LSTMTagger, (16, 4, 128)),
}

# The zoo: torchvision classifiers of other families, at 224x224.
ZOO = {
    "resnet50": torchvision.models.resnet50,
    "efficientnet_b0": torchvision.models.efficientnet_b0,
    "densenet121": torchvision.models.densenet121,
    "convnext_tiny": torchvision.models.convnext_tiny,
    "regnet_y_400mf": torchvision.models.regnet_y_400mf,
    "mnasnet1_0": torchvision.models.mnasnet1_0,
    "shufflenet_v2_x1_0": torchvision.models.shufflenet_v2_x1_0,
    "squeezenet1_1": torchvision.models.squeezenet1_1,
    "googlenet": lambda: torchvision.models.googlenet(
        aux_logits=False, init_weights=True),
    "mobilenet_v3_large": torchvision.models.mobilenet_v3_large,
}
WORKLOADS.update({name: (builder, (1, 3, 224, 224))
                  for name, builder in ZOO.items()})


def make(name):
    """The model (eval mode, seeded weights) and a seeded input."""
    torch.manual_seed(0)
    builder, shape = WORKLOADS[name]
    model = builder()
    model.eval()
    return model, torch.randn(*shape)


def export(name, directory):
    """Exports `name` to directory/name.onnx (opset 17) and saves its input
    (name_in.npy) and PyTorch's output (name_ref.npy). Returns the paths."""
    model, x = make(name)
    path = os.path.join(directory, name + ".onnx")
    # Export with autograd on: under no_grad PyTorch takes the fused
    # transformer fast path, which has no ONNX export.
    torch.onnx.export(model, x, path, opset_version=17,
                      input_names=["input"], output_names=["output"])
    with torch.no_grad():
        reference = model(x).numpy()
    inp = os.path.join(directory, name + "_in.npy")
    ref = os.path.join(directory, name + "_ref.npy")
    np.save(inp, x.numpy())
    np.save(ref, reference)
    return path, inp, ref


def relative_error(actual, reference):
    """Max absolute error relative to the largest reference magnitude."""
    return float(np.abs(actual - reference).max() / np.abs(reference).max())
