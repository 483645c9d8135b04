//===- Tensor.cpp - Host tensors and .npy I/O -----------------------------===//

#include "strata/Runtime/Tensor.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace strata {

namespace {
struct DTypeInfo {
  DType dtype;
  const char *name;
  const char *npy; ///< numpy descr without the byte-order character.
  size_t size;
};
const DTypeInfo kDTypes[] = {
    {DType::F16, "f16", "f2", 2},   {DType::BF16, "bf16", "", 2},
    {DType::F32, "f32", "f4", 4},   {DType::F64, "f64", "f8", 8},
    {DType::Bool, "bool", "b1", 1}, {DType::I8, "i8", "i1", 1},
    {DType::I16, "i16", "i2", 2},   {DType::I32, "i32", "i4", 4},
    {DType::I64, "i64", "i8", 8},   {DType::U8, "u8", "u1", 1},
    {DType::U16, "u16", "u2", 2},   {DType::U32, "u32", "u4", 4},
    {DType::U64, "u64", "u8", 8},
};
const DTypeInfo &info(DType dtype) {
  for (const DTypeInfo &i : kDTypes)
    if (i.dtype == dtype)
      return i;
  std::abort();
}
} // namespace

size_t dtypeSize(DType dtype) { return info(dtype).size; }
const char *dtypeName(DType dtype) { return info(dtype).name; }

std::optional<DType> parseDType(const std::string &name) {
  for (const DTypeInfo &i : kDTypes)
    if (name == i.name)
      return i.dtype;
  return std::nullopt;
}

std::optional<int64_t> checkedNumElements(const int64_t *dims, size_t rank) {
  int64_t n = 1;
  for (size_t i = 0; i < rank; ++i) {
    if (dims[i] < 0 || __builtin_mul_overflow(n, dims[i], &n))
      return std::nullopt;
  }
  return n;
}

std::optional<int64_t> checkedNumBytes(const int64_t *dims, size_t rank,
                                       int64_t elementBits) {
  std::optional<int64_t> n = checkedNumElements(dims, rank);
  if (!n || elementBits <= 0 || *n > kMaxTensorBytes)
    return std::nullopt;
  // n <= 2^47 and elementBits is a type's width: no overflow here.
  int64_t bytes = (*n * elementBits + 7) / 8;
  if (bytes > kMaxTensorBytes)
    return std::nullopt;
  return bytes;
}

int64_t TensorSpec::numElements() const {
  return checkedNumElements(shape).value_or(0);
}

std::string TensorSpec::str() const {
  std::string s = name.empty() ? "" : name + ": ";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + dtypeName(dtype);
}

void HostTensor::Free::operator()(void *p) const { std::free(p); }

HostTensor::HostTensor(DType dtype, std::vector<int64_t> shape)
    : dtype_(dtype), shape_(std::move(shape)) {
  std::optional<int64_t> bytes = checkedNumBytes(shape_.data(), shape_.size(),
                                                 int64_t(dtypeSize(dtype)) * 8);
  if (!bytes)
    return;
  // 64-byte alignment suits AVX-512 loads; aligned_alloc needs a multiple.
  size_t rounded = ((size_t(*bytes) + 63) / 64) * 64;
  storage_.reset(std::aligned_alloc(64, rounded ? rounded : 64));
  if (!storage_)
    return;
  bytes_ = size_t(*bytes);
  std::memset(storage_.get(), 0, rounded ? rounded : 64);
}

std::optional<HostTensor> HostTensor::allocate(DType dtype,
                                               std::vector<int64_t> shape,
                                               std::string &error) {
  TensorSpec spec{"", dtype, shape};
  std::optional<int64_t> bytes = checkedNumBytes(shape.data(), shape.size(),
                                                 int64_t(dtypeSize(dtype)) * 8);
  if (!bytes) {
    error = "a tensor of shape " + spec.str() +
            " is invalid or larger than a tensor can be (" +
            std::to_string(kMaxTensorBytes) + " bytes at most)";
    return std::nullopt;
  }
  HostTensor tensor(dtype, std::move(shape));
  if (!tensor.data()) {
    error = "cannot allocate " + std::to_string(*bytes) + " bytes for a " +
            spec.str() + " tensor";
    return std::nullopt;
  }
  return tensor;
}

