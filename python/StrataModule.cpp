//===- StrataModule.cpp - Python bindings (the _strata extension) ---------===//
//
// The native half of the `strata` Python package: building graph-dialect
// functions op by op (with result-type inference and verification reported as
// exceptions), ONNX import, compilation for the host CPU and calling compiled
// models on numpy arrays. The pure-Python package (python/strata) gives it
// its user-facing API.
//
//===----------------------------------------------------------------------===//

#include "strata/Dialect/Graph/IR/GraphOps.h"
#include "strata/Dialect/TensorX/IR/SparseFormats.h"
#include "strata/Execution/CompiledModel.h"
#include "strata/InitAllDialects.h"
#include "strata/Runtime/Allocator.h"
#include "strata/Runtime/Tensor.h"
#include "strata/Support/ConstantData.h"
#include "strata/Support/Digest.h"
#include "strata/Support/ParserWorkarounds.h"
#include "strata/Support/PrintIR.h"
#include "strata/Support/Version.h"
#include "strata/Target/ONNX/ImportONNX.h"

#include "mlir/AsmParser/AsmParser.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Parser/Parser.h"

#include "llvm/Support/MemoryBuffer.h"

#include <chrono>
#include <cstring>
#include <functional>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>
#include <tuple>

namespace py = pybind11;
using namespace mlir;

namespace {

/// The error type of the package (strata.Error, a ValueError), set at import.
PyObject *errorType = PyExc_ValueError;

[[noreturn]] void raise(const std::string &message) {
  PyErr_SetString(errorType, message.c_str());
  throw py::error_already_set();
}

/// One MLIR context for the process: graphs built from Python share types
/// and attributes. Guarded by the GIL (every entry point holds it).
MLIRContext &context() {
  static MLIRContext *ctx = [] {
    DialectRegistry registry;
    strata::registerAllDialects(registry);
    auto *c = new MLIRContext(registry);
    c->loadAllAvailableDialects();
    // Errors name the op and the problem; the generic op dump adds noise.
    c->printOpOnDiagnostic(false);
    return c;
  }();
  return *ctx;
}

/// Collects the diagnostics emitted while alive, to raise them as one error.
class DiagnosticCollector {
public:
  DiagnosticCollector()
      : handler(&context(), [this](Diagnostic &diag) {
          std::string text;
          llvm::raw_string_ostream os(text);
          if (auto loc = dyn_cast<FileLineColLoc>(diag.getLocation()))
            os << loc.getFilename() << ":" << loc.getLine() << ":"
               << loc.getColumn() << ": ";
          os << diag;
          for (Diagnostic &note : diag.getNotes())
            os << "\n  note: " << note;
          messages.push_back(text);
          return success();
        }) {}

  const std::vector<std::string> &all() const { return messages; }

  std::string message(const std::string &fallback) const {
    if (messages.empty())
      return fallback;
    std::string all;
    for (const std::string &m : messages)
      all += (all.empty() ? "" : "\n") + m;
    return all;
  }

private:
  std::vector<std::string> messages;
  ScopedDiagnosticHandler handler;
};

std::string printOp(Operation *op) {
  std::string text;
  llvm::raw_string_ostream os(text);
  op->print(os);
  return text;
}

Type elementType(const std::string &dtype) {
  // Strata's unsigned names (u8) are MLIR's ui8.
  bool isUnsigned = dtype.size() > 1 && dtype[0] == 'u' && dtype[1] != 'i';
  Type t = parseType(isUnsigned ? "ui" + dtype.substr(1) : dtype, &context());
  if (!t || !(isa<FloatType>(t) || isa<IntegerType>(t)))
    raise("unknown dtype '" + dtype +
          "'; use f16, bf16, f32, f64, i1, i8, i16, i32, i64, u8, u16, u32 "
          "or u64");
  return t;
}

//===----------------------------------------------------------------------===//
// Graph: a function in the graph dialect, built op by op
//===----------------------------------------------------------------------===//

class Graph {
public:
  /// A new empty function called `name`.
  explicit Graph(const std::string &name)
      : module(ModuleOp::create(UnknownLoc::get(&context()))) {
    OpBuilder b(&context());
    b.setInsertionPointToEnd(module->getBody());
    func = func::FuncOp::create(b, UnknownLoc::get(&context()), name,
                                b.getFunctionType({}, {}));
    func.addEntryBlock();
  }

  /// Wraps an imported module: its only function becomes editable, its
  /// returned values become the current outputs.
  explicit Graph(OwningOpRef<ModuleOp> imported) : module(std::move(imported)) {
    auto funcs = module->getOps<func::FuncOp>();
    if (std::distance(funcs.begin(), funcs.end()) != 1)
      raise("the module must hold exactly one function");
    func = *funcs.begin();
    auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
    for (auto [i, v] : llvm::enumerate(ret.getOperands())) {
      outputs.push_back(v);
      auto name = func.getResultAttrOfType<StringAttr>(i, "strata.name");
      outputNames.push_back(name ? name.str() : "");
    }
    ret.erase();
  }

