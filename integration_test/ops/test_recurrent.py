"""ONNX RNN, GRU and LSTM nodes, imported and JIT-run by strata-run, checked
against a float64 numpy implementation of the ONNX specification: every
direction, batch-first layout, per-batch sequence lengths, initial states,
peepholes, clip, input_forget, linear_before_reset and the activation
functions with their alpha/beta. Weights are tested both as initializers
(transposed at import) and as graph inputs (transposed at run time)."""

import numpy as np
import pytest
from onnx import TensorProto, helper, numpy_helper

rng = np.random.default_rng(7)

SEQ, BATCH, INPUT, HIDDEN = 5, 3, 4, 6
GATES = {"RNN": 1, "GRU": 3, "LSTM": 4}
DEFAULT_ACTS = {"RNN": ["Tanh"], "GRU": ["Sigmoid", "Tanh"],
                "LSTM": ["Sigmoid", "Tanh", "Tanh"]}
NEEDS_ALPHA = {"affine", "leakyrelu", "thresholdedrelu", "scaledtanh",
               "hardsigmoid", "elu"}
NEEDS_BETA = {"affine", "scaledtanh", "hardsigmoid"}
DEFAULTS = {"leakyrelu": (0.01, 0.0), "hardsigmoid": (0.2, 0.5),
            "affine": (1.0, 0.0)}


def activation(name, alpha, beta):
    name = name.lower()
    return {
        "tanh": np.tanh,
        "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
        "relu": lambda x: np.maximum(x, 0),
        "affine": lambda x: alpha * x + beta,
        "leakyrelu": lambda x: np.where(x < 0, alpha * x, x),
        "thresholdedrelu": lambda x: np.where(x > alpha, x, 0),
        "scaledtanh": lambda x: alpha * np.tanh(beta * x),
        "hardsigmoid": lambda x: np.clip(alpha * x + beta, 0, 1),
        "elu": lambda x: np.where(x < 0, alpha * (np.exp(x) - 1), x),
        "softsign": lambda x: x / (1 + np.abs(x)),
        "softplus": lambda x: np.log1p(np.exp(x)),
    }[name]


def functions(names, alphas, betas):
    """The activation callables, alpha/beta consumed in order by the
    functions that take them."""
    alphas, betas = list(alphas), list(betas)
    result = []
    for name in names:
        a, b = DEFAULTS.get(name.lower(), (1.0, 1.0))
        if name.lower() in NEEDS_ALPHA and alphas:
            a = alphas.pop(0)
        if name.lower() in NEEDS_BETA and betas:
            b = betas.pop(0)
        result.append(activation(name, a, b))
    return result


