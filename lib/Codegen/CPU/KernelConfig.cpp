//===- KernelConfig.cpp - The strata.kernel_config attribute --------------===//

#include "strata/Codegen/CPU/KernelConfig.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace strata::cpu;

namespace {
/// A kernel's name and the fields its configuration must set.
struct KernelInfo {
  Kernel kernel;
  StringLiteral name;
  bool tileSizes, stripWidth, minStrips, threads, l2Bytes, vectorLanes;
};
} // namespace

static constexpr KernelInfo kKernels[] = {
    // kernel, name, tile_sizes strip_width min_strips threads l2_bytes
    // vector_lanes
    {Kernel::Matmul, "matmul", true, false, true, true, false, false},
    {Kernel::Winograd, "winograd", false, true, false, true, true, false},
    {Kernel::DirectConv, "direct_conv", false, true, false, false, false,
     false},
    {Kernel::Im2colMatmul, "im2col_matmul", true, true, true, true, false,
     false},
    {Kernel::WindowRows, "window_rows", false, false, false, false, false,
     true},
    {Kernel::WindowLoops, "window_loops", false, false, false, false, false,
     false},
    {Kernel::SparsePanel, "sparse_panel", true, true, false, true, false, true},
    {Kernel::SparseGather, "sparse_gather", true, false, false, true, false,
     true},
    {Kernel::Transpose, "transpose", false, false, false, true, false, true},
    {Kernel::IntegerMatmul, "integer_matmul", true, false, false, true, false,
     true},
    {Kernel::IntegerConv, "integer_conv", true, false, false, true, false,
     true},
};

static const KernelInfo &infoOf(Kernel kernel) {
  for (const KernelInfo &info : kKernels)
    if (info.kernel == kernel)
      return info;
  llvm_unreachable("unknown kernel");
}

StringRef strata::cpu::kernelName(Kernel kernel) { return infoOf(kernel).name; }

std::optional<Kernel> strata::cpu::parseKernel(StringRef name) {
  for (const KernelInfo &info : kKernels)
    if (info.name == name)
      return info.kernel;
  return std::nullopt;
}

KernelConfig KernelConfig::matmul() const {
  KernelConfig config;
  config.kernel = Kernel::Matmul;
  config.tileRows = tileRows;
  config.tileColumns = tileColumns;
  config.minStrips = minStrips;
  config.threads = threads;
  return config;
}

DictionaryAttr KernelConfig::toAttr(MLIRContext *context) const {
  Builder b(context);
  const KernelInfo &info = infoOf(kernel);
  SmallVector<NamedAttribute> fields;
  fields.push_back(b.getNamedAttr("kernel", b.getStringAttr(info.name)));
  if (info.tileSizes)
    fields.push_back(b.getNamedAttr(
        "tile_sizes", b.getDenseI64ArrayAttr({tileRows, tileColumns})));
  auto add = [&](bool used, StringRef name, int64_t value) {
    if (used)
      fields.push_back(b.getNamedAttr(name, b.getI64IntegerAttr(value)));
  };
  add(info.stripWidth, "strip_width", stripWidth);
  add(info.minStrips, "min_strips", minStrips);
  add(info.threads, "threads", threads);
  add(info.l2Bytes, "l2_bytes", l2Bytes);
  add(info.vectorLanes, "vector_lanes", vectorLanes);
  return b.getDictionaryAttr(fields);
}

FailureOr<KernelConfig>
KernelConfig::fromAttr(DictionaryAttr attr,
                       function_ref<InFlightDiagnostic()> emitError) {
  auto fail = [&](const Twine &message) {
    if (emitError)
      emitError() << "invalid " << kKernelConfigAttrName << ": " << message;
    return failure();
  };
  auto name = attr.getAs<StringAttr>("kernel");
  if (!name)
    return fail("no 'kernel' name");
  const KernelInfo *info = nullptr;
  std::string known;
  for (const KernelInfo &k : kKernels) {
    if (k.name == name.getValue())
      info = &k;
    known += (known.empty() ? "" : ", ") + k.name.str();
  }
  if (!info)
    return fail("unknown kernel '" + name.getValue() + "' (known: " + known +
                ")");
  KernelConfig config;
  config.kernel = info->kernel;
  struct Field {
    StringLiteral name;
    bool used;
    int64_t *value;
  } fields[] = {
      {"strip_width", info->stripWidth, &config.stripWidth},
      {"min_strips", info->minStrips, &config.minStrips},
      {"threads", info->threads, &config.threads},
      {"l2_bytes", info->l2Bytes, &config.l2Bytes},
      {"vector_lanes", info->vectorLanes, &config.vectorLanes},
  };
  for (NamedAttribute entry : attr) {
    StringRef key = entry.getName().getValue();
    if (key == "kernel")
      continue;
    if (key == "tile_sizes") {
      auto sizes = dyn_cast<DenseI64ArrayAttr>(entry.getValue());
      if (!info->tileSizes)
        return fail("'" + info->name + "' takes no 'tile_sizes'");
      if (!sizes || sizes.size() != 2 || sizes[0] <= 0 || sizes[1] <= 0)
        return fail("'tile_sizes' must be array<i64: rows, columns> of "
                    "positive sizes");
      config.tileRows = sizes[0];
      config.tileColumns = sizes[1];
      continue;
    }
    Field *field =
        llvm::find_if(fields, [&](const Field &f) { return f.name == key; });
    if (field == std::end(fields) || !field->used)
      return fail("'" + info->name + "' takes no '" + key + "'");
    auto value = dyn_cast<IntegerAttr>(entry.getValue());
    if (!value || value.getInt() <= 0)
      return fail("'" + key + "' must be a positive integer");
    *field->value = value.getInt();
  }
  if (info->tileSizes && config.tileRows == 0)
    return fail("'" + info->name + "' needs 'tile_sizes'");
  for (const Field &field : fields)
    if (field.used && *field.value == 0)
      return fail("'" + info->name + "' needs '" + field.name + "'");
  if (config.kernel == Kernel::SparsePanel &&
      config.tileRows % config.vectorLanes != 0)
    return fail("a sparse panel's rows ('tile_sizes'[0]) must be a whole "
                "number of vectors ('vector_lanes')");
  if (config.kernel == Kernel::Winograd && config.stripWidth % 2 != 0)
    return fail("a Winograd run ('strip_width') must be an even number of "
                "tiles");
  return config;
}

void strata::cpu::setKernelConfig(Operation *op, const KernelConfig &config) {
  op->setAttr(kKernelConfigAttrName, config.toAttr(op->getContext()));
}

FailureOr<SmallVector<ConfiguredOp>> strata::cpu::opsWithKernel(Operation *root,
                                                                Kernel kernel) {
  SmallVector<ConfiguredOp> ops;
  WalkResult result = root->walk([&](Operation *op) {
    Attribute attr = op->getAttr(kKernelConfigAttrName);
    if (!attr)
      return WalkResult::advance();
    auto dict = dyn_cast<DictionaryAttr>(attr);
    if (!dict) {
      op->emitError() << "invalid " << kKernelConfigAttrName
                      << ": expected a dictionary, got " << attr;
      return WalkResult::interrupt();
    }
    FailureOr<KernelConfig> config =
        KernelConfig::fromAttr(dict, [&] { return op->emitError(); });
    if (failed(config))
      return WalkResult::interrupt();
    if (config->kernel == kernel)
      ops.push_back({op, *config});
    return WalkResult::advance();
  });
  if (result.wasInterrupted())
    return failure();
  return ops;
}