  std::string name() { return func.getSymName().str(); }

  size_t input(const std::string &name, const std::vector<int64_t> &shape,
               const std::string &dtype) {
    for (int64_t d : shape)
      if (d < 0)
        raise("input '" + name + "': dimensions must be >= 0");
    Block &block = func.getBody().front();
    auto type = RankedTensorType::get(shape, elementType(dtype));
    BlockArgument arg = block.addArgument(type, UnknownLoc::get(&context()));
    SmallVector<Type> inputs(block.getArgumentTypes());
    func.setType(FunctionType::get(&context(), inputs, {}));
    func.setArgAttr(arg.getArgNumber(), "strata.name",
                    StringAttr::get(&context(), name));
    return remember(arg);
  }

  /// A graph.constant from a numpy array (C-contiguous, copied); `sparse`
  /// (if not empty) is the sparse format asked for (tensorx-sparsify).
  size_t constant(py::array array, const std::string &sparse) {
    // Data in the other byte order (a '>f4' array) is converted to native
    // order first: its bytes are copied as they lie in memory below.
    if (std::string(py::str(array.dtype().attr("byteorder"))) == ">")
      array = array.attr("astype")(array.dtype().attr("newbyteorder")("="));
    py::dtype dt = array.dtype();
    std::string dtype;
    char kind = dt.kind();
    size_t size = dt.itemsize();
    if (kind == 'f')
      dtype = size == 2 ? "f16" : size == 4 ? "f32" : "f64";
    else if (kind == 'i')
      dtype = "i" + std::to_string(size * 8);
    else if (kind == 'u')
      dtype = "u" + std::to_string(size * 8);
    else if (kind == 'b')
      dtype = "i1";
    else
      raise("constant: unsupported numpy dtype '" + std::string(py::str(dt)) +
            "'");
    array = py::array::ensure(array, py::array::c_style);
    std::vector<int64_t> shape(array.shape(), array.shape() + array.ndim());
    auto type = RankedTensorType::get(shape, elementType(dtype));
    ElementsAttr attr;
    const char *data = static_cast<const char *>(array.data());
    size_t bytes = array.nbytes();
    if (kind == 'b') {
      SmallVector<bool> bits(data, data + array.size());
      attr = DenseElementsAttr::get(type, bits);
    } else if (array.size() <= 64) {
      attr = DenseElementsAttr::getFromRawBuffer(type,
                                                 ArrayRef<char>(data, bytes));
    } else {
      attr = DenseResourceElementsAttr::get(
          type, "py_constant",
          HeapAsmResourceBlob::allocateAndCopyWithAlign(
              ArrayRef<char>(data, bytes), size));
    }
    std::string mark = sparseMark(
        sparse, shape, kind == 'f' && size == 4 ? data : nullptr, dtype);
    OpBuilder b = builder();
    auto op =
        strata::graph::ConstantOp::create(b, UnknownLoc::get(&context()), attr);
    if (!mark.empty())
      op->setAttr("tensorx.sparse", StringAttr::get(&context(), mark));
    return remember(op);
  }

  /// The `tensorx.sparse` mark of a constant asked to be `sparse` (empty:
  /// no mark): "bsr" becomes the block the non-zeros fill, and a format the
  /// weight (`data`, f32, null for other types) does not fit raises, with
  /// the same analysis tensorx-sparsify makes.
  static std::string sparseMark(const std::string &sparse,
                                const std::vector<int64_t> &shape,
                                const char *data, const std::string &dtype) {
    using strata::tensorx::SparseFormat;
    if (sparse.empty() || sparse == "dense")
      return sparse;
    if (sparse != "auto" && sparse != "bsr" && !SparseFormat::parse(sparse))
      raise("unknown sparse format '" + sparse +
            "'; expected one of auto, dense, csr, csc, bsr, 2:4, "
            "bsr<R>x<C> or <n>:<m>");
    if (!data || shape.size() != 2)
      raise("sparse='" + sparse +
            "': only 2-D float32 matmul weights can be sparse, got a " + dtype +
            " constant of rank " + std::to_string(shape.size()));
    int64_t rows = shape[0], cols = shape[1];
    ArrayRef<float> values(reinterpret_cast<const float *>(data), rows * cols);
    std::string mark = sparse;
    if (sparse == "bsr") {
      // The block tensorx-sparsify would find; 1x4 when none is filled.
      SparseFormat found =
          strata::tensorx::chooseSparseFormat(values, rows, cols);
      mark = found.kind == SparseFormat::Kind::BSR ? found.name() : "bsr1x4";
    }
    if (mark == "auto")
      return mark;
    SparseFormat format = *SparseFormat::parse(mark);
    if (std::optional<std::string> why =
            strata::tensorx::findViolation(values, rows, cols, format))
      raise("sparse='" + sparse + "': " + *why +
            (format.kind == SparseFormat::Kind::Structured
                 ? " (prune with strata.prune(..., pattern='" + mark + "'))"
                 : std::string()));
    return mark;
  }

