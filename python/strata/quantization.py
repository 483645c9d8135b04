"""Post-training static quantization: strata.quantize.

The model stays an ONNX model in the QDQ form ONNX Runtime's quantizer
writes: each quantized tensor passes through a QuantizeLinear /
DequantizeLinear pair, so the file means the same to every runtime that
reads ONNX, and Strata's graph-fold-qdq pass turns the pairs around
convolutions and matmuls back into integer arithmetic.

What is quantized:
- the weights of Conv, Gemm and MatMul (constant initializers) to int8,
  symmetric (zero point 0), per output channel or per tensor;
- their biases to int32 with the scale input_scale * weight_scale (so that
  they add exactly to the int32 accumulator);
- every tensor that is the data input or the result (after a ReLU that
  alone reads it) of one of those ops, unless it is a model output, to
  uint8, asymmetric, with the range the calibration found (always
  including 0, so that zero padding is exact). All consumers of such a
  tensor read the dequantized value, as they would from an integer
  runtime.
Everything else stays float."""

import os
import tempfile

import numpy as np

from ._errors import Error

METHODS = ("minmax", "percentile")
# The values of one tensor that percentile calibration keeps per sample
# (a random subset beyond this: the percentiles of large activations from a
# sample, not all of them).
_PERCENTILE_SAMPLE = 1 << 16


class TensorQuantization:
    """How one tensor is quantized: `kind` "activation" (uint8, per tensor,
    range observed over the calibration inputs) or "weight" (int8, per
    channel along `axis` or per tensor); `scale` and `zero_point` are numpy
    arrays (one element per tensor, or one per channel); `low`/`high` the
    range they represent."""

    def __init__(self, name, kind, scale, zero_point, low, high, axis=None,
                 consumers=()):
        self.name, self.kind, self.axis = name, kind, axis
        self.scale, self.zero_point = scale, zero_point
        self.low, self.high = low, high
        self.consumers = tuple(consumers)

    def __repr__(self):
        return "TensorQuantization(%r, %s, scale=%s)" % (
            self.name, self.kind, _span(self.scale))


def _span(values):
    values = np.asarray(values).ravel()
    if values.size == 1:
        return "%.6g" % values[0]
    return "%.3g..%.3g (%d channels)" % (values.min(), values.max(),
                                         values.size)


class QuantizationReport:
    """What strata.quantize did: `tensors` (TensorQuantization per quantized
    tensor, activations and weights), `output_error` (per model output, the
    relative error ||int8 - float|| / ||float|| over the calibration
    inputs), `model` (the QDQ onnx.ModelProto) and `path` (where it was
    written). str() gives the table."""

    def __init__(self, model, path, tensors, output_error, method):
        self.model, self.path, self.tensors = model, path, tensors
        self.output_error, self.method = output_error, method

    def save(self, path):
        """Writes the QDQ model to `path`."""
        with open(os.fspath(path), "wb") as f:
            f.write(self.model.SerializeToString())

    def __str__(self):
        rows = [("tensor", "kind", "range", "scale", "zero point", "used by")]
        for t in self.tensors:
            zp = np.asarray(t.zero_point).ravel()
            rows.append((t.name, t.kind,
                         "%.4g..%.4g" % (np.min(t.low), np.max(t.high)),
                         _span(t.scale),
                         str(int(zp[0])) if np.all(zp == zp[0]) else "mixed",
                         ", ".join(t.consumers)))
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()
                 for r in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
        lines.append("calibration: %s; output error against float "
                     "(relative, over the calibration inputs): %s" % (
                         self.method, ", ".join(
                             "%s %.3g" % kv for kv in self.output_error.items())))
        return "\n".join(lines)


def _load_model(model):
    import onnx
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if not os.path.exists(path):
            raise Error("cannot open %r: no such file" % path)
        return onnx.load(path)
    if type(model).__name__ == "ModelProto":
        copy = onnx.ModelProto()
        copy.CopyFrom(model)
        return copy
    if isinstance(model, (bytes, bytearray)):
        return onnx.load_from_string(bytes(model))
    raise Error("strata.quantize takes an ONNX model (a path, an "
                "onnx.ModelProto or its bytes), got %s" % type(model).__name__)


def _graph_inputs(graph):
    initializers = {t.name for t in graph.initializer}
    return [i.name for i in graph.input if i.name not in initializers]


