//===- IntegerKernels.cpp - 8-bit matmuls and convolutions by dot products ===//
//
// The 8-bit integer products graph-fold-qdq makes (u8 x s8 accumulating in
// i32) as register-tiled kernels around a 4-way dot product: each i32 lane
// of an accumulator gains the sum of 4 adjacent byte products per step,
// which is AVX-512 VNNI's vpdpbusd (or AVX-VNNI's at 256 bits) where the
// host has it, and ordinary vector arithmetic elsewhere. One operand is
// read as vectors of lanes x 4 bytes, the other broadcast 4 bytes at a
// time; the 4 bytes of a step are 4 consecutive values along the reduction.
//
// Matmul: the constant weight is packed at compile time as
// [N / lanes][K / 4][lanes][4] (the vector operand); the activation rows
// are broadcast.
//
// Convolution: the "wide rows" of the f32 direct kernel. Output pixel
// p = y * Wq + x (Wq the padded width per phase, whose last columns are
// discarded) reads, for window position (i, j), the padded image at
// p + (i / s) * Wq + j / s in phase image (i % s, j % s): the image is
// packed once into [C / 4][s][s][rows][Wq][4] bytes (4 channels per pixel:
// the reduction's 4 values; only the phases the window reads), so that a
// vector of output pixels is one contiguous load. The weight is packed as
// [F][C / 4][KH][KW][4] and broadcast per output channel. The result is
// written in wide rows and its valid columns viewed as NCHW.
//
// Both kernels apply the elementwise consumer of their i32 result (the
// requantize) to the accumulators before storing them.
//
//===----------------------------------------------------------------------===//

#include "IntegerKernels.h"

#include "strata/Codegen/CPU/KernelConfig.h"
#include "strata/Codegen/CPU/Passes.h"
#include "strata/Codegen/CPU/TargetInfo.h"
#include "strata/Codegen/Common/LoopBuilders.h"
#include "strata/Support/ConstantData.h"

#include "ConvolutionKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/Debug.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUINTEGERKERNELSPASS
#define GEN_PASS_DEF_STRATACPULOWERDOTPRODUCTSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;
using namespace strata::cpu;

#define DEBUG_TYPE "strata-cpu-integer-kernels"

//===----------------------------------------------------------------------===//
// Matching
//===----------------------------------------------------------------------===//

/// Whether `v` is extended from `arg` by extui (`isUnsigned` set) or extsi.
static bool isExtensionOf(Value v, Value arg, bool &isUnsigned) {
  if (auto ext = v.getDefiningOp<arith::ExtUIOp>()) {
    isUnsigned = true;
    return ext.getIn() == arg;
  }
  if (auto ext = v.getDefiningOp<arith::ExtSIOp>()) {
    isUnsigned = false;
    return ext.getIn() == arg;
  }
  return false;
}

/// The constant data of `v` (an arith.constant), if it has bytes.
static std::optional<ArrayRef<char>> constantData(Value v) {
  auto constant = v.getDefiningOp<arith::ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto attr = dyn_cast<ElementsAttr>(constant.getValue());
  return attr ? strata::constantBytes(attr) : std::nullopt;
}

/// `op` if it is a generic of `loops` loops (the last `reductions` of them
/// reductions) accumulating ext(in0) * ext(in1) of static i8 tensors into a
/// static i32 tensor, with a constant in1 and one operand unsigned.
static std::optional<IntegerProduct> matchProduct(Operation *op, unsigned loops,
                                                  unsigned reductions) {
  auto generic = dyn_cast_or_null<linalg::GenericOp>(op);
  if (!generic || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 || !generic.hasPureTensorSemantics() ||
      generic.getNumLoops() != loops ||
      generic.getNumReductionLoops() != reductions)
    return std::nullopt;
  for (unsigned i = loops - reductions; i < loops; ++i)
    if (generic.getIteratorTypesArray()[i] != utils::IteratorType::reduction)
      return std::nullopt;
  for (Type type : generic->getOperandTypes()) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    if (!tensor || !tensor.hasStaticShape() || tensor.getNumElements() == 0)
      return std::nullopt;
  }
  auto elementOf = [](Value v) {
    return cast<RankedTensorType>(v.getType()).getElementType();
  };
  if (!elementOf(generic.getInputs()[0]).isInteger(8) ||
      !elementOf(generic.getInputs()[1]).isInteger(8) ||
      !elementOf(generic.getOutputs()[0]).isInteger(32) ||
      !constantData(generic.getInputs()[1]))
    return std::nullopt;
  Block &body = generic.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getValues()[0].getDefiningOp<arith::AddIOp>();
  if (!add || body.getOperations().size() != 5)
    return std::nullopt;
  Value acc = body.getArgument(2);
  Value product = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto mul = product.getDefiningOp<arith::MulIOp>();
  if (!mul || (add.getLhs() != acc && add.getRhs() != acc))
    return std::nullopt;
  bool lhsUnsigned = false, rhsUnsigned = false;
  Value a = body.getArgument(0), b = body.getArgument(1);
  if (!((isExtensionOf(mul.getLhs(), a, lhsUnsigned) &&
         isExtensionOf(mul.getRhs(), b, rhsUnsigned)) ||
        (isExtensionOf(mul.getLhs(), b, rhsUnsigned) &&
         isExtensionOf(mul.getRhs(), a, lhsUnsigned))) ||
      lhsUnsigned == rhsUnsigned)
    return std::nullopt;
  IntegerProduct match;
  match.op = generic;
  match.lhsUnsigned = lhsUnsigned;
  return match;
}

std::optional<IntegerProduct> strata::cpu::matchIntegerMatmul(Operation *op) {
  std::optional<IntegerProduct> match = matchProduct(op, 3, 1);
  if (!match)
    return std::nullopt;
  MLIRContext *context = op->getContext();
  AffineExpr m, n, k;
  bindDims(context, m, n, k);
  SmallVector<AffineMap> maps = {AffineMap::get(3, 0, {m, k}, context),
                                 AffineMap::get(3, 0, {k, n}, context),
                                 AffineMap::get(3, 0, {m, n}, context)};
  if (match->op.getIndexingMapsArray() != maps)
    return std::nullopt;
  return match;
}

