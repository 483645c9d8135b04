"""Compiled models: strata.compile and strata.Model."""

import collections
import os

from . import _strata
from ._errors import Error
from .graph import Graph
from .onnx import check_input_values, check_shape_overrides

TensorSpec = collections.namedtuple("TensorSpec", ["name", "shape", "dtype"])
TensorSpec.__doc__ = "The name, shape and dtype of a model input or output."

ProfileRow = collections.namedtuple(
    "ProfileRow", ["nodes", "kernel", "time_ms", "percent", "calls"])
ProfileRow.__doc__ = """One kernel of a profile: the model's nodes it
computes (ONNX node names; several when ops were fused), its symbol, its
time per run in milliseconds (the median over the runs), its share of the
kernels' total and its calls per run."""

Benchmark = collections.namedtuple(
    "Benchmark", ["median_ms", "mean_ms", "min_ms", "max_ms", "stdev_ms",
                  "runs"])
Benchmark.__doc__ = "Latency statistics of Model.benchmark, in milliseconds."


class Profile:
    """Per-kernel times of a model's runs (Model.profile). `rows` lists the
    kernels from the slowest; `latency_ms` is the median latency of the
    profiled runs and `kernels_ms` the median sum of their kernels' times
    (the rest is the glue between kernels: allocations, views, calls);
    medians are the upper middle of an even count, as strata-run's.
    print() it for a table; plot() draws the slowest kernels as a PNG;
    trace() writes the runs as a Chrome-trace/Perfetto JSON."""

    def __init__(self, kernels, events, runs, summary, nodes=()):
        # The sums and medians come from the runtime (summarizeProfile),
        # as strata-run --profile prints them.
        self._kernels = kernels
        self._events = events
        self._runs = runs
        per_kernel, self.latency_ms, self.kernels_ms = summary
        total = sum(t for t, _ in per_kernel) or 1.0
        self.rows = sorted(
            (ProfileRow(tuple(kernels[k][1]), kernels[k][0], t,
                        100.0 * t / total, calls)
             for k, (t, calls) in enumerate(per_kernel)),
            key=lambda row: -row.time_ms)
        # The model's other nodes: folded at compile time, or views.
        timed = {node for row in self.rows for node in row.nodes}
        self.rows += [ProfileRow((node,), None, 0.0, 0.0, 0)
                      for node in nodes if node not in timed]

    def __str__(self):
        lines = ["%9s %6s  %s" % ("time (ms)", "%", "nodes (kernel)")]
        for row in self.rows:
            nodes = ", ".join(row.nodes) or row.kernel
            if row.kernel is None:
                nodes += "  (no kernel: folded or a view)"
            lines.append("%9.3f %6.1f  %s" % (row.time_ms, row.percent, nodes))
        lines.append("kernels: %.3f ms of a %.3f ms run (%.0f%%)" % (
            self.kernels_ms, self.latency_ms,
            100.0 * self.kernels_ms / (self.latency_ms or 1.0)))
        return "\n".join(lines)

    def plot(self, path, top=20):
        """Writes a bar chart of the `top` slowest kernels to `path` (PNG)."""
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        rows = self.rows[:top][::-1]
        labels = [(", ".join(r.nodes) or r.kernel)[:60] for r in rows]
        fig, ax = plt.subplots(figsize=(10, 0.3 * len(rows) + 1.2))
        ax.barh(range(len(rows)), [r.time_ms for r in rows])
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(labels, fontsize=7)
        ax.set_xlabel("time per run (ms)")
        ax.set_title("kernels: %.2f ms of a %.2f ms run" % (
            self.kernels_ms, self.latency_ms))
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)

    def trace(self, path):
        """Writes the profiled runs as Chrome-trace JSON (chrome://tracing,
        ui.perfetto.dev): one event per run and per kernel call, as
        strata-run --profile writes them."""
        error = _strata._write_kernel_trace(os.fspath(path), self._kernels,
                                            self._events, self._runs)
        if error:
            raise OSError(error)