  /// The 2-D f32 constants that are the weights (rhs) of graph.matmul ops,
  /// in program order, as (name, copy of the data).
  std::vector<std::pair<std::string, py::array>> matmulWeights() {
    std::vector<std::pair<std::string, py::array>> result;
    for (strata::graph::ConstantOp op : matmulWeightOps()) {
      auto type = cast<RankedTensorType>(op.getType());
      std::optional<ArrayRef<float>> data =
          strata::constantF32Data(cast<ElementsAttr>(op.getValue()));
      py::array_t<float> array({type.getDimSize(0), type.getDimSize(1)});
      if (data)
        std::copy(data->begin(), data->end(), array.mutable_data());
      else // A splat.
        std::fill_n(
            array.mutable_data(), type.getNumElements(),
            cast<DenseElementsAttr>(op.getValue()).getSplatValue<float>());
      std::string name;
      if (auto loc = dyn_cast<NameLoc>(op.getLoc()))
        name = loc.getName().str();
      result.push_back({name, array});
    }
    return result;
  }

  /// Replaces the data of the `index`-th matmul weight (as matmulWeights
  /// lists them) by `array`, of the same shape.
  void setMatmulWeight(
      size_t index,
      py::array_t<float, py::array::c_style | py::array::forcecast> array) {
    std::vector<strata::graph::ConstantOp> ops = matmulWeightOps();
    if (index >= ops.size())
      raise("no matmul weight #" + std::to_string(index));
    auto type = cast<RankedTensorType>(ops[index].getType());
    if (array.ndim() != 2 || array.shape(0) != type.getDimSize(0) ||
        array.shape(1) != type.getDimSize(1))
      raise("matmul weight #" + std::to_string(index) + " must keep its " +
            std::to_string(type.getDimSize(0)) + "x" +
            std::to_string(type.getDimSize(1)) + " shape");
    ArrayRef<char> bytes(reinterpret_cast<const char *>(array.data()),
                         array.nbytes());
    ops[index].setValueAttr(DenseResourceElementsAttr::get(
        type, "py_constant",
        HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, sizeof(float))));
  }

  /// Builds `graph.<name>` from value handles and attributes given as MLIR
  /// attribute text; raises with the verifier's message if it is invalid.
  size_t op(const std::string &name, const std::vector<size_t> &operands,
            const std::map<std::string, std::string> &attrs) {
    DiagnosticCollector diags;
    std::string opName = "graph." + name;
    std::optional<RegisteredOperationName> info =
        RegisteredOperationName::lookup(opName, &context());
    if (!info)
      raise("unknown graph op '" + name + "'");
    OperationState state(UnknownLoc::get(&context()), opName);
    for (size_t h : operands)
      state.addOperands(value(h));
    NamedAttrList inherent;
    for (auto &[key, text] : attrs) {
      Attribute attr = parseAttribute(text, &context());
      if (!attr)
        raise(diags.message("graph." + name + ": invalid attribute '" + key +
                            "' = " + text));
      inherent.set(key, attr);
    }
    DictionaryAttr properties = inherent.getDictionary(&context());
    if (!inherent.empty()) {
      // Check the attributes' kinds before creating the op (which assumes
      // valid properties).
      std::vector<char> storage(info->getOpPropertyByteSize() + 16);
      OpaqueProperties props(storage.data());
      info->initOpProperties(props, nullptr);
      auto emitError = [&] {
        return mlir::emitError(UnknownLoc::get(&context()))
               << "graph." << name << ": ";
      };
      LogicalResult ok = info->setOpPropertiesFromAttribute(
          *info, props, properties, emitError);
      info->destroyOpProperties(props);
      if (failed(ok))
        raise(diags.message("graph." + name + ": invalid attributes"));
    }
    if (!inherent.empty())
      state.propertiesAttr = properties;
    state.addTypes(NoneType::get(&context()));
    OpBuilder b = builder();
    Operation *op = b.create(state);
    // Infer the result type, then verify; any failure raises and removes
    // the op, leaving the graph as it was.
    auto infer = dyn_cast<InferTypeOpInterface>(op);
    SmallVector<Type> types;
    if (!infer ||
        failed(infer.inferReturnTypes(
            &context(), op->getLoc(), op->getOperands(),
            op->getRawDictionaryAttrs(), op->getPropertiesStorage(),
            op->getRegions(), types)) ||
        types.size() != 1) {
      op->erase();
      raise(
          diags.message("graph." + name + ": invalid operands or attributes"));
    }
    op->getResult(0).setType(types[0]);
    if (failed(verify(op))) {
      op->erase();
      raise(diags.message("graph." + name + ": verification failed"));
    }
    return remember(op->getResult(0));
  }

