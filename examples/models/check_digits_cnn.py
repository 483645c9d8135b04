#!/usr/bin/python3
"""Runs digits_cnn.onnx with a direct NumPy implementation and compares the
probabilities Strata computed. Usage: check_digits_cnn.py MODEL INPUT PROBS."""

import sys

import numpy as np
import onnx
from onnx import numpy_helper

model_path, input_path, probs_path = sys.argv[1:4]
w = {t.name: numpy_helper.to_array(t) for t in onnx.load(model_path).graph.initializer}


def conv(x, k, b):
    n, c, h, wd = x.shape
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    y = np.zeros((n, k.shape[0], h, wd), np.float64)
    for i in range(3):
        for j in range(3):
            y += np.einsum("nchw,fc->nfhw", xp[:, :, i:i + h, j:j + wd], k[:, :, i, j])
    return y + b[None, :, None, None]


def pool(x):
    n, c, h, wd = x.shape
    return x[:, :, :h // 2 * 2, :wd // 2 * 2].reshape(n, c, h // 2, 2, wd // 2, 2).max(axis=(3, 5))


x = np.load(input_path).astype(np.float64)
x = pool(np.maximum(conv(x, w["w1"], w["b1"]), 0))
x = pool(np.maximum(conv(x, w["w2"], w["b2"]), 0))
logits = x.mean(axis=(2, 3)) @ w["fc_w"].T + w["fc_b"]
e = np.exp(logits - logits.max())
reference = e / e.sum()
probs = np.load(probs_path)
error = np.abs(probs - reference).max()
print("strata top class: %d (p = %.4f); numpy reference: %d; max abs difference %.2e" % (
    probs.argmax(), probs.max(), reference.argmax(), error))
if error > 1e-5:
    sys.exit("mismatch against the NumPy reference")
print("ok")