class Model:
    """A model compiled for this CPU. Call it on numpy arrays (one per input,
    in order); it returns one numpy array, or a tuple for several outputs.

    Calls release the GIL, do not copy inputs whose layout already fits
    (C-contiguous, of the right dtype), return arrays that own their memory,
    and may run from several threads at once."""

    def __init__(self, native, input_values=None, onnx_path=None):
        self._native = native
        # The ONNX file compiled, whose nodes profiles list.
        self._onnx_path = onnx_path
        # Inputs whose values the model was compiled for (the input_values
        # the importer read as shape operands): position -> (name, value).
        self._fixed = {}
        specialized = set(native.specialized_inputs)
        for position, spec in enumerate(self.input_specs):
            if input_values and spec.name in specialized:
                self._fixed[position] = (spec.name, input_values[spec.name])

    @property
    def specialized_inputs(self):
        """The names of the inputs whose values the model was compiled for
        (shape operands given by input_values); a call must pass the same
        values."""
        return list(self._native.specialized_inputs)

    def _mismatch(self, inputs):
        """The first given input whose value differs from the one this model
        was compiled for, as (name, compiled value, given value); None if
        all agree."""
        import numpy as np
        for position, (name, value) in self._fixed.items():
            if position < len(inputs) and not np.array_equal(
                    inputs[position], value):
                return name, value, inputs[position]
        return None

    @property
    def input_specs(self):
        """The inputs as TensorSpec(name, shape, dtype), in call order."""
        return [TensorSpec(*s) for s in self._native.input_specs]

    @property
    def output_specs(self):
        """The outputs as TensorSpec(name, shape, dtype), in return order."""
        return [TensorSpec(*s) for s in self._native.output_specs]

    @property
    def threads(self):
        """The number of threads the model runs on."""
        return self._native.threads

    @property
    def compile_times(self):
        """The wall time of each phase of the compilation, as (phase,
        seconds) in order: import (ONNX), the CPU pipeline's levels, LLVM
        translation, LLVM optimization, machine code and linking (or only
        cache-load, for a model from the compile cache)."""
        return [tuple(t) for t in self._native.compile_times]

    def mlir(self, level="graph", weights=False):
        """The IR at a level of the CPU pipeline: "input" (as given),
        "graph" (after the graph passes: decomposition, fusion into
        kernels), "tensorx" (formats chosen), "linalg", "loops"
        (bufferized) or "llvm". Weights (constants of more than 16
        elements) print as `__elided__` unless `weights=True`, which gives
        text that compiles again."""
        return self._native.mlir(level, bool(weights))

    def _arrange(self, inputs, named):
        """The positional inputs of a call given positionally, as one dict
        by input name, or as keywords."""
        by_name = bool(named)
        if len(inputs) == 1 and isinstance(inputs[0], dict):
            if named:
                raise Error("give the inputs as one dict or as keywords, "
                            "not both")
            named, inputs, by_name = dict(inputs[0]), (), True
        if not by_name:
            return inputs
        if inputs:
            raise Error("give the inputs by position or by name, not both")
        names = [spec.name for spec in self.input_specs]
        unknown = sorted(set(named) - set(names))
        if unknown:
            raise Error("unknown input%s %s; the model takes %s" % (
                "s" if len(unknown) > 1 else "", ", ".join(map(repr, unknown)),
                ", ".join(map(repr, names))))
        missing = [n for n in names if n not in named]
        if missing:
            raise Error("missing input%s %s" % (
                "s" if len(missing) > 1 else "", ", ".join(map(repr, missing))))
        return tuple(named[n] for n in names)

    def run(self, *inputs, **named):
        """Runs the model like a call and returns its outputs as a dict by
        output name (as ONNX Runtime's InferenceSession.run does by list)."""
        outputs = self(*inputs, **named)
        if not isinstance(outputs, tuple):
            outputs = (outputs,)
        return {spec.name: out for spec, out in zip(self.output_specs, outputs)}

    def benchmark(self, *inputs, warmup=3, repeat=20, **named):
        """Runs the model `warmup` times untimed, then `repeat` times, and
        returns the latencies' statistics as a Benchmark (milliseconds)."""
        import statistics
        import time
        if repeat < 1 or warmup < 0:
            raise Error("repeat must be at least 1 and warmup at least 0")
        inputs = self._arrange(inputs, named)
        for _ in range(warmup):
            self(*inputs)
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            self(*inputs)
            times.append((time.perf_counter() - start) * 1e3)
        return Benchmark(statistics.median(times), statistics.mean(times),
                         min(times), max(times),
                         statistics.stdev(times) if len(times) > 1 else 0.0,
                         len(times))

    def profile(self, *inputs, warmup=1, repeat=10, **named):
        """Runs the model `warmup` times, then `repeat` times timing every
        kernel, and returns the Profile (per-kernel table by ONNX node,
        plot, Chrome trace)."""
        if repeat < 1 or warmup < 0:
            raise Error("repeat must be at least 1 and warmup at least 0")
        inputs = self._arrange(inputs, named)
        for _ in range(warmup):
            self(*inputs)
        self._check_values(inputs)
        return Profile(*self._native._profile(repeat, *inputs),
                       nodes=self._onnx_nodes())

    def _onnx_nodes(self):
        """The names of the ONNX model's nodes (their operator if unnamed,
        as the importer names them), if compiled from a file and the onnx
        package is present."""
        if not self._onnx_path:
            return ()
        try:
            import onnx
            graph = onnx.load(self._onnx_path, load_external_data=False).graph
        except Exception:  # no onnx package: the kernels' nodes only
            return ()
        return tuple(node.name or node.op_type for node in graph.node)

    def _check_values(self, inputs):
        mismatch = self._mismatch(inputs)
        if mismatch:
            import numpy as np
            name, value, given = mismatch
            raise Error(
                "input '%s' determines shapes: this model was compiled for "
                "%s, not %s; compile again with input_values={%r: ...}" % (
                    name, value.tolist(), np.asarray(given).tolist(), name))

    def __call__(self, *inputs, **named):
        """Runs the model on numpy arrays given in order, as one dict by
        input name, or as keywords by input name."""
        inputs = self._arrange(inputs, named)
        self._check_values(inputs)
        return self._native(*inputs)

    def save(self, path):
        """Writes the compiled model as a shared object (.so) that
        strata.load, strata-run and C programs (strata_runtime.h,
        examples/c) run with only Strata's runtime library."""
        path = os.fspath(path)
        if not path.endswith(".so"):
            raise Error("a compiled model is saved as a shared object: the "
                        "path must end with .so, got %r" % path)
        self._native.save(path)

    def __repr__(self):
        return "<strata.Model inputs=%s outputs=%s>" % (self.input_specs,
                                                       self.output_specs)


