//===- CompiledModel.cpp - Models compiled for the host CPU ---------------===//

#include "strata/Execution/CompiledModel.h"
#include "strata/Execution/CompileCache.h"
#include "strata/Support/ConstantData.h"

#include "HostTarget.h"
#include "LinkModel.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/Timing.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <mutex>

using namespace mlir;

namespace strata {

int defaultThreadCount() {
  return static_cast<int>(CPUPipelineOptions::defaultThreads());
}

std::optional<DType> toDType(Type type) {
  if (type.isF32())
    return DType::F32;
  if (type.isF64())
    return DType::F64;
  if (type.isF16())
    return DType::F16;
  if (type.isBF16())
    return DType::BF16;
  if (type.isInteger(1))
    return DType::Bool;
  if (type.isSignlessInteger(8))
    return DType::I8;
  if (type.isUnsignedInteger(8))
    return DType::U8;
  if (type.isUnsignedInteger(16))
    return DType::U16;
  if (type.isUnsignedInteger(32))
    return DType::U32;
  if (type.isUnsignedInteger(64))
    return DType::U64;
  if (type.isSignlessInteger(16))
    return DType::I16;
  if (type.isSignlessInteger(32))
    return DType::I32;
  if (type.isSignlessInteger(64))
    return DType::I64;
  return std::nullopt;
}

/// The spec of one entry-function argument or result, named by its
/// `strata.name` attribute when it has one.
static std::optional<TensorSpec> specOf(Type type, DictionaryAttr attrs,
                                        std::string fallbackName) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape())
    return std::nullopt;

  std::optional<DType> dtype = toDType(tensor.getElementType());
  if (!dtype)
    return std::nullopt;
  ArrayRef<int64_t> shape = tensor.getShape();
  if (!checkedNumBytes(shape.data(), shape.size(),
                       int64_t(dtypeSize(*dtype)) * 8))
    return std::nullopt;
  TensorSpec spec;
  spec.name = std::move(fallbackName);
  if (attrs) {
    if (auto name = attrs.getAs<StringAttr>("strata.name"))
      spec.name = name.str();
    spec.specialized = attrs.contains("strata.specialized");
  }
  spec.dtype = *dtype;
  spec.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  return spec;
}

/// Sets the host CPU and its features on every function, so that code
/// generation uses the vector extensions the machine has (AVX-512 here),
/// whatever the module said.
static void setHostTarget(llvm::Module &module) {
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", hostCPUName());
    f.addFnAttr("target-features", hostTargetFeatures());
  }
}

/// Large constant globals (weights) are not handed to the optimizer: LLVM
/// would copy them into IR constants, walk them and emit them value by
/// value, which costs seconds for a CNN's weights. Each becomes an external
/// declaration, defined with its raw bytes in an object of its own
/// (emitDataObject).
static constexpr size_t kExternalConstantBytes = 4096;

namespace {
struct ExternalConstant {
  std::string symbol;
  ArrayRef<char> bytes; // owned by the module's attribute
};
} // namespace

static std::vector<ExternalConstant> externalizeConstants(ModuleOp module) {
  std::vector<ExternalConstant> constants;
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    auto value = dyn_cast_or_null<ElementsAttr>(global.getValueOrNull());
    if (!value || global.getInitializerRegion().getBlocks().size() != 0)
      continue;
    std::optional<ArrayRef<char>> raw = constantBytes(value);
    if (!raw || raw->size() < kExternalConstantBytes)
      continue;
    constants.push_back({global.getSymName().str(), *raw});
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
    global.setUnnamedAddr(LLVM::UnnamedAddr::None);
  }
  return constants;
}

FailureOr<func::FuncOp> findEntryFunction(ModuleOp module, StringRef name) {
  if (!name.empty()) {
    auto entry = module.lookupSymbol<func::FuncOp>(name);
    if (entry && !entry.isExternal())
      return entry;
    std::string known;
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isExternal())
        known += (known.empty() ? "" : ", ") + f.getSymName().str();
    emitError(module.getLoc())
        << "no function '" << name << "' to run; the module defines: " << known;
    return failure();
  }
  SmallVector<func::FuncOp> candidates;
  for (auto f : module.getOps<func::FuncOp>())
    if (f.isPublic() && !f.isExternal())
      candidates.push_back(f);
  if (candidates.size() != 1) {
    emitError(module.getLoc())
        << "cannot choose the entry function: the module has "
        << candidates.size() << " public functions; name one with --entry";
    return failure();
  }
  return candidates.front();
}

