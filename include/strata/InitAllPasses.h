//===- InitAllPasses.h - Register every pass Strata uses --------*- C++ -*-===//
//
// The one registration point for passes and pass pipelines, used by every
// tool and by the Python bindings.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_INITALLPASSES_H
#define STRATA_INITALLPASSES_H

namespace strata {

/// Registers every upstream pass and all of Strata's passes and pipelines.
void registerAllPasses();

} // namespace strata

#endif // STRATA_INITALLPASSES_H
