//===- CompileCache.h - Compiled models kept on disk ------------*- C++ -*-===//
//
// A second compilation of the same model, with the same options, on the
// same kind of CPU, by the same build of Strata, loads the shared object
// the first one left in the cache instead of compiling (strata-run,
// strata-compile and strata.compile). The cache is a directory of model
// shared objects named by a digest of all that:
//   STRATA_CACHE_DIR   the directory (default: $XDG_CACHE_HOME/strata, or
//                      ~/.cache/strata)
//   STRATA_CACHE=0     turns it off (as --no-cache and cache=False do)
// The least recently used models are removed when the directory grows past
// STRATA_CACHE_MAX_MB megabytes (default 4096).
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_EXECUTION_COMPILECACHE_H
#define STRATA_EXECUTION_COMPILECACHE_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace strata {

struct CompileOptions;

/// The cache directory, or an empty string when caching is off.
std::string compileCacheDirectory();

/// The file in `directory` for a model whose source has the key
/// `options.cacheKey`, compiled with `options` by this build on this CPU.
std::string compileCachePath(llvm::StringRef directory,
                             const CompileOptions &options);

/// Marks a cached model as just used (the eviction order).
void touchCachedModel(llvm::StringRef path);

/// Removes the least recently used models until the directory is within its
/// size limit.
void trimCompileCache(llvm::StringRef directory);

} // namespace strata

#endif // STRATA_EXECUTION_COMPILECACHE_H
