//===- ModelSource.cpp - Read the model a tool was given ------------------===//

#include "ModelSource.h"

#include "strata/Execution/CompileCache.h"
#include "strata/Support/ParserWorkarounds.h"
#include "strata/Target/ONNX/ImportONNX.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace strata {

std::string ModelSource::cacheKey() const {
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return "";
  std::string key = contentDigest((*file)->getBuffer());
  for (const std::string &dim : dims)
    key += "\ndim " + dim;
  for (const std::string &shape : inputShapes)
    key += "\ninput-shape " + shape;
  for (const HostTensor *argument : arguments) {
    key += "\nargument";
    for (int64_t d : argument->shape())
      key += " " + std::to_string(d);
  }
  return key;
}

OwningOpRef<ModuleOp> ModelSource::read(MLIRContext *context,
                                        llvm::SourceMgr &sourceMgr,
                                        int &status) const {
  auto bad = [&](const llvm::Twine &message) {
    llvm::errs() << tool << ": error: " << message << "\n";
    status = kBadInput;
    return nullptr;
  };
  llvm::StringRef file(path);
  if (file.ends_with(".onnx")) {
    if (!llvm::sys::fs::exists(path))
      return bad("cannot open '" + path + "': no such file");
    ONNXImportOptions importOptions;
    if (std::string error; !importOptions.parseFlags(dims, inputShapes, error))
      return bad(error);
    importOptions.arguments = arguments;
    importOptions.reportAll = reportAll;
    OwningOpRef<ModuleOp> module = importONNXFile(path, context, importOptions);
    if (!module)
      status = kBadInput;
    return module;
  }
  if (!dims.empty() || !inputShapes.empty())
    return bad("--dim and --input-shape apply to ONNX models only");
  std::string error;
  auto buffer = openInputFile(path, &error);
  if (!buffer)
    return bad(error);
  if (std::optional<std::string> crasher =
          findParserCrashers(buffer->getBuffer()))
    return bad("'" + path + "', " + *crasher);
  sourceMgr.AddNewSourceBuffer(std::move(buffer), llvm::SMLoc());
  OwningOpRef<ModuleOp> module = parseSourceFile<ModuleOp>(sourceMgr, context);
  if (!module)
    status = kCompileError;
  return module;
}

} // namespace strata
