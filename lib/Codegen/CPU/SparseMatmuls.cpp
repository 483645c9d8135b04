//===- SparseMatmuls.cpp - Matmuls by sparse constant weights -------------===//
//
// The kernels of the matmuls whose weight tensorx gave a sparse format. The
// weight is a compile-time constant, so its non-zeros are laid out here, once,
// in the order the kernel reads them (plain i32/f32 constant arrays), and the
// loops are generated around that storage:
//
// - sparse_panel (many rows): activations transposed (K x M), result
//   transposed (N x M). For each block of b weight columns, a panel of
//   rows (R vectors) is accumulated in b x R vector registers across the
//   block's non-zero rows k: each step loads the R vectors of row k of the
//   activations once and feeds b x R FMAs.
// - sparse_gather (a few rows): row-major activations and result. The
//   weight's columns are taken a vector at a time; step t of a vector
//   holds the t-th non-zero of each of its columns (zero-padded to the
//   longest), and the activations are gathered by those non-zeros' rows.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/KernelConfig.h"
#include "strata/Codegen/CPU/Passes.h"

#include "SparseKernels.h"

#include "strata/Dialect/TensorX/IR/SparseFormats.h"

#include "strata/Codegen/Common/LoopBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SparseTensor/IR/SparseTensor.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Matchers.h"
#include "llvm/Support/Debug.h"

#include <algorithm>
#include <tuple>

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUSPARSEMATMULSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;
using namespace strata::cpu;

#define DEBUG_TYPE "strata-cpu-sparse-matmuls"

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

/// Whether `body` computes out + in0 * in1 (f32).
static bool isMultiplyAccumulate(Block &body) {
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add || body.getOperations().size() != 3)
    return false;
  Value out = body.getArgument(2);
  Value product = add.getLhs() == out ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulFOp>();
  if (!mul || (add.getLhs() != out && add.getRhs() != out))
    return false;
  return (mul.getLhs() == body.getArgument(0) &&
          mul.getRhs() == body.getArgument(1)) ||
         (mul.getLhs() == body.getArgument(1) &&
          mul.getRhs() == body.getArgument(0));
}

std::optional<SparseMatmul> strata::cpu::matchSparseMatmul(Operation *op) {
  auto generic = dyn_cast<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 || generic.getNumLoops() != 3 ||
      generic.getNumReductionLoops() != 1 ||
      generic.getIteratorTypesArray()[2] != utils::IteratorType::reduction ||
      !generic.hasPureTensorSemantics() ||
      !isMultiplyAccumulate(*generic.getBlock()))
    return std::nullopt;
  SparseMatmul match;
  match.op = generic;
  Value rhs = generic.getDpsInputOperand(1)->get();
  auto rhsType = dyn_cast<RankedTensorType>(rhs.getType());
  if (!rhsType || !sparse_tensor::getSparseTensorEncoding(rhsType) ||
      !rhsType.getElementType().isF32() ||
      !matchPattern(rhs, m_Constant(&match.weight)))
    return std::nullopt;
  // Zeros to start from: the kernels write every element once.
  auto fill =
      generic.getDpsInitOperand(0)->get().getDefiningOp<linalg::FillOp>();
  if (!fill || !matchPattern(fill.getInputs()[0], m_AnyZeroFloat()))
    return std::nullopt;
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  MLIRContext *context = op->getContext();
  auto dim = [&](unsigned d) { return getAffineDimExpr(d, context); };
  if (maps[2] != AffineMap::get(3, 0, {dim(0), dim(1)}, context) ||
      maps[1].getNumResults() != 2 || maps[1].getResult(0) != dim(2))
    return std::nullopt;
  AffineExpr n = maps[1].getResult(1);
  if (n != dim(0) && n != dim(1))
    return std::nullopt;
  match.resultTransposed = n == dim(0);
  AffineExpr m = match.resultTransposed ? dim(1) : dim(0);
  if (maps[0] == AffineMap::get(3, 0, {m, dim(2)}, context))
    match.lhsTransposed = false;
  else if (maps[0] == AffineMap::get(3, 0, {dim(2), m}, context))
    match.lhsTransposed = true;
  else
    return std::nullopt;
  match.lhs = generic.getDpsInputOperand(0)->get();
  match.k = rhsType.getDimSize(0);
  match.n = rhsType.getDimSize(1);
  auto lhsType = cast<RankedTensorType>(match.lhs.getType());
  match.m = lhsType.getDimSize(match.lhsTransposed ? 1 : 0);
  if (!lhsType.hasStaticShape() || !rhsType.hasStaticShape() || match.m == 0 ||
      match.n == 0 || match.k == 0)
    return std::nullopt;
  // 1 x b blocks of the weight share their rows: BSR with b columns.
  if (auto format = strata::tensorx::SparseFormat::fromEncoding(
          sparse_tensor::getSparseTensorEncoding(rhsType));
      format && format->kind == strata::tensorx::SparseFormat::Kind::BSR)
    for (int64_t b : {4, 2})
      if (format->blockCols % b == 0 && match.n % b == 0) {
        match.columnBlock = b;
        break;
      }
  return match;
}