std::optional<IntegerProduct> strata::cpu::matchIntegerConv(Operation *op) {
  std::optional<IntegerProduct> match = matchProduct(op, 7, 3);
  if (!match)
    return std::nullopt;
  MLIRContext *context = op->getContext();
  AffineExpr n, f, oh, ow, c, kh, kw;
  bindDims(context, n, f, oh, ow, c, kh, kw);
  SmallVector<AffineMap> maps = match->op.getIndexingMapsArray();
  if (maps[1] != AffineMap::get(7, 0, {f, c, kh, kw}, context) ||
      maps[2] != AffineMap::get(7, 0, {n, f, oh, ow}, context))
    return std::nullopt;
  for (int64_t sh = 1; sh <= 4; ++sh)
    for (int64_t sw = 1; sw <= 4; ++sw)
      if (maps[0] ==
          AffineMap::get(7, 0, {n, c, oh * sh + kh, ow * sw + kw}, context)) {
        match->strideH = sh;
        match->strideW = sw;
        return match;
      }
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// The dot-product step
//===----------------------------------------------------------------------===//

/// Marks the reductions that are 4-way dot products.
static constexpr StringLiteral kDotProductAttr = "strata.dot_product";

namespace {

/// Builds the kernels' vector code: `lanes` i32 lanes per accumulator.
struct DotBuilder {
  OpBuilder &b;
  Location loc;
  int64_t lanes;

  VectorType accType() const {
    return VectorType::get({lanes}, b.getI32Type());
  }
  VectorType bytesType() const {
    return VectorType::get({4 * lanes}, b.getI8Type());
  }

  Value index(int64_t v) const {
    return arith::ConstantIndexOp::create(b, loc, v);
  }

  /// `lanes` x 4 bytes of the 1-D i8 tensor `data` from element `at`.
  Value loadBytes(Value data, Value at) const {
    return vector::TransferReadOp::create(
        b, loc, bytesType(), data, ValueRange{at},
        arith::ConstantIntOp::create(b, loc, b.getI8Type(), 0),
        ArrayRef<bool>{true});
  }

  /// The 4 bytes of the 1-D i8 tensor `data` from element `at`, repeated
  /// in every lane.
  Value broadcastBytes(Value data, Value at) const {
    Value four = vector::TransferReadOp::create(
        b, loc, VectorType::get({4}, b.getI8Type()), data, ValueRange{at},
        arith::ConstantIntOp::create(b, loc, b.getI8Type(), 0),
        ArrayRef<bool>{true});
    Value word = vector::BitCastOp::create(
        b, loc, VectorType::get({1}, b.getI32Type()), four);
    Value splat = vector::BroadcastOp::create(b, loc, accType(), word);
    return vector::BitCastOp::create(b, loc, bytesType(), splat);
  }

  /// acc + the sums of 4 adjacent products of `u` (unsigned bytes) and `s`
  /// (signed bytes), lane by lane: a multiply and a reduction of groups of
  /// 4, marked for strata-cpu-lower-dot-products to make it one
  /// instruction after bufferization (an intrinsic call has unknown memory
  /// effects, which bufferization's deallocation rejects).
  Value dot(Value acc, Value u, Value s) const {
    auto wide = VectorType::get({4 * lanes}, b.getI32Type());
    Value products =
        arith::MulIOp::create(b, loc, arith::ExtUIOp::create(b, loc, wide, u),
                              arith::ExtSIOp::create(b, loc, wide, s));
    Value groups = vector::ShapeCastOp::create(
        b, loc, VectorType::get({lanes, 4}, b.getI32Type()), products);
    auto sum = vector::MultiDimReductionOp::create(b, loc, groups, acc,
                                                   ArrayRef<bool>{false, true},
                                                   vector::CombiningKind::ADD);
    sum->setAttr(kDotProductAttr, b.getUnitAttr());
    return sum;
  }
};

/// A constant i8 tensor of `shape` holding `bytes` (a blob, like the other
/// packed weights), at the start of `op`'s function.
Value bytesConstant(OpBuilder &b, Operation *op, ArrayRef<int64_t> shape,
                    ArrayRef<int8_t> bytes, StringRef name) {
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(
      &op->getParentOfType<FunctionOpInterface>().getFunctionBody().front());
  auto type = RankedTensorType::get(shape, b.getI8Type());
  return arith::ConstantOp::create(
      b, op->getLoc(), type,
      DenseResourceElementsAttr::get(
          type, name, HeapAsmResourceBlob::allocateAndCopyInferAlign(bytes)));
}

/// `value` (static) padded with zeros at the end of each dimension up to
/// `shape`.
Value padTo(OpBuilder &b, Location loc, Value value, ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getShape() == shape)
    return value;
  SmallVector<OpFoldResult> low(shape.size(), b.getIndexAttr(0)), high;
  for (auto [have, want] : llvm::zip_equal(type.getShape(), shape))
    high.push_back(b.getIndexAttr(want - have));
  Value zero =
      arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
  return tensor::PadOp::create(b, loc, type.clone(shape), value, low, high,
                               zero);
}

/// `value` collapsed to one dimension.
Value flatten(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() == 1)
    return value;
  ReassociationIndices all;
  for (int64_t d = 0; d < type.getRank(); ++d)
    all.push_back(d);
  return tensor::CollapseShapeOp::create(
      b, loc,
      RankedTensorType::get({type.getNumElements()}, type.getElementType()),
      value, ArrayRef<ReassociationIndices>{all});
}

/// How an accumulator tile starts: a scalar (a fill) or a per-row value (a
/// bias broadcast along the rows of the tile: output channels).
struct InitialValue {
  Value scalar;
  /// 1-D i32, one value per tile row (padded to the padded rows).
  Value perRow;
};