LogicalResult entrySignature(func::FuncOp entry,
                             std::vector<TensorSpec> &inputs,
                             std::vector<TensorSpec> &outputs) {
  inputs.clear();
  outputs.clear();
  FunctionType fnType = entry.getFunctionType();
  for (auto [i, type] : llvm::enumerate(fnType.getInputs())) {
    std::optional<TensorSpec> spec =
        specOf(type, entry.getArgAttrDict(i), "arg" + std::to_string(i));
    if (!spec) {
      entry.emitError()
          << "argument #" << i << " has type " << type
          << "; entry functions take statically shaped tensors "
             "of f16/bf16/f32/f64/i1/i8/i16/i32/i64/u8/u16/u32/u64 of at most "
          << kMaxTensorBytes << " bytes";
      return failure();
    }
    inputs.push_back(*spec);
  }
  for (auto [i, type] : llvm::enumerate(fnType.getResults())) {
    std::optional<TensorSpec> spec =
        specOf(type, entry.getResultAttrDict(i), "result" + std::to_string(i));
    if (!spec) {
      entry.emitError()
          << "result #" << i << " has type " << type
          << "; entry functions return statically shaped "
             "tensors of f16/bf16/f32/f64/i1/i8/i16/i32/i64/u8/u16/u32/u64 of "
             "at most "
          << kMaxTensorBytes << " bytes";
      return failure();
    }
    outputs.push_back(*spec);
  }
  return success();
}

void printCompileTimes(llvm::raw_ostream &os, const PhaseTimes &phases) {
  double total = 0;
  for (const auto &[phase, seconds] : phases)
    total += seconds;
  os << "compile time:\n";
  for (const auto &[phase, seconds] : phases)
    os << llvm::format("  %-15s %8.3f s  %5.1f%%\n", phase.c_str(), seconds,
                       total > 0 ? 100 * seconds / total : 0.0);
  os << llvm::format("  %-15s %8.3f s\n", "total", total);
}

CompiledModel::~CompiledModel() {
  library_.reset();
  if (fd_ >= 0)
    ::close(fd_);
}

namespace {
/// Reports the phases of one compilation to the options' callbacks.
class PhaseClock {
public:
  explicit PhaseClock(const CompileOptions &options) : options(options) {}

  void start(StringRef phase) {
    current = phase;
    begin = std::chrono::steady_clock::now();
    if (options.onPhaseStart)
      options.onPhaseStart(phase);
  }
  void end() {
    if (options.onPhaseEnd)
      options.onPhaseEnd(current, std::chrono::duration<double>(
                                      std::chrono::steady_clock::now() - begin)
                                      .count());
  }

private:
  const CompileOptions &options;
  std::string current;
  std::chrono::steady_clock::time_point begin;
};

/// A file removed when it goes out of scope.
struct TemporaryFile {
  SmallString<128> path;
  ~TemporaryFile() {
    if (!path.empty())
      llvm::sys::fs::remove(path);
  }
};
} // namespace

/// A target machine for the host CPU with all its features, emitting
/// position-independent code for a shared object. Models with more than
/// 1 GiB of weights use the medium code model (large data out of the 2 GiB
/// that 32-bit offsets reach).
static llvm::Expected<std::unique_ptr<llvm::TargetMachine>>
createHostTargetMachine(uint64_t constantBytes) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    return builder.takeError();
  builder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeModel(constantBytes > (uint64_t(1) << 30)
                            ? llvm::CodeModel::Medium
                            : llvm::CodeModel::Small);
  return builder->createTargetMachine();
}

