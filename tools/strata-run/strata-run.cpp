//===- strata-run.cpp - Compile and run a model on the host CPU -----------===//
//
//   strata-run MODEL [--entry NAME] [--input FILE.npy]... [--output
//   FILE.npy]...
//              [--print] [--repeat N] [--threads N] [--dump-ir=LEVEL]
//              [--random-inputs] [--thread-profile] [--sparse-threshold D]
//              [--timing] [--quiet] [--profile TRACE.json]
//
// MODEL is .mlir (graph dialect or linalg on tensors), .onnx, or a model
// compiled before (.so, by strata-compile or Model.save). A compiled model
// is kept in the compile cache (strata/Execution/CompileCache.h), which the
// next run of the same model loads instead of compiling. Inputs and
// outputs follow the order of the entry function's signature. Exit codes: 0
// success, 1 compilation failure, 2 bad usage or bad input (including an
// ONNX model that cannot be imported, e.g. for an unsupported operator).
//
//===----------------------------------------------------------------------===//

#include "CompileReport.h"
#include "KernelReport.h"
#include "ModelSource.h"
#include "ThreadProfile.h"
#include "ToolSetup.h"

#include "strata/Execution/CompiledModel.h"
#include "strata/Runtime/Allocator.h"
#include "strata/Runtime/Tensor.h"
#include "strata/Support/PrintIR.h"
#include "strata/Support/Version.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

#include <algorithm>
#include <chrono>
#include <random>

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory runCategory("strata-run options");

static cl::opt<std::string>
    modelPath(cl::Positional, cl::Required,
              cl::desc("<model.mlir|model.onnx|model.so>"),
              cl::cat(runCategory));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Function to run (default: the only public one)"),
              cl::value_desc("name"), cl::cat(runCategory));
static cl::list<std::string>
    inputFiles("input", cl::desc("Input tensor (.npy), in signature order"),
               cl::value_desc("file.npy"), cl::cat(runCategory));
static cl::list<std::string>
    outputFiles("output",
                cl::desc("Where to write an output (.npy), in "
                         "signature order"),
                cl::value_desc("file.npy"), cl::cat(runCategory));
static cl::list<std::string> dimSizes(
    "dim",
    cl::desc("Size of a named dynamic dimension of an ONNX model's inputs "
             "(default: from the --input arrays)"),
    cl::value_desc("name=N"), cl::CommaSeparated, cl::cat(runCategory));
static cl::list<std::string>
    inputShapes("input-shape", cl::desc("Whole shape of an ONNX model's input"),
                cl::value_desc("name=D0xD1x..."), cl::cat(runCategory));
static cl::opt<bool> printOutputs("print", cl::desc("Print the outputs"),
                                  cl::cat(runCategory));
static cl::opt<unsigned>
    repeat("repeat",
           cl::desc("Run N times (after a warm-up run) and report the median "
                    "and minimum latency"),
           cl::value_desc("N"), cl::init(1), cl::cat(runCategory));
static cl::opt<bool>
    timing("timing",
           cl::desc("Print the wall time of each compilation phase (import, "
                    "each level of the CPU pipeline, LLVM translation, LLVM "
                    "optimization, machine code) to stderr"),
           cl::cat(runCategory));
static cl::opt<std::string> profilePath(
    "profile",
    cl::desc("Time every kernel of the timed runs: print each one's time by "
             "the model's nodes it computes, and write the runs as a "
             "Chrome-trace/Perfetto JSON file"),
    cl::value_desc("trace.json"), cl::cat(runCategory));
static cl::opt<bool> quiet(
    "quiet",
    cl::desc("Do not show the compilation's progress on a terminal (shown "
             "on stderr when a compile takes more than two seconds)"),
    cl::cat(runCategory));
static cl::opt<std::string>
    dumpIR("dump-ir",
           cl::desc("Print the IR after a level: graph, tensorx, linalg, "
                    "loops, llvm"),
           cl::value_desc("level"), cl::cat(runCategory));
