//===- Tensor.h - Host tensors exchanged with compiled code -----*- C++ -*-===//
//
// Element types and shapes of the dense, row-major tensors that compiled
// models read and write, and their .npy I/O. Independent of MLIR.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_RUNTIME_TENSOR_H
#define STRATA_RUNTIME_TENSOR_H

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace strata {

/// Element types a compiled model can exchange with its caller.
enum class DType {
  F16,
  BF16,
  F32,
  F64,
  Bool,
  I8,
  I16,
  I32,
  I64,
  U8,
  U16,
  U32,
  U64
};

/// Size of one element in bytes (bool is one byte).
size_t dtypeSize(DType dtype);

/// Strata's name of a dtype (`f32`, `i64`, `bool`, ...).
const char *dtypeName(DType dtype);

/// The dtype called `name` (Strata names: f32, i64, bool, ...).
std::optional<DType> parseDType(const std::string &name);

/// The most bytes one tensor may have (128 TiB): byte offsets into it, and
/// element counts, then stay far from int64 overflow in compiled code.
inline constexpr int64_t kMaxTensorBytes = int64_t(1) << 47;

/// The number of elements of `shape`, or std::nullopt if a dimension is
/// negative or the count overflows int64. The one place where Strata
/// multiplies dimensions: the importer, the graph dialect's verifier, the
/// compiled models' signature checks and the .npy reader all count with it.
std::optional<int64_t> checkedNumElements(const int64_t *dims, size_t rank);
inline std::optional<int64_t>
checkedNumElements(const std::vector<int64_t> &shape) {
  return checkedNumElements(shape.data(), shape.size());
}

/// The bytes of a tensor of `shape` with elements of `elementBits` bits
/// (rounded up to whole bytes), or std::nullopt if that is more than
/// kMaxTensorBytes or the shape is invalid (see checkedNumElements).
std::optional<int64_t> checkedNumBytes(const int64_t *dims, size_t rank,
                                       int64_t elementBits);

/// The shape and element type of a tensor, with an optional name.
struct TensorSpec {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  /// An input whose value the model was compiled for (a shape operand given
  /// at import, `strata.specialized`): other values need another compile.
  bool specialized = false;

  int64_t numElements() const;
  size_t numBytes() const { return numElements() * dtypeSize(dtype); }
  /// `x: 2x3xf32` style description for messages.
  std::string str() const;
};

/// A tensor owning its (64-byte aligned) storage.
class HostTensor {
public:
  HostTensor() = default;
  /// A zero-filled tensor of `dtype` and `shape`; std::nullopt, with the
  /// reason in `error`, if the shape is invalid, larger than
  /// kMaxTensorBytes, or the memory cannot be had.
  static std::optional<HostTensor>
  allocate(DType dtype, std::vector<int64_t> shape, std::string &error);
  /// The same for a shape known to be valid (a compiled model's, already
  /// checked by allocate's rules); data() is null if allocation failed.
  HostTensor(DType dtype, std::vector<int64_t> shape);

  DType dtype() const { return dtype_; }
  const std::vector<int64_t> &shape() const { return shape_; }
  int64_t numElements() const;
  size_t numBytes() const { return bytes_; }
  void *data() { return storage_.get(); }
  const void *data() const { return storage_.get(); }
  /// Reads the same bytes as `dtype` (elements of the same size: bfloat16
  /// bit patterns held in a uint16 array, as numpy has no bfloat16).
  /// Returns false, changing nothing, if the sizes differ.
  bool reinterpret(DType dtype);

private:
  struct Free {
    void operator()(void *p) const;
  };
  DType dtype_ = DType::F32;
  std::vector<int64_t> shape_;
  size_t bytes_ = 0;
  std::unique_ptr<void, Free> storage_;
};

/// Reads a .npy file (format 1.0-3.0, little-endian, C order). On failure
/// returns std::nullopt and sets `error` to what is wrong with the file.
std::optional<HostTensor> readNpy(const std::string &path, std::string &error);

/// The same from a stream; `path` names it in errors.
std::optional<HostTensor> readNpy(std::istream &in, const std::string &path,
                                  std::string &error);

/// Writes a .npy file (format 1.0); bfloat16 as its uint16 bit patterns.
/// Returns false and sets `error` on failure.
bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error);

/// Renders the values of a tensor as nested lists, eliding the middle of
/// long dimensions (numpy style), for `strata-run --print`.
std::string formatTensor(const HostTensor &tensor, int64_t edgeItems = 3);

} // namespace strata

#endif // STRATA_RUNTIME_TENSOR_H