std::optional<InitialValue> initialValue(Value init, ArrayRef<int64_t> dims) {
  if (auto fill = init.getDefiningOp<linalg::FillOp>())
    return InitialValue{fill.getInputs()[0], Value()};
  if (auto broadcast = init.getDefiningOp<linalg::BroadcastOp>())
    if (broadcast.getDimensions() == dims)
      return InitialValue{Value(), broadcast.getInput()};
  return std::nullopt;
}

/// The elementwise consumer of a kernel's i32 result that the kernel
/// applies to its accumulators before storing them (a requantize, with a
/// ReLU and a residual's dequantize: whatever elementwise fusion made one
/// op of), so that the i32 result is never stored. Its other inputs are
/// scalars or vary along the kernel's row axis (a convolution's output
/// channels) or column axis (a matmul's columns) only.
struct Epilogue {
  linalg::GenericOp op;
  /// The kernel's result the epilogue reads.
  Value result;
  /// The first row and column of the tile being stored, and the extent of
  /// a vector along the columns.
  Value firstRow, firstColumn;
  int64_t lanes = 0;
  /// Per side input: its values (1-D, or rank 0 for a scalar), and the
  /// axis they vary along (0: rows, 1: columns; -1: a scalar).
  DenseMap<Value, std::pair<Value, int>> sides;

  Type elementType(OpBuilder &b) const {
    return op ? getElementTypeOrSelf(op->getResult(0).getType())
              : Type(b.getI32Type());
  }

  /// The accumulator vector of tile row `r`, vector `v`, as stored.
  Value apply(OpBuilder &b, Location loc, Value acc, int64_t r,
              int64_t v) const {
    if (!op)
      return acc;
    auto accType = cast<VectorType>(acc.getType());
    return strata::applyEpilogues(b, loc, {op}, result, acc, [&](Value side) {
      auto [values, axis] = sides.lookup(side);
      auto index = [&](Value first, int64_t offset) -> Value {
        return arith::AddIOp::create(
            b, loc, first, arith::ConstantIndexOp::create(b, loc, offset));
      };
      Type element = getElementTypeOrSelf(values.getType());
      if (axis == 1) {
        // Consecutive columns, zeros past the last.
        Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(element));
        return vector::TransferReadOp::create(
                   b, loc, VectorType::get(accType.getShape(), element), values,
                   ValueRange{index(firstColumn, v * lanes)}, zero,
                   ArrayRef<bool>{false})
            .getResult();
      }
      SmallVector<Value> at;
      if (axis == 0)
        at.push_back(index(firstRow, r));
      else if (cast<RankedTensorType>(values.getType()).getRank() == 1)
        at.push_back(arith::ConstantIndexOp::create(b, loc, 0));
      Value scalar = tensor::ExtractOp::create(b, loc, values, at);
      return vector::BroadcastOp::create(
                 b, loc, VectorType::get(accType.getShape(), element), scalar)
          .getResult();
    });
  }
};

/// The epilogue of `result` (a kernel's i32 result of `rank` dimensions
/// whose rows are dimension `rowDim` and columns `columnDim`, -1 when the
/// columns are not contiguous in it), or an empty one. Side inputs that
/// vary along the rows or columns are collapsed to 1-D at `b`'s point.
Epilogue matchEpilogue(OpBuilder &b, Value result, int64_t rowDim,
                       int64_t columnDim) {
  Epilogue epilogue;
  // The only user: all loops parallel, one result of `result`'s shape
  // written and `result` read with the identity map, a body of
  // elementwise ops (unlike pointwiseEpilogue's, it may convert, and its
  // side inputs may broadcast).
  if (!result.hasOneUse())
    return epilogue;
  auto op = dyn_cast<linalg::GenericOp>(*result.getUsers().begin());
  if (!op || op.getNumDpsInits() != 1 ||
      op.getNumParallelLoops() != op.getNumLoops() ||
      !op.getRegionOutputArgs()[0].use_empty() ||
      cast<ShapedType>(op.getResultTypes()[0]).getShape() !=
          cast<ShapedType>(result.getType()).getShape() ||
      !op.getMatchingIndexingMap(op.getDpsInitOperand(0)).isIdentity())
    return epilogue;
  for (OpOperand *input : op.getDpsInputOperands())
    if (input->get() == result &&
        !op.getMatchingIndexingMap(input).isIdentity())
      return epilogue;
  if (!strata::hasPointwiseBody(op))
    return epilogue;
  SmallVector<std::pair<Value, std::pair<Value, int>>> sides;
  for (OpOperand *input : op.getDpsInputOperands()) {
    if (input->get() == result)
      continue;
    AffineMap map = op.getMatchingIndexingMap(input);
    ArrayRef<int64_t> shape =
        cast<RankedTensorType>(input->get().getType()).getShape();
    int axis = -1;
    for (auto [i, expr] : llvm::enumerate(map.getResults())) {
      // A unit dimension (a broadcast's batch) reads index 0 whatever it
      // is indexed by.
      if (shape[i] == 1)
        continue;
      auto dim = dyn_cast<AffineDimExpr>(expr);
      int along = !dim                             ? -2
                  : dim.getPosition() == rowDim    ? 0
                  : dim.getPosition() == columnDim ? 1
                                                   : -2;
      if (along == -2 || axis != -1)
        return Epilogue();
      axis = along;
    }
    Value values = input->get();
    if (values == result)
      return Epilogue();
    sides.push_back({values, {values, axis}});
  }
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  for (auto &[key, side] : sides) {
    // 1-D (a one-element one for a scalar of rank > 0, read at 0).
    if (cast<RankedTensorType>(side.first.getType()).getRank() > 0)
      side.first = flatten(b, op.getLoc(), side.first);
    epilogue.sides[key] = side;
  }
  epilogue.op = op;
  epilogue.result = result;
  return epilogue;
}

