//===- ConvolutionKernels.cpp - Shared parts of the conv kernels ----------===//

#include "ConvolutionKernels.h"

#include "strata/Codegen/Common/LoopBuilders.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/Matchers.h"

using namespace mlir;

bool strata::hasPointwiseBody(linalg::GenericOp generic) {
  return llvm::all_of(
      generic.getBody()->without_terminator(), [](Operation &op) {
        return isa<arith::ConstantOp>(op) ||
               (op.hasTrait<OpTrait::Elementwise>() &&
                op.getNumResults() == 1 && op.getNumRegions() == 0);
      });
}

linalg::GenericOp strata::pointwiseEpilogue(Value value, bool sideInputs) {
  linalg::GenericOp generic = strata::elementwiseConsumer(value);
  // The kernels write the epilogue's result where the accumulator was: one
  // that converts (a quantize to i8) is not theirs.
  if (!generic || !generic.getRegionOutputArgs()[0].use_empty() ||
      generic->getResult(0).getType() != value.getType())
    return nullptr;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (input->get() != value &&
        (!sideInputs || input->get().getType() != value.getType() ||
         !generic.getMatchingIndexingMap(input).isIdentity()))
      return nullptr;
  if (!hasPointwiseBody(generic))
    return nullptr;
  return generic;
}

bool strata::padsRowsAndColumnsOnly(tensor::PadOp pad) {
  ArrayRef<int64_t> low = pad.getStaticLow(), high = pad.getStaticHigh();
  return low.size() == 4 && !ShapedType::isDynamicShape(low) &&
         !ShapedType::isDynamicShape(high) && !low[0] && !low[1] && !high[0] &&
         !high[1];
}

bool strata::cpu::hasStaticNonEmptyTensors(Operation *op) {
  auto fits = [](Type type) {
    auto tensor = dyn_cast<RankedTensorType>(type);
    return !tensor || (tensor.hasStaticShape() && tensor.getNumElements() > 0);
  };
  return llvm::all_of(op->getOperandTypes(), fits) &&
         llvm::all_of(op->getResultTypes(), fits);
}

std::optional<strata::PaddedConv>
strata::matchPaddedConv(linalg::Conv2DNchwFchwOp op, int64_t maxStride,
                        int64_t filterMultiple, bool sideInputs) {
  auto out = dyn_cast<RankedTensorType>(op.getResultTypes()[0]);
  auto filterType = dyn_cast<RankedTensorType>(op.getInputs()[1].getType());
  if (!op.hasPureTensorSemantics() || !out ||
      !cpu::hasStaticNonEmptyTensors(op) || !filterType ||
      !filterType.hasStaticShape() || !out.getElementType().isF32() ||
      out.getDimSize(0) != 1 || out.getDimSize(1) % filterMultiple != 0)
    return std::nullopt;
  auto isOne = [](int64_t v) { return v == 1; };
  SmallVector<int64_t> strides(op.getStrides().getValues<int64_t>());
  if (strides[0] != strides[1] || strides[0] > maxStride ||
      !llvm::all_of(op.getDilations().getValues<int64_t>(), isOne))
    return std::nullopt;
  auto pad = op.getInputs()[0].getDefiningOp<tensor::PadOp>();
  if (!pad || !pad->hasOneUse() || !pad.getResultType().hasStaticShape() ||
      !pad.getSourceType().getElementType().isF32())
    return std::nullopt;
  if (!padsRowsAndColumnsOnly(pad))
    return std::nullopt;
  auto zero = pad.getConstantPaddingValue();
  if (!zero || !matchPattern(zero, m_AnyZeroFloat()))
    return std::nullopt;
  Operation *init = op.getOutputs()[0].getDefiningOp();
  if (auto broadcast = dyn_cast_or_null<linalg::BroadcastOp>(init)) {
    if (broadcast.getInput().getType().getRank() != 1 ||
        broadcast.getDimensions() != ArrayRef<int64_t>{0, 2, 3})
      return std::nullopt;
  } else if (!isa_and_nonnull<linalg::FillOp>(init)) {
    return std::nullopt;
  }
  PaddedConv conv{op,
                  pad,
                  op.getInputs()[1],
                  init,
                  filterType.getDimSize(1),
                  filterType.getDimSize(0),
                  filterType.getDimSize(2),
                  filterType.getDimSize(3),
                  out.getDimSize(2),
                  out.getDimSize(3),
                  strides[0],
                  {}};
  Value result = op.getResult(0);
  while (linalg::GenericOp epilogue = pointwiseEpilogue(result, sideInputs)) {
    conv.epilogues.push_back(epilogue);
    result = epilogue.getResult(0);
  }
  return conv;
}