  void output(size_t handle, const std::string &name) {
    outputs.push_back(value(handle));
    outputNames.push_back(name);
  }

  void clearOutputs() {
    outputs.clear();
    outputNames.clear();
  }

  /// The shape and dtype of a value handle.
  py::tuple valueType(size_t handle) {
    auto type = cast<RankedTensorType>(value(handle).getType());
    std::string dtype;
    llvm::raw_string_ostream os(dtype);
    Type element = type.getElementType();
    if (element.isUnsignedInteger()) // Strata's name: u8, not MLIR's ui8.
      os << "u" << element.getIntOrFloatBitWidth();
    else
      os << element;
    return py::make_tuple(py::tuple(py::cast(std::vector<int64_t>(
                              type.getShape().begin(), type.getShape().end()))),
                          dtype);
  }

  std::vector<size_t> inputs() {
    std::vector<size_t> handles;
    for (BlockArgument arg : func.getArguments())
      handles.push_back(remember(arg));
    return handles;
  }

  std::vector<size_t> outputHandles() {
    std::vector<size_t> handles;
    for (Value v : outputs)
      handles.push_back(remember(v));
    return handles;
  }

  /// A finished copy of the module: the function returns the outputs.
  OwningOpRef<ModuleOp> finish() {
    if (outputs.empty())
      raise("graph '" + name() + "' has no outputs; call output() first");
    OwningOpRef<ModuleOp> copy = cast<ModuleOp>(module->clone());
    auto f = *copy->getOps<func::FuncOp>().begin();
    OpBuilder b(&context());
    b.setInsertionPointToEnd(&f.getBody().front());
    // Map the outputs into the clone by position of their definitions.
    IRMapping mapping;
    Block &src = func.getBody().front(), &dst = f.getBody().front();
    for (auto [a, c] : llvm::zip(src.getArguments(), dst.getArguments()))
      mapping.map(a, c);
    for (auto [a, c] : llvm::zip(src.getOperations(), dst.getOperations()))
      mapping.map(a.getResults(), c.getResults());
    SmallVector<Value> results;
    for (Value v : outputs)
      results.push_back(mapping.lookup(v));
    func::ReturnOp::create(b, f.getLoc(), results);
    f.setType(FunctionType::get(&context(),
                                f.getBody().front().getArgumentTypes(),
                                ValueRange(results).getTypes()));
    for (auto [i, n] : llvm::enumerate(outputNames))
      if (!n.empty())
        f.setResultAttr(i, "strata.name", StringAttr::get(&context(), n));
    DiagnosticCollector diags;
    if (failed(verify(*copy)))
      raise(diags.message("the graph does not verify"));
    return copy;
  }

  std::string mlir(bool withWeights) {
    OwningOpRef<ModuleOp> m = finish();
    std::string text;
    llvm::raw_string_ostream os(text);
    strata::printIR(*m, os, withWeights);
    return text;
  }

private:
  OpBuilder builder() {
    OpBuilder b(&context());
    b.setInsertionPointToEnd(&func.getBody().front());
    return b;
  }

  /// The constants matmulWeights lists.
  std::vector<strata::graph::ConstantOp> matmulWeightOps() {
    std::vector<strata::graph::ConstantOp> ops;
    llvm::SmallPtrSet<Operation *, 8> seen;
    func.walk([&](strata::graph::MatmulOp matmul) {
      auto op = matmul.getRhs().getDefiningOp<strata::graph::ConstantOp>();
      auto type = op ? dyn_cast<RankedTensorType>(op.getType()) : nullptr;
      if (type && type.getRank() == 2 && type.getElementType().isF32() &&
          seen.insert(op).second)
        ops.push_back(op);
    });
    return ops;
  }

  size_t remember(Value v) {
    auto it = handleOf.find(v);
    if (it != handleOf.end())
      return it->second;
    values.push_back(v);
    handleOf[v] = values.size() - 1;
    return values.size() - 1;
  }

  Value value(size_t handle) {
    if (handle >= values.size())
      raise("invalid value handle");
    return values[handle];
  }

  OwningOpRef<ModuleOp> module;
  func::FuncOp func;
  std::vector<Value> values;
  llvm::DenseMap<Value, size_t> handleOf;
  std::vector<Value> outputs;
  std::vector<std::string> outputNames;
};

