//===- LinkModel.cpp - Link a model's objects into a shared object --------===//

#include "LinkModel.h"

#include "RuntimeLibraries.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

namespace strata {

bool linkModel(llvm::ArrayRef<std::string> objects, llvm::StringRef output,
               std::string &error) {
  llvm::SmallString<128> log;
  if (llvm::sys::fs::createTemporaryFile("strata-link", "log", log)) {
    error = "cannot create a temporary file for the linker's messages";
    return false;
  }
  std::string runtimeDir =
      llvm::sys::path::parent_path(STRATA_RUNTIME_LIBRARY_PATH).str();
  std::string ompDir = llvm::sys::path::parent_path(STRATA_LIBOMP_PATH).str();
  std::vector<std::string> args = {
      STRATA_LD_LLD_PATH, "-shared", "-o", output.str(),
      // The model's own symbols bind to themselves, never to another
      // model's loaded in the same process.
      "-Bsymbolic", "-z", "now", "-z", "noexecstack", "--enable-new-dtags",
      "-rpath", "$ORIGIN", "-rpath", runtimeDir, "-rpath", ompDir};
  args.insert(args.end(), objects.begin(), objects.end());
  args.push_back(STRATA_RUNTIME_LIBRARY_PATH);
  args.push_back(STRATA_LIBOMP_PATH);
  std::vector<llvm::StringRef> argRefs(args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, log.str(),
                                                log.str()};
  std::string message;
  int status = llvm::sys::ExecuteAndWait(
      STRATA_LD_LLD_PATH, argRefs, std::nullopt, redirects, 0, 0, &message);
  if (status != 0) {
    error = "linking the compiled model failed";
    if (!message.empty())
      error += ": " + message;
    if (auto text = llvm::MemoryBuffer::getFile(log))
      if (!(*text)->getBuffer().empty())
        error += "\n" + (*text)->getBuffer().rtrim().str();
  }
  llvm::sys::fs::remove(log);
  return status == 0;
}

} // namespace strata