/// Adds `strata_model_invoke(void **args)`, which calls the entry's C
/// interface with args[i] pointing to its i-th argument (the memref
/// descriptors' addresses; ModelLibrary::run), and hides every other symbol
/// the module defines: only the entry point and the metadata are exported.
static LogicalResult addInvokeFunction(llvm::Module &module, StringRef entry,
                                       Location loc) {
  llvm::Function *callee = module.getFunction(("_mlir_ciface_" + entry).str());
  if (!callee || !callee->getReturnType()->isVoidTy())
    return emitError(loc) << "the lowered entry function '" << entry
                          << "' has no C interface taking its results as "
                             "arguments";
  llvm::LLVMContext &context = module.getContext();
  auto *ptrType = llvm::PointerType::getUnqual(context);
  auto *invoke = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(context), {ptrType}, false),
      llvm::GlobalValue::ExternalLinkage, kModelInvokeSymbol, module);
  llvm::IRBuilder<> builder(llvm::BasicBlock::Create(context, "", invoke));
  SmallVector<llvm::Value *> args;
  for (auto [i, param] : llvm::enumerate(callee->args())) {
    llvm::Value *slot = builder.CreateLoad(
        ptrType, builder.CreateConstGEP1_64(ptrType, invoke->getArg(0), i));
    args.push_back(builder.CreateLoad(param.getType(), slot));
  }
  builder.CreateCall(callee, args);
  builder.CreateRetVoid();
  for (llvm::GlobalValue &value : module.global_values()) {
    if (&value == invoke || value.hasLocalLinkage())
      continue;
    if (value.isDeclaration() && isa<llvm::Function>(value))
      continue; // the runtime's and libc's functions
    // Definitions, and the weights' declarations (defined by the data
    // object of the same shared object: reached PC-relative).
    value.setVisibility(llvm::GlobalValue::HiddenVisibility);
    value.setDSOLocal(true);
  }
  return success();
}

/// Writes `module` as an object file to `path`.
static LogicalResult emitObject(llvm::Module &module, llvm::TargetMachine &tm,
                                StringRef path, Location loc) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec)
    return emitError(loc) << "cannot write '" << path << "': " << ec.message();
  llvm::legacy::PassManager pm;
  if (tm.addPassesToEmitFile(pm, os, nullptr,
                             llvm::CodeGenFileType::ObjectFile))
    return emitError(loc) << "the target cannot emit object files";
  pm.run(module);
  return success();
}

/// The object holding the weights (raw bytes, 64-byte aligned for full-width
/// vector loads) and the model's description.
static LogicalResult emitDataObject(ArrayRef<ExternalConstant> constants,
                                    const ModelMetadata &metadata,
                                    llvm::TargetMachine &tm, StringRef path,
                                    Location loc) {
  llvm::LLVMContext context;
  llvm::Module module("strata_model_data", context);
  module.setDataLayout(tm.createDataLayout());
  module.setTargetTriple(tm.getTargetTriple());
  auto *byteType = llvm::Type::getInt8Ty(context);
  for (const ExternalConstant &constant : constants) {
    llvm::Constant *bytes = llvm::ConstantDataArray::getRaw(
        StringRef(constant.bytes.data(), constant.bytes.size()),
        constant.bytes.size(), byteType);
    auto *global = new llvm::GlobalVariable(
        module, bytes->getType(), /*isConstant=*/true,
        llvm::GlobalValue::ExternalLinkage, bytes, constant.symbol);
    global->setAlignment(llvm::Align(64));
    global->setVisibility(llvm::GlobalValue::HiddenVisibility);
  }
  std::string text = serializeModelMetadata(metadata);
  llvm::Constant *description =
      llvm::ConstantDataArray::getString(context, text, /*AddNull=*/true);
  new llvm::GlobalVariable(module, description->getType(), true,
                           llvm::GlobalValue::ExternalLinkage, description,
                           kModelMetadataSymbol);
  return emitObject(module, tm, path, loc);
}

std::unique_ptr<CompiledModel> CompiledModel::open(const std::string &path,
                                                   bool temporary,
                                                   std::string &error) {
  std::unique_ptr<CompiledModel> model(new CompiledModel());
  model->library_ = ModelLibrary::open(path, error);
  if (!model->library_)
    return nullptr;
  model->fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (temporary)
    llvm::sys::fs::remove(path);
  model->threads_ = model->metadata().threads;
  return model;
}

std::unique_ptr<CompiledModel> CompiledModel::load(const std::string &path,
                                                   std::string &error) {
  return open(path, /*temporary=*/false, error);
}

