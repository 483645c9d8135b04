//===- Digest.cpp - Content digests for cache keys ------------------------===//

#include "strata/Support/Digest.h"

#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/xxhash.h"

namespace strata {

std::string contentDigest(llvm::StringRef bytes) {
  llvm::XXH128_hash_t hash = llvm::xxh3_128bits(
      llvm::ArrayRef<uint8_t>(bytes.bytes_begin(), bytes.size()));
  return llvm::formatv("{0:x-16}{1:x-16}", hash.high64, hash.low64).str();
}

} // namespace strata
