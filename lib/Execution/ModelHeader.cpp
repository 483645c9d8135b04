//===- ModelHeader.cpp - A C header describing a compiled model -----------===//

#include "strata/Execution/CompiledModel.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

namespace strata {

/// `stem` as a C identifier in capitals: resnet18-v2 -> RESNET18_V2.
static std::string macroPrefix(llvm::StringRef stem) {
  std::string prefix;
  for (char c : stem)
    prefix += llvm::isAlnum(c) ? llvm::toUpper(c) : '_';
  if (prefix.empty() || llvm::isDigit(prefix[0]))
    prefix = "MODEL_" + prefix;
  return prefix;
}

static void describe(llvm::raw_ostream &os, const std::string &prefix,
                     const char *kind, size_t index, const TensorSpec &spec) {
  std::string name = prefix + "_" + kind + std::to_string(index);
  os << "\n/* " << llvm::StringRef(kind).lower() << " #" << index << ": "
     << spec.str() << " */\n";
  os << "#define " << name << "_NAME \"";
  os.write_escaped(spec.name);
  os << "\"\n#define " << name << "_DTYPE \"" << dtypeName(spec.dtype)
     << "\"\n#define " << name << "_RANK " << spec.shape.size() << "\n";
  os << "#define " << name << "_ELEMENTS " << spec.numElements() << "\n";
  os << "#define " << name << "_BYTES " << spec.numBytes() << "\n";
  os << "static const int64_t " << name << "_SHAPE["
     << std::max<size_t>(1, spec.shape.size()) << "] = {";
  llvm::interleave(spec.shape, os, ", ");
  os << "};\n";
}

bool writeModelHeader(const std::string &path, const CompiledModel &model,
                      llvm::StringRef modelFile, std::string &error) {
  std::string prefix = macroPrefix(llvm::sys::path::stem(path));
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec) {
    error = "cannot write '" + path + "': " + ec.message();
    return false;
  }
  os << "/* " << llvm::sys::path::filename(path)
     << ": the signature of the compiled model "
     << llvm::sys::path::filename(modelFile) << " (written by Strata).\n"
     << " * Load it with strata_model_load() from strata_runtime.h and pass\n"
     << " * dense row-major buffers of the sizes below. */\n";
  os << "#ifndef " << prefix << "_MODEL_H\n#define " << prefix
     << "_MODEL_H\n\n#include <stdint.h>\n\n";
  os << "#define " << prefix << "_ENTRY \"";
  os.write_escaped(model.entry());
  os << "\"\n#define " << prefix << "_NUM_INPUTS " << model.inputs().size()
     << "\n#define " << prefix << "_NUM_OUTPUTS " << model.outputs().size()
     << "\n";
  for (auto [i, spec] : llvm::enumerate(model.inputs()))
    describe(os, prefix, "INPUT", i, spec);
  for (auto [i, spec] : llvm::enumerate(model.outputs()))
    describe(os, prefix, "OUTPUT", i, spec);
  os << "\n#endif /* " << prefix << "_MODEL_H */\n";
  os.close();
  if (os.has_error()) {
    error = "cannot write '" + path + "': " + os.error().message();
    os.clear_error();
    return false;
  }
  return true;
}

} // namespace strata
