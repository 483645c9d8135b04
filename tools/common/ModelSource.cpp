//===- ModelSource.cpp - Read the model a tool was given ------------------===//

#include "ModelSource.h"

#include "strata/Support/Digest.h"
#include "strata/Support/ParserWorkarounds.h"
#include "strata/Target/ONNX/ImportONNX.h"

#include "mlir/Parser/Parser.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace strata {

std::string ModelSource::cacheKey(MLIRContext *context) const {
  if (llvm::StringRef(path).ends_with(".onnx")) {
    ONNXImportOptions importOptions;
    std::string error;
    if (!importOptions.parseFlags(dims, inputShapes, error))
      return "";
    importOptions.arguments = arguments;
    return importCacheKey(path, context, importOptions);
  }
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false);
  if (!file)
    return "";
  return "mlir " + contentDigest((*file)->getBuffer());
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
