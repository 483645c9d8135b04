//===- CompiledModel.cpp - JIT-compiled models for the host CPU -----------===//

#include "strata/Execution/CompiledModel.h"
#include "strata/Runtime/Allocator.h"
#include "strata/Support/ConstantData.h"

#include "RuntimeLibraries.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <chrono>
#include <cstring>
#include <mutex>

using namespace mlir;

// From LLVM's OpenMP runtime (libomp), which runs the parallel loops.
extern "C" void omp_set_num_threads(int);

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
  std::string cpu = llvm::sys::getHostCPUName().str();
  std::string features;
  for (const auto &feature : llvm::sys::getHostCPUFeatures())
    features += (features.empty() ? "" : ",") +
                std::string(feature.getValue() ? "+" : "-") +
                feature.getKey().str();
  // With the kernels' buffers known apart (strata-apply-noalias-args), the
  // loop vectorizer vectorizes the outer loop over short strided rows with
  // scatters, slower than the scalar stores they replace on AVX-512 hosts
  // (docs/performance.md, "Kernels as functions"). Explicit gathers (the
  // sparse kernels') are unaffected.
  features += ",+prefer-no-scatter";
  for (llvm::Function &f : module) {
    if (f.isDeclaration())
      continue;
    f.addFnAttr("target-cpu", cpu);
    f.addFnAttr("target-features", features);
  }
}

/// Large constant globals (weights) are not handed to LLVM: LLVM would copy
/// them into IR constants, walk them in its optimizer and emit them value by
/// value, which costs seconds for a CNN's weights. Each becomes an external
/// declaration whose data, copied once into `storage`, the JIT binds by
/// name.
static constexpr size_t kExternalConstantBytes = 4096;

static void externalizeConstants(
    ModuleOp module, std::vector<std::unique_ptr<char[]>> &storage,
    std::vector<std::pair<std::string, const void *>> &symbols) {
  for (auto global : module.getOps<LLVM::GlobalOp>()) {
    auto value = dyn_cast_or_null<ElementsAttr>(global.getValueOrNull());
    if (!value || global.getInitializerRegion().getBlocks().size() != 0)
      continue;
    std::optional<ArrayRef<char>> raw = constantBytes(value);
    if (!raw || raw->size() < kExternalConstantBytes)
      continue;
    // 64-byte aligned, for full-width vector loads.
    storage.push_back(std::make_unique<char[]>(raw->size() + 64));
    char *base = storage.back().get();
    char *data = base + (64 - reinterpret_cast<uintptr_t>(base) % 64) % 64;
    std::memcpy(data, raw->data(), raw->size());
    symbols.emplace_back(global.getSymName().str(), data);
    global.removeValueAttr();
    global.setLinkage(LLVM::Linkage::External);
    global.setUnnamedAddr(LLVM::UnnamedAddr::None);
  }
}