//===----------------------------------------------------------------------===//
// Storage of the non-zeros, built at compile time
//===----------------------------------------------------------------------===//

namespace {
/// The non-zeros of a K x N weight: per column, (row, value) by row.
struct Columns {
  std::vector<std::vector<std::pair<int32_t, float>>> columns;
};
} // namespace

static Columns readColumns(SparseElementsAttr weight, int64_t n) {
  Columns result;
  result.columns.resize(n);
  auto indices = weight.getIndices().getValues<int64_t>();
  auto values = weight.getValues().getValues<float>();
  int64_t count = weight.getValues().getNumElements();
  auto it = indices.begin();
  for (int64_t i = 0; i < count; ++i) {
    int64_t k = *it++, c = *it++;
    float v = values[i];
    if (v != 0.0f)
      result.columns[c].push_back({static_cast<int32_t>(k), v});
  }
  for (auto &column : result.columns)
    llvm::sort(column, [](auto &a, auto &b) { return a.first < b.first; });
  return result;
}

static Value i32Array(OpBuilder &b, Location loc, ArrayRef<int32_t> data) {
  auto type = RankedTensorType::get({static_cast<int64_t>(data.size())},
                                    b.getI32Type());
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, data));
}

static Value f32Array(OpBuilder &b, Location loc, ArrayRef<float> data) {
  auto type = RankedTensorType::get({static_cast<int64_t>(data.size())},
                                    b.getF32Type());
  return arith::ConstantOp::create(b, loc, DenseElementsAttr::get(type, data));
}

//===----------------------------------------------------------------------===//
// Loop helpers
//===----------------------------------------------------------------------===//

static Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// Element `i` of the i32 array `array`, as an index.
static Value loadIndex(OpBuilder &b, Location loc, Value array, Value i) {
  Value v = tensor::ExtractOp::create(b, loc, array, i);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), v);
}

//===----------------------------------------------------------------------===//
// sparse_panel
//===----------------------------------------------------------------------===//

