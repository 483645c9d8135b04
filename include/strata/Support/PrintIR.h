//===- PrintIR.h - IR dumps for people, and MLIR's debugging flags -*- C++
//-*-===//
//
// What the tools and Python show of a model's IR (strata-run --dump-ir,
// Model.mlir(), Graph.mlir()) elides its weights by default: a CNN's
// weights printed as hex are megabytes that nobody reads. And the MLIR
// debugging flags users know from mlir-opt (--mlir-print-ir-after-all,
// --mlir-timing, --mlir-elide-elementsattrs-if-larger, ...) work on the
// real compilation path: strata-run takes them on its command line,
// strata.compile as mlir_flags=[...].
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_SUPPORT_PRINTIR_H
#define STRATA_SUPPORT_PRINTIR_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/Support/raw_ostream.h"

#include <string>

namespace mlir {
class Operation;
} // namespace mlir

namespace strata {

/// Prints `op`; unless `withWeights`, elements attributes of more than 16
/// elements and resource blobs of more than 64 bytes print as
/// `__elided__`, or as --mlir-elide-elementsattrs-if-larger and
/// --mlir-elide-resource-strings-if-larger say when given.
void printIR(mlir::Operation *op, llvm::raw_ostream &os, bool withWeights);

/// Registers MLIR's command-line options for printing, pass managers,
/// timing and contexts (once per process): the flags of
/// --mlir-print-ir-after-all and the rest. Returns their names.
llvm::ArrayRef<std::string> registerMLIRDebugFlags();

/// Whether the user gave the command-line option `name`.
bool commandLineOptionGiven(llvm::StringRef name);

/// Whether any MLIR debugging flag is set: a compilation meant to print or
/// time something is not served from the compile cache.
bool mlirDebugFlagsGiven();

/// Sets the registered MLIR flags from `flags` ("--mlir-timing",
/// "--mlir-print-ir-after-all", ...) until reset: false with the parser's
/// message in `error` if one is unknown or malformed. Python's mlir_flags.
bool setMLIRDebugFlags(llvm::ArrayRef<std::string> flags, std::string &error);
/// Back to their defaults.
void resetMLIRDebugFlags();

} // namespace strata

#endif // STRATA_SUPPORT_PRINTIR_H