def reference(op, x, w, r, b=None, lens=None, h0=None, c0=None, p=None,
              direction="forward", layout=0, activations=None, alphas=(),
              betas=(), clip=None, input_forget=0, linear_before_reset=0):
    """The ONNX specification's equations, in float64."""
    x, w, r = (a.astype(np.float64) for a in (x, w, r))
    if layout:
        x = x.transpose(1, 0, 2)
        h0 = None if h0 is None else h0.transpose(1, 0, 2)
        c0 = None if c0 is None else c0.transpose(1, 0, 2)
    seq, batch, _ = x.shape
    dirs = 2 if direction == "bidirectional" else 1
    hid = r.shape[-1]
    g = GATES[op]
    names = activations or DEFAULT_ACTS[op] * dirs
    if len(names) == len(DEFAULT_ACTS[op]) and dirs == 2:
        names = names * 2
    fns = functions(names, alphas, betas)
    per = len(fns) // dirs
    lens = np.full(batch, seq) if lens is None else lens
    cl = (lambda v: np.clip(v, -clip, clip)) if clip else (lambda v: v)
    y = np.zeros((seq, dirs, batch, hid))
    yh = np.zeros((dirs, batch, hid))
    yc = np.zeros((dirs, batch, hid))
    for d in range(dirs):
        f = fns[d * per:(d + 1) * per]
        bias = np.zeros(2 * g * hid) if b is None else b[d].astype(np.float64)
        wb, rb = bias[:g * hid], bias[g * hid:]
        for n in range(batch):
            h = np.zeros(hid) if h0 is None else h0[d, n].astype(np.float64)
            c = np.zeros(hid) if c0 is None else c0[d, n].astype(np.float64)
            steps = range(lens[n])
            if direction == "reverse" or d == 1:
                steps = reversed(steps)
            for t in steps:
                xw = w[d] @ x[t, n] + wb
                hr = r[d] @ h + rb
                if op == "RNN":
                    h = f[0](cl(xw + hr))
                elif op == "GRU":
                    z = f[0](cl(xw[:hid] + hr[:hid]))
                    rr = f[0](cl(xw[hid:2 * hid] + hr[hid:2 * hid]))
                    if linear_before_reset:
                        hh = f[1](cl(xw[2 * hid:] + rr * hr[2 * hid:]))
                    else:
                        hh = f[1](cl(xw[2 * hid:] + r[d][2 * hid:] @ (rr * h)
                                     + rb[2 * hid:]))
                    h = (1 - z) * hh + z * h
                else:
                    gates = xw + hr
                    pi, po, pf = (np.zeros(hid),) * 3 if p is None else (
                        p[d, :hid], p[d, hid:2 * hid], p[d, 2 * hid:])
                    i = f[0](cl(gates[:hid] + pi * c))
                    if input_forget:
                        ff = 1 - i
                    else:
                        ff = f[0](cl(gates[2 * hid:3 * hid] + pf * c))
                    c = ff * c + i * f[1](cl(gates[3 * hid:]))
                    o = f[0](cl(gates[hid:2 * hid] + po * c))
                    h = o * f[2](c)
                y[t, d, n] = h
            yh[d, n] = h
            yc[d, n] = c
    if layout:
        return y.transpose(2, 0, 1, 3), yh.transpose(1, 0, 2), \
            yc.transpose(1, 0, 2)
    return y, yh, yc


def model(op, arrays, inputs, attrs, constants):
    """An ONNX model of one `op` node. `arrays` are the node's inputs in
    order (None for absent ones); those named in `inputs` are graph inputs
    (in that order), the others initializers (if `constants`) or inputs."""
    names = ["X", "W", "R", "B", "sequence_lens", "initial_h", "initial_c",
             "P"]
    node_inputs, graph_inputs, initializers, feeds = [], [], [], []
    for name, array in zip(names, arrays):
        if array is None:
            node_inputs.append("")
            continue
        node_inputs.append(name)
        elem = (TensorProto.INT32 if array.dtype == np.int32
                else TensorProto.FLOAT)
        if name in inputs or not constants:
            graph_inputs.append(helper.make_tensor_value_info(
                name, elem, array.shape))
            feeds.append(array)
        else:
            initializers.append(numpy_helper.from_array(array, name))
    while node_inputs and not node_inputs[-1]:
        node_inputs.pop()
    outputs = ["Y", "Y_h"] + (["Y_c"] if op == "LSTM" else [])
    node = helper.make_node(op, node_inputs, outputs, name="rnn", **attrs)
    graph = helper.make_graph(
        [node], "g", graph_inputs,
        [helper.make_tensor_value_info(o, TensorProto.FLOAT, None)
         for o in outputs], initializers)
    m = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    return m.SerializeToString(), feeds, len(outputs)