/// The register tile: `rows` x `vectors` accumulators of `lanes` lanes over
/// `steps` reduction steps, `rowBytes(r, step)` broadcast and
/// `vectorBytes(v, step)` loaded; returns `destination` (a rows x
/// (vectors * lanes) slice of the kernel's result, so that the tile is
/// written in place: a temporary per tile would be an allocation in the
/// threads' loop) with the accumulators stored, after the epilogue.
Value buildTile(
    DotBuilder &d, int64_t rows, int64_t vectors, bool rowsUnsigned,
    ArrayRef<Value> initial, ArrayRef<int64_t> stepCounts,
    function_ref<Value(ArrayRef<Value> steps, int64_t r)> rowBytes,
    function_ref<Value(ArrayRef<Value> steps, int64_t v)> vectorBytes,
    const Epilogue &epilogue, Value destination) {
  OpBuilder &b = d.b;
  Location loc = d.loc;
  SmallVector<Value> accs;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectors; ++v)
      accs.push_back(initial[r]);
  // Nested loops over the reduction steps, the accumulators carried.
  SmallVector<Value> steps;
  std::function<SmallVector<Value>(OpBuilder &, unsigned, ValueRange)> nest =
      [&](OpBuilder &nb, unsigned level, ValueRange carried) {
        if (level == stepCounts.size()) {
          OpBuilder::InsertionGuard guard(b);
          b.setInsertionPoint(nb.getInsertionBlock(), nb.getInsertionPoint());
          SmallVector<Value> vecs, next(carried.begin(), carried.end());
          for (int64_t v = 0; v < vectors; ++v)
            vecs.push_back(vectorBytes(steps, v));
          for (int64_t r = 0; r < rows; ++r) {
            Value bytes = rowBytes(steps, r);
            for (int64_t v = 0; v < vectors; ++v) {
              Value &acc = next[r * vectors + v];
              acc = rowsUnsigned ? d.dot(acc, bytes, vecs[v])
                                 : d.dot(acc, vecs[v], bytes);
            }
          }
          return next;
        }
        auto loop = scf::ForOp::create(
            nb, loc, arith::ConstantIndexOp::create(nb, loc, 0),
            arith::ConstantIndexOp::create(nb, loc, stepCounts[level]),
            arith::ConstantIndexOp::create(nb, loc, 1), carried,
            [&](OpBuilder &lb, Location, Value iv, ValueRange args) {
              steps.push_back(iv);
              SmallVector<Value> results = nest(lb, level + 1, args);
              steps.pop_back();
              scf::YieldOp::create(lb, loc, results);
            });
        return SmallVector<Value>(loop.getResults());
      };
  SmallVector<Value> results = nest(b, 0, accs);
  Value tile = destination;
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < vectors; ++v)
      tile = vector::TransferWriteOp::create(
                 b, loc, epilogue.apply(b, loc, results[r * vectors + v], r, v),
                 tile, ValueRange{d.index(r), d.index(v * d.lanes)},
                 ArrayRef<bool>{true})
                 .getResult();
  return tile;
}

/// Pads the epilogue's per-row side inputs to `rows` (the kernel's padded
/// rows), at `b`'s point.
void padRowSides(OpBuilder &b, Location loc, Epilogue &epilogue, int64_t rows) {
  for (auto &entry : epilogue.sides)
    if (entry.second.second == 0)
      entry.second.first = padTo(b, loc, entry.second.first, {rows});
}

/// The initial accumulator of tile row `r` (rows from `first`).
Value initialVector(DotBuilder &d, const InitialValue &init, Value first,
                    int64_t r) {
  Value scalar = init.scalar;
  if (!scalar) {
    Value row = arith::AddIOp::create(d.b, d.loc, first, d.index(r));
    scalar = tensor::ExtractOp::create(d.b, d.loc, init.perRow, row);
  }
  return vector::BroadcastOp::create(d.b, d.loc, d.accType(), scalar);
}

/// The padded image [N][C][H][W] as [N][C / 4][ph][pw][rows][wq][4] bytes:
/// the stride phases (of which the window reads `ph` x `pw`) of 4
/// channels per pixel, zeros past C and the image, by an affine copy.
Value packPhases(OpBuilder &b, Location loc, Value image, int64_t groups,
                 int64_t sh, int64_t sw, int64_t phasesH, int64_t phasesW,
                 int64_t planeRows, int64_t wq) {
  MLIRContext *context = b.getContext();
  auto imageType = cast<RankedTensorType>(image.getType());
  int64_t batch = imageType.getDimSize(0), channels = imageType.getDimSize(1);
  int64_t hp = imageType.getDimSize(2), wp = imageType.getDimSize(3);
  int64_t rowsNeeded = planeRows * sh;
  SmallVector<OpFoldResult> zeros(4, b.getIndexAttr(0)),
      ones(4, b.getIndexAttr(1));
  if (rowsNeeded < hp)
    image = tensor::ExtractSliceOp::create(
        b, loc, image, zeros,
        ArrayRef<OpFoldResult>{b.getIndexAttr(batch), b.getIndexAttr(channels),
                               b.getIndexAttr(rowsNeeded), b.getIndexAttr(wp)},
        ones);
  image = padTo(b, loc, image, {batch, 4 * groups, rowsNeeded, wq * sw});
  SmallVector<int64_t> packedShape = {batch,     groups, phasesH, phasesW,
                                      planeRows, wq,     4};
  AffineExpr n, g, ph, pw, y, x, t;
  bindDims(context, n, g, ph, pw, y, x, t);
  return linalg::GenericOp::create(
             b, loc,
             TypeRange{RankedTensorType::get(packedShape, b.getI8Type())},
             ValueRange{image},
             ValueRange{
                 tensor::EmptyOp::create(b, loc, packedShape, b.getI8Type())},
             ArrayRef<AffineMap>{
                 AffineMap::get(7, 0, {n, g * 4 + t, y * sh + ph, x * sw + pw},
                                context),
                 AffineMap::getMultiDimIdentityMap(7, context)},
             SmallVector<utils::IteratorType>(7, utils::IteratorType::parallel),
             [](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, args[0]);
             })
      .getResult(0);
}

