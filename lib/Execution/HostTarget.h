//===- HostTarget.h - The CPU compiled code is generated for ----*- C++ -*-===//

#ifndef STRATA_EXECUTION_HOSTTARGET_H
#define STRATA_EXECUTION_HOSTTARGET_H

#include <string>

namespace strata {

/// The host CPU's name, as LLVM knows it ("znver4", "sapphirerapids").
const std::string &hostCPUName();

/// The target features compiled code is generated with: every feature of
/// the host, on or off, plus Strata's own tuning. The compile cache keys
/// models by it, so that a model is only loaded where it was made for.
const std::string &hostTargetFeatures();

} // namespace strata

#endif // STRATA_EXECUTION_HOSTTARGET_H