def case(op, direction="forward", layout=0, bias=True, lens=None,
         states=False, peepholes=False, **attrs):
    dirs = 2 if direction == "bidirectional" else 1
    g = GATES[op]
    f = np.float32
    x = rng.standard_normal(
        (BATCH, SEQ, INPUT) if layout else (SEQ, BATCH, INPUT)).astype(f)
    w = (rng.standard_normal((dirs, g * HIDDEN, INPUT)) * 0.5).astype(f)
    r = (rng.standard_normal((dirs, g * HIDDEN, HIDDEN)) * 0.5).astype(f)
    b = (rng.standard_normal((dirs, 2 * g * HIDDEN)) * 0.5).astype(f) \
        if bias else None
    state_shape = (BATCH, dirs, HIDDEN) if layout else (dirs, BATCH, HIDDEN)
    h0 = rng.standard_normal(state_shape).astype(f) if states else None
    c0 = rng.standard_normal(state_shape).astype(f) \
        if states and op == "LSTM" else None
    p = (rng.standard_normal((dirs, 3 * HIDDEN)) * 0.5).astype(f) \
        if peepholes else None
    seq_lens = None if lens is None else np.array(lens, np.int32)
    onnx_attrs = {"hidden_size": HIDDEN, "direction": direction}
    if layout:
        onnx_attrs["layout"] = 1
    for key, value in attrs.items():
        onnx_attrs[key] = value
    ref_kwargs = {k: v for k, v in attrs.items()
                  if k in ("clip", "input_forget", "linear_before_reset")}
    if "activations" in attrs:
        ref_kwargs["activations"] = attrs["activations"]
    ref_kwargs["alphas"] = attrs.get("activation_alpha", ())
    ref_kwargs["betas"] = attrs.get("activation_beta", ())
    expected = reference(op, x, w, r, b, seq_lens, h0, c0, p, direction,
                         layout, **ref_kwargs)
    return [x, w, r, b, seq_lens, h0, c0, p], onnx_attrs, expected


CASES = {
    "rnn_forward": ("RNN", {}),
    "rnn_reverse_relu": ("RNN", {"direction": "reverse",
                                 "activations": ["Relu"]}),
    "rnn_bidirectional_states": ("RNN", {"direction": "bidirectional",
                                         "states": True}),
    "gru_default": ("GRU", {}),
    "gru_linear_before_reset": ("GRU", {"linear_before_reset": 1,
                                        "states": True}),
    "gru_bidirectional_lengths": ("GRU", {"direction": "bidirectional",
                                          "lens": [5, 2, 0]}),
    "gru_batch_first": ("GRU", {"layout": 1, "states": True,
                                "direction": "bidirectional"}),
    "lstm_default": ("LSTM", {}),
    "lstm_no_bias": ("LSTM", {"bias": False}),
    "lstm_peepholes_states": ("LSTM", {"peepholes": True, "states": True}),
    "lstm_reverse_lengths": ("LSTM", {"direction": "reverse",
                                      "lens": [3, 5, 1], "states": True}),
    "lstm_bidirectional_lengths": ("LSTM", {"direction": "bidirectional",
                                            "lens": [1, 4, 5]}),
    "lstm_batch_first": ("LSTM", {"layout": 1, "states": True}),
    "lstm_clip_input_forget": ("LSTM", {"clip": 0.7, "input_forget": 1}),
    "lstm_activations": ("LSTM", {
        "activations": ["HardSigmoid", "LeakyRelu", "ScaledTanh"],
        "activation_alpha": [0.3, 0.2, 0.9], "activation_beta": [0.4, 1.1]}),
    "lstm_more_activations": ("LSTM", {
        "direction": "bidirectional",
        "activations": ["Sigmoid", "Elu", "Softsign", "Sigmoid", "Affine",
                        "Softplus"],
        "activation_alpha": [0.5, 1.5], "activation_beta": [0.25]}),
    "rnn_thresholded": ("RNN", {"activations": ["ThresholdedRelu"],
                                "activation_alpha": [0.1]}),
}


@pytest.mark.parametrize("constants", [True, False],
                         ids=["weights-constant", "weights-inputs"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_recurrent_matches_reference(runner, name, constants):
    op, kwargs = CASES[name]
    arrays, attrs, expected = case(op, **kwargs)
    # X (and sequence_lens, initial states) are inputs; the weights are
    # initializers or inputs.
    inputs = {"X", "sequence_lens", "initial_h", "initial_c"}
    onnx_model, feeds, count = model(op, arrays, inputs, attrs, constants)
    outputs = runner.run(onnx_model, feeds, count, model_suffix=".onnx")
    for actual, want in zip(outputs, expected):
        assert actual.shape == want.shape, (actual.shape, want.shape)
        np.testing.assert_allclose(actual, want, rtol=1e-4, atol=1e-5)