/// The padded image [N][C][H][W] of a stride-1 convolution as
/// [N][C / 4][1][1][rows][wq][4] bytes, in vectors: for each group of 4
/// channels (an scf.forall over N x C / 4), each row and `lanes` pixels,
/// the 4 channels' rows are read (zeros past C, H and W) and interleaved
/// into lanes x 4 bytes, so that the copy is as fast as the memory.
Value packUnitStride(OpBuilder &b, Location loc, Value image, int64_t groups,
                     int64_t planeRows, int64_t wq, int64_t lanes) {
  auto imageType = cast<RankedTensorType>(image.getType());
  int64_t batch = imageType.getDimSize(0), channels = imageType.getDimSize(1);
  int64_t hp = imageType.getDimSize(2);
  Type i8 = b.getI8Type();
  SmallVector<int64_t> packedShape = {batch, groups, 1, 1, planeRows, wq, 4};
  auto forall = scf::ForallOp::create(
      b, loc,
      ArrayRef<OpFoldResult>{b.getIndexAttr(batch), b.getIndexAttr(groups)},
      ValueRange{tensor::EmptyOp::create(b, loc, packedShape, i8)},
      std::nullopt);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(forall.getBody());
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value n = forall.getInductionVars()[0], g = forall.getInductionVars()[1];
  // This group's slice [1][1][1][1][rows][wq][4] of the result.
  SmallVector<OpFoldResult> offsets(7, b.getIndexAttr(0));
  offsets[0] = n;
  offsets[1] = g;
  SmallVector<OpFoldResult> sizes = {
      b.getIndexAttr(1), b.getIndexAttr(1),         b.getIndexAttr(1),
      b.getIndexAttr(1), b.getIndexAttr(planeRows), b.getIndexAttr(wq),
      b.getIndexAttr(4)};
  SmallVector<OpFoldResult> ones(7, b.getIndexAttr(1));
  auto planeType = RankedTensorType::get({planeRows, wq, 4}, i8);
  Value plane = tensor::ExtractSliceOp::create(
      b, loc, planeType, forall.getRegionIterArgs()[0], offsets, sizes, ones);
  Value zero = arith::ConstantIntOp::create(b, loc, i8, 0);
  auto rowType = VectorType::get({lanes}, i8);
  Value zeros = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(rowType, b.getI8IntegerAttr(0)));
  auto rows = scf::ForOp::create(
      b, loc, index(0), index(planeRows), index(1), ValueRange{plane},
      [&](OpBuilder &rb, Location, Value y, ValueRange rowArgs) {
        auto columns = scf::ForOp::create(
            rb, loc, index(0), index(wq), index(lanes), rowArgs,
            [&](OpBuilder &cb, Location, Value x, ValueRange args) {
              OpBuilder::InsertionGuard inner(b);
              b.setInsertionPoint(cb.getInsertionBlock(),
                                  cb.getInsertionPoint());
              // Rows of the 4 channels (zeros past C and H; the read
              // masks the columns past W).
              Value inRows = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::ult, y, index(hp));
              Value safeY =
                  arith::SelectOp::create(b, loc, inRows, y, index(0));
              SmallVector<Value> channelRows;
              for (int64_t t = 0; t < 4; ++t) {
                Value c = arith::AddIOp::create(
                    b, loc, arith::MulIOp::create(b, loc, g, index(4)),
                    index(t));
                Value valid = arith::AndIOp::create(
                    b, loc, inRows,
                    arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, c,
                                          index(channels)));
                Value safeC =
                    arith::SelectOp::create(b, loc, valid, c, index(0));
                Value row = vector::TransferReadOp::create(
                    b, loc, rowType, image, ValueRange{n, safeC, safeY, x},
                    zero, ArrayRef<bool>{false});
                channelRows.push_back(
                    arith::SelectOp::create(b, loc, valid, row, zeros));
              }
              // c0 c1 c2 c3 of each pixel, pixel after pixel.
              Value even = vector::InterleaveOp::create(b, loc, channelRows[0],
                                                        channelRows[2]);
              Value odd = vector::InterleaveOp::create(b, loc, channelRows[1],
                                                       channelRows[3]);
              Value pixels = vector::ShapeCastOp::create(
                  b, loc, VectorType::get({lanes, 4}, i8),
                  vector::InterleaveOp::create(b, loc, even, odd));
              Value written =
                  vector::TransferWriteOp::create(b, loc, pixels, args[0],
                                                  ValueRange{y, x, index(0)},
                                                  ArrayRef<bool>{false, true})
                      .getResult();
              scf::YieldOp::create(b, loc, written);
            });
        scf::YieldOp::create(rb, loc, columns.getResults());
      });
  b.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(b, loc, rows.getResult(0),
                                        forall.getRegionIterArgs()[0], offsets,
                                        sizes, ones);
  return forall.getResult(0);
}

/// Replaces the product `op` (and its epilogue, which the kernel applied)
/// by the kernel's `result`.
void replaceProduct(IRRewriter &rewriter, linalg::GenericOp op,
                    const Epilogue &epilogue, Value result) {
  if (!epilogue.op) {
    rewriter.replaceOp(op, result);
    return;
  }
  rewriter.replaceOp(epilogue.op, result);
  rewriter.eraseOp(op);
}

//===----------------------------------------------------------------------===//
// Matmul
//===----------------------------------------------------------------------===//

