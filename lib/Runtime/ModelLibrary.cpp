//===- ModelLibrary.cpp - Compiled models as shared objects ---------------===//

#include "strata/Runtime/ModelLibrary.h"

#include <dlfcn.h>

#include <cstdio>
#include <sstream>

// From LLVM's OpenMP runtime (libomp), which runs the parallel loops.
extern "C" void omp_set_num_threads(int);

namespace strata {

namespace {
constexpr const char *kMagic = "strata-model";
constexpr int kFormatVersion = 1;

/// Names may hold any byte: spaces, newlines and '%' are written as %XX so
/// that every item stays one word.
std::string escape(const std::string &text) {
  std::string out;
  for (unsigned char c : text) {
    if (c <= ' ' || c == '%' || c == 0x7f) {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", c);
      out += hex;
    } else {
      out += char(c);
    }
  }
  // An empty name is still one word.
  return out.empty() ? "%" : out;
}

bool unescape(const std::string &word, std::string &out) {
  out.clear();
  if (word == "%")
    return true;
  for (size_t i = 0; i < word.size(); ++i) {
    if (word[i] != '%') {
      out += word[i];
      continue;
    }
    unsigned value;
    if (i + 2 >= word.size() ||
        std::sscanf(word.substr(i + 1, 2).c_str(), "%2X", &value) != 1)
      return false;
    out += char(value);
    i += 2;
  }
  return true;
}

void writeSpec(std::ostream &os, const char *kind, const TensorSpec &spec) {
  os << kind << ' ' << escape(spec.name) << ' ' << dtypeName(spec.dtype) << ' '
     << spec.specialized << ' ' << spec.shape.size();
  for (int64_t d : spec.shape)
    os << ' ' << d;
  os << '\n';
}

bool readSpec(std::istringstream &line, TensorSpec &spec) {
  std::string name, dtype;
  size_t rank;
  if (!(line >> name >> dtype >> spec.specialized >> rank) ||
      !unescape(name, spec.name))
    return false;
  std::optional<DType> parsed = parseDType(dtype);
  if (!parsed || rank > 64)
    return false;
  spec.dtype = *parsed;
  spec.shape.resize(rank);
  for (int64_t &d : spec.shape)
    if (!(line >> d))
      return false;
  return bool(checkedNumBytes(spec.shape.data(), rank,
                              int64_t(dtypeSize(spec.dtype)) * 8));
}
} // namespace

std::string serializeModelMetadata(const ModelMetadata &metadata) {
  std::ostringstream os;
  os << kMagic << ' ' << kFormatVersion << '\n';
  os << "entry " << escape(metadata.entry) << '\n';
  os << "threads " << metadata.threads << '\n';
  for (const TensorSpec &spec : metadata.inputs)
    writeSpec(os, "input", spec);
  for (const TensorSpec &spec : metadata.outputs)
    writeSpec(os, "output", spec);
  for (const KernelInfo &kernel : metadata.kernels) {
    os << "kernel " << escape(kernel.symbol) << ' ' << kernel.nodes.size();
    for (const std::string &node : kernel.nodes)
      os << ' ' << escape(node);
    os << '\n';
  }
  return os.str();
}

bool parseModelMetadata(const std::string &text, ModelMetadata &metadata,
                        std::string &error) {
  std::istringstream in(text);
  std::string line;
  int version = 0;
  {
    std::getline(in, line);
    std::istringstream header(line);
    std::string magic;
    if (!(header >> magic >> version) || magic != kMagic) {
      error = "not a Strata model description";
      return false;
    }
    if (version != kFormatVersion) {
      error = "model format version " + std::to_string(version) +
              "; this runtime reads version " + std::to_string(kFormatVersion) +
              " (recompile the model with this Strata)";
      return false;
    }
  }
  metadata = ModelMetadata();
  for (int number = 2; std::getline(in, line); ++number) {
    std::istringstream words(line);
    std::string kind;
    if (!(words >> kind))
      continue;
    bool ok = false;
    if (kind == "entry") {
      std::string name;
      ok = bool(words >> name) && unescape(name, metadata.entry);
    } else if (kind == "threads") {
      ok = bool(words >> metadata.threads) && metadata.threads >= 1;
    } else if (kind == "input" || kind == "output") {
      TensorSpec spec;
      ok = readSpec(words, spec);
      (kind == "input" ? metadata.inputs : metadata.outputs).push_back(spec);
    } else if (kind == "kernel") {
      KernelInfo kernel;
      std::string word;
      size_t count = 0;
      ok = bool(words >> word >> count) && unescape(word, kernel.symbol);
      for (size_t i = 0; ok && i < count; ++i) {
        std::string node;
        ok = bool(words >> word) && unescape(word, node);
        kernel.nodes.push_back(node);
      }
      metadata.kernels.push_back(std::move(kernel));
    }
    if (!ok) {
      error = "malformed model description at line " + std::to_string(number) +
              ": " + line;
      return false;
    }
  }
  return true;
}

ModelLibrary::~ModelLibrary() {
  if (handle_)
    dlclose(handle_);
}

std::unique_ptr<ModelLibrary> ModelLibrary::open(const std::string &path,
                                                 std::string &error) {
  if (FILE *f = std::fopen(path.c_str(), "rb")) {
    unsigned char magic[4] = {};
    size_t got = std::fread(magic, 1, 4, f);
    std::fclose(f);
    if (got != 4 || magic[0] != 0x7f || magic[1] != 'E' || magic[2] != 'L' ||
        magic[3] != 'F') {
      error = "'" + path +
              "' is not a shared object (a compiled model is "
              "written by strata-compile or Model.save)";
      return nullptr;
    }
  } else {
    error = "cannot open '" + path + "': no such file or no permission";
    return nullptr;
  }
  std::unique_ptr<ModelLibrary> library(new ModelLibrary());
  // A path without a slash would be searched for in the library path.
  std::string loadPath =
      path.find('/') == std::string::npos ? "./" + path : path;
  library->handle_ = dlopen(loadPath.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library->handle_) {
    const char *reason = dlerror();
    error =
        "cannot load '" + path + "': " + (reason ? reason : "dlopen failed");
    return nullptr;
  }
  auto *metadata =
      static_cast<const char *>(dlsym(library->handle_, kModelMetadataSymbol));
  library->invoke_ = reinterpret_cast<void (*)(void **)>(
      dlsym(library->handle_, kModelInvokeSymbol));
  if (!metadata || !library->invoke_) {
    error = "'" + path +
            "' is a shared object but not a Strata model (it "
            "has no " +
            std::string(kModelMetadataSymbol) + ")";
    return nullptr;
  }
  if (!parseModelMetadata(metadata, library->metadata_, error)) {
    error = "'" + path + "': " + error;
    return nullptr;
  }
  return library;
}

void ModelLibrary::run(const std::vector<const void *> &inputs,
                       const std::vector<void *> &outputs, int threads) const {
  // One memref descriptor per tensor: {allocated, aligned, offset,
  // sizes[rank], strides[rank]} as 64-bit words (row-major strides).
  const std::vector<TensorSpec> &ins = metadata_.inputs;
  const std::vector<TensorSpec> &outs = metadata_.outputs;
  size_t count = ins.size() + outs.size();
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
  for (size_t i = 0; i < ins.size(); ++i)
    describe(i, ins[i], inputs[i]);
  for (size_t i = 0; i < outs.size(); ++i)
    describe(ins.size() + i, outs[i], outputs[i]);
  // The thread count is a per-thread setting of the runtime: set it on the
  // calling thread, for the parallel loops this call starts.
  omp_set_num_threads(threads < 1 ? 1 : threads);
  invoke_(args.data());
}

} // namespace strata