static cl::opt<double> sparseThreshold(
    "sparse-threshold",
    cl::desc("Constant matmul weights with a lower density (fraction of "
             "non-zeros) run as sparse weights; 0 keeps all dense (default: "
             "where the sparse kernels start to be faster: 0.5, or 0.12 for "
             "fewer rows than a vector)"),
    cl::value_desc("density"),
    cl::init(strata::CPUPipelineOptions::kDefaultSparseThreshold),
    cl::cat(runCategory));
static cl::opt<bool> randomInputs(
    "random-inputs",
    cl::desc("Fill inputs not given with --input with seeded random values"),
    cl::cat(runCategory));
static cl::opt<bool> checkOnly(
    "check",
    cl::desc("Do not compile: list every problem that would stop the model "
             "from compiling (unsupported operators with their nodes, "
             "unsized dynamic dimensions and how to size them, shapes not "
             "known at import, the opset) and exit with 0 if there is none"),
    cl::cat(runCategory));
static cl::opt<bool>
    noCache("no-cache",
            cl::desc("Compile even if the compile cache has the model, and "
                     "do not store it there (as STRATA_CACHE=0)"),
            cl::cat(runCategory));
static cl::opt<bool> threadProfile(
    "thread-profile",
    cl::desc("After the runs, print each thread's working and waiting time "
             "in every parallel loop, and the time outside parallel regions "
             "(per run)"),
    cl::cat(runCategory));