def _samples(calibration, input_names):
    """The calibration inputs as a list of tuples in the model's input
    order."""
    if isinstance(calibration, np.ndarray) or not calibration:
        raise Error("calibration must be a non-empty list of inputs (one "
                    "array per sample for a model of one input, else a "
                    "tuple or a dict by input name per sample)")
    samples = []
    for i, sample in enumerate(calibration):
        if isinstance(sample, dict):
            missing = [n for n in input_names if n not in sample]
            if missing:
                raise Error("calibration sample %d lacks input%s %s" % (
                    i, "s" if len(missing) > 1 else "", ", ".join(missing)))
            sample = tuple(sample[n] for n in input_names)
        elif not isinstance(sample, (tuple, list)):
            sample = (sample,)
        if len(sample) != len(input_names):
            raise Error("calibration sample %d has %d arrays; the model takes "
                        "%d inputs (%s)" % (i, len(sample), len(input_names),
                                            ", ".join(input_names)))
        samples.append(tuple(np.asarray(a) for a in sample))
    return samples


def _constants(graph):
    """The initializers by name, with the outputs of Identity nodes of
    initializers (PyTorch exports shared weights and biases that way)."""
    init = {t.name: t for t in graph.initializer}
    for node in graph.node:
        if node.op_type == "Identity" and node.input[0] in init:
            init[node.output[0]] = init[node.input[0]]
    return init


def _quantizable(graph):
    """(node, data input, weight input, weight's channel axis, bias input or
    None) for each Conv, Gemm and MatMul with a constant float weight."""
    from onnx import TensorProto
    init = _constants(graph)

    def float_init(name):
        return name in init and init[name].data_type == TensorProto.FLOAT

    found = []
    for node in graph.node:
        attrs = {a.name: a for a in node.attribute}
        if node.op_type == "Conv" and len(node.input) >= 2 and \
                float_init(node.input[1]) and len(init[node.input[1]].dims) == 4:
            bias = node.input[2] if len(node.input) > 2 and \
                float_init(node.input[2]) else None
            found.append((node, node.input[0], node.input[1], 0, bias))
        elif node.op_type == "Gemm" and float_init(node.input[1]):
            if attrs.get("transA") and attrs["transA"].i or \
                    any(k in attrs and attrs[k].f != 1.0
                        for k in ("alpha", "beta")):
                continue
            trans_b = "transB" in attrs and attrs["transB"].i
            bias = node.input[2] if len(node.input) > 2 and \
                float_init(node.input[2]) and \
                len(init[node.input[2]].dims) == 1 else None
            found.append((node, node.input[0], node.input[1],
                          0 if trans_b else 1, bias))
        elif node.op_type == "MatMul" and float_init(node.input[1]) and \
                len(init[node.input[1]].dims) == 2:
            found.append((node, node.input[0], node.input[1], 1, None))
    return found


def _observe(model, names, samples, method, threads):
    """(low, high) of each tensor in `names` over the calibration samples,
    by running the float model with those tensors as extra outputs."""
    import onnx
    from onnx import TensorProto, helper
    from .model import compile as compile_model
    probe = onnx.ModelProto()
    probe.CopyFrom(model)
    existing = [o.name for o in probe.graph.output]
    inferred = {v.name: v for v in
                onnx.shape_inference.infer_shapes(probe).graph.value_info}
    graph_inputs = {v.name: v for v in probe.graph.input}
    for name in names:
        if name in existing:
            continue
        info = inferred.get(name) or graph_inputs.get(name)
        if info is None:
            info = helper.make_tensor_value_info(name, TensorProto.FLOAT, None)
        probe.graph.output.append(info)
    compiled = compile_model(probe, threads=threads, cache=False)
    rng = np.random.default_rng(0)
    lows = {n: np.inf for n in names}
    highs = {n: -np.inf for n in names}
    kept = {n: [] for n in names}
    for sample in samples:
        results = compiled.run(*sample)
        for name in names:
            value = np.asarray(results[name], dtype=np.float64).ravel()
            if method == "minmax":
                lows[name] = min(lows[name], value.min())
                highs[name] = max(highs[name], value.max())
            else:
                if value.size > _PERCENTILE_SAMPLE:
                    value = rng.choice(value, _PERCENTILE_SAMPLE,
                                       replace=False)
                kept[name].append(value)
    return lows, highs, kept


def _activation_parameters(low, high):
    """uint8 scale and zero point of the range [low, high] widened to
    include 0."""
    low, high = min(float(low), 0.0), max(float(high), 0.0)
    scale = np.float32((high - low) / 255.0) if high > low else np.float32(1)
    zero_point = np.uint8(np.clip(np.round(-low / scale), 0, 255))
    return scale, zero_point, low, high


def _weight_parameters(w, axis, per_channel):
    """int8 weights, their scale (per channel along `axis`, or a scalar)
    and the symmetric range."""
    if per_channel:
        other = tuple(d for d in range(w.ndim) if d != axis)
        amax = np.abs(w).max(axis=other)
    else:
        amax = np.array(np.abs(w).max())
    scale = np.where(amax > 0, amax / 127.0, 1.0).astype(np.float32)
    shaped = scale.reshape([-1 if d == axis else 1 for d in range(w.ndim)]) \
        if per_channel else scale
    q = np.clip(np.round(w / shaped), -127, 127).astype(np.int8)
    return q, scale, -amax, amax


