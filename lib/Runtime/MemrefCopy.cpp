//===- MemrefCopy.cpp - Copies between strided views ----------------------===//
//
// memref.copy between views that are not both contiguous lowers to a call
// of `memrefCopy` (MLIR's C runner utilities define it; a deployed model
// must not need MLIR, so the runtime library has its own).
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstring>
#include <vector>

namespace {
/// An unranked memref as the compiled code passes it: the rank and a
/// pointer to {allocated, aligned, offset, sizes[rank], strides[rank]}.
struct UnrankedMemRef {
  int64_t rank;
  void *descriptor;
};

struct View {
  char *data;
  const int64_t *sizes;
  const int64_t *strides;
};

View viewOf(const UnrankedMemRef &m, int64_t elemSize) {
  auto *words = static_cast<int64_t *>(m.descriptor);
  char *aligned = reinterpret_cast<char *>(words[1]);
  return {aligned + words[2] * elemSize, words + 3, words + 3 + m.rank};
}
} // namespace

extern "C" void memrefCopy(int64_t elemSize, UnrankedMemRef *srcArg,
                           UnrankedMemRef *dstArg) {
  int64_t rank = srcArg->rank;
  View src = viewOf(*srcArg, elemSize), dst = viewOf(*dstArg, elemSize);
  for (int64_t d = 0; d < rank; ++d)
    if (src.sizes[d] == 0)
      return;
  if (rank == 0) {
    std::memcpy(dst.data, src.data, elemSize);
    return;
  }
  // The innermost dimension is one memcpy when both sides are contiguous
  // there; the outer ones are counted like an odometer.
  int64_t inner = src.sizes[rank - 1];
  bool contiguous = src.strides[rank - 1] == 1 && dst.strides[rank - 1] == 1;
  std::vector<int64_t> index(rank, 0);
  for (;;) {
    int64_t srcOffset = 0, dstOffset = 0;
    for (int64_t d = 0; d < rank - 1; ++d) {
      srcOffset += index[d] * src.strides[d];
      dstOffset += index[d] * dst.strides[d];
    }
    char *from = src.data + srcOffset * elemSize;
    char *to = dst.data + dstOffset * elemSize;
    if (contiguous) {
      std::memcpy(to, from, inner * elemSize);
    } else {
      for (int64_t i = 0; i < inner; ++i)
        std::memcpy(to + i * dst.strides[rank - 1] * elemSize,
                    from + i * src.strides[rank - 1] * elemSize, elemSize);
    }
    int64_t d = rank - 2;
    for (; d >= 0; --d) {
      if (++index[d] < src.sizes[d])
        break;
      index[d] = 0;
    }
    if (d < 0)
      return;
  }
}