int64_t HostTensor::numElements() const {
  return checkedNumElements(shape_).value_or(0);
}

//===----------------------------------------------------------------------===//
// .npy
//===----------------------------------------------------------------------===//

/// Finds `'key':` in a numpy header dict and returns the text after it.
static std::optional<std::string> headerValue(const std::string &header,
                                              const std::string &key) {
  size_t pos = header.find("'" + key + "'");
  if (pos == std::string::npos)
    return std::nullopt;
  pos = header.find(':', pos);
  if (pos == std::string::npos)
    return std::nullopt;
  size_t start = header.find_first_not_of(' ', pos + 1);
  if (start == std::string::npos)
    return std::nullopt;
  return header.substr(start);
}

std::optional<HostTensor> readNpy(const std::string &path, std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "'";
    return std::nullopt;
  }
  return readNpy(in, path, error);
}

std::optional<HostTensor> readNpy(std::istream &in, const std::string &path,
                                  std::string &error) {
  char magic[8];
  if (!in.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) {
    error = "'" + path + "' is not a .npy file (bad magic)";
    return std::nullopt;
  }
  int major = static_cast<unsigned char>(magic[6]);
  uint32_t headerLen = 0;
  if (major == 1) {
    unsigned char len[2];
    if (!in.read(reinterpret_cast<char *>(len), 2)) {
      error = "'" + path + "' is truncated (no header length)";
      return std::nullopt;
    }
    headerLen = len[0] | (len[1] << 8);
  } else if (major == 2 || major == 3) {
    unsigned char len[4];
    if (!in.read(reinterpret_cast<char *>(len), 4)) {
      error = "'" + path + "' is truncated (no header length)";
      return std::nullopt;
    }
    headerLen = len[0] | (len[1] << 8) | (len[2] << 16) | (len[3] << 24);
  } else {
    error =
        "'" + path + "' has unsupported .npy version " + std::to_string(major);
    return std::nullopt;
  }
  if (headerLen > (1u << 20)) {
    error = "'" + path + "' has an implausible header length";
    return std::nullopt;
  }
  std::string header(headerLen, '\0');
  if (!in.read(header.data(), headerLen)) {
    error = "'" + path + "' is truncated (incomplete header)";
    return std::nullopt;
  }

  std::optional<std::string> descr = headerValue(header, "descr");
  std::optional<std::string> fortran = headerValue(header, "fortran_order");
  std::optional<std::string> shapeText = headerValue(header, "shape");
  if (!descr || !fortran || !shapeText || descr->size() < 4 ||
      (*descr)[0] != '\'') {
    error = "'" + path + "' has a malformed header: " + header;
    return std::nullopt;
  }
  if (fortran->rfind("True", 0) == 0) {
    error =
        "'" + path + "' is in Fortran order; save it with np.ascontiguousarray";
    return std::nullopt;
  }
  if (fortran->rfind("False", 0) != 0) {
    error = "'" + path +
            "' has a malformed header: fortran_order is neither "
            "True nor False";
    return std::nullopt;
  }
  size_t close = descr->find('\'', 1);
  std::string code = descr->substr(1, close - 1);
  char order = code.empty() ? '?' : code[0];
  if (order == '>') {
    error = "'" + path + "' is big-endian (" + code +
            "); only little-endian "
            "data is supported";
    return std::nullopt;
  }
  std::string kind =
      (order == '<' || order == '|' || order == '=') ? code.substr(1) : code;
  std::optional<DType> dtype;
  for (const DTypeInfo &i : kDTypes)
    if (*i.npy && kind == i.npy)
      dtype = i.dtype;
  if (!dtype) {
    error = "'" + path + "' has unsupported dtype '" + code + "'";
    return std::nullopt;
  }
  std::vector<int64_t> shape;
  {
    size_t open = shapeText->find('('), end = shapeText->find(')');
    if (open == std::string::npos || end == std::string::npos) {
      error = "'" + path + "' has a malformed shape in its header";
      return std::nullopt;
    }
    std::stringstream dims(shapeText->substr(open + 1, end - open - 1));
    std::string item;
    while (std::getline(dims, item, ',')) {
      size_t first = item.find_first_not_of(' ');
      if (first == std::string::npos)
        continue;
      char *endp = nullptr;
      errno = 0;
      long long d = std::strtoll(item.c_str() + first, &endp, 10);
      // A dimension is digits, then only spaces (and numpy's "L" suffix).
      size_t rest = endp - item.c_str();
      bool trailing = item.find_first_not_of(" L", rest) != std::string::npos;
      if (d < 0 || errno == ERANGE || endp == item.c_str() + first ||
          trailing) {
        error = "'" + path + "' has a malformed shape in its header: (" +
                shapeText->substr(open + 1, end - open - 1) + ")";
        return std::nullopt;
      }
      shape.push_back(d);
    }
  }
  // The data must be there before memory is taken for it: a header may
  // claim any shape.
  std::optional<int64_t> expected = checkedNumBytes(
      shape.data(), shape.size(), int64_t(dtypeSize(*dtype)) * 8);
  std::streampos dataStart = in.tellg();
  if (expected && dataStart != std::streampos(-1) &&
      in.seekg(0, std::ios::end)) {
    int64_t available = int64_t(in.tellg() - dataStart);
    in.seekg(dataStart);
    if (available < *expected) {
      error = "'" + path + "' is truncated: expected " +
              std::to_string(*expected) + " bytes of data, found " +
              std::to_string(available);
      return std::nullopt;
    }
  }
  in.clear();
  in.seekg(dataStart);
  std::string allocError;
  std::optional<HostTensor> tensor =
      HostTensor::allocate(*dtype, shape, allocError);
  if (!tensor) {
    error = "'" + path + "': " + allocError;
    return std::nullopt;
  }
  if (!in.read(static_cast<char *>(tensor->data()), tensor->numBytes())) {
    error = "'" + path + "' is truncated: expected " +
            std::to_string(tensor->numBytes()) + " bytes of data, found " +
            std::to_string(in.gcount());
    return std::nullopt;
  }
  if (in.peek() != std::char_traits<char>::eof()) {
    error = "'" + path + "' has data after its " +
            std::to_string(tensor->numBytes()) +
            " bytes (a shape or dtype that does not match the data?)";
    return std::nullopt;
  }
  return tensor;
}

