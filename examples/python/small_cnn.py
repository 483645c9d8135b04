#!/usr/bin/python3
"""A small CNN (conv-bn-relu, depthwise conv, pooling, linear) built by hand
with strata.Graph and checked against PyTorch with the same weights.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/small_cnn.py
"""

import numpy as np
import torch

import strata

torch.manual_seed(0)
net = torch.nn.Sequential(
    torch.nn.Conv2d(3, 16, 3, stride=2, padding=1),
    torch.nn.BatchNorm2d(16),
    torch.nn.ReLU(),
    torch.nn.Conv2d(16, 16, 3, padding=1, groups=16),
    torch.nn.ReLU6(),
    torch.nn.MaxPool2d(2),
    torch.nn.AdaptiveAvgPool2d(1),
    torch.nn.Flatten(),
    torch.nn.Linear(16, 10),
).eval()
with torch.no_grad():  # Non-trivial batch-norm statistics.
    net[1].running_mean.uniform_(-0.5, 0.5)
    net[1].running_var.uniform_(0.5, 2.0)


def p(t):
    return t.detach().numpy()


g = strata.Graph("small_cnn")
x = g.input("image", (1, 3, 32, 32), "f32")
y = g.conv2d(x, g.constant(p(net[0].weight)), g.constant(p(net[0].bias)),
             strides=(2, 2), pads=(1, 1, 1, 1))
bn = net[1]
y = g.batch_norm(y, g.constant(p(bn.weight)), g.constant(p(bn.bias)),
                 g.constant(p(bn.running_mean)), g.constant(p(bn.running_var)),
                 epsilon=bn.eps)
y = g.relu(y)
y = g.conv2d(y, g.constant(p(net[3].weight)), g.constant(p(net[3].bias)),
             pads=(1, 1, 1, 1), groups=16)
y = g.clip(y, min=0.0, max=6.0)
y = g.max_pool2d(y, kernel=(2, 2), strides=(2, 2))
y = g.reshape(g.global_avg_pool2d(y), (1, 16))
y = g.matmul(y, g.constant(p(net[8].weight).T.copy())) + p(net[8].bias)
g.output(y, name="logits")

model = strata.compile(g)
image = torch.randn(1, 3, 32, 32)
logits = model(image.numpy())
with torch.no_grad():
    reference = net(image).numpy()
error = np.abs(logits - reference).max() / np.abs(reference).max()
print("logits:", np.round(logits, 4))
print("relative difference from PyTorch: %.2e" % error)
assert error < 1e-4
print("ok")