Value strata::writePhaseRows(
    OpBuilder &b, Location loc, PaddedConv conv, int64_t s, int64_t wq, Value c,
    Value y, Value dest,
    llvm::function_ref<SmallVector<Value>(int64_t, int64_t)> at) {
  Type f32 = b.getF32Type();
  Value source = conv.pad.getSource();
  auto sourceType = cast<RankedTensorType>(source.getType());
  int64_t h = sourceType.getDimSize(2), w = sourceType.getDimSize(3);
  int64_t top = conv.pad.getStaticLow()[2], left = conv.pad.getStaticLow()[3];
  auto index = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  auto rowType = VectorType::get({w}, f32);
  Value pad = arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0.0f));
  Value zeros = arith::ConstantOp::create(
      b, loc, rowType, DenseElementsAttr::get(rowType, 0.0f));
  for (int64_t a = 0; a < s; ++a) {
    // Image row r = s y + a - top, read at a row clamped into the image
    // and replaced by zeros outside it.
    Value r = affine::AffineApplyOp::create(
        b, loc, AffineMap::get(1, 0, b.getAffineDimExpr(0) * s + a - top),
        ValueRange{y});
    Value inside = arith::AndIOp::create(
        b, loc,
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, r, index(0)),
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, r, index(h)));
    Value clamped = arith::MinSIOp::create(
        b, loc, arith::MaxSIOp::create(b, loc, r, index(0)), index(h - 1));
    Value pixels = vector::TransferReadOp::create(
        b, loc, rowType, source, ValueRange{index(0), c, clamped, index(0)},
        pad, ArrayRef<bool>{true});
    pixels = arith::SelectOp::create(b, loc, inside, pixels, zeros);
    for (int64_t bb = 0; bb < s; ++bb) {
      // Lane x of phase column bb is image column s x + bb - left, or lane
      // w (the first of the zero vector) outside the image.
      SmallVector<int64_t> mask;
      for (int64_t x = 0; x < wq; ++x) {
        int64_t column = s * x + bb - left;
        mask.push_back(column >= 0 && column < w ? column : w);
      }
      Value phaseRow = vector::ShuffleOp::create(b, loc, pixels, zeros, mask);
      dest = vector::TransferWriteOp::create(b, loc, phaseRow, dest, at(a, bb),
                                             ArrayRef<bool>{true})
                 .getResult();
    }
  }
  return dest;
}

