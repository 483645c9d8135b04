//===- SparseFormats.cpp - Sparse formats of matmul weights ---------------===//

#include "strata/Dialect/TensorX/IR/SparseFormats.h"

#include "mlir/AsmParser/AsmParser.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace strata::tensorx;
namespace st = mlir::sparse_tensor;

std::string SparseFormat::name() const {
  switch (kind) {
  case Kind::CSR:
    return "csr";
  case Kind::CSC:
    return "csc";
  case Kind::BSR:
    return llvm::formatv("bsr{0}x{1}", blockRows, blockCols).str();
  case Kind::Structured:
    return llvm::formatv("{0}:{1}", n, m).str();
  }
  return "";
}

std::optional<SparseFormat> SparseFormat::parse(StringRef name) {
  SparseFormat format;
  if (name == "csr") {
    format.kind = Kind::CSR;
    return format;
  }
  if (name == "csc") {
    format.kind = Kind::CSC;
    return format;
  }
  auto positive = [](StringRef text, int64_t &into) {
    return !text.getAsInteger(10, into) && into > 0;
  };
  if (name.consume_front("bsr")) {
    auto [rows, cols] = name.split('x');
    format.kind = Kind::BSR;
    if (positive(rows, format.blockRows) && positive(cols, format.blockCols))
      return format;
    return std::nullopt;
  }
  auto [n, m] = name.split(':');
  format.kind = Kind::Structured;
  if (positive(n, format.n) && positive(m, format.m) && format.n < format.m)
    return format;
  return std::nullopt;
}

st::SparseTensorEncodingAttr
SparseFormat::encoding(MLIRContext *context) const {
  std::string map;
  switch (kind) {
  case Kind::CSR:
    map = "(k, n) -> (k : dense, n : compressed)";
    break;
  case Kind::CSC:
    map = "(k, n) -> (n : dense, k : compressed)";
    break;
  case Kind::BSR:
    // A block of one row has no row level inside the block (`k floordiv 1`
    // has no inverse upstream can infer).
    if (blockRows == 1)
      map = llvm::formatv("(k, n) -> (k : dense, n floordiv {0} : "
                          "compressed, n mod {0} : dense)",
                          blockCols)
                .str();
    else
      map = llvm::formatv("(k, n) -> (k floordiv {0} : dense, n floordiv {1} "
                          ": compressed, k mod {0} : dense, n mod {1} : dense)",
                          blockRows, blockCols)
                .str();
    break;
  case Kind::Structured:
    map = llvm::formatv("(k, n) -> (n : dense, k : structured[{0}, {1}])", n, m)
              .str();
    break;
  }
  std::string text = "#sparse_tensor.encoding<{ map = " + map + " }>";
  return dyn_cast_or_null<st::SparseTensorEncodingAttr>(
      parseAttribute(text, context));
}

std::optional<SparseFormat>
SparseFormat::fromEncoding(st::SparseTensorEncodingAttr encoding) {
  if (!encoding || encoding.getDimRank() != 2)
    return std::nullopt;
  SparseFormat format;
  AffineMap map = encoding.getDimToLvl();
  SmallVector<st::LevelType> levels;
  for (st::Level l = 0; l < encoding.getLvlRank(); ++l)
    levels.push_back(encoding.getLvlType(l));
  auto isDense = [](st::LevelType lt) { return st::isDenseLT(lt); };
  if (levels.size() == 2 && isDense(levels[0])) {
    bool identity = !map || map.isIdentity();
    bool transposed = map && map.isPermutation() && !identity;
    if (st::isCompressedLT(levels[1]) && (identity || transposed)) {
      format.kind = identity ? Kind::CSR : Kind::CSC;
      return format;
    }
    if (st::isNOutOfMLT(levels[1]) && transposed) {
      format.kind = Kind::Structured;
      format.n = st::getN(levels[1]);
      format.m = st::getM(levels[1]);
      return format;
    }
    return std::nullopt;
  }
  // (k [floordiv R] : dense, n floordiv C : compressed, [k mod R : dense,]
  //  n mod C : dense)
  if ((levels.size() == 3 || levels.size() == 4) && map &&
      st::isBlockSparsity(map) && isDense(levels[0]) &&
      st::isCompressedLT(levels[1]) &&
      llvm::all_of(llvm::drop_begin(levels, 2), isDense)) {
    SmallVector<unsigned> blocks = st::getBlockSize(map);
    format.kind = Kind::BSR;
    format.blockRows = std::max<unsigned>(blocks[0], 1);
    format.blockCols = std::max<unsigned>(blocks[1], 1);
    return format;
  }
  return std::nullopt;
}

