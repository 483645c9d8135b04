//===- strata-compile.cpp - Compile a model into a shared object ----------===//
//
//   strata-compile MODEL -o model.so [--header model.h] [--entry NAME]
//                  [--threads N] [--dim name=N] [--input-shape name=AxB]
//                  [--sparse-threshold D] [--timing] [--quiet] [--no-cache]
//
// Compiles a model (.mlir or .onnx) for this CPU into a shared object that
// needs only Strata's runtime library to run: strata-run model.so,
// strata.load("model.so"), or C through strata_runtime.h (examples/c). The
// C header describes its inputs and outputs. Exit codes as strata-run's: 0
// success, 1 the model does not compile, 2 bad usage or bad input.
//
//===----------------------------------------------------------------------===//

#include "CompileReport.h"
#include "ModelSource.h"
#include "ToolSetup.h"

#include "strata/Execution/CompiledModel.h"
#include "strata/Support/PrintIR.h"
#include "strata/Support/Version.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
namespace cl = llvm::cl;

static cl::OptionCategory compileCategory("strata-compile options");

static cl::opt<std::string> modelPath(cl::Positional, cl::Required,
                                      cl::desc("<model.mlir|model.onnx>"),
                                      cl::cat(compileCategory));
static cl::opt<std::string>
    outputPath("o", cl::Required,
               cl::desc("The shared object to write (model.so)"),
               cl::value_desc("file.so"), cl::cat(compileCategory));
static cl::opt<std::string>
    headerPath("header",
               cl::desc("The C header to write (default: the output with .h)"),
               cl::value_desc("file.h"), cl::cat(compileCategory));
static cl::opt<bool> noHeader("no-header", cl::desc("Write no C header"),
                              cl::cat(compileCategory));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Function to compile (default: the only public one)"),
              cl::value_desc("name"), cl::cat(compileCategory));
static cl::list<std::string>
    dimSizes("dim",
             cl::desc("Size of a named dynamic dimension of an ONNX model's "
                      "inputs"),
             cl::value_desc("name=N"), cl::CommaSeparated,
             cl::cat(compileCategory));
static cl::list<std::string>
    inputShapes("input-shape", cl::desc("Whole shape of an ONNX model's input"),
                cl::value_desc("name=D0xD1x..."), cl::cat(compileCategory));
static cl::opt<double> sparseThreshold(
    "sparse-threshold",
    cl::desc("Constant matmul weights with a lower density run as sparse "
             "weights; 0 keeps all dense"),
    cl::value_desc("density"),
    cl::init(strata::CPUPipelineOptions::kDefaultSparseThreshold),
    cl::cat(compileCategory));
static cl::opt<bool> timing("timing",
                            cl::desc("Print the wall time of each "
                                     "compilation phase to stderr"),
                            cl::cat(compileCategory));
static cl::opt<bool>
    quiet("quiet",
          cl::desc("Do not show the compilation's progress on a terminal"),
          cl::cat(compileCategory));
static cl::opt<bool> noCache(
    "no-cache",
    cl::desc("Compile even if the compile cache has the model, and do not "
             "store it there (as STRATA_CACHE=0)"),
    cl::cat(compileCategory));

static int fail(int code, const llvm::Twine &message) {
  llvm::errs() << "strata-compile: error: " << message << "\n";
  return code;
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  strata::setVersionPrinter();
  cl::opt<int> &threads = strata::setUpToolOptions(
      compileCategory, "Threads the model's parallel loops are partitioned "
                       "for (default: the machine's cores; the loaded model "
                       "may run on another count)");
  if (!cl::ParseCommandLineOptions(
          argc, argv,
          "strata-compile: compile a model for this CPU into a shared "
          "object\n\n"
          "  strata-compile resnet18.onnx -o resnet18.so   # and resnet18.h\n"
          "  strata-run resnet18.so --random-inputs --repeat 20\n\n"
          "The shared object needs only Strata's runtime library "
          "(libstrata_runtime.so) and\nthe OpenMP runtime (libomp.so.5) at "
          "run time, found next to it first.\nExit codes: 0 success, 1 the "
          "model does not compile, 2 bad usage or bad input.\nMLIR's "
          "debugging flags work on the compilation (--mlir-timing, ...; "
          "--help-hidden).\n",
          &llvm::errs()))
    return strata::kBadInput;
  if (!llvm::StringRef(outputPath).ends_with(".so"))
    return fail(strata::kBadInput,
                "the output '" + outputPath + "' must end with .so");
  if (std::string error = strata::checkCompileFlags(threads, sparseThreshold);
      !error.empty())
    return fail(strata::kBadInput, error);

  strata::CompileReport report(!quiet && llvm::errs().is_displayed());
  std::unique_ptr<MLIRContext> contextOwner = strata::createToolContext();
  MLIRContext &context = *contextOwner;

  strata::ModelSource source;
  source.tool = "strata-compile";
  source.path = modelPath;
  source.dims = dimSizes;
  source.inputShapes = inputShapes;
  strata::CompileOptions options =
      strata::toolCompileOptions(entryName, threads, sparseThreshold, report);
  if (!noCache && !strata::mlirDebugFlagsGiven())
    options.cacheKey = source.cacheKey(&context);

  std::unique_ptr<strata::CompiledModel> model =
      strata::CompiledModel::fromCache(options);
  if (!model) {
    llvm::SourceMgr sourceMgr;
    SourceMgrDiagnosticHandler diagHandler(sourceMgr, &context);
    int status = 0;
    OwningOpRef<ModuleOp> module = source.read(&context, sourceMgr, status);
    if (!module)
      return status;
    if (failed(strata::findEntryFunction(*module, entryName)))
      return strata::kBadInput;
    model = strata::CompiledModel::compile(*module, options);
  }
  report.finish();
  if (timing)
    report.print(llvm::errs());
  if (!model)
    return strata::kCompileError;

  std::string error;
  if (!model->save(outputPath, error))
    return fail(strata::kBadInput, error);
  if (!noHeader) {
    std::string header = headerPath;
    if (header.empty()) {
      llvm::SmallString<128> path(outputPath);
      llvm::sys::path::replace_extension(path, "h");
      header = path.str().str();
    }
    if (!strata::writeModelHeader(header, *model, outputPath, error))
      return fail(strata::kBadInput, error);
  }
  return 0;
}