bool CompiledModel::save(const std::string &path, std::string &error) const {
  if (fd_ < 0) {
    error = "the compiled model's file is not open";
    return false;
  }
  // Through a temporary file renamed into place: a reader never sees half a
  // model, and saving over the loaded file itself is harmless.
  SmallString<128> temporary;
  int out;
  if (std::error_code ec = llvm::sys::fs::createUniqueFile(path + ".tmp%%%%%%",
                                                           out, temporary)) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  // The file may be unlinked (a temporary model): read it through the
  // descriptor kept open for this.
  std::error_code ec =
      llvm::sys::fs::copy_file("/proc/self/fd/" + std::to_string(fd_), out);
  ::fchmod(out, 0755);
  if (::close(out) != 0 && !ec)
    ec = std::error_code(errno, std::generic_category());
  if (!ec)
    ec = llvm::sys::fs::rename(temporary, path);
  if (ec) {
    error = "cannot write '" + path + "': " + ec.message();
    llvm::sys::fs::remove(temporary);
  }
  return !ec;
}

std::unique_ptr<CompiledModel>
CompiledModel::fromCache(const CompileOptions &options) {
  std::string directory = compileCacheDirectory();
  if (directory.empty() || options.cacheKey.empty() || options.observer)
    return nullptr;
  std::string path = compileCachePath(directory, options);
  if (!llvm::sys::fs::exists(path))
    return nullptr;
  PhaseClock clock(options);
  clock.start("cache-load");
  std::string error;
  std::unique_ptr<CompiledModel> model = open(path, false, error);
  clock.end();
  if (!model) {
    // A damaged or foreign entry: compile again (and replace it).
    llvm::sys::fs::remove(path);
    return nullptr;
  }
  touchCachedModel(path);
  model->fromCache_ = true;
  model->setThreads(options.threads);
  return model;
}