//===----------------------------------------------------------------------===//
// Model: a compiled module, callable on numpy arrays
//===----------------------------------------------------------------------===//

py::dtype numpyDType(strata::DType dtype) {
  switch (dtype) {
  case strata::DType::F16:
    return py::dtype("float16");
  case strata::DType::F32:
    return py::dtype("float32");
  case strata::DType::F64:
    return py::dtype("float64");
  case strata::DType::Bool:
    return py::dtype("bool");
  case strata::DType::I8:
    return py::dtype("int8");
  case strata::DType::U8:
    return py::dtype("uint8");
  case strata::DType::U16:
    return py::dtype("uint16");
  case strata::DType::U32:
    return py::dtype("uint32");
  case strata::DType::U64:
    return py::dtype("uint64");
  case strata::DType::I16:
    return py::dtype("int16");
  case strata::DType::I32:
    return py::dtype("int32");
  case strata::DType::I64:
    return py::dtype("int64");
  case strata::DType::BF16:
    return py::dtype("uint16"); // Raw bits: numpy has no bfloat16.
  }
  return py::dtype("float32");
}

py::list specsToPython(const std::vector<strata::TensorSpec> &specs) {
  py::list list;
  for (const strata::TensorSpec &s : specs)
    list.append(py::make_tuple(s.name, py::tuple(py::cast(s.shape)),
                               strata::dtypeName(s.dtype)));
  return list;
}

/// Produces the module to compile (again, for Model.mlir() of a model that
/// came from the compile cache).
using ModuleSource = std::function<OwningOpRef<ModuleOp>()>;

class Model {
public:
  /// Compiles the module `source` gives, or loads the model from the
  /// compile cache if `cacheKey` names one there (then `source` is called
  /// only if the IR levels are asked for).
  Model(ModuleSource source, const std::string &entry, int threads,
        double sparseThreshold, const std::string &cacheKey,
        bool timeImport = false)
      : source(std::move(source)) {
    if (threads < 0)
      raise("threads must be at least 1 (or 0 for every core)");
    options.entry = entry;
    options.threads = threads > 0 ? threads : strata::defaultThreadCount();
    if (sparseThreshold >= 0)
      options.sparseThreshold = sparseThreshold;
    options.onPhaseEnd = [this](llvm::StringRef phase, double seconds) {
      phaseTimes.emplace_back(phase.str(), seconds);
    };
    options.cacheKey = cacheKey;
    {
      DiagnosticCollector diags;
      compiled = strata::CompiledModel::fromCache(options);
    }
    if (!compiled) {
      auto start = std::chrono::steady_clock::now();
      OwningOpRef<ModuleOp> module = this->source();
      std::chrono::duration<double> imported =
          std::chrono::steady_clock::now() - start;
      if (timeImport)
        phaseTimes.emplace_back("import", imported.count());
      compiled = compileKeepingLevels(std::move(module), options);
    }
  }

  /// A model saved by save() or strata-compile.
  explicit Model(std::unique_ptr<strata::CompiledModel> loaded)
      : compiled(std::move(loaded)) {}

  void save(const std::string &path) {
    std::string error;
    if (!compiled->save(path, error))
      raise(error);
  }

  int threads() const { return compiled->threads(); }
  /// 0: every core, as for compile().
  void setThreads(int threads) {
    compiled->setThreads(threads > 0 ? threads : strata::defaultThreadCount());
  }
  py::list inputSpecs() { return specsToPython(compiled->inputs()); }
  /// The names of the inputs the model was specialized on.
  py::list specializedInputs() {
    py::list names;
    for (const strata::TensorSpec &spec : compiled->inputs())
      if (spec.specialized)
        names.append(spec.name);
    return names;
  }
  py::list outputSpecs() { return specsToPython(compiled->outputs()); }

  std::string ir(const std::string &level, bool withWeights) {
    if (levels.empty()) {
      if (!source)
        raise("a model loaded from a shared object has no IR; compile the "
              "model to see its levels");
      // From the compile cache: compile again, only to show the levels.
      strata::CompileOptions again = options;
      again.cacheKey.clear();
      again.onPhaseEnd = nullptr;
      compileKeepingLevels(source(), again);
    }
    auto it = levels.find(level);
    if (it == levels.end())
      raise("unknown level '" + level +
            "'; use input, graph, tensorx, linalg, loops or llvm");
    std::string text;
    llvm::raw_string_ostream os(text);
    strata::printIR(*it->second, os, withWeights);
    return text;
  }

  py::object call(py::args args) {
    Prepared run = prepare(args);
    {
      py::gil_scoped_release release;
      compiled->run(run.inPtrs, run.outPtrs);
    }
    return run.results();
  }

