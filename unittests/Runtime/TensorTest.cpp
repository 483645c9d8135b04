//===- TensorTest.cpp - The runtime library on its own --------------------===//
//
// Linked against StrataRuntime and GoogleTest only: the runtime has no LLVM
// or MLIR dependency, as compiled models and deployments need it.
//
//===----------------------------------------------------------------------===//

#include "strata/Runtime/Tensor.h"
#include "strata/Runtime/Allocator.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>
#include <string>

using namespace strata;

TEST(HostTensor, SizesAndAlignment) {
  HostTensor t(DType::F32, {2, 3, 5});
  EXPECT_EQ(t.numElements(), 30);
  EXPECT_EQ(t.numBytes(), 120u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(t.data()) % 64, 0u);
}

TEST(Npy, RoundTrip) {
  HostTensor t(DType::I32, {2, 2});
  int32_t values[] = {1, -2, 3, 1 << 30};
  std::memcpy(t.data(), values, sizeof(values));
  std::string path = testing::TempDir() + "strata_roundtrip.npy";
  std::string error;
  ASSERT_TRUE(writeNpy(path, t, error)) << error;
  std::optional<HostTensor> back = readNpy(path, error);
  ASSERT_TRUE(back.has_value()) << error;
  EXPECT_EQ(back->dtype(), DType::I32);
  EXPECT_EQ(back->shape(), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(std::memcmp(back->data(), values, sizeof(values)), 0);
  std::remove(path.c_str());
}

TEST(Npy, MissingFileIsAnError) {
  std::string error;
  EXPECT_FALSE(readNpy("/nonexistent/strata.npy", error).has_value());
  EXPECT_NE(error.find("/nonexistent/strata.npy"), std::string::npos) << error;
}

TEST(Allocator, KeepTemporariesInHeapThenAllocate) {
  keepTemporariesInHeap();
  HostTensor big(DType::F32, {1024, 1024});
  EXPECT_NE(big.data(), nullptr);
}

TEST(FormatTensor, EmptyAndSmall) {
  // An empty tensor of any rank prints as numpy does.
  EXPECT_EQ(formatTensor(HostTensor(DType::F32, {1, 0, 4})), "[]");
  HostTensor t(DType::I32, {2, 2});
  int32_t values[] = {1, 2, 3, 4};
  std::memcpy(t.data(), values, sizeof(values));
  EXPECT_EQ(formatTensor(t), "[[1, 2],\n [3, 4]]");
}