/// YT (N x M) = W^T XT for `xt` (K x M): see the file comment. With K
/// blocks (`config.stripWidth` rows of K), the loops run over panels of
/// rows, then K blocks, then blocks of columns, so that the panel's rows
/// of one K block stay in L1 while every column uses them; the
/// accumulators start from zeros in the first K block and from the partial
/// result in the others.
static Value buildPanelKernel(OpBuilder &b, Location loc,
                              const SparseMatmul &mm, Value xt,
                              const KernelConfig &config) {
  int64_t lanes = config.vectorLanes;
  int64_t block = config.tileColumns, panelRows = config.tileRows;
  int64_t vectors = panelRows / lanes, groups = mm.n / block;
  int64_t kBlock =
      config.stripWidth > 0 ? std::min(config.stripWidth, mm.k) : mm.k;
  int64_t kBlocks = (mm.k + kBlock - 1) / kBlock;
  // Per K block and block of columns, the rows where any column is
  // non-zero, with the block's values (zeros where a column has none).
  // Each column's non-zeros are sorted by row: a cursor per column walks
  // them K block by K block.
  Columns cols = readColumns(mm.weight, mm.n);
  SmallVector<int32_t> pos = {0}, crd;
  SmallVector<float> val;
  std::vector<size_t> cursor(mm.n, 0);
  struct Entry {
    int32_t k;
    int64_t j; // the column in the block
    float value;
  };
  for (int64_t kb = 0; kb < kBlocks; ++kb) {
    int64_t end = (kb + 1) * kBlock;
    for (int64_t g = 0; g < groups; ++g) {
      SmallVector<Entry> rows;
      for (int64_t j = 0; j < block; ++j) {
        const auto &column = cols.columns[g * block + j];
        for (size_t &c = cursor[g * block + j];
             c < column.size() && column[c].first < end; ++c)
          rows.push_back({column[c].first, j, column[c].second});
      }
      llvm::sort(rows, [](const Entry &a, const Entry &b) {
        return std::tie(a.k, a.j) < std::tie(b.k, b.j);
      });
      for (const Entry &entry : rows) {
        if (crd.size() == static_cast<size_t>(pos.back()) ||
            crd.back() != entry.k) {
          crd.push_back(entry.k);
          val.append(block, 0.0f);
        }
        val[val.size() - block + entry.j] = entry.value;
      }
      pos.push_back(crd.size());
    }
  }
  if (crd.empty()) { // An all-zero weight: keep the arrays non-empty.
    crd.push_back(0);
    val.append(block, 0.0f);
  }
  Value posArray = i32Array(b, loc, pos), crdArray = i32Array(b, loc, crd),
        valArray = f32Array(b, loc, val);

  Type f32 = b.getF32Type();
  auto vectorType = VectorType::get({lanes}, f32);
  Value zeroVector = arith::ConstantOp::create(
      b, loc, vectorType, DenseElementsAttr::get(vectorType, 0.0f));
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value init =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{mm.n, mm.m}, f32);
  int64_t items = config.threads > 1
                      ? strata::largestDivisorAtMost(groups, config.threads * 4)
                      : 1;
  int64_t groupsPerItem = groups / items;
  int64_t fullRows = (mm.m / panelRows) * panelRows;

  // One panel of a block of columns over one K block: rows [row, row +
  // count * lanes), accumulated into `slice` (the item's columns) unless
  // `first` (the first K block).
  auto panel = [&](OpBuilder &b, Location loc, Value slice, Value local,
                   Value p0, Value p1, Value row, int64_t count, bool inBounds,
                   bool first) -> Value {
    Value firstRow = arith::MulIOp::create(b, loc, local, index(b, loc, block));
    auto at = [&](OpBuilder &b, Location loc, int64_t j, int64_t r) {
      Value n = arith::AddIOp::create(b, loc, firstRow, index(b, loc, j));
      Value column =
          arith::AddIOp::create(b, loc, row, index(b, loc, r * lanes));
      return SmallVector<Value>{n, column};
    };
    SmallVector<Value> starts;
    for (int64_t j = 0; j < block; ++j)
      for (int64_t r = 0; r < count; ++r)
        starts.push_back(first
                             ? zeroVector
                             : Value(vector::TransferReadOp::create(
                                   b, loc, vectorType, slice, at(b, loc, j, r),
                                   padding, ArrayRef<bool>{inBounds})));
    auto loop = scf::ForOp::create(
        b, loc, p0, p1, index(b, loc, 1), starts,
        [&](OpBuilder &b, Location loc, Value p, ValueRange accs) {
          Value k = loadIndex(b, loc, crdArray, p);
          SmallVector<Value> xs;
          for (int64_t r = 0; r < count; ++r) {
            Value column =
                arith::AddIOp::create(b, loc, row, index(b, loc, r * lanes));
            xs.push_back(vector::TransferReadOp::create(
                b, loc, vectorType, xt, ValueRange{k, column}, padding,
                ArrayRef<bool>{inBounds}));
          }
          Value base = arith::MulIOp::create(b, loc, p, index(b, loc, block));
          SmallVector<Value> next;
          for (int64_t j = 0; j < block; ++j) {
            Value at = arith::AddIOp::create(b, loc, base, index(b, loc, j));
            Value w = tensor::ExtractOp::create(b, loc, valArray, at);
            Value wv = vector::BroadcastOp::create(b, loc, vectorType, w);
            for (int64_t r = 0; r < count; ++r)
              next.push_back(vector::FMAOp::create(b, loc, wv, xs[r],
                                                   accs[j * count + r]));
          }
          scf::YieldOp::create(b, loc, next);
        });
    for (int64_t j = 0; j < block; ++j)
      for (int64_t r = 0; r < count; ++r)
        slice = vector::TransferWriteOp::create(
                    b, loc, loop.getResult(j * count + r), slice,
                    at(b, loc, j, r), ArrayRef<bool>{inBounds})
                    .getResult();
    return slice;
  };

  // The blocks of columns of an item over one K block, for the panel at
  // `row`.
  auto columnsOfBlock = [&](OpBuilder &b, Location loc, Value slice,
                            Value firstGroup, Value kb, Value row,
                            int64_t count, bool inBounds, bool first) {
    Value kbBase = arith::MulIOp::create(b, loc, kb, index(b, loc, groups));
    auto groupLoop = scf::ForOp::create(
        b, loc, index(b, loc, 0), index(b, loc, groupsPerItem),
        index(b, loc, 1), ValueRange{slice},
        [&](OpBuilder &b, Location loc, Value local, ValueRange args) {
          Value g = arith::AddIOp::create(b, loc, firstGroup, local);
          Value entry = arith::AddIOp::create(b, loc, kbBase, g);
          Value p0 = loadIndex(b, loc, posArray, entry);
          Value p1 =
              loadIndex(b, loc, posArray,
                        arith::AddIOp::create(b, loc, entry, index(b, loc, 1)));
          scf::YieldOp::create(b, loc,
                               panel(b, loc, args[0], local, p0, p1, row, count,
                                     inBounds, first));
        });
    return groupLoop.getResult(0);
  };

  // A panel of rows over all K blocks: the first from zeros.
  auto rowPanel = [&](OpBuilder &b, Location loc, Value slice, Value firstGroup,
                      Value row, int64_t count, bool inBounds) -> Value {
    slice = columnsOfBlock(b, loc, slice, firstGroup, index(b, loc, 0), row,
                           count, inBounds, true);
    if (kBlocks == 1)
      return slice;
    auto kLoop = scf::ForOp::create(
        b, loc, index(b, loc, 1), index(b, loc, kBlocks), index(b, loc, 1),
        ValueRange{slice},
        [&](OpBuilder &b, Location loc, Value kb, ValueRange args) {
          scf::YieldOp::create(b, loc,
                               columnsOfBlock(b, loc, args[0], firstGroup, kb,
                                              row, count, inBounds, false));
        });
    return kLoop.getResult(0);
  };

  return strata::buildSlicesForall(
      b, loc, init, 0, mm.n, items,
      [&](OpBuilder &b, Location loc, Value first, Value slice) -> Value {
        Value firstGroup =
            arith::DivUIOp::create(b, loc, first, index(b, loc, block));
        Value s = slice;
        if (fullRows > 0) {
          auto rowLoop = scf::ForOp::create(
              b, loc, index(b, loc, 0), index(b, loc, fullRows),
              index(b, loc, panelRows), ValueRange{s},
              [&](OpBuilder &b, Location loc, Value row, ValueRange args) {
                scf::YieldOp::create(
                    b, loc,
                    rowPanel(b, loc, args[0], firstGroup, row, vectors, true));
              });
          s = rowLoop.getResult(0);
        }
        if (int64_t tail = mm.m - fullRows; tail > 0)
          s = rowPanel(b, loc, s, firstGroup, index(b, loc, fullRows),
                       (tail + lanes - 1) / lanes, false);
        return s;
      });
}