void rewriteMatmul(IRRewriter &rewriter, const IntegerProduct &match,
                   const KernelConfig &config) {
  linalg::GenericOp op = match.op;
  Location loc = op.getLoc();
  Epilogue epilogue = matchEpilogue(rewriter, op.getResult(0), 0, 1);
  // After the epilogue's side inputs, which it reads.
  rewriter.setInsertionPoint(epilogue.op ? epilogue.op : op);
  Value lhs = op.getInputs()[0];
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto outType = cast<RankedTensorType>(op.getResultTypes()[0]);
  int64_t m = lhsType.getDimSize(0), k = lhsType.getDimSize(1);
  int64_t n = outType.getDimSize(1);
  int64_t lanes = config.vectorLanes;
  int64_t rows = config.tileRows, columns = config.tileColumns;
  int64_t vectors = columns / lanes;
  int64_t mTiles = llvm::divideCeil(m, rows),
          nTiles = llvm::divideCeil(n, columns);
  int64_t kSteps = llvm::divideCeil(k, 4), kPadded = 4 * kSteps;
  int64_t blocks = nTiles * vectors;

  // [N / lanes][K / 4][lanes][4], zeros past K and N.
  ArrayRef<char> weight = *constantData(op.getInputs()[1]);
  SmallVector<int8_t> packed(blocks * kSteps * lanes * 4, 0);
  for (int64_t kk = 0; kk < k; ++kk)
    for (int64_t j = 0; j < n; ++j)
      packed[(((j / lanes) * kSteps + kk / 4) * lanes + j % lanes) * 4 +
             kk % 4] = static_cast<int8_t>(weight[kk * n + j]);
  Value packedWeight = bytesConstant(rewriter, op, {(int64_t)packed.size()},
                                     packed, "strata.integer_matmul_weight");

  std::optional<InitialValue> init =
      initialValue(op.getOutputs()[0], /*dims=*/{});
  padRowSides(rewriter, loc, epilogue, mTiles * rows);
  Type element = epilogue.elementType(rewriter);
  Value rowsData = flatten(rewriter, loc,
                           padTo(rewriter, loc, lhs, {mTiles * rows, kPadded}));
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{mTiles * rows, nTiles * columns},
      element);
  auto forall = scf::ForallOp::create(
      rewriter, loc,
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(mTiles),
                             rewriter.getIndexAttr(nTiles)},
      ValueRange{empty}, std::nullopt);
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(forall.getBody());
    DotBuilder d{rewriter, loc, lanes};
    Value firstRow = arith::MulIOp::create(
        rewriter, loc, forall.getInductionVars()[0], d.index(rows));
    Value firstBlock = arith::MulIOp::create(
        rewriter, loc, forall.getInductionVars()[1], d.index(vectors));
    SmallVector<Value> initial;
    for (int64_t r = 0; r < rows; ++r)
      initial.push_back(initialVector(d, *init, firstRow, r));
    Value firstColumn = arith::MulIOp::create(
        rewriter, loc, forall.getInductionVars()[1], d.index(columns));
    epilogue.firstRow = firstRow;
    epilogue.firstColumn = firstColumn;
    epilogue.lanes = lanes;
    SmallVector<OpFoldResult> offsets = {firstRow, firstColumn};
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(rows),
                                       rewriter.getIndexAttr(columns)};
    SmallVector<OpFoldResult> unit(2, rewriter.getIndexAttr(1));
    Value destination = tensor::ExtractSliceOp::create(
        rewriter, loc, forall.getRegionIterArgs()[0], offsets, sizes, unit);
    Value tile = buildTile(
        d, rows, vectors, match.lhsUnsigned, initial, {kSteps},
        [&](ArrayRef<Value> steps, int64_t r) {
          // rows[(firstRow + r) * kPadded + 4 * step]
          Value row =
              arith::AddIOp::create(rewriter, loc, firstRow, d.index(r));
          Value at = arith::AddIOp::create(
              rewriter, loc,
              arith::MulIOp::create(rewriter, loc, row, d.index(kPadded)),
              arith::MulIOp::create(rewriter, loc, steps[0], d.index(4)));
          return d.broadcastBytes(rowsData, at);
        },
        [&](ArrayRef<Value> steps, int64_t v) {
          // packed[((firstBlock + v) * kSteps + step) * lanes * 4]
          Value block =
              arith::AddIOp::create(rewriter, loc, firstBlock, d.index(v));
          Value at = arith::MulIOp::create(
              rewriter, loc,
              arith::AddIOp::create(
                  rewriter, loc,
                  arith::MulIOp::create(rewriter, loc, block, d.index(kSteps)),
                  steps[0]),
              d.index(lanes * 4));
          return d.loadBytes(packedWeight, at);
        },
        epilogue, destination);
    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(rewriter, loc, tile,
                                          forall.getRegionIterArgs()[0],
                                          offsets, sizes, unit);
  }
  Value result = tensor::ExtractSliceOp::create(
      rewriter, loc, outType.clone(element), forall.getResult(0),
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(0),
                             rewriter.getIndexAttr(0)},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(m),
                             rewriter.getIndexAttr(n)},
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(1),
                             rewriter.getIndexAttr(1)});
  replaceProduct(rewriter, op, epilogue, result);
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