  /// Runs `repeat` times recording the kernels' calls: (kernels as
  /// (symbol, [node names]), events as (kernel, start ns, end ns), each
  /// run's (start ns, end ns), the summary as ([(median ms, calls per run)
  /// per kernel], latency ms, kernels' ms); strata::summarizeProfile).
  py::tuple profile(int repeat, py::args args) {
    if (compiled->kernels().empty())
      raise("this model was compiled without kernel timing calls");
    Prepared run = prepare(args);
    strata::KernelProfile profile;
    strata::RunSpans runs;
    {
      py::gil_scoped_release release;
      for (int r = 0; r < repeat; ++r) {
        int64_t start = strata::profileClockNs();
        compiled->run(run.inPtrs, run.outPtrs, profile);
        runs.emplace_back(start, strata::profileClockNs());
      }
    }
    py::list kernels, events;
    for (const strata::KernelInfo &kernel : compiled->kernels())
      kernels.append(py::make_tuple(kernel.symbol, py::cast(kernel.nodes)));
    for (const strata::KernelEvent &e : profile.events)
      events.append(py::make_tuple(e.kernel, e.startNs, e.endNs));
    strata::ProfileSummary summary =
        strata::summarizeProfile(profile, runs, compiled->kernels().size());
    py::list perKernel;
    for (const strata::KernelSummary &k : summary.kernels)
      perKernel.append(py::make_tuple(k.medianMs, k.callsPerRun));
    return py::make_tuple(
        kernels, events, py::cast(runs),
        py::make_tuple(perKernel, summary.latencyMs, summary.kernelsMs));
  }

  /// The wall time of each compilation phase, in order.
  py::list compileTimes() const { return py::cast(phaseTimes); }
  /// The same as the table strata-run --timing prints.
  std::string compileTimesTable() const {
    std::string text;
    llvm::raw_string_ostream os(text);
    strata::printCompileTimes(os, phaseTimes);
    return text;
  }

private:
  /// A call's input pointers (into arrays kept alive) and output arrays.
  struct Prepared {
    std::vector<py::array> keep, outputs;
    std::vector<const void *> inPtrs;
    std::vector<void *> outPtrs;

    py::object results() {
      if (outputs.size() == 1)
        return outputs[0];
      py::tuple tuple(outputs.size());
      for (size_t i = 0; i < outputs.size(); ++i)
        tuple[i] = outputs[i];
      return tuple;
    }
  };

  Prepared prepare(py::args args) {
    const auto &ins = compiled->inputs();
    const auto &outs = compiled->outputs();
    if (args.size() != ins.size())
      raise("'" + compiled->entry() + "' takes " + std::to_string(ins.size()) +
            " inputs, got " + std::to_string(args.size()));
    Prepared run;
    for (size_t i = 0; i < ins.size(); ++i) {
      const strata::TensorSpec &spec = ins[i];
      py::array a = py::array::ensure(args[i]);
      if (!a)
        raise("input #" + std::to_string(i) + " (" + spec.name +
              ") is not convertible to a numpy array");
      if (!a.dtype().is(numpyDType(spec.dtype)))
        raise("input #" + std::to_string(i) + " (" + spec.name +
              ") has dtype " + std::string(py::str(a.dtype())) + ", expected " +
              std::string(py::str(numpyDType(spec.dtype))));
      std::vector<int64_t> shape(a.shape(), a.shape() + a.ndim());
      if (shape != spec.shape) {
        strata::TensorSpec got{"", spec.dtype, shape};
        raise("input #" + std::to_string(i) + " is " + got.str() +
              ", expected " + spec.str());
      }
      // No copy when the layout already fits.
      a = py::array::ensure(a, py::array::c_style);
      run.inPtrs.push_back(a.data());
      run.keep.push_back(a);
    }
    for (const strata::TensorSpec &spec : outs) {
      std::vector<py::ssize_t> shape(spec.shape.begin(), spec.shape.end());
      py::array out(numpyDType(spec.dtype), shape);
      run.outPtrs.push_back(out.mutable_data());
      run.outputs.push_back(out);
    }
    return run;
  }

  /// Compiles `module` keeping a copy of each level (cheap: constants are
  /// shared attributes), printed only when asked for: printing every level
  /// of a model with large weights costs as much as compiling it.
  std::unique_ptr<strata::CompiledModel>
  compileKeepingLevels(OwningOpRef<ModuleOp> module,
                       strata::CompileOptions compileOptions) {
    DiagnosticCollector diags;
    levels.clear();
    levels["input"] = module->clone();
    compileOptions.observer = [this](strata::CPUStage stage, ModuleOp m) {
      levels[strata::stageName(stage).str()] = m.clone();
    };
    std::unique_ptr<strata::CompiledModel> model =
        strata::CompiledModel::compile(*module, compileOptions);
    if (!model)
      raise(diags.message("compilation failed"));
    this->module = std::move(module);
    return model;
  }

