//===- TargetInfo.cpp - The host CPU's registers and caches ---------------===//

#include "strata/Codegen/CPU/TargetInfo.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/TargetParser/Host.h"

#include <string>
#include <thread>
#include <unistd.h>

using namespace strata::cpu;

/// The contents of a small sysfs file, trimmed; empty if it cannot be read.
static std::string readSysfs(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFileAsStream(path);
  if (!buffer)
    return "";
  return (*buffer)->getBuffer().trim().str();
}

/// The size in bytes of cpu0's cache of `level` and `type` ("Data",
/// "Unified") as sysfs reports it ("48K"), or 0.
static int64_t sysfsCacheBytes(int level, llvm::StringRef type) {
  for (int index = 0; index < 16; ++index) {
    std::string dir =
        "/sys/devices/system/cpu/cpu0/cache/index" + std::to_string(index);
    std::string levelText = readSysfs(dir + "/level");
    if (levelText.empty())
      break;
    if (levelText != std::to_string(level) || readSysfs(dir + "/type") != type)
      continue;
    std::string sizeText = readSysfs(dir + "/size");
    llvm::StringRef size = sizeText;
    int64_t scale = 1;
    if (size.consume_back("K"))
      scale = 1024;
    else if (size.consume_back("M"))
      scale = 1024 * 1024;
    int64_t value = 0;
    if (!size.getAsInteger(10, value) && value > 0)
      return value * scale;
  }
  return 0;
}

/// A cache size from sysfs, else from the C library, else `fallback`.
static int64_t cacheBytes(int level, llvm::StringRef type, int sysconfName,
                          int64_t fallback) {
  if (int64_t bytes = sysfsCacheBytes(level, type))
    return bytes;
  long bytes = sysconf(sysconfName);
  return bytes > 0 ? bytes : fallback;
}

static TargetInfo detectHost() {
  TargetInfo info;
  llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
  if (features.lookup("avx512f"))
    info.vectorLanes = 16;
  else if (features.lookup("avx2") || features.lookup("avx"))
    info.vectorLanes = 8;
  info.vectorRegisters = info.vectorLanes == 16 ? 32 : 16;
  bool vnni512 = features.lookup("avx512vnni");
  info.int8DotProduct =
      info.vectorLanes == 16
          ? vnni512
          : info.vectorLanes == 8 && (features.lookup("avxvnni") ||
                                      (vnni512 && features.lookup("avx512vl")));
  info.l1DataBytes =
      cacheBytes(1, "Data", _SC_LEVEL1_DCACHE_SIZE, info.l1DataBytes);
  info.l2Bytes = cacheBytes(2, "Unified", _SC_LEVEL2_CACHE_SIZE, info.l2Bytes);
  unsigned cores = std::thread::hardware_concurrency();
  info.cores = cores ? cores : 1;
  return info;
}

const TargetInfo &TargetInfo::host() {
  static const TargetInfo info = detectHost();
  return info;
}

TargetInfo TargetInfo::withVectorLanes(int64_t lanes) const {
  TargetInfo info = *this;
  info.vectorLanes = lanes;
  info.vectorRegisters = lanes >= 16 ? 32 : 16;

  return info;
}
