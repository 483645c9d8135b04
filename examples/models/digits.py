#!/usr/bin/python3
"""A small CNN trained on the 8x8 handwritten digits data set that ships
inside Debian's python3-sklearn (no download): 1,797 images, split 80/20
with a fixed seed. Training takes a few seconds on one core and is
deterministic (seeded, one thread).

    python3 digits.py OUT.onnx     # trains, exports, prints the accuracy

or from Python: `model, (x_train, y_train), (x_test, y_test) =
train_digits_cnn()`; `export_onnx(model, path)`."""

import sys

import numpy as np


def load_split(seed=0):
    """(x_train, y_train), (x_test, y_test): float32 images of 1x8x8 scaled
    to [0, 1], int64 labels."""
    from sklearn.datasets import load_digits
    digits = load_digits()
    x = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(x))
    x, y = x[order], y[order]
    split = int(0.8 * len(x))
    return (x[:split], y[:split]), (x[split:], y[split:])


def train_digits_cnn(epochs=30, seed=0):
    """Trains conv(1->16) relu conv(16->32) relu maxpool linear(512->64)
    relu linear(64->10) with Adam; returns the model (eval mode) and the
    split."""
    import torch
    torch.manual_seed(seed)
    torch.set_num_threads(1)
    train, test = load_split(seed)
    model = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 3, padding=1), torch.nn.ReLU(),
        torch.nn.Conv2d(16, 32, 3, padding=1), torch.nn.ReLU(),
        torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(32 * 4 * 4, 64), torch.nn.ReLU(),
        torch.nn.Linear(64, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    x, y = torch.from_numpy(train[0]), torch.from_numpy(train[1])
    generator = torch.Generator().manual_seed(seed)
    for _ in range(epochs):
        for batch in torch.randperm(len(x), generator=generator).split(64):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    return model.eval(), train, test


def export_onnx(model, path, batch=1):
    """Writes `model` as ONNX (opset 13) for inputs of `batch` images."""
    import torch
    torch.onnx.export(model, torch.zeros(batch, 1, 8, 8), path,
                      input_names=["image"], output_names=["logits"],
                      opset_version=13)


def accuracy(predict, x, y):
    """The fraction of images in `x` that `predict` (batch -> logits)
    labels as `y`."""
    return float(np.mean(np.argmax(predict(x), axis=1) == y))


if __name__ == "__main__":
    import torch
    model, train, test = train_digits_cnn()
    with torch.no_grad():
        acc = accuracy(lambda b: model(torch.from_numpy(b)).numpy(), *test)
    export_onnx(model, sys.argv[1] if len(sys.argv) > 1 else "digits.onnx")
    print("test accuracy (PyTorch, float32): %.4f" % acc)
