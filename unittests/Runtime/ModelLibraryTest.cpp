//===- ModelLibraryTest.cpp - Model descriptions and strided copies -------===//

#include "strata/Runtime/ModelLibrary.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace strata;

namespace {

TEST(ModelMetadata, RoundTripsAnyName) {
  ModelMetadata metadata;
  metadata.entry = "main graph";
  metadata.threads = 3;
  TensorSpec in;
  in.name = "input %1\nwith newline";
  in.dtype = DType::I64;
  in.shape = {1, 0, 7};
  in.specialized = true;
  TensorSpec out;
  out.name = "";
  out.dtype = DType::Bool;
  metadata.inputs = {in};
  metadata.outputs = {out};
  metadata.kernels = {{"k0", {"Conv_0", "Relu 1"}}, {"k1", {}}};

  ModelMetadata parsed;
  std::string error;
  ASSERT_TRUE(
      parseModelMetadata(serializeModelMetadata(metadata), parsed, error))
      << error;
  EXPECT_EQ(parsed.entry, "main graph");
  EXPECT_EQ(parsed.threads, 3);
  ASSERT_EQ(parsed.inputs.size(), 1u);
  EXPECT_EQ(parsed.inputs[0].name, in.name);
  EXPECT_EQ(parsed.inputs[0].dtype, DType::I64);
  EXPECT_EQ(parsed.inputs[0].shape, in.shape);
  EXPECT_TRUE(parsed.inputs[0].specialized);
  ASSERT_EQ(parsed.outputs.size(), 1u);
  EXPECT_EQ(parsed.outputs[0].name, "");
  EXPECT_TRUE(parsed.outputs[0].shape.empty());
  ASSERT_EQ(parsed.kernels.size(), 2u);
  EXPECT_EQ(parsed.kernels[0].nodes,
            (std::vector<std::string>{"Conv_0", "Relu 1"}));
  EXPECT_TRUE(parsed.kernels[1].nodes.empty());
}

TEST(ModelMetadata, RejectsMalformedText) {
  ModelMetadata parsed;
  std::string error;
  EXPECT_FALSE(parseModelMetadata("", parsed, error));
  EXPECT_EQ(error, "not a Strata model description");
  EXPECT_FALSE(parseModelMetadata("strata-model 99\n", parsed, error));
  EXPECT_NE(error.find("version 99"), std::string::npos);
  EXPECT_FALSE(
      parseModelMetadata("strata-model 1\ninput x f99 0 0\n", parsed, error));
  EXPECT_NE(error.find("line 2"), std::string::npos);
  EXPECT_FALSE(
      parseModelMetadata("strata-model 1\ninput x f32 0 2 4\n", parsed, error));
  EXPECT_FALSE(parseModelMetadata("strata-model 1\nentry %4\n", parsed, error));
  EXPECT_FALSE(
      parseModelMetadata("strata-model 1\nthreads 0\n", parsed, error));
}

TEST(ModelLibrary, ExplainsWhatCannotBeLoaded) {
  std::string error;
  EXPECT_EQ(ModelLibrary::open("/nonexistent/model.so", error), nullptr);
  EXPECT_EQ(error, "cannot open '/nonexistent/model.so': no such file or no "
                   "permission");
}

} // namespace

// What memref.copy of strided views calls (lib/Runtime/MemrefCopy.cpp).
struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};
extern "C" void memrefCopy(int64_t elemSize, UnrankedMemRef *src,
                           UnrankedMemRef *dst);

namespace {

TEST(MemrefCopy, CopiesStridedViews) {
  // src: the 2x3 view at offset 1 of a 3x4 buffer (strides 4, 1);
  // dst: a 2x3 view with strides (1, 2) (column-major) of a 6-buffer.
  float source[12], target[6] = {};
  for (int i = 0; i < 12; ++i)
    source[i] = float(i);
  int64_t srcDesc[7] = {reinterpret_cast<int64_t>(source),
                        reinterpret_cast<int64_t>(source),
                        1,
                        2,
                        3,
                        4,
                        1};
  int64_t dstDesc[7] = {reinterpret_cast<int64_t>(target),
                        reinterpret_cast<int64_t>(target),
                        0,
                        2,
                        3,
                        1,
                        2};
  UnrankedMemRef src{2, srcDesc}, dst{2, dstDesc};
  memrefCopy(sizeof(float), &src, &dst);
  // target[i + 2 j] = source[1 + 4 i + j].
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_EQ(target[i + 2 * j], source[1 + 4 * i + j]) << i << "," << j;

  // Rank 0: one element.
  float one = 5, other = 0;
  int64_t a[3] = {reinterpret_cast<int64_t>(&one),
                  reinterpret_cast<int64_t>(&one), 0};
  int64_t b[3] = {reinterpret_cast<int64_t>(&other),
                  reinterpret_cast<int64_t>(&other), 0};
  UnrankedMemRef s0{0, a}, d0{0, b};
  memrefCopy(sizeof(float), &s0, &d0);
  EXPECT_EQ(other, 5);
}

} // namespace