bool HostTensor::reinterpret(DType dtype) {
  if (dtypeSize(dtype) != dtypeSize(dtype_))
    return false;
  dtype_ = dtype;
  return true;
}

bool writeNpy(const std::string &path, const HostTensor &tensor,
              std::string &error) {
  // numpy has no bfloat16: its bit patterns are written as uint16.
  const DTypeInfo &i =
      info(tensor.dtype() == DType::BF16 ? DType::U16 : tensor.dtype());
  if (!*i.npy) {
    error = std::string("dtype ") + i.name + " has no .npy equivalent";
    return false;
  }
  std::string shape = "(";
  for (int64_t d : tensor.shape())
    shape += std::to_string(d) + ", ";
  if (tensor.shape().size() > 1)
    shape.erase(shape.size() - 2);
  else if (tensor.shape().size() == 1)
    shape.erase(shape.size() - 1);
  shape += ")";
  std::string header = std::string("{'descr': '") + (i.size == 1 ? "|" : "<") +
                       i.npy + "', 'fortran_order': False, 'shape': " + shape +
                       ", }";
  // Pad with spaces so that the data starts 64-byte aligned, then newline.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  if (!out) {
    error = "cannot write '" + path + "'";
    return false;
  }
  unsigned char preamble[10] = {
      0x93,
      'N',
      'U',
      'M',
      'P',
      'Y',
      1,
      0,
      static_cast<unsigned char>(header.size() & 0xff),
      static_cast<unsigned char>(header.size() >> 8)};
  out.write(reinterpret_cast<char *>(preamble), 10);
  out.write(header.data(), header.size());
  out.write(static_cast<const char *>(tensor.data()), tensor.numBytes());
  if (!out) {
    error = "failed writing '" + path + "'";
    return false;
  }
  return true;
}