void rewriteConv(IRRewriter &rewriter, const IntegerProduct &match,
                 const KernelConfig &config) {
  linalg::GenericOp op = match.op;
  Location loc = op.getLoc();
  // Side inputs along the output channels only: a tile's pixels are wide
  // rows, not NCHW positions.
  Epilogue epilogue = matchEpilogue(rewriter, op.getResult(0), 1, -1);
  rewriter.setInsertionPoint(epilogue.op ? epilogue.op : op);
  Value image = op.getInputs()[0];
  auto imageType = cast<RankedTensorType>(image.getType());
  auto filterType = cast<RankedTensorType>(op.getInputs()[1].getType());
  auto outType = cast<RankedTensorType>(op.getResultTypes()[0]);
  int64_t batch = imageType.getDimSize(0), channels = imageType.getDimSize(1);
  int64_t wp = imageType.getDimSize(3);
  int64_t filters = filterType.getDimSize(0);
  int64_t kh = filterType.getDimSize(2), kw = filterType.getDimSize(3);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t sh = match.strideH, sw = match.strideW;
  int64_t lanes = config.vectorLanes;
  int64_t rows = config.tileRows, columns = config.tileColumns;
  int64_t vectors = columns / lanes;
  int64_t groups = llvm::divideCeil(channels, 4);
  int64_t fTiles = llvm::divideCeil(filters, rows);
  int64_t wq = llvm::divideCeil(wp, sw);
  int64_t pixels = oh * wq, pTiles = llvm::divideCeil(pixels, columns);
  int64_t reach = ((kh - 1) / sh) * wq + (kw - 1) / sw;
  int64_t planeRows = llvm::divideCeil(pTiles * columns + reach, wq);
  int64_t planeSize = planeRows * wq;

  // The image packed as [N][C / 4][sh][sw][planeRows][wq][4]: an affine copy
  // of the image padded (or cut) to [N][4 * C / 4][planeRows * sh][wq * sw].
  // Only the phases a window position reads: a strided 1x1 convolution
  // reads one.
  int64_t phasesH = std::min(sh, kh), phasesW = std::min(sw, kw);
  Value packedImage =
      sh == 1 && sw == 1
          ? packUnitStride(rewriter, loc, image, groups, planeRows, wq, lanes)
          : packPhases(rewriter, loc, image, groups, sh, sw, std::min(sh, kh),
                       std::min(sw, kw), planeRows, wq);
  Value imageData = flatten(rewriter, loc, packedImage);

  // The filter as [F (padded)][C / 4][KH][KW][4], zeros past C and F.
  ArrayRef<char> filter = *constantData(op.getInputs()[1]);
  SmallVector<int8_t> packed(fTiles * rows * groups * kh * kw * 4, 0);
  for (int64_t f = 0; f < filters; ++f)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < kh; ++i)
        for (int64_t j = 0; j < kw; ++j)
          packed[(((f * groups + c / 4) * kh + i) * kw + j) * 4 + c % 4] =
              static_cast<int8_t>(
                  filter[((f * channels + c) * kh + i) * kw + j]);
  Value filterData = bytesConstant(rewriter, op, {(int64_t)packed.size()},
                                   packed, "strata.integer_conv_filter");

  std::optional<InitialValue> init =
      initialValue(op.getOutputs()[0], /*dims=*/{0, 2, 3});
  if (init->perRow)
    init->perRow = padTo(rewriter, loc, init->perRow, {fTiles * rows});
  padRowSides(rewriter, loc, epilogue, fTiles * rows);
  Type element = epilogue.elementType(rewriter);

  // The result in wide rows: [N][F (padded)][pTiles * columns].
  SmallVector<int64_t> wideShape = {batch, fTiles * rows, pTiles * columns};
  Value empty = tensor::EmptyOp::create(rewriter, loc, wideShape, element);
  auto forall = scf::ForallOp::create(
      rewriter, loc,
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(batch),
                             rewriter.getIndexAttr(fTiles),
                             rewriter.getIndexAttr(pTiles)},
      ValueRange{empty}, std::nullopt);
  {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(forall.getBody());
    DotBuilder d{rewriter, loc, lanes};
    Value imageIndex = forall.getInductionVars()[0];
    Value firstFilter = arith::MulIOp::create(
        rewriter, loc, forall.getInductionVars()[1], d.index(rows));
    Value firstPixel = arith::MulIOp::create(
        rewriter, loc, forall.getInductionVars()[2], d.index(columns));
    SmallVector<Value> initial;
    for (int64_t r = 0; r < rows; ++r)
      initial.push_back(initialVector(d, *init, firstFilter, r));
    epilogue.firstRow = firstFilter;
    epilogue.firstColumn = firstPixel;
    epilogue.lanes = lanes;
    auto add = [&](Value a, Value b2) {
      return arith::AddIOp::create(rewriter, loc, a, b2).getResult();
    };
    auto mul = [&](Value a, int64_t c) {
      return arith::MulIOp::create(rewriter, loc, a, d.index(c)).getResult();
    };
    auto divide = [&](Value a, int64_t c) {
      return arith::DivUIOp::create(rewriter, loc, a, d.index(c)).getResult();
    };
    auto remainder = [&](Value a, int64_t c) {
      return arith::RemUIOp::create(rewriter, loc, a, d.index(c)).getResult();
    };
    SmallVector<OpFoldResult> offsets = {imageIndex, firstFilter, firstPixel};
    SmallVector<OpFoldResult> sizes = {rewriter.getIndexAttr(1),
                                       rewriter.getIndexAttr(rows),
                                       rewriter.getIndexAttr(columns)};
    SmallVector<OpFoldResult> unit(3, rewriter.getIndexAttr(1));
    Value destination = tensor::ExtractSliceOp::create(
        rewriter, loc, RankedTensorType::get({rows, columns}, element),
        forall.getRegionIterArgs()[0], offsets, sizes, unit);
    Value tile = buildTile(
        d, rows, vectors, !match.lhsUnsigned, initial, {groups, kh, kw},
        [&](ArrayRef<Value> steps, int64_t r) {
          // filter[(((f * groups + g) * kh + i) * kw + j) * 4]
          Value f = add(firstFilter, d.index(r));
          Value at =
              mul(add(mul(add(mul(add(mul(f, groups), steps[0]), kh), steps[1]),
                          kw),
                      steps[2]),
                  4);
          return d.broadcastBytes(filterData, at);
        },
        [&](ArrayRef<Value> steps, int64_t v) {
          // The plane (n, g, i % sh, j % sw) from its first pixel, then
          // pixel p + v * lanes + (i / sh) * wq + j / sw.
          Value plane =
              add(mul(add(mul(add(mul(imageIndex, groups), steps[0]), phasesH),
                          remainder(steps[1], sh)),
                      phasesW),
                  remainder(steps[2], sw));
          Value pixel =
              add(add(firstPixel, d.index(v * lanes)),
                  add(mul(divide(steps[1], sh), wq), divide(steps[2], sw)));
          return d.loadBytes(imageData,
                             mul(add(mul(plane, planeSize), pixel), 4));
        },
        epilogue, destination);
    rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
    tensor::ParallelInsertSliceOp::create(rewriter, loc, tile,
                                          forall.getRegionIterArgs()[0],
                                          offsets, sizes, unit);
  }
  // Its valid part: [N][F][oh * wq] -> [N][F][oh][wq] -> columns < ow.
  Type i32 = element;
  Value valid = tensor::ExtractSliceOp::create(
      rewriter, loc, RankedTensorType::get({batch, filters, pixels}, i32),
      forall.getResult(0),
      ArrayRef<OpFoldResult>(
          SmallVector<OpFoldResult>(3, rewriter.getIndexAttr(0))),
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(batch),
                             rewriter.getIndexAttr(filters),
                             rewriter.getIndexAttr(pixels)},
      ArrayRef<OpFoldResult>(
          SmallVector<OpFoldResult>(3, rewriter.getIndexAttr(1))));
  Value wide = tensor::ExpandShapeOp::create(
      rewriter, loc, RankedTensorType::get({batch, filters, oh, wq}, i32),
      valid, ArrayRef<ReassociationIndices>{{0}, {1}, {2, 3}});
  Value result = tensor::ExtractSliceOp::create(
      rewriter, loc, outType.clone(element), wide,
      ArrayRef<OpFoldResult>(
          SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(0))),
      ArrayRef<OpFoldResult>{
          rewriter.getIndexAttr(batch), rewriter.getIndexAttr(filters),
          rewriter.getIndexAttr(oh), rewriter.getIndexAttr(ow)},
      ArrayRef<OpFoldResult>(
          SmallVector<OpFoldResult>(4, rewriter.getIndexAttr(1))));
  replaceProduct(rewriter, op, epilogue, result);
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