double strata::tensorx::density(ArrayRef<float> data) {
  if (data.empty())
    return 0.0;
  int64_t nonZeros = llvm::count_if(data, [](float v) { return v != 0.0f; });
  return static_cast<double>(nonZeros) / data.size();
}

std::optional<std::string>
strata::tensorx::findViolation(ArrayRef<float> data, int64_t rows, int64_t cols,
                               const SparseFormat &format) {
  using Kind = SparseFormat::Kind;
  if (format.kind == Kind::BSR) {
    if (rows % format.blockRows || cols % format.blockCols)
      return llvm::formatv("blocks of {0}x{1} do not divide the {2}x{3} "
                           "weight",
                           format.blockRows, format.blockCols, rows, cols)
          .str();
    return std::nullopt;
  }
  if (format.kind != Kind::Structured)
    return std::nullopt;
  if (rows % format.m)
    return llvm::formatv("groups of {0} do not divide the {1} rows (K) of "
                         "the weight",
                         format.m, rows)
        .str();
  for (int64_t c = 0; c < cols; ++c)
    for (int64_t r = 0; r < rows; r += format.m) {
      int64_t nonZeros = 0;
      for (int64_t i = 0; i < format.m; ++i)
        nonZeros += data[(r + i) * cols + c] != 0.0f;
      if (nonZeros > format.n)
        return llvm::formatv("rows {0}..{1} of column {2} hold {3} "
                             "non-zeros, more than {4} of {5}",
                             r, r + format.m - 1, c, nonZeros, format.n,
                             format.m)
            .str();
    }
  return std::nullopt;
}

/// Non-zero blocks of `blockRows x blockCols` in a rows x cols matrix (the
/// blocks dividing it).
static int64_t countNonZeroBlocks(ArrayRef<float> data, int64_t rows,
                                  int64_t cols, int64_t blockRows,
                                  int64_t blockCols) {
  int64_t blocks = 0;
  for (int64_t r = 0; r < rows; r += blockRows)
    for (int64_t c = 0; c < cols; c += blockCols) {
      bool any = false;
      for (int64_t i = 0; i < blockRows && !any; ++i)
        for (int64_t j = 0; j < blockCols && !any; ++j)
          any = data[(r + i) * cols + c + j] != 0.0f;
      blocks += any;
    }
  return blocks;
}

SparseFormat strata::tensorx::chooseSparseFormat(ArrayRef<float> data,
                                                 int64_t rows, int64_t cols) {
  int64_t nonZeros = llvm::count_if(data, [](float v) { return v != 0.0f; });
  SparseFormat format;
  // Blocks pay when they are mostly full: stored zeros cost as much as
  // non-zeros.
  for (auto [blockRows, blockCols] :
       {std::pair<int64_t, int64_t>{4, 4}, {1, 4}}) {
    if (rows % blockRows || cols % blockCols || nonZeros == 0)
      continue;
    int64_t stored =
        countNonZeroBlocks(data, rows, cols, blockRows, blockCols) * blockRows *
        blockCols;
    if (stored * 4 <= nonZeros * 5) {
      format.kind = SparseFormat::Kind::BSR;
      format.blockRows = blockRows;
      format.blockCols = blockCols;
      return format;
    }
  }
  SparseFormat twoFour;
  twoFour.kind = SparseFormat::Kind::Structured;
  twoFour.n = 2;
  twoFour.m = 4;
  if (nonZeros > 0 && !findViolation(data, rows, cols, twoFour) &&
      nonZeros * 5 >= static_cast<int64_t>(data.size()) * 2)
    return twoFour;
  return format;
}