class ShapeSpecializedModel:
    """An ONNX model compiled per call, which strata.compile returns when
    the model cannot be compiled once for every input: it has dynamic input
    dimensions (a batch axis exported with `dynamic_axes`) and no sizes were
    given, or inputs whose values determine shapes (a Reshape's shape, a
    Slice's starts, Resize's sizes) and no input_values were given.

    Each call compiles it for the shapes of its arrays and the values of
    its shape-determining inputs, once per distinct set: later calls with
    the same shapes and values reuse the compiled Model, and other values
    compile again instead of computing with the wrong ones. Only the inputs
    the importer reads as shape operands key the cache (a BERT model's
    token ids do not). `specialize(*shapes)` compiles a model without
    shape-determining inputs ahead of the first call.

    `input_specs` lists the dynamic dimensions by name (a str, or None for
    an unnamed one) in place of a size."""

    def __init__(self, path, threads, sparse_threshold, input_specs,
                 cache=True):
        self._path = path
        self._threads = threads
        self._sparse_threshold = sparse_threshold
        self._cache = cache
        self._input_specs = input_specs
        # shapes -> [Model], each with the values it was compiled for.
        self._compiled = {}

    @property
    def input_specs(self):
        return list(self._input_specs)

    @property
    def compiled_shapes(self):
        """The sets of input shapes compiled so far, in the order compiled."""
        return list(self._compiled)

    @property
    def compiled_models(self):
        """Every Model compiled so far."""
        return [m for models in self._compiled.values() for m in models]

    def _key(self, shapes):
        key = tuple(tuple(int(d) for d in shape) for shape in shapes)
        if len(key) != len(self._input_specs):
            raise Error("%d input shapes given but the model takes %d: %s"
                        % (len(key), len(self._input_specs),
                           self._input_specs))
        return key

    def _compile(self, key, values):
        dynamic = any(not isinstance(d, int) or isinstance(d, bool)
                      for spec in self._input_specs for d in spec.shape)
        input_shapes = ({spec.name: list(shape)
                         for spec, shape in zip(self._input_specs, key)}
                        if dynamic else None)
        dims, input_shapes = check_shape_overrides(None, input_shapes)
        model = Model(_strata._compile_onnx(
            self._path, self._threads, self._sparse_threshold, dims,
            input_shapes, values, self._cache), values, onnx_path=self._path)
        self._compiled.setdefault(key, []).append(model)
        return model

    def specialize(self, *shapes):
        """The Model for inputs of these shapes (one per input, in order),
        compiled on first request. A model with shape-determining inputs
        needs their values: call it instead."""
        key = self._key(shapes)
        models = self._compiled.get(key)
        if models:
            return models[0]
        return self._compile(key, {})

    def __call__(self, *inputs):
        import numpy as np
        key = self._key([np.shape(x) for x in inputs])
        for model in self._compiled.get(key, []):
            if model._mismatch(inputs) is None:
                return model(*inputs)
        # Give the importer every integer input's value: it specializes on
        # those it reads as shape operands, and the Model remembers which.
        values = check_input_values({
            spec.name: x for spec, x in zip(self._input_specs, inputs)
            if np.asarray(x).dtype.kind in "iu"})
        return self._compile(key, values)(*inputs)

    def __repr__(self):
        return "<strata.ShapeSpecializedModel inputs=%s compiled=%s>" % (
            self._input_specs, self.compiled_shapes)