Value strata::flatPhaseImages(RewriterBase &rewriter, PaddedConv conv,
                              int64_t s, int64_t hq, int64_t wq) {
  OpBuilder::InsertionGuard guard(rewriter);
  Type f32 = rewriter.getF32Type();
  rewriter.setInsertionPoint(conv.op);
  Location loc = conv.op.getLoc();

  // The phase images [s (a), s (b), 1, C, hq, wq], read from the unpadded
  // image in one pass, by an scf.forall over the channels, row by row (see
  // writePhaseRows). The padded image is never built, and every element is
  // written once.
  auto phasesType =
      RankedTensorType::get({s, s, 1, conv.channels, hq, wq}, f32);
  Value phasesInit =
      tensor::EmptyOp::create(rewriter, loc, phasesType.getShape(), f32);
  Value phases = strata::buildRowsForall(
      rewriter, loc, phasesInit, /*dim=*/3, hq,
      [&](OpBuilder &b, Location l, Value c, Value y, Value slice) {
        auto index = [&](int64_t v) -> Value {
          return arith::ConstantIndexOp::create(b, l, v);
        };
        return writePhaseRows(b, l, conv, s, wq, c, y, slice,
                              [&](int64_t a, int64_t bb) -> SmallVector<Value> {
                                return {index(a), index(bb), index(0),
                                        index(0), y,         index(0)};
                              });
      });
  return tensor::CollapseShapeOp::create(
      rewriter, loc,
      RankedTensorType::get({s * s * conv.channels * hq * wq}, f32), phases,
      ArrayRef<ReassociationIndices>{
          llvm::to_vector(llvm::seq<int64_t>(0, 6))});
}

Value strata::initialValue(OpBuilder &b, Location loc, PaddedConv conv,
                           Value channel) {
  if (auto fill = dyn_cast<linalg::FillOp>(conv.init))
    return fill.getInputs()[0];
  return tensor::ExtractOp::create(
      b, loc, cast<linalg::BroadcastOp>(conv.init).getInput(),
      ValueRange{channel});
}

Value strata::applyEpilogues(OpBuilder &b, Location loc,
                             ArrayRef<linalg::GenericOp> epilogues,
                             Value previous, Value acc,
                             function_ref<Value(Value)> readSide) {
  auto type = cast<VectorType>(acc.getType());
  for (linalg::GenericOp epilogue : epilogues) {
    IRMapping vectors, scalars;
    Block *body = epilogue.getBody();
    for (OpOperand *input : epilogue.getDpsInputOperands())
      vectors.map(epilogue.getMatchingBlockArgument(input),
                  input->get() == previous ? acc : readSide(input->get()));
    auto vectorOf = [&](Value scalar) -> Value {
      if (Value mapped = vectors.lookupOrNull(scalar))
        return mapped;
      auto vectorType = VectorType::get(type.getShape(), scalar.getType());
      return vector::BroadcastOp::create(b, loc, vectorType,
                                         scalars.lookupOrDefault(scalar));
    };
    for (Operation &op : body->without_terminator()) {
      if (isa<arith::ConstantOp>(op)) {
        b.clone(op, scalars);
        continue;
      }
      SmallVector<Value> operands;
      for (Value operand : op.getOperands())
        operands.push_back(vectorOf(operand));
      OperationState state(loc, op.getName(), operands,
                           TypeRange{VectorType::get(
                               type.getShape(), op.getResult(0).getType())},
                           op.getAttrs());
      vectors.map(op.getResult(0), b.create(state)->getResult(0));
    }
    acc = vectorOf(body->getTerminator()->getOperand(0));
    previous = epilogue.getResult(0);
  }
  return acc;
}

Value strata::applyEpilogue(OpBuilder &b, Location loc, PaddedConv conv,
                            Value acc, function_ref<Value(Value)> readSide) {
  return applyEpilogues(b, loc, conv.epilogues, conv.op.getResult(0), acc,
                        readSide);
}

void strata::replaceConv(RewriterBase &rewriter, PaddedConv conv,
                         Value result) {
  // The kernel applied the epilogues: the last one's users read its result.
  rewriter.replaceOp(conv.last(), result);
  for (int64_t i = static_cast<int64_t>(conv.epilogues.size()) - 2; i >= 0; --i)
    rewriter.eraseOp(conv.epilogues[i]);
  if (!conv.epilogues.empty())
    rewriter.eraseOp(conv.op);
  rewriter.eraseOp(conv.pad);
  if (conv.init->use_empty())
    rewriter.eraseOp(conv.init);
}