//===----------------------------------------------------------------------===//
// sparse_gather
//===----------------------------------------------------------------------===//

/// Y (M x N) = X W for row-major `x` (M x K): see the file comment.
static Value buildGatherKernel(OpBuilder &b, Location loc,
                               const SparseMatmul &mm, Value x,
                               const KernelConfig &config) {
  int64_t lanes = config.vectorLanes;
  int64_t groups = (mm.n + lanes - 1) / lanes;
  Columns cols = readColumns(mm.weight, mm.n);
  SmallVector<int32_t> steps = {0}, crd;
  SmallVector<float> val;
  for (int64_t g = 0; g < groups; ++g) {
    size_t longest = 0;
    for (int64_t j = 0; j < lanes && g * lanes + j < mm.n; ++j)
      longest = std::max(longest, cols.columns[g * lanes + j].size());
    for (size_t t = 0; t < longest; ++t)
      for (int64_t j = 0; j < lanes; ++j) {
        int64_t c = g * lanes + j;
        bool present = c < mm.n && t < cols.columns[c].size();
        crd.push_back(present ? cols.columns[c][t].first : 0);
        val.push_back(present ? cols.columns[c][t].second : 0.0f);
      }
    steps.push_back(steps.back() + longest);
  }
  if (crd.empty()) {
    crd.append(lanes, 0);
    val.append(lanes, 0.0f);
  }
  Value stepArray = i32Array(b, loc, steps), crdArray = i32Array(b, loc, crd),
        valArray = f32Array(b, loc, val);

  Type f32 = b.getF32Type();
  auto vectorType = VectorType::get({lanes}, f32);
  auto indexVectorType = VectorType::get({lanes}, b.getI32Type());
  auto maskType = VectorType::get({lanes}, b.getI1Type());
  Value zeroVector = arith::ConstantOp::create(
      b, loc, vectorType, DenseElementsAttr::get(vectorType, 0.0f));
  Value mask = arith::ConstantOp::create(
      b, loc, maskType, DenseElementsAttr::get(maskType, true));
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  Value zeroI32 = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
  Value init =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{mm.m, mm.n}, f32);
  bool whole = mm.n % lanes == 0;
  int64_t items = config.threads > 1 && whole
                      ? strata::largestDivisorAtMost(groups, config.threads * 4)
                      : 1;
  int64_t groupsPerItem = groups / items;

  return strata::buildSlicesForall(
      b, loc, init, 1, groups * lanes, items,
      [&](OpBuilder &b, Location loc, Value first, Value slice) -> Value {
        Value firstGroup =
            arith::DivUIOp::create(b, loc, first, index(b, loc, lanes));
        auto rowLoop = scf::ForOp::create(
            b, loc, index(b, loc, 0), index(b, loc, mm.m), index(b, loc, 1),
            ValueRange{slice},
            [&](OpBuilder &b, Location loc, Value m, ValueRange rowArgs) {
              auto groupLoop = scf::ForOp::create(
                  b, loc, index(b, loc, 0), index(b, loc, groupsPerItem),
                  index(b, loc, 1), rowArgs,
                  [&](OpBuilder &b, Location loc, Value local,
                      ValueRange args) {
                    Value g = arith::AddIOp::create(b, loc, firstGroup, local);
                    Value t0 = loadIndex(b, loc, stepArray, g);
                    Value t1 = loadIndex(
                        b, loc, stepArray,
                        arith::AddIOp::create(b, loc, g, index(b, loc, 1)));
                    auto stepLoop = scf::ForOp::create(
                        b, loc, t0, t1, index(b, loc, 1),
                        ValueRange{zeroVector},
                        [&](OpBuilder &b, Location loc, Value t,
                            ValueRange acc) {
                          Value at = arith::MulIOp::create(
                              b, loc, t, index(b, loc, lanes));
                          Value rows = vector::TransferReadOp::create(
                              b, loc, indexVectorType, crdArray, ValueRange{at},
                              zeroI32, ArrayRef<bool>{true});
                          Value w = vector::TransferReadOp::create(
                              b, loc, vectorType, valArray, ValueRange{at},
                              zero, ArrayRef<bool>{true});
                          Value xs = vector::GatherOp::create(
                              b, loc, vectorType, x,
                              ValueRange{m, index(b, loc, 0)}, rows, mask,
                              zeroVector);
                          scf::YieldOp::create(b, loc,
                                               Value(vector::FMAOp::create(
                                                   b, loc, w, xs, acc[0])));
                        });
                    Value column = arith::MulIOp::create(b, loc, local,
                                                         index(b, loc, lanes));
                    Value written =
                        vector::TransferWriteOp::create(
                            b, loc, stepLoop.getResult(0), args[0],
                            ValueRange{m, column}, ArrayRef<bool>{whole})
                            .getResult();
                    scf::YieldOp::create(b, loc, written);
                  });
              scf::YieldOp::create(b, loc, groupLoop.getResult(0));
            });
        return rowLoop.getResult(0);
      });
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