# ONNX TensorProto element types -> Strata's dtype names.
_ONNX_DTYPES = {1: "f32", 2: "u8", 3: "i8", 4: "u16", 5: "i16", 6: "i32",
                7: "i64", 9: "bool", 10: "f16", 11: "f64", 12: "u32", 13: "u64",
                16: "bf16"}


def _dynamic_input_specs(path, values_needed=False):
    """The graph inputs of the ONNX model at `path` as TensorSpecs whose
    dynamic dimensions are their names (None if unnamed), if it has any
    dynamic dimension or `values_needed`; else None. Uses the onnx package
    if present."""
    try:
        import onnx
    except ImportError:
        return None
    try:
        graph = onnx.load(path, load_external_data=False).graph
    except Exception:  # the native importer reports unreadable models
        return None
    initializers = {init.name for init in graph.initializer}
    specs, dynamic = [], False
    for value in graph.input:
        if value.name in initializers or not value.type.HasField("tensor_type"):
            continue
        tensor = value.type.tensor_type
        if not tensor.HasField("shape"):
            return None
        shape = []
        for dim in tensor.shape.dim:
            if dim.HasField("dim_value"):
                shape.append(dim.dim_value)
            else:
                dynamic = True
                shape.append(dim.dim_param or None)
        specs.append(TensorSpec(value.name, tuple(shape),
                                _ONNX_DTYPES.get(tensor.elem_type, "?")))
    return specs if dynamic or values_needed else None