namespace {
using strata::kBadInput;
using strata::kCompileError;

int badInput(const llvm::Twine &message) {
  llvm::errs() << "strata-run: error: " << message << "\n";
  return kBadInput;
}

/// Fills a tensor with reproducible values: uniform in [-1, 1) for floats,
/// small non-negative integers (valid indices) for integers.
void fillRandom(strata::HostTensor &t, unsigned seed) {
  std::mt19937 gen(seed);
  std::uniform_real_distribution<float> real(-1.0f, 1.0f);
  int64_t n = t.numElements();
  void *p = t.data();
  switch (t.dtype()) {
  case strata::DType::F32:
    for (int64_t i = 0; i < n; ++i)
      static_cast<float *>(p)[i] = real(gen);
    break;
  case strata::DType::F64:
    for (int64_t i = 0; i < n; ++i)
      static_cast<double *>(p)[i] = real(gen);
    break;
  case strata::DType::I64:
  case strata::DType::U64:
    for (int64_t i = 0; i < n; ++i)
      static_cast<int64_t *>(p)[i] = gen() % 2;
    break;
  case strata::DType::I32:
  case strata::DType::U32:
    for (int64_t i = 0; i < n; ++i)
      static_cast<int32_t *>(p)[i] = gen() % 2;
    break;
  case strata::DType::Bool:
  case strata::DType::I8:
  case strata::DType::U8:
    for (int64_t i = 0; i < n; ++i)
      static_cast<uint8_t *>(p)[i] = gen() % 2;
    break;
  default:
    break; // Zeros.
  }
}
/// strata-run --check: reads the model reporting every problem, and says
/// whether it will compile.
int checkModel(strata::ModelSource &source, MLIRContext &context) {
  if (llvm::StringRef(source.path).ends_with(".so"))
    return badInput("'" + source.path + "' is compiled already");
  source.reportAll = true;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler printer(sourceMgr, &context);
  int problems = 0;
  // Counts the errors, which go on to the printer.
  ScopedDiagnosticHandler counter(&context, [&](Diagnostic &diag) {
    if (diag.getSeverity() == DiagnosticSeverity::Error)
      ++problems;
    return failure();
  });
  int status = 0;
  OwningOpRef<ModuleOp> module = source.read(&context, sourceMgr, status);
  std::vector<strata::TensorSpec> inputs, outputs;
  if (module) {
    FailureOr<func::FuncOp> entry =
        strata::findEntryFunction(*module, entryName);
    if (succeeded(entry))
      (void)strata::entrySignature(*entry, inputs, outputs);
  }
  if (problems) {
    llvm::outs() << source.path << ": " << problems << " problem"
                 << (problems == 1 ? "" : "s")
                 << " to solve before it compiles\n";
    return kBadInput;
  }
  if (!module)
    return status ? status : kBadInput;
  llvm::outs() << source.path << ": will compile\n";
  for (const strata::TensorSpec &spec : inputs)
    llvm::outs() << "  input  " << spec.str() << "\n";
  for (const strata::TensorSpec &spec : outputs)
    llvm::outs() << "  output " << spec.str() << "\n";
  return 0;
}
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  strata::setVersionPrinter();
  // A runner repeats the model: keep its temporaries' pages mapped from one
  // run to the next (see Allocator.h). A process-wide choice, so the tool
  // makes it, not the library.
  strata::keepTemporariesInHeap();
  cl::opt<int> &threads = strata::setUpToolOptions(
      runCategory, "Threads to run on (default: the machine's cores)");
  // Malformed flags are bad usage (exit 2), as everything else the user
  // gets wrong; the parser would exit with 1 on its own.
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "strata-run: compile a model for this CPU (or load a compiled one) "
          "and "
          "run it\n\n"
          "  strata-run model.mlir --input x.npy --output y.npy --print\n"
          "  strata-run model.onnx --random-inputs --repeat 20\n\n"
          "Exit codes: 0 success, 1 the model does not compile, 2 bad usage "
          "or bad input\n(flags, files, the entry name, inputs that do not "
          "fit the model).\n\n"
          "MLIR's debugging flags work on the compilation "
          "(--mlir-print-ir-after-all,\n--mlir-timing, "
          "--mlir-elide-elementsattrs-if-larger=N, ...; --help-hidden lists "
          "them).\nIR dumps elide weights unless "
          "--mlir-elide-elementsattrs-if-larger and\n"
          "--mlir-elide-resource-strings-if-larger say otherwise.\n",
          &llvm::errs()))
    return kBadInput;

  std::optional<strata::CPUStage> dumpStage;
  if (!dumpIR.empty()) {
    dumpStage = strata::parseStage(dumpIR);
    if (!dumpStage)
      return badInput("unknown level '" + dumpIR +
                      "' for --dump-ir; use graph, tensorx, linalg, loops or "
                      "llvm");
  }
  if (repeat == 0)
    return badInput("--repeat must be at least 1");
  if (std::string error = strata::checkCompileFlags(threads, sparseThreshold);
      !error.empty())
    return badInput(error);
  if (const char *error; threadProfile && !strata::requestThreadProfile(error))
    return badInput(error);

  strata::CompileReport report(!quiet && llvm::errs().is_displayed());
  std::unique_ptr<MLIRContext> contextOwner = strata::createToolContext();
  MLIRContext &context = *contextOwner;

  // The input arrays, read first: they size a model's dynamic dimensions.
  std::vector<strata::HostTensor> givenInputs;
  for (auto [i, file] : llvm::enumerate(inputFiles)) {
    std::string error;
    std::optional<strata::HostTensor> tensor = strata::readNpy(file, error);
    if (!tensor)
      return badInput("input #" + llvm::Twine(i) + ": " + error);
    givenInputs.push_back(std::move(*tensor));
  }
  strata::ModelSource source;
  source.tool = "strata-run";
  source.path = modelPath;
  source.dims = dimSizes;
  source.inputShapes = inputShapes;
  for (const strata::HostTensor &tensor : givenInputs)
    source.arguments.push_back(&tensor);
  if (checkOnly)
    return checkModel(source, context);

  strata::CompileOptions options =
      strata::toolCompileOptions(entryName, threads, sparseThreshold, report);
  if (dumpStage)
    options.observer = [&](strata::CPUStage stage, ModuleOp m) {
      if (stage == *dumpStage) {
        strata::printIR(m, llvm::outs(), /*withWeights=*/false);
        llvm::outs() << "\n";
      }
    };
  // A compiled model (given, or from the cache), or the module to compile.
  auto start = std::chrono::steady_clock::now();
  if (!noCache && !dumpStage && !strata::mlirDebugFlagsGiven() &&
      !llvm::StringRef(modelPath).ends_with(".so"))
    options.cacheKey = source.cacheKey(&context);
  std::unique_ptr<strata::CompiledModel> model;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
  OwningOpRef<ModuleOp> module;
  std::vector<strata::TensorSpec> inputSpecs, outputSpecs;
  std::string entryFunction;
  if (llvm::StringRef(modelPath).ends_with(".so")) {
    if (dumpStage || !dimSizes.empty() || !inputShapes.empty())
      return badInput("'" + modelPath +
                      "' is compiled already: --dump-ir, --dim and "
                      "--input-shape do not apply");
    std::string error;
    model = strata::CompiledModel::load(modelPath, error);
    if (!model)
      return badInput(error);
    model->setThreads(options.threads);
  } else {
    model = strata::CompiledModel::fromCache(options);
  }
  if (model) {
    if (!entryName.empty() && entryName != model->entry())
      return badInput("no function '" + entryName + "' to run; '" + modelPath +
                      "' was compiled for '" + model->entry() + "'");
    entryFunction = model->entry();
    inputSpecs = model->inputs();
    outputSpecs = model->outputs();
  } else {
    auto importStart = std::chrono::steady_clock::now();
    report.startPhase("import");
    int status = 0;
    module = source.read(&context, sourceMgr, status);
    if (!module)
      return status;
    report.endPhase("import",
                    std::chrono::duration<double>(
                        std::chrono::steady_clock::now() - importStart)
                        .count());
    // Naming a function the model does not have is bad usage.
    FailureOr<func::FuncOp> entry =
        strata::findEntryFunction(*module, entryName);
    if (failed(entry))
      return kBadInput;
    // The inputs are checked before compiling: a wrong file is reported at
    // once, not after a long compile.
    if (failed(strata::entrySignature(*entry, inputSpecs, outputSpecs)))
      return kCompileError;
    entryFunction = entry->getSymName().str();
  }

  // Inputs: from .npy files in signature order, checked against the spec.
  if (inputFiles.size() > inputSpecs.size())
    return badInput(llvm::Twine(inputFiles.size()) + " inputs given but '" +
                    entryFunction + "' takes " +
                    llvm::Twine(inputSpecs.size()));
  if (inputFiles.size() < inputSpecs.size() && !randomInputs) {
    std::string missing;
    for (size_t i = inputFiles.size(); i < inputSpecs.size(); ++i)
      missing += "\n  #" + std::to_string(i) + " " + inputSpecs[i].str();
    return badInput("missing inputs (pass --input FILE.npy for each, or "
                    "--random-inputs):" +
                    missing);
  }
  if (outputFiles.size() > outputSpecs.size())
    return badInput(llvm::Twine(outputFiles.size()) + " outputs given but '" +
                    entryFunction + "' returns " +
                    llvm::Twine(outputSpecs.size()));
  for (size_t i = 0; i < givenInputs.size(); ++i) {
    strata::HostTensor &tensor = givenInputs[i];
    const strata::TensorSpec &spec = inputSpecs[i];
    // numpy has no bfloat16: a bf16 input comes as uint16 bit patterns.
    if (spec.dtype == strata::DType::BF16 &&
        tensor.dtype() == strata::DType::U16)
      tensor.reinterpret(strata::DType::BF16);
    if (tensor.dtype() != spec.dtype || tensor.shape() != spec.shape) {
      strata::TensorSpec got{"", tensor.dtype(), tensor.shape()};
      return badInput("input #" + llvm::Twine(i) + " ('" + inputFiles[i] +
                      "') is " + got.str() + " but '" + entryFunction +
                      "' expects " + spec.str());
    }
  }
  if (!model)
    model = strata::CompiledModel::compile(*module, options);
  report.finish();
  if (timing)
    report.print(llvm::errs());
  if (!model)
    return kCompileError;
  double compileSeconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  // How the model came to be, for the summary line.
  const char *how = module                      ? "compile"
                    : model->fromCompileCache() ? "compile (cached)"
                                                : "load";

  std::vector<strata::HostTensor> inputs;
  for (size_t i = 0; i < inputSpecs.size(); ++i) {
    const strata::TensorSpec &spec = inputSpecs[i];
    if (i >= inputFiles.size()) {
      std::string error;
      std::optional<strata::HostTensor> tensor =
          strata::HostTensor::allocate(spec.dtype, spec.shape, error);
      if (!tensor)
        return badInput("input #" + llvm::Twine(i) + ": " + error);
      fillRandom(*tensor, 1234 + i);
      inputs.push_back(std::move(*tensor));
      continue;
    }
    inputs.push_back(std::move(givenInputs[i]));
  }
  std::vector<strata::HostTensor> outputs;
  for (auto [i, spec] : llvm::enumerate(outputSpecs)) {
    std::string error;
    std::optional<strata::HostTensor> tensor =
        strata::HostTensor::allocate(spec.dtype, spec.shape, error);
    if (!tensor)
      return badInput("output #" + llvm::Twine(i) + ": " + error);
    outputs.push_back(std::move(*tensor));
  }
  std::vector<const void *> inPtrs;
  for (auto &t : inputs)
    inPtrs.push_back(t.data());
  std::vector<void *> outPtrs;
  for (auto &t : outputs)
    outPtrs.push_back(t.data());

  // A first run pays for page faults, cold caches and the thread pool's
  // start: with repeats, it is a warm-up whose time is not reported.
  if (repeat > 1)
    model->run(inPtrs, outPtrs);
  std::vector<double> times;
  strata::KernelProfile kernelProfile;
  strata::RunSpans runSpans;
  if (threadProfile)
    strata::startThreadProfile();
  for (unsigned r = 0; r < repeat; ++r) {
    if (threadProfile)
      strata::beginProfiledRun();
    int64_t start = strata::profileClockNs();
    if (profilePath.empty())
      model->run(inPtrs, outPtrs);
    else
      model->run(inPtrs, outPtrs, kernelProfile);
    int64_t end = strata::profileClockNs();
    runSpans.emplace_back(start, end);
    times.push_back((end - start) / 1e6);
    if (threadProfile)
      strata::endProfiledRun();
  }
  if (threadProfile)
    strata::stopThreadProfile();

  for (size_t i = 0; i < outputFiles.size(); ++i) {
    std::string error;
    if (!strata::writeNpy(outputFiles[i], outputs[i], error))
      return badInput(error);
  }
  if (printOutputs)
    for (size_t i = 0; i < outputs.size(); ++i)
      llvm::outs() << outputSpecs[i].str() << " =\n"
                   << strata::formatTensor(outputs[i]) << "\n";
  // The latencies, on stdout unless an IR dump owns it.
  llvm::raw_ostream &summary = dumpStage ? llvm::errs() : llvm::outs();
  if (repeat > 1) {
    std::vector<double> sorted = times;
    std::sort(sorted.begin(), sorted.end());
    summary << llvm::format("%s: %.3f s, runs: %u (after a warm-up run), "
                            "median: %.3f ms, min: %.3f ms\n",
                            how, compileSeconds, unsigned(repeat),
                            sorted[sorted.size() / 2], sorted.front());
  } else {
    summary << llvm::format("%s: %.3f s, run: %.3f ms (one cold run; "
                            "--repeat N for warm timings)\n",
                            how, compileSeconds, times.front());
  }
  if (threadProfile)
    strata::printThreadProfile(llvm::outs(), repeat, model->kernels());
  if (!profilePath.empty()) {
    strata::printKernelTable(summary, model->kernels(), kernelProfile,
                             runSpans);
    if (std::string error; !strata::writeKernelTrace(
            profilePath, model->kernels(), kernelProfile, runSpans, error))
      return badInput(error);
  }
  return 0;
}