struct StrataCPUIntegerKernelsPass
    : strata::cpu::impl::StrataCPUIntegerKernelsPassBase<
          StrataCPUIntegerKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    for (Kernel kernel : {Kernel::IntegerMatmul, Kernel::IntegerConv}) {
      FailureOr<SmallVector<ConfiguredOp>> ops =
          opsWithKernel(getOperation(), kernel);
      if (failed(ops))
        return signalPassFailure();
      for (auto [op, config] : *ops) {
        bool conv = kernel == Kernel::IntegerConv;
        std::optional<IntegerProduct> match =
            conv ? matchIntegerConv(op) : matchIntegerMatmul(op);
        std::optional<InitialValue> init;
        if (match)
          init = initialValue(cast<linalg::GenericOp>(op).getOutputs()[0],
                              conv ? ArrayRef<int64_t>{0, 2, 3}
                                   : ArrayRef<int64_t>{});
        if (!match || !init || config.tileColumns % config.vectorLanes != 0) {
          LLVM_DEBUG(llvm::dbgs() << "not an integer kernel, left as loops: "
                                  << *op << "\n");
          continue;
        }
        if (conv)
          rewriteConv(rewriter, *match, config);
        else
          rewriteMatmul(rewriter, *match, config);
      }
    }
  }
};

/// The 4-way dot product of a marked reduction, as vpdpbusd: the
/// reduction's source is shape_cast(muli(extui(u), extsi(s))).
LogicalResult lowerDotProduct(IRRewriter &rewriter,
                              vector::MultiDimReductionOp op) {
  auto groups = op.getSource().getDefiningOp<vector::ShapeCastOp>();
  auto mul = groups ? groups.getSource().getDefiningOp<arith::MulIOp>()
                    : arith::MulIOp();
  auto u =
      mul ? mul.getLhs().getDefiningOp<arith::ExtUIOp>() : arith::ExtUIOp();
  auto s =
      mul ? mul.getRhs().getDefiningOp<arith::ExtSIOp>() : arith::ExtSIOp();
  auto accType = dyn_cast<VectorType>(op.getType());
  if (!u || !s || !accType || accType.getRank() != 1)
    return failure();
  int64_t lanes = accType.getDimSize(0);
  if (lanes != 16 && lanes != 8)
    return failure();
  rewriter.setInsertionPoint(op);
  StringRef name = lanes == 16 ? "llvm.x86.avx512.vpdpbusd.512"
                               : "llvm.x86.avx512.vpdpbusd.256";
  Value sum = LLVM::CallIntrinsicOp::create(
                  rewriter, op.getLoc(), accType, rewriter.getStringAttr(name),
                  ValueRange{op.getAcc(), u.getIn(), s.getIn()})
                  .getResult(0);
  rewriter.replaceOp(op, sum);
  return success();
}

struct StrataCPULowerDotProductsPass
    : strata::cpu::impl::StrataCPULowerDotProductsPassBase<
          StrataCPULowerDotProductsPass> {
  using Base::Base;

  void runOnOperation() override {
    bool vnni;
    if (dotProduct == "host")
      vnni = TargetInfo::host().int8DotProduct;
    else if (dotProduct == "vnni" || dotProduct == "generic")
      vnni = dotProduct == "vnni";
    else {
      getOperation()->emitError()
          << "strata-cpu-lower-dot-products: dot-product must be host, vnni "
             "or generic, got '"
          << dotProduct << "'";
      return signalPassFailure();
    }
    SmallVector<vector::MultiDimReductionOp> marked;
    getOperation()->walk([&](vector::MultiDimReductionOp op) {
      if (op->hasAttr(kDotProductAttr))
        marked.push_back(op);
    });
    IRRewriter rewriter(&getContext());
    for (vector::MultiDimReductionOp op : marked) {
      op->removeAttr(kDotProductAttr);
      if (vnni && failed(lowerDotProduct(rewriter, op)))
        LLVM_DEBUG(llvm::dbgs() << "not a dot product: " << op << "\n");
    }
  }
};

} // namespace