//===----------------------------------------------------------------------===//
// Printing
//===----------------------------------------------------------------------===//

/// An IEEE half (`bf16 = false`) or bfloat16 as a float.
static float halfToFloat(uint16_t bits, bool bf16) {
  uint32_t f;
  if (bf16) {
    f = static_cast<uint32_t>(bits) << 16;
  } else {
    uint32_t sign = (bits & 0x8000u) << 16, exp = (bits >> 10) & 0x1f,
             mant = bits & 0x3ff;
    if (exp == 0x1f) { // Inf or NaN.
      f = sign | 0x7f800000u | (mant << 13);
    } else if (exp != 0) { // Normal.
      f = sign | ((exp + 112) << 23) | (mant << 13);
    } else if (mant == 0) { // Zero.
      f = sign;
    } else { // Subnormal: renormalize.
      exp = 113;
      while (!(mant & 0x400)) {
        mant <<= 1;
        --exp;
      }
      f = sign | (exp << 23) | ((mant & 0x3ff) << 13);
    }
  }
  float out;
  std::memcpy(&out, &f, 4);
  return out;
}

static std::string formatElement(const HostTensor &t, int64_t index) {
  const char *p = static_cast<const char *>(t.data());
  char buf[64];
  switch (t.dtype()) {
  case DType::F32:
    std::snprintf(buf, sizeof(buf), "%.6g",
                  reinterpret_cast<const float *>(p)[index]);
    return buf;
  case DType::F64:
    std::snprintf(buf, sizeof(buf), "%.6g",
                  reinterpret_cast<const double *>(p)[index]);
    return buf;
  case DType::Bool:
    return p[index] ? "true" : "false";
  case DType::I8:
    return std::to_string(reinterpret_cast<const int8_t *>(p)[index]);
  case DType::U8:
    return std::to_string(reinterpret_cast<const uint8_t *>(p)[index]);
  case DType::U16:
    return std::to_string(reinterpret_cast<const uint16_t *>(p)[index]);
  case DType::U32:
    return std::to_string(reinterpret_cast<const uint32_t *>(p)[index]);
  case DType::U64:
    return std::to_string(reinterpret_cast<const uint64_t *>(p)[index]);
  case DType::I16:
    return std::to_string(reinterpret_cast<const int16_t *>(p)[index]);
  case DType::I32:
    return std::to_string(reinterpret_cast<const int32_t *>(p)[index]);
  case DType::I64:
    return std::to_string(reinterpret_cast<const int64_t *>(p)[index]);
  case DType::F16:
  case DType::BF16:
    std::snprintf(buf, sizeof(buf), "%.4g",
                  halfToFloat(reinterpret_cast<const uint16_t *>(p)[index],
                              t.dtype() == DType::BF16));
    return buf;
  }
  return "?";
}

static void formatDims(const HostTensor &t, size_t dim, int64_t offset,
                       int64_t edge, std::string &out) {
  // Like numpy: only tensors of more than 1000 elements are summarized.
  if (dim == 0 && t.numElements() <= 1000)
    edge = std::max<int64_t>(t.numElements(), 1);
  const std::vector<int64_t> &shape = t.shape();
  if (dim == shape.size()) {
    out += formatElement(t, offset);
    return;
  }
  int64_t stride = 1;
  for (size_t d = dim + 1; d < shape.size(); ++d)
    stride *= shape[d];
  out += '[';
  for (int64_t i = 0; i < shape[dim]; ++i) {
    if (shape[dim] > 2 * edge && i == edge) {
      out += "..., ";
      i = shape[dim] - edge - 1;
      continue;
    }
    formatDims(t, dim + 1, offset + i * stride, edge, out);
    if (i + 1 < shape[dim])
      out += dim + 1 == shape.size() ? ", " : ",\n" + std::string(dim + 1, ' ');
  }
  out += ']';
}

std::string formatTensor(const HostTensor &tensor, int64_t edgeItems) {
  // numpy prints an empty array of any rank as [].
  if (tensor.numElements() == 0)
    return "[]";
  std::string out;
  formatDims(tensor, 0, 0, edgeItems, out);
  return out;
}

} // namespace strata