  ModuleSource source;
  strata::CompileOptions options;
  strata::PhaseTimes phaseTimes;
  OwningOpRef<ModuleOp> module;
  std::unique_ptr<strata::CompiledModel> compiled;
  std::map<std::string, OwningOpRef<ModuleOp>> levels;
};

/// Sizes for dynamic input dimensions, as strata.onnx.load's `dims` and
/// `input_shapes` give them (checked by the Python side).
using Dims = std::map<std::string, int64_t>;
using InputShapes = std::map<std::string, std::vector<int64_t>>;

/// Values of graph inputs that determine shapes, by name.
using InputValues =
    std::map<std::string,
             py::array_t<int64_t, py::array::c_style | py::array::forcecast>>;

/// The importer's options for Python's dims, input_shapes and
/// input_values; `values` keeps the arrays they point to.
strata::ONNXImportOptions
importOptions(const Dims &dims, const InputShapes &inputShapes,
              const InputValues &inputValues,
              std::vector<strata::HostTensor> &values) {
  strata::ONNXImportOptions options;
  values.clear();
  values.reserve(inputValues.size());
  for (const auto &[name, array] : inputValues) {
    std::vector<int64_t> shape(array.shape(), array.shape() + array.ndim());
    std::string error;
    std::optional<strata::HostTensor> tensor =
        strata::HostTensor::allocate(strata::DType::I64, shape, error);
    if (!tensor)
      raise("input_values['" + name + "']: " + error);
    if (array.size())
      std::memcpy(tensor->data(), array.data(), array.size() * 8);
    values.push_back(std::move(*tensor));
    options.inputValues[name] = &values.back();
  }
  for (const auto &[name, size] : dims)
    options.dims[name] = size;
  for (const auto &[name, shape] : inputShapes)
    options.inputShapes[name] =
        llvm::SmallVector<int64_t>(shape.begin(), shape.end());
  return options;
}

OwningOpRef<ModuleOp> importONNX(const std::string &path, const Dims &dims = {},
                                 const InputShapes &inputShapes = {},
                                 const InputValues &inputValues = {},
                                 std::vector<std::string> *problems = nullptr) {
  std::vector<strata::HostTensor> values;
  strata::ONNXImportOptions options =
      importOptions(dims, inputShapes, inputValues, values);
  options.reportAll = problems != nullptr;
  DiagnosticCollector diags;
  OwningOpRef<ModuleOp> m = strata::importONNXFile(path, &context(), options);
  if (problems) {
    *problems = diags.all();
    if (!m && problems->empty())
      problems->push_back("cannot import '" + path + "'");
    return m;
  }
  if (!m)
    raise(diags.message("cannot import '" + path + "'"));
  return m;
}

OwningOpRef<ModuleOp> parseMLIR(const std::string &text) {
  if (std::optional<std::string> crasher = strata::findParserCrashers(text))
    raise("cannot parse the MLIR text: " + *crasher);
  DiagnosticCollector diags;
  OwningOpRef<ModuleOp> m = parseSourceString<ModuleOp>(text, &context());
  if (!m)
    raise(diags.message("cannot parse the MLIR text"));
  return m;
}

/// A source giving copies of a module parsed or built once.
ModuleSource sharedSource(std::shared_ptr<OwningOpRef<ModuleOp>> module) {
  return [module]() { return OwningOpRef<ModuleOp>((*module)->clone()); };
}

/// The compile cache's key of an ONNX file imported with these options
/// (strata::importCacheKey, as strata-run's).
std::string onnxCacheKey(const std::string &path, const Dims &dims,
                         const InputShapes &inputShapes,
                         const InputValues &inputValues) {
  std::vector<strata::HostTensor> values;
  strata::ONNXImportOptions options =
      importOptions(dims, inputShapes, inputValues, values);
  return strata::importCacheKey(path, &context(), options);
}

} // namespace

