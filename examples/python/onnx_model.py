#!/usr/bin/python3
"""An ONNX model exported from PyTorch (a ResNet-style block network),
imported with strata.onnx.load, inspected, compiled and checked against
PyTorch.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/onnx_model.py
"""

import os
import tempfile

import numpy as np
import torch

import strata


class Block(torch.nn.Module):
    def __init__(self, c):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn1 = torch.nn.BatchNorm2d(c)
        self.conv2 = torch.nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.bn2 = torch.nn.BatchNorm2d(c)

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        return torch.relu(x + self.bn2(self.conv2(y)))


torch.manual_seed(0)
net = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, padding=1), Block(16), Block(16),
                          torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                          torch.nn.Linear(16, 5)).eval()
image = torch.randn(2, 3, 24, 24)

with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "net.onnx")
    torch.onnx.export(net, image, path, opset_version=13,
                      input_names=["image"], output_names=["logits"])
    graph = strata.onnx.load(path)

print("inputs:", graph.inputs, "outputs:", graph.outputs)
ops = sorted({line.split("=")[1].split()[0] for line in graph.mlir().splitlines()
              if "= graph." in line})
print("graph ops:", ", ".join(ops))
model = strata.compile(graph)
print(model.input_specs, model.output_specs)
logits = model(image.numpy())
with torch.no_grad():
    reference = net(image).numpy()
error = np.abs(logits - reference).max() / np.abs(reference).max()
print("relative difference from PyTorch: %.2e" % error)
assert error < 1e-4
print("ok")