std::unique_ptr<CompiledModel>
CompiledModel::compile(ModuleOp module, const CompileOptions &options) {
  static std::once_flag initTargets;
  std::call_once(initTargets, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  MLIRContext *context = module.getContext();
  Location loc = module.getLoc();

  // Find the entry function and record its signature before lowering.
  FailureOr<func::FuncOp> found = findEntryFunction(module, options.entry);
  if (failed(found))
    return nullptr;
  func::FuncOp entry = *found;
  if (std::unique_ptr<CompiledModel> cached = fromCache(options))
    return cached;
  ModelMetadata metadata;
  metadata.threads = std::max(options.threads, 1);
  metadata.entry = entry.getSymName().str();
  if (failed(entrySignature(entry, metadata.inputs, metadata.outputs)))
    return nullptr;

  // Lower stage by stage, showing each level to the observer.
  CPUPipelineOptions pipeline;
  pipeline.threads = metadata.threads;
  pipeline.sparseThreshold = options.sparseThreshold;
  pipeline.profile = options.profile;
  PhaseClock clock(options);
  // MLIR's debugging flags, where the tool registered and the user gave
  // them (strata/Support/PrintIR.h): IR printing and crash reproducers on
  // each stage's pass manager, and one --mlir-timing report for all stages.
  DefaultTimingManager timing;
  applyDefaultTimingManagerCLOptions(timing);
  TimingScope timingRoot = timing.getRootScope();
  for (CPUStage stage : allCPUStages()) {
    clock.start(stageName(stage));
    PassManager pm(context);
    addCPUStage(pm, stage, pipeline);
    if (failed(applyPassManagerCLOptions(pm)))
      return nullptr;
    StringRef name = stageName(stage);
    TimingScope stageTiming =
        timingRoot.nest(name.data(), [name] { return name.str(); });
    if (timing.isEnabled())
      pm.enableTiming(stageTiming);
    if (failed(pm.run(module)))
      return nullptr;
    stageTiming.stop();
    clock.end();
    if (options.observer)
      options.observer(stage, module);
  }

  // The kernels that profiles time, by number.
  module.walk([&](LLVM::LLVMFuncOp fn) {
    auto number = fn->getAttrOfType<IntegerAttr>("strata.kernel");
    if (!number)
      return;
    size_t index = number.getInt();
    if (metadata.kernels.size() <= index)
      metadata.kernels.resize(index + 1);
    KernelInfo &kernel = metadata.kernels[index];
    kernel.symbol = fn.getSymName().str();
    if (auto nodes = fn->getAttrOfType<ArrayAttr>("strata.nodes"))
      for (auto node : nodes.getAsValueRange<StringAttr>())
        kernel.nodes.push_back(node.str());
  });

  // LLVM IR for the host CPU, with the weights left to a data object.
  clock.start("llvm-translate");
  std::vector<ExternalConstant> constants = externalizeConstants(module);
  uint64_t constantBytes = 0;
  for (const ExternalConstant &constant : constants)
    constantBytes += constant.bytes.size();
  auto tm = createHostTargetMachine(constantBytes);
  if (!tm) {
    emitError(loc) << "cannot create a target machine for this CPU: "
                   << llvm::toString(tm.takeError());
    return nullptr;
  }
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  registerOpenMPDialectTranslation(*context);
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext);
  if (!llvmModule) {
    emitError(loc) << "cannot translate the model to LLVM IR";
    return nullptr;
  }
  llvmModule->setDataLayout((*tm)->createDataLayout());
  llvmModule->setTargetTriple((*tm)->getTargetTriple());
  setHostTarget(*llvmModule);
  if (failed(addInvokeFunction(*llvmModule, metadata.entry, loc)))
    return nullptr;
  clock.end();

  clock.start("llvm-optimize");
  if (llvm::Error error =
          makeOptimizingTransformer(3, 0, tm->get())(llvmModule.get())) {
    emitError(loc) << "LLVM optimization failed: "
                   << llvm::toString(std::move(error));
    return nullptr;
  }
  clock.end();

  // Machine code, linked with the weights into a shared object and loaded.
  clock.start("machine-code");
  TemporaryFile code, data;
  if (llvm::sys::fs::createTemporaryFile("strata-code", "o", code.path) ||
      llvm::sys::fs::createTemporaryFile("strata-data", "o", data.path)) {
    emitError(loc) << "cannot create temporary files for the compiled code";
    return nullptr;
  }
  if (failed(emitObject(*llvmModule, **tm, code.path, loc)) ||
      failed(emitDataObject(constants, metadata, **tm, data.path, loc)))
    return nullptr;
  if (const char *path = getenv("STRATA_DUMP_OBJECT"))
    llvm::sys::fs::copy_file(code.path, path);
  clock.end();

  clock.start("link");
  // Into the compile cache when it is on, else a temporary file that is
  // unlinked as soon as it is loaded.
  std::string directory =
      options.cacheKey.empty() ? std::string() : compileCacheDirectory();
  std::string output;
  bool temporary =
      directory.empty() || llvm::sys::fs::create_directories(directory);
  TemporaryFile linked;
  if (temporary) {
    if (llvm::sys::fs::createTemporaryFile("strata-model", "so", linked.path)) {
      emitError(loc) << "cannot create a temporary file for the model";
      return nullptr;
    }
  } else {
    output = compileCachePath(directory, options);
    int fd;
    if (llvm::sys::fs::createUniqueFile(output + ".tmp%%%%%%", fd,
                                        linked.path)) {
      emitError(loc) << "cannot write to the compile cache '" << directory
                     << "' (STRATA_CACHE=0 turns it off)";
      return nullptr;
    }
    ::close(fd);
  }
  std::string error;
  if (!linkModel({code.path.str().str(), data.path.str().str()}, linked.path,
                 error)) {
    emitError(loc) << error;
    return nullptr;
  }
  if (temporary) {
    output = linked.path.str().str();
    linked.path.clear(); // unlinked by open()
  } else if (std::error_code ec = llvm::sys::fs::rename(linked.path, output)) {
    emitError(loc) << "cannot write '" << output << "': " << ec.message();
    return nullptr;
  }
  std::unique_ptr<CompiledModel> model = open(output, temporary, error);
  if (!model) {
    // E.g. a call of a function nothing defines: no cache entry is left.
    llvm::sys::fs::remove(output);
    emitError(loc) << error;
    return nullptr;
  }
  model->setThreads(options.threads);
  if (!temporary)
    trimCompileCache(directory);
  clock.end();
  return model;
}

void CompiledModel::run(const std::vector<const void *> &inputs,
                        const std::vector<void *> &outputs) const {
  library_->run(inputs, outputs, threads_);
}

void CompiledModel::run(const std::vector<const void *> &inputs,
                        const std::vector<void *> &outputs,
                        KernelProfile &profile) const {
  setThreadProfile(&profile);
  run(inputs, outputs);
  setThreadProfile(nullptr);
}

} // namespace strata
