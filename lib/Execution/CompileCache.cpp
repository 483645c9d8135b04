//===- CompileCache.cpp - Compiled models kept on disk --------------------===//

#include "strata/Execution/CompileCache.h"
#include "strata/Execution/CompiledModel.h"
#include "strata/Support/Digest.h"
#include "strata/Support/Version.h"

#include "HostTarget.h"
#include "RuntimeLibraries.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/xxhash.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstdlib>

namespace strata {

std::string compileCacheDirectory() {
  if (const char *enabled = getenv("STRATA_CACHE");
      enabled && (llvm::StringRef(enabled) == "0" ||
                  llvm::StringRef(enabled).equals_insensitive("off")))
    return "";
  if (const char *dir = getenv("STRATA_CACHE_DIR"); dir && *dir)
    return dir;
  llvm::SmallString<128> path;
  if (const char *xdg = getenv("XDG_CACHE_HOME"); xdg && *xdg)
    path = xdg;
  else if (const char *home = getenv("HOME"); home && *home)
    llvm::sys::path::append(path, home, ".cache");
  else
    return "";
  llvm::sys::path::append(path, "strata");
  return path.str().str();
}

/// This build of the compiler: the archives of Strata's libraries (which
/// every tool and the Python module link), with their sizes and times, so
/// that a rebuilt Strata never loads an older one's models while the tools
/// of one build share their models; outside the build tree, the file this
/// code was linked into. Taken once, when the process first uses the cache:
/// the code it runs is the build of that moment.
static std::string readBuildIdentity() {
  auto stamp = [](llvm::StringRef path) -> std::string {
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(path, status))
      return "";
    return path.str() + ":" + std::to_string(status.getSize()) + ":" +
           std::to_string(
               status.getLastModificationTime().time_since_epoch().count());
  };
  std::vector<std::string> stamps;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(STRATA_LIBRARY_DIR, ec), end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.starts_with("libStrata") && name.ends_with(".a"))
      stamps.push_back(stamp(it->path()));
  }
  if (stamps.empty()) {
    Dl_info info;
    if (!dladdr(reinterpret_cast<void *>(&readBuildIdentity), &info) ||
        !info.dli_fname)
      return "unknown";
    return stamp(info.dli_fname);
  }
  std::sort(stamps.begin(), stamps.end());
  return llvm::join(stamps, ";");
}

static const std::string &buildIdentity() {
  static const std::string identity = readBuildIdentity();
  return identity;
}

std::string compileCachePath(llvm::StringRef directory,
                             const CompileOptions &options) {
  std::string key;
  llvm::raw_string_ostream os(key);
  os << "strata " << STRATA_VERSION << "\nllvm " << LLVM_VERSION_STRING
     << "\nbuild " << buildIdentity() << "\ncpu " << hostCPUName() << " "
     << hostTargetFeatures();
  os << "\nentry " << options.entry << "\nthreads " << options.threads
     << "\nsparse " << llvm::format("%.17g", options.sparseThreshold)
     << "\nprofile " << options.profile << "\nsource " << options.cacheKey;
  llvm::SmallString<128> path(directory);
  llvm::sys::path::append(path, contentDigest(key) + ".so");
  return path.str().str();
}

void touchCachedModel(llvm::StringRef path) {
  int fd;
  if (llvm::sys::fs::openFileForWrite(path, fd, llvm::sys::fs::CD_OpenExisting,
                                      llvm::sys::fs::OF_Append))
    return;
  llvm::sys::fs::setLastAccessAndModificationTime(
      fd, std::chrono::system_clock::now());
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
}

void trimCompileCache(llvm::StringRef directory) {
  uint64_t limitMB = 4096;
  if (const char *text = getenv("STRATA_CACHE_MAX_MB"))
    limitMB = std::strtoull(text, nullptr, 10);
  struct Entry {
    std::string path;
    uint64_t size;
    llvm::sys::TimePoint<> used;
  };
  std::vector<Entry> entries;
  uint64_t total = 0;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(directory, ec), end;
       it != end && !ec; it.increment(ec)) {
    if (llvm::sys::path::extension(it->path()) != ".so")
      continue;
    llvm::sys::fs::file_status status;
    if (llvm::sys::fs::status(it->path(), status))
      continue;
    entries.push_back(
        {it->path(), status.getSize(), status.getLastModificationTime()});
    total += status.getSize();
  }
  std::sort(entries.begin(), entries.end(),
            [](const Entry &a, const Entry &b) { return a.used < b.used; });
  for (const Entry &entry : entries) {
    if (total <= limitMB << 20)
      break;
    if (!llvm::sys::fs::remove(entry.path))
      total -= entry.size;
  }
}

} // namespace strata
