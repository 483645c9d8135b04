//===- ParserWorkarounds.h - MLIR text MLIR 22 cannot parse -----*- C++ -*-===//
//
// Constructs on which MLIR 22's parser crashes instead of reporting an
// error (upstream bugs). The tools that read users' MLIR text (strata-run,
// Python) check for them first, so that such input is an error, not a
// crash. strata-opt, a developer tool built on MlirOptMain, does not.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_SUPPORT_PARSERWORKAROUNDS_H
#define STRATA_SUPPORT_PARSERWORKAROUNDS_H

#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace strata {

/// A message naming the first construct of `text` that MLIR 22's parser
/// would crash on, with its 1-based line; std::nullopt if there is none.
std::optional<std::string> findParserCrashers(llvm::StringRef text);

} // namespace strata

#endif // STRATA_SUPPORT_PARSERWORKAROUNDS_H
