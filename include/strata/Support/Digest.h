//===- Digest.h - Content digests for cache keys ----------------*- C++ -*-===//

#ifndef STRATA_SUPPORT_DIGEST_H
#define STRATA_SUPPORT_DIGEST_H

#include "llvm/ADT/StringRef.h"

#include <string>

namespace strata {

/// A digest of `bytes` (xxh3, 128 bits, in hex): how the compile cache
/// keys a model's source (strata/Execution/CompileCache.h).
std::string contentDigest(llvm::StringRef bytes);

} // namespace strata

#endif // STRATA_SUPPORT_DIGEST_H
