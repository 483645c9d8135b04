#!/usr/bin/python3
"""An MLP (784 -> 256 -> 10) built by hand with strata.Graph, compiled for
this CPU and checked against numpy.

    PYTHONPATH=build/python /usr/bin/python3 examples/python/mlp.py
"""

import numpy as np

import strata

rng = np.random.default_rng(0)
w1 = (rng.standard_normal((784, 256)) * 0.05).astype(np.float32)
b1 = np.zeros(256, np.float32)
w2 = (rng.standard_normal((256, 10)) * 0.05).astype(np.float32)
b2 = (rng.standard_normal(10) * 0.1).astype(np.float32)

g = strata.Graph("mlp")
x = g.input("x", (64, 784), "f32")
h = g.relu(g.matmul(x, g.constant(w1)) + b1)
y = g.softmax(g.matmul(h, g.constant(w2)) + b2, axis=-1)
g.output(y, name="probs")

model = strata.compile(g, target="cpu")
print(model)

batch = rng.random((64, 784), dtype=np.float32)
probs = model(batch)

hidden = np.maximum(batch @ w1 + b1, 0)
logits = hidden @ w2 + b2
e = np.exp(logits - logits.max(axis=1, keepdims=True))
reference = e / e.sum(axis=1, keepdims=True)
error = np.abs(probs - reference).max()
print("predicted classes:", probs.argmax(axis=1)[:16])
print("max abs difference from numpy: %.2e" % error)
assert error < 1e-5
print("ok")
