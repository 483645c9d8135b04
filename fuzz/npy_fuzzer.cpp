//===- npy_fuzzer.cpp - Bytes as a .npy file ------------------------------===//
//
// libFuzzer target: any bytes as a .npy file. The reader must return a
// tensor whose bytes match its shape, or an error.
//
//===----------------------------------------------------------------------===//

#include "strata/Runtime/Tensor.h"

#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::istringstream in(
      std::string(reinterpret_cast<const char *>(data), size));
  std::string error;
  std::optional<strata::HostTensor> tensor =
      strata::readNpy(in, "fuzz.npy", error);
  if (tensor && tensor->numBytes() != size_t(tensor->numElements()) *
                                          strata::dtypeSize(tensor->dtype()))
    std::abort();
  if (!tensor && error.empty())
    std::abort(); // Every failure says why.
  return 0;
}