PYBIND11_MODULE(_strata, m) {
  m.doc() = "Native part of the strata package; use `import strata`.";
  m.attr("__version__") = STRATA_VERSION;
  // MLIR's debugging flags, for strata.compile(mlir_flags=[...]).
  strata::registerMLIRDebugFlags();
  m.def("_set_mlir_flags", [](const std::vector<std::string> &flags) {
    std::string error;
    if (!strata::setMLIRDebugFlags(flags, error))
      raise("mlir_flags: " + error);
  });
  m.def("_reset_mlir_flags", &strata::resetMLIRDebugFlags);
  m.def("_set_error_type", [](py::object type) {
    errorType = type.ptr();
    Py_INCREF(errorType);
  });

  py::class_<Graph>(m, "_Graph")
      .def(py::init<const std::string &>())
      .def_property_readonly("name", &Graph::name)
      .def("input", &Graph::input)
      .def("constant", &Graph::constant)
      .def("matmul_weights", &Graph::matmulWeights)
      .def("set_matmul_weight", &Graph::setMatmulWeight)
      .def("op", &Graph::op)
      .def("output", &Graph::output)
      .def("clear_outputs", &Graph::clearOutputs)
      .def("value_type", &Graph::valueType)
      .def("inputs", &Graph::inputs)
      .def("outputs", &Graph::outputHandles)
      .def("mlir", &Graph::mlir);

  m.def("keep_temporaries_in_heap", &strata::keepTemporariesInHeap,
        "Keeps compiled models' temporaries mapped from one call to the next "
        "(glibc: blocks up to 32 MiB stay in the heap, trimmed above 512 MiB "
        "free). Process-wide, so strata never does it by itself: call it "
        "once in a program that serves or benchmarks models.");

  m.def(
      "_write_kernel_trace",
      [](const std::string &path,
         const std::vector<std::pair<std::string, std::vector<std::string>>>
             &kernels,
         const std::vector<std::tuple<int64_t, int64_t, int64_t>> &events,
         const strata::RunSpans &runs) {
        std::vector<strata::KernelInfo> infos;
        for (const auto &[symbol, nodes] : kernels)
          infos.push_back({symbol, nodes});
        strata::KernelProfile profile;
        for (const auto &[kernel, start, end] : events)
          profile.events.push_back({kernel, start, end});
        std::string error;
        if (!strata::writeKernelTrace(path, infos, profile, runs, error))
          return error;
        return std::string();
      },
      "Writes a profile as Chrome-trace JSON (strata::writeKernelTrace); "
      "returns the error, or an empty string.");

  m.def(
      "_check_onnx",
      [](const std::string &path, const Dims &dims,
         const InputShapes &inputShapes, const InputValues &inputValues) {
        std::vector<std::string> problems;
        importONNX(path, dims, inputShapes, inputValues, &problems);
        return problems;
      },
      "Every problem that stops the model from importing "
      "(strata.onnx.check).");
  m.def(
      "_import_onnx",
      [](const std::string &path, const Dims &dims,
         const InputShapes &inputShapes, const InputValues &inputValues) {
        return new Graph(importONNX(path, dims, inputShapes, inputValues));
      },
      py::return_value_policy::take_ownership);

  py::class_<Model>(m, "_Model")
      .def_property_readonly("input_specs", &Model::inputSpecs)
      .def_property_readonly("specialized_inputs", &Model::specializedInputs)
      .def_property_readonly("output_specs", &Model::outputSpecs)
      .def_property_readonly("threads", &Model::threads)
      .def("set_threads", &Model::setThreads)
      .def_property_readonly("compile_times", &Model::compileTimes)
      .def("_compile_times_table", &Model::compileTimesTable)
      .def("mlir", &Model::ir)
      .def("save", &Model::save)
      .def("_profile", &Model::profile)
      .def("__call__", &Model::call);

  m.def(
      "_compile_graph",
      [](Graph &g, const std::string &entry, int threads,
         double sparseThreshold, bool cache) {
        auto module = std::make_shared<OwningOpRef<ModuleOp>>(g.finish());
        std::string key =
            cache ? "graph " + strata::contentDigest(printOp(module->get()))
                  : "";
        return new Model(sharedSource(module), entry, threads, sparseThreshold,
                         key);
      },
      py::return_value_policy::take_ownership);
  m.def(
      "_compile_onnx",
      [](const std::string &path, int threads, double sparseThreshold,
         const Dims &dims, const InputShapes &inputShapes,
         const InputValues &inputValues, bool cache) {
        std::string key =
            cache ? onnxCacheKey(path, dims, inputShapes, inputValues) : "";
        ModuleSource source = [=] {
          return importONNX(path, dims, inputShapes, inputValues);
        };
        return new Model(source, "", threads, sparseThreshold, key,
                         /*timeImport=*/true);
      },
      py::return_value_policy::take_ownership);
  m.def(
      "_compile_mlir",
      [](const std::string &text, const std::string &entry, int threads,
         double sparseThreshold, bool cache) {
        auto module = std::make_shared<OwningOpRef<ModuleOp>>(parseMLIR(text));
        std::string key = cache ? "mlir " + strata::contentDigest(text) : "";
        return new Model(sharedSource(module), entry, threads, sparseThreshold,
                         key);
      },
      py::return_value_policy::take_ownership);
  m.def(
      "_load",
      [](const std::string &path) {
        std::string error;
        std::unique_ptr<strata::CompiledModel> loaded =
            strata::CompiledModel::load(path, error);
        if (!loaded)
          raise(error);
        return new Model(std::move(loaded));
      },
      py::return_value_policy::take_ownership);
}