def _relative_error(quantized, reference):
    q = np.concatenate([np.asarray(a, np.float64).ravel() for a in quantized])
    f = np.concatenate([np.asarray(a, np.float64).ravel() for a in reference])
    norm = np.linalg.norm(f)
    return float(np.linalg.norm(q - f) / norm) if norm > 0 else \
        float(np.linalg.norm(q - f))


def quantize(model, calibration, output=None, per_channel=True,
             method="minmax", percentile=99.99, threads=None):
    """Quantizes an ONNX model after training (static quantization): int8
    weights and uint8 activations for its convolutions and matmuls.

    `model`: a path to an .onnx file, an onnx.ModelProto or its bytes.
    `calibration`: representative inputs, a list with one entry per sample
    (an array for a model of one input, else a tuple in input order or a
    dict by input name); the float model runs on each to find the ranges
    of the activations. `method`: "minmax" (the whole observed range) or
    "percentile" (the `percentile`-th and (100 - `percentile`)-th
    percentiles, which ignores outliers). `per_channel`: one weight scale
    per output channel (needs opset 13) or one per tensor.

    Writes the quantized model in QDQ form to `output` when given (it runs
    in ONNX Runtime too) and returns it as a Graph, ready for
    strata.compile; its `quantization` attribute is a QuantizationReport
    (each tensor's scale and zero point, the model and the output error
    against float on the calibration inputs: print it for the table)."""
    import onnx
    from onnx import helper, numpy_helper
    from .model import compile as compile_model
    from .onnx import load as load_onnx
    if method not in METHODS:
        raise Error("method must be one of %s, got %r"
                    % (", ".join(METHODS), method))
    if method == "percentile" and not 50 < percentile <= 100:
        raise Error("percentile must be in (50, 100], got %r" % (percentile,))
    original = _load_model(model)
    model = _load_model(original)
    opset = max((o.version for o in model.opset_import
                 if o.domain in ("", "ai.onnx")), default=0)
    if opset < 10:
        raise Error("quantization needs opset 10 or later (QuantizeLinear); "
                    "this model is opset %d: export it again with a newer "
                    "opset" % opset)
    if per_channel and opset < 13:
        raise Error("per-channel weights need opset 13 or later; this model "
                    "is opset %d: pass per_channel=False or export it with "
                    "opset 13" % opset)
    graph = model.graph
    input_names = _graph_inputs(graph)
    samples = _samples(calibration, input_names)
    targets = _quantizable(graph)
    if not targets:
        raise Error("the model has no Conv, Gemm or MatMul with a constant "
                    "float weight: nothing to quantize")

    users = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)
    graph_outputs = {o.name for o in graph.output}
    consumers = {}
    for node, data, _, _, _ in targets:
        consumers.setdefault(data, [])
        # The result too (after a ReLU that alone reads it), as ONNX
        # Runtime's quantizer does, so that the op is integer from end to
        # end; not a model output, which stays float.
        result = node.output[0]
        readers = users.get(result, [])
        if len(readers) == 1 and readers[0].op_type == "Relu":
            result = readers[0].output[0]
        if result not in graph_outputs:
            consumers.setdefault(result, [])
    for name in consumers:
        consumers[name] = [n.name or n.op_type for n in users.get(name, [])]
    activations = list(consumers)
    lows, highs, kept = _observe(model, activations, samples, method, threads)

    tensors, params = [], {}
    for name in activations:
        low, high = lows[name], highs[name]
        if method == "percentile":
            values = np.concatenate(kept[name])
            low = np.percentile(values, 100 - percentile)
            high = np.percentile(values, percentile)
        if not (np.isfinite(low) and np.isfinite(high)):
            raise Error("calibration found no finite values for %r (its "
                        "range is %s..%s): check the calibration inputs"
                        % (name, low, high))
        scale, zp, low, high = _activation_parameters(low, high)
        params[name] = (scale, zp)
        tensors.append(TensorQuantization(name, "activation",
                                          np.array([scale]), np.array([zp]),
                                          low, high, None, consumers[name]))

    init = _constants(graph)
    new_inits = []
    renamed = {}  # (node index, input index) -> new input name

    def unique(base):
        name, i = base, 0
        taken = {t.name for t in graph.initializer} | \
            {t.name for t in new_inits}
        while name in taken:
            i += 1
            name = "%s_%d" % (base, i)
        return name

    weight_nodes = []
    index_of = {id(n): i for i, n in enumerate(graph.node)}
    for node, data, weight, axis, bias in targets:
        w = numpy_helper.to_array(init[weight]).astype(np.float32)
        q, w_scale, low, high = _weight_parameters(w, axis, per_channel)
        q_name = unique(weight + "_quantized")
        s_name = unique(weight + "_scale")
        z_name = unique(weight + "_zero_point")
        dq_name = unique(weight + "_dequantized")
        new_inits += [numpy_helper.from_array(q, q_name),
                      numpy_helper.from_array(w_scale, s_name),
                      numpy_helper.from_array(
                          np.zeros(w_scale.shape, np.int8), z_name)]
        attrs = {"axis": axis} if per_channel else {}
        weight_nodes.append(helper.make_node(
            "DequantizeLinear", [q_name, s_name, z_name], [dq_name],
            name=dq_name, **attrs))
        i = index_of[id(node)]
        renamed[(i, 1)] = dq_name
        tensors.append(TensorQuantization(weight, "weight", w_scale,
                                          np.zeros(w_scale.shape, np.int8),
                                          low, high, axis if per_channel
                                          else None,
                                          [node.name or node.op_type]))
        if bias is not None:
            b = numpy_helper.to_array(init[bias]).astype(np.float32)
            b_scale = (params[data][0] * w_scale).astype(np.float32)
            if b_scale.size == 1:
                b_scale = b_scale.reshape(())
            qb = np.clip(np.round(b / b_scale), -2**31, 2**31 - 1) \
                .astype(np.int32)
            qb_name = unique(bias + "_quantized")
            bs_name = unique(bias + "_scale")
            bdq_name = unique(bias + "_dequantized")
            new_inits += [numpy_helper.from_array(qb, qb_name),
                          numpy_helper.from_array(b_scale, bs_name)]
            battrs = {"axis": 0} if b_scale.ndim else {}
            weight_nodes.append(helper.make_node(
                "DequantizeLinear", [qb_name, bs_name], [bdq_name],
                name=bdq_name, **battrs))
            renamed[(i, 2)] = bdq_name

    # One QuantizeLinear/DequantizeLinear pair per activation, right after
    # its producer (or first, for a graph input); every consumer reads the
    # dequantized value.
    dequantized = {}
    pairs = {}
    for name in activations:
        scale, zp = params[name]
        s_name, z_name = unique(name + "_scale"), unique(name + "_zero_point")
        new_inits += [numpy_helper.from_array(np.array(scale, np.float32),
                                              s_name),
                      numpy_helper.from_array(np.array(zp, np.uint8), z_name)]
        q_name, dq_name = unique(name + "_quantized"), unique(
            name + "_dequantized")
        pairs[name] = [
            helper.make_node("QuantizeLinear", [name, s_name, z_name],
                             [q_name], name=q_name),
            helper.make_node("DequantizeLinear", [q_name, s_name, z_name],
                             [dq_name], name=dq_name)]
        dequantized[name] = dq_name

    nodes = list(weight_nodes)
    for name in activations:
        if name in input_names:
            nodes += pairs[name]
    for i, node in enumerate(graph.node):
        rewritten = onnx.NodeProto()
        rewritten.CopyFrom(node)
        for j, name in enumerate(node.input):
            if (i, j) in renamed:
                rewritten.input[j] = renamed[(i, j)]
            elif name in dequantized:
                rewritten.input[j] = dequantized[name]
        nodes.append(rewritten)
        for out in node.output:
            if out in pairs:
                nodes += pairs[out]
    # Graph outputs keep their float producers' names.
    del graph.node[:]
    graph.node.extend(nodes)
    # The Identity nodes that passed replaced weights and biases on are
    # dead now.
    outputs = {o.name for o in graph.output}
    while True:
        used = {name for n in graph.node for name in n.input} | outputs
        dead = [n for n in graph.node if n.op_type == "Identity" and
                not any(o in used for o in n.output)]
        if not dead:
            break
        for n in dead:
            graph.node.remove(n)
    kept_inits = [t for t in graph.initializer if t.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept_inits + new_inits)
    onnx.checker.check_model(model)

    path = os.fspath(output) if output is not None else None
    with tempfile.TemporaryDirectory(prefix="strata-quantize-") as directory:
        written = path or os.path.join(directory, "quantized.onnx")
        with open(written, "wb") as f:
            f.write(model.SerializeToString())
        result = load_onnx(written)
        quantized = compile_model(written, threads=threads, cache=False)
    reference = compile_model(original, threads=threads, cache=False)
    errors = {}
    runs = [(quantized.run(*s), reference.run(*s)) for s in samples]
    for spec in reference.output_specs:
        errors[spec.name] = _relative_error([q[spec.name] for q, _ in runs],
                                            [f[spec.name] for _, f in runs])
    result.quantization = QuantizationReport(model, path, tensors, errors,
                                             method)
    return result