/// `value` (rows x cols) transposed, by the transpose kernel.
static Value transpose(OpBuilder &b, Location loc, Value value,
                       const KernelConfig &config) {
  auto type = cast<RankedTensorType>(value.getType());
  Value init = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{type.getDimSize(1), type.getDimSize(0)},
      type.getElementType());
  auto op =
      linalg::TransposeOp::create(b, loc, value, init, ArrayRef<int64_t>{1, 0});
  KernelConfig transposeConfig;
  transposeConfig.kernel = Kernel::Transpose;
  transposeConfig.vectorLanes = config.vectorLanes;
  transposeConfig.threads = config.threads;
  setKernelConfig(op, transposeConfig);
  return op.getResult()[0];
}

namespace {
struct StrataCPUSparseMatmulsPass
    : strata::cpu::impl::StrataCPUSparseMatmulsPassBase<
          StrataCPUSparseMatmulsPass> {
  void runOnOperation() override {
    for (Kernel kernel : {Kernel::SparsePanel, Kernel::SparseGather}) {
      FailureOr<SmallVector<ConfiguredOp>> ops =
          opsWithKernel(getOperation(), kernel);
      if (failed(ops))
        return signalPassFailure();
      for (const ConfiguredOp &configured : *ops) {
        std::optional<SparseMatmul> mm = matchSparseMatmul(configured.op);
        if (!mm)
          continue;
        const KernelConfig &config = configured.config;
        OpBuilder b(configured.op);
        Location loc = configured.op->getLoc();
        Value result;
        if (kernel == Kernel::SparsePanel) {
          Value xt =
              mm->lhsTransposed ? mm->lhs : transpose(b, loc, mm->lhs, config);
          result = buildPanelKernel(b, loc, *mm, xt, config);
          if (!mm->resultTransposed)
            result = transpose(b, loc, result, config);
        } else {
          Value x =
              mm->lhsTransposed ? transpose(b, loc, mm->lhs, config) : mm->lhs;
          result = buildGatherKernel(b, loc, *mm, x, config);
          if (mm->resultTransposed)
            result = transpose(b, loc, result, config);
        }
        LLVM_DEBUG(llvm::dbgs()
                   << "built " << kernelName(kernel) << " for " << mm->m << "x"
                   << mm->k << "x" << mm->n << " at " << loc << "\n");
        configured.op->getResult(0).replaceAllUsesWith(result);
        configured.op->erase();
      }
    }
    // Nothing else computes with sparse operands on the CPU.
    WalkResult walk = getOperation()->walk([](Operation *op) {
      if (isa<arith::ConstantOp>(op))
        return WalkResult::advance();
      for (Value operand : op->getOperands())
        if (sparse_tensor::getSparseTensorEncoding(operand.getType())) {
          op->emitOpError("has a sparse operand (")
              << operand.getType()
              << ") that no CPU kernel takes: only matmuls of f32 "
                 "activations by a sparse constant weight are supported";
          return WalkResult::interrupt();
        }
      return WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();
    // The sparse constants now live in the kernels' arrays.
    getOperation()->walk([](arith::ConstantOp op) {
      if (op->use_empty() &&
          sparse_tensor::getSparseTensorEncoding(op.getType()))
        op->erase();
    });
  }
};
} // namespace