def _compile_onnx_bytes(model, target, entry, threads, sparse_threshold,
                        dims, input_shapes, input_values, cache):
    """compile() of an onnx.ModelProto or its serialized bytes: through a
    temporary file, which the importer reads."""
    import tempfile
    data = bytes(model) if isinstance(model, (bytes, bytearray)) else \
        model.SerializeToString()
    with tempfile.TemporaryDirectory(prefix="strata-") as directory:
        path = os.path.join(directory, "model.onnx")
        with open(path, "wb") as f:
            f.write(data)
        compiled = compile(path, target, entry, threads or None,
                           sparse_threshold, dims, input_shapes, input_values,
                           cache=cache)
    if isinstance(compiled, Model):
        compiled._onnx_path = None  # the file is gone
        return compiled
    raise Error("this ONNX model has dynamic dimensions or shape-determining "
                "inputs: give dims/input_shapes/input_values, or compile it "
                "from a file to compile per call")


def compile(model, target="cpu", entry=None, threads=None,
            sparse_threshold=None, dims=None, input_shapes=None,
            input_values=None, timing=False, cache=True, mlir_flags=None):
    """Compiles a Graph, an ONNX model (a path ending in .onnx, an
    onnx.ModelProto or its serialized bytes), or MLIR (a path ending in
    .mlir, or text; graph dialect or linalg on tensors) for `target`
    ("cpu"). `entry` names the function of an MLIR module to run.

    `threads` is the number of threads the model runs on (default, or 0:
    every core of the machine); with 1 the code is single-threaded.

    `sparse_threshold`: constant matmul weights with a lower density
    (fraction of non-zeros) run as sparse weights; 0 keeps every weight
    dense (default: where the sparse kernels start to be faster, 0.5, or
    0.12 for matmuls of fewer rows than a vector; see docs/python.md).
    Weights marked by `Graph.constant(w, sparse=...)` follow their mark.

    `dims` and `input_shapes` size the dynamic input dimensions of an ONNX
    model, as in strata.onnx.load (a Graph has static shapes already).
    Without them, an ONNX model with dynamic dimensions gives a
    ShapeSpecializedModel, compiled for each call's input shapes (once per
    distinct set of shapes). An ONNX model with inputs that determine
    shapes (a Reshape's shape fed by a graph input) gives one too, compiled
    for each call's values of those inputs (once per distinct set).
    `input_values` gives those values instead (as in strata.onnx.load): the
    Model is compiled for them, and a call with other values raises
    strata.Error.

    `timing=True` prints the wall time of each compilation phase to
    stderr (Model.compile_times has them either way).

    `mlir_flags` are MLIR's debugging flags for this compilation, as
    mlir-opt takes them: ["--mlir-print-ir-after-all"], ["--mlir-timing"],
    ["--mlir-elide-elementsattrs-if-larger=16"] (reports go to stderr). A
    compile with flags is never served from the compile cache.

    `cache=False` compiles even if the compile cache has the model, and
    does not store it there. The cache (a directory of compiled models,
    STRATA_CACHE_DIR, default ~/.cache/strata; STRATA_CACHE=0 turns it off)
    serves a model compiled before from the same source with the same
    options on this kind of CPU by this build of Strata.

    Returns a Model; raises strata.Error with the diagnostics on failure."""
    if mlir_flags:
        if isinstance(mlir_flags, str) or not all(
                isinstance(f, str) for f in mlir_flags):
            raise Error("mlir_flags must be a list of strings, such as "
                        "['--mlir-timing'], got %r" % (mlir_flags,))
        _strata._set_mlir_flags(list(mlir_flags))
        cache = False
    try:
        compiled = _compile(model, target, entry, threads, sparse_threshold,
                            dims, input_shapes, input_values, bool(cache))
    finally:
        if mlir_flags:
            _strata._reset_mlir_flags()
    if timing and isinstance(compiled, Model):
        import sys
        sys.stderr.write(compiled._native._compile_times_table())
    return compiled