// The generic allocation functions the compiled code calls
// (finalize-memref-to-llvm with use-generic-functions).
static void *allocTemporaryForJIT(uint64_t size) {
  return strata::allocTemporary(size, 64);
}
static void *alignedAllocTemporaryForJIT(uint64_t alignment, uint64_t size) {
  return strata::allocTemporary(size, alignment);
}
static void freeTemporaryForJIT(void *block) { strata::freeTemporary(block); }

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
      entry.emitError() << "argument #" << i << " has type " << type
                        << "; entry functions take statically shaped tensors "
                           "of f16/bf16/f32/f64/i1/i8/i16/i32/i64 of at most "
                        << kMaxTensorBytes << " bytes";
      return failure();
    }
    inputs.push_back(*spec);
  }
  for (auto [i, type] : llvm::enumerate(fnType.getResults())) {
    std::optional<TensorSpec> spec =
        specOf(type, entry.getResultAttrDict(i), "result" + std::to_string(i));
    if (!spec) {
      entry.emitError() << "result #" << i << " has type " << type
                        << "; entry functions return statically shaped "
                           "tensors of f16/bf16/f32/f64/i1/i8/i16/i32/i64 of "
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

CompiledModel::~CompiledModel() = default;

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
} // namespace

std::unique_ptr<CompiledModel>
CompiledModel::compile(ModuleOp module, const CompileOptions &options) {
  static std::once_flag initTargets;
  std::call_once(initTargets, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  MLIRContext *context = module.getContext();

  // Find the entry function and record its signature before lowering.
  FailureOr<func::FuncOp> found = findEntryFunction(module, options.entry);
  if (failed(found))
    return nullptr;
  func::FuncOp entry = *found;
  std::unique_ptr<CompiledModel> model(new CompiledModel());
  model->setThreads(options.threads);
  model->entry_ = entry.getSymName().str();
  if (failed(entrySignature(entry, model->inputs_, model->outputs_)))
    return nullptr;

  // Lower stage by stage, showing each level to the observer.
  CPUPipelineOptions pipeline;
  pipeline.threads = model->threads();
  pipeline.sparseThreshold = options.sparseThreshold;
  pipeline.profile = options.profile;
  PhaseClock clock(options);
  for (CPUStage stage : allCPUStages()) {
    clock.start(stageName(stage));
    PassManager pm(context);
    addCPUStage(pm, stage, pipeline);
    if (failed(pm.run(module)))
      return nullptr;
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
    if (model->kernels_.size() <= index)
      model->kernels_.resize(index + 1);
    KernelInfo &kernel = model->kernels_[index];
    kernel.symbol = fn.getSymName().str();
    if (auto nodes = fn->getAttrOfType<ArrayAttr>("strata.nodes"))
      for (auto node : nodes.getAsValueRange<StringAttr>())
        kernel.nodes.push_back(node.str());
  });

  // JIT for the host CPU at -O3, with the weights bound as external data.
  clock.start("llvm-translate");
  externalizeConstants(module, model->constants_, model->constantSymbols_);
  registerBuiltinDialectTranslation(*context);
  registerLLVMDialectTranslation(*context);
  registerOpenMPDialectTranslation(*context);
  auto tmBuilder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!tmBuilder) {
    emitError(module.getLoc()) << "cannot detect the host CPU: "
                               << llvm::toString(tmBuilder.takeError());
    return nullptr;
  }
  tmBuilder->setCodeGenOptLevel(llvm::CodeGenOptLevel::Aggressive);
  auto tm = tmBuilder->createTargetMachine();
  if (!tm) {
    emitError(module.getLoc())
        << "cannot create a target machine: " << llvm::toString(tm.takeError());
    return nullptr;
  }
  auto optimize = makeOptimizingTransformer(3, 0, tm->get());
  // The JIT's setup translates the module, then optimizes it here: the
  // optimization is a phase of its own.
  auto transformer = [&](llvm::Module *m) -> llvm::Error {
    setHostTarget(*m);
    clock.end();
    PhaseClock optimizeClock(options);
    optimizeClock.start("llvm-optimize");
    llvm::Error error = optimize(m);
    optimizeClock.end();
    clock.start("machine-code");
    return error;
  };
  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = transformer;
  engineOptions.jitCodeGenOptLevel = llvm::CodeGenOptLevel::Aggressive;
  engineOptions.enableObjectDump = getenv("STRATA_DUMP_OBJECT") != nullptr;
  static const llvm::StringRef libs[] = {STRATA_C_RUNNER_UTILS_PATH,
                                         STRATA_LIBOMP_PATH};
  engineOptions.sharedLibPaths = libs;
  auto engine = ExecutionEngine::create(module, engineOptions);
  if (!engine) {
    emitError(module.getLoc())
        << "JIT compilation failed: " << llvm::toString(engine.takeError());
    return nullptr;
  }
  model->engine_ = std::move(*engine);
  model->engine_->registerSymbols([&](llvm::orc::MangleAndInterner intern) {
    llvm::orc::SymbolMap map;
    for (const auto &[name, data] : model->constantSymbols_)
      map[intern(name)] = llvm::orc::ExecutorSymbolDef(
          llvm::orc::ExecutorAddr::fromPtr(data), llvm::JITSymbolFlags::None);
    // The compiled code's temporaries (see strata/Runtime/Allocator.h).
    auto bind = [&](llvm::StringRef name, auto *function) {
      map[intern(name)] = llvm::orc::ExecutorSymbolDef(
          llvm::orc::ExecutorAddr::fromPtr(function),
          llvm::JITSymbolFlags::Exported);
    };
    bind("_mlir_memref_to_llvm_alloc", &allocTemporaryForJIT);
    bind("_mlir_memref_to_llvm_aligned_alloc", &alignedAllocTemporaryForJIT);
    bind("_mlir_memref_to_llvm_free", &freeTemporaryForJIT);
    // Kernel timing (strata/Runtime/Profile.h).
    bind("strata_profile_begin", &strata_profile_begin);
    bind("strata_profile_end", &strata_profile_end);
    return map;
  });
  auto invoke = model->engine_->lookupPacked("_mlir_ciface_" + model->entry_);
  if (!invoke) {
    emitError(module.getLoc())
        << "compiled code has no entry point '" << model->entry_
        << "': " << llvm::toString(invoke.takeError());
    return nullptr;
  }
  model->invoke_ = *invoke;
  clock.end();
  if (const char *path = getenv("STRATA_DUMP_OBJECT")) {
    model->engine_->dumpToObjectFile(path);
    auto raw = model->engine_->lookup(model->entry_);
    llvm::errs() << "entry " << model->entry_ << " at "
                 << (raw ? *raw : nullptr) << "\n";
  }
  return model;
}

void CompiledModel::run(const std::vector<const void *> &inputs,
                        const std::vector<void *> &outputs) const {
  // One memref descriptor per tensor: {allocated, aligned, offset,
  // sizes[rank], strides[rank]} as 64-bit words (row-major strides).
  size_t count = inputs_.size() + outputs_.size();
  std::vector<std::vector<int64_t>> descriptors(count);
  std::vector<void *> descriptorPtrs(count);
  std::vector<void *> args(count);
  auto describe = [&](size_t i, const TensorSpec &spec, const void *data) {
    std::vector<int64_t> &d = descriptors[i];
    size_t rank = spec.shape.size();
    d.assign(3 + 2 * rank, 0);
    d[0] = d[1] = reinterpret_cast<int64_t>(data);
    int64_t stride = 1;
    for (size_t k = rank; k-- > 0;) {
      d[3 + k] = spec.shape[k];
      d[3 + rank + k] = stride;
      stride *= spec.shape[k];
    }
    descriptorPtrs[i] = d.data();
    args[i] = &descriptorPtrs[i];
  };
  for (size_t i = 0; i < inputs_.size(); ++i)
    describe(i, inputs_[i], inputs[i]);
  for (size_t i = 0; i < outputs_.size(); ++i)
    describe(inputs_.size() + i, outputs_[i], outputs[i]);
  // The thread count is a per-thread setting of the runtime: set it on the
  // calling thread, for the parallel loops this call starts.
  omp_set_num_threads(threads_);
  invoke_(args.data());
}

void CompiledModel::run(const std::vector<const void *> &inputs,
                        const std::vector<void *> &outputs,
                        KernelProfile &profile) const {
  setThreadProfile(&profile);
  run(inputs, outputs);
  setThreadProfile(nullptr);
}

} // namespace strata
