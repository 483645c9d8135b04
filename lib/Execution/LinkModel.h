//===- LinkModel.h - Link a model's objects into a shared object -*- C++
//-*-===//

#ifndef STRATA_EXECUTION_LINKMODEL_H
#define STRATA_EXECUTION_LINKMODEL_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace strata {

/// Links the object files `objects` into the shared object `output` with
/// lld, against the runtime library and the OpenMP runtime, with an rpath
/// that finds them next to the model first and then in this build. False
/// with lld's message in `error` on failure.
bool linkModel(llvm::ArrayRef<std::string> objects, llvm::StringRef output,
               std::string &error);

} // namespace strata

#endif // STRATA_EXECUTION_LINKMODEL_H