def _compile(model, target, entry, threads, sparse_threshold, dims,
             input_shapes, input_values, cache):
    """compile() without the timing report."""
    if target != "cpu":
        raise Error("unknown target %r: Strata compiles for 'cpu'" % (target,))
    if threads is None:
        threads = 0
    elif not isinstance(threads, int) or isinstance(threads, bool) or threads < 0:
        raise Error("threads must be an int, at least 1 (or 0 for every "
                    "core), got %r" % (threads,))
    if isinstance(model, (bytes, bytearray)) or type(model).__name__ == "ModelProto":
        return _compile_onnx_bytes(model, target, entry, threads,
                                   sparse_threshold, dims, input_shapes,
                                   input_values, cache)
    if sparse_threshold is None:
        sparse_threshold = -1.0
    elif (isinstance(sparse_threshold, bool)
          or not isinstance(sparse_threshold, (int, float))
          or not 0 <= sparse_threshold <= 1):
        raise Error("sparse_threshold must be a density between 0 and 1, "
                    "got %r" % (sparse_threshold,))
    sparse_threshold = float(sparse_threshold)
    is_onnx = (isinstance(model, (str, os.PathLike))
               and os.fspath(model).endswith(".onnx"))
    if (dims is not None or input_shapes is not None
            or input_values is not None) and not is_onnx:
        raise Error("dims, input_shapes and input_values apply to ONNX "
                    "models; a Graph or MLIR module has static shapes")
    if isinstance(model, Graph):
        return Model(_strata._compile_graph(model._native, entry or "", threads,
                                            sparse_threshold, cache))
    if isinstance(model, (str, os.PathLike)):
        path = os.fspath(model)
        if path.endswith(".onnx"):
            if not os.path.exists(path):
                raise Error("cannot open %r: no such file" % path)
            if entry:
                raise Error("entry applies to MLIR modules and Graphs; an "
                            "ONNX model has one graph to run")
            values = check_input_values(input_values)
            sized = dims is not None or input_shapes is not None or values
            dims, input_shapes = check_shape_overrides(dims, input_shapes)
            try:
                return Model(_strata._compile_onnx(
                    path, threads, sparse_threshold, dims, input_shapes,
                    values, cache), values, onnx_path=path)
            except Error as error:
                # Only a model that does not compile as it is can have
                # unsized dynamic dimensions or shape-determining inputs:
                # read its inputs then, not on every compile.
                values_needed = "must be known at import time" in str(error)
                specs = None if sized else _dynamic_input_specs(
                    path, values_needed)
                if specs is None:
                    raise
                return ShapeSpecializedModel(path, threads, sparse_threshold,
                                             specs, cache)
        if path.endswith(".mlir") and "\n" not in path:
            if not os.path.exists(path):
                raise Error("cannot open %r: no such file" % path)
            with open(path) as f:
                return Model(_strata._compile_mlir(f.read(), entry or "", threads,
                                                   sparse_threshold, cache))
        if "func.func" in path:
            return Model(_strata._compile_mlir(path, entry or "", threads,
                                               sparse_threshold, cache))
        shown = path if len(path) <= 80 else path[:77] + "..."
        if "llvm.func" in path:
            raise Error("cannot compile MLIR text at the LLVM level (%r): "
                        "compile the graph, tensorx or linalg level, e.g. "
                        "m.mlir('graph', weights=True)" % shown)
        raise Error("cannot compile %r: expected a Graph, an .onnx or .mlir "
                    "path, an onnx.ModelProto or its bytes, or MLIR text with "
                    "a func.func" % shown)
    raise Error("cannot compile an object of type %s" % type(model).__name__)


def load(path, threads=None):
    """Loads a model saved by Model.save or strata-compile (a .so) without
    compiling: a Model whose mlir() is not available. `threads` as in
    compile (default: the count it was compiled for)."""
    path = os.fspath(path)
    model = Model(_strata._load(path))
    if threads is not None:
        if not isinstance(threads, int) or isinstance(threads, bool) or \
                threads < 0:
            raise Error("threads must be an int, at least 1 (or 0 for "
                        "every core), got %r" % (threads,))
        model._native.set_threads(threads)
    return model
