//===- Common.cpp - Helpers shared by the graph-to-linalg patterns --------===//

#include "Common.h"

#include "strata/Dialect/Graph/IR/GraphDialect.h"
#include "strata/Dialect/Graph/Utils/ShapeUtils.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

#include "mlir/Dialect/Utils/ReshapeOpsUtils.h"
#include "llvm/ADT/APFloat.h"

using namespace mlir;

namespace strata::graph_to_linalg {

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(floatType, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value maxOrMin(OpBuilder &b, Location loc, Value lhs, Value rhs, bool isMax,
               bool isUnsigned) {
  Type type = lhs.getType();
  if (isFloat(type))
    return isMax ? Value(arith::MaximumFOp::create(b, loc, lhs, rhs))
                 : Value(arith::MinimumFOp::create(b, loc, lhs, rhs));
  if (type.isInteger(1) || isUnsigned)
    return isMax ? Value(arith::MaxUIOp::create(b, loc, lhs, rhs))
                 : Value(arith::MinUIOp::create(b, loc, lhs, rhs));
  return isMax ? Value(arith::MaxSIOp::create(b, loc, lhs, rhs))
               : Value(arith::MinSIOp::create(b, loc, lhs, rhs));
}

arith::CmpIPredicate intPredicate(arith::CmpIPredicate signedPredicate,
                                  Type type, bool isUnsigned) {
  if (!type.isInteger(1) && !isUnsigned)
    return signedPredicate;
  switch (signedPredicate) {
  case arith::CmpIPredicate::slt:
    return arith::CmpIPredicate::ult;
  case arith::CmpIPredicate::sle:
    return arith::CmpIPredicate::ule;
  case arith::CmpIPredicate::sgt:
    return arith::CmpIPredicate::ugt;
  case arith::CmpIPredicate::sge:
    return arith::CmpIPredicate::uge;
  default:
    return signedPredicate;
  }
}

Value extremeConstant(OpBuilder &b, Location loc, Type type, bool lowest,
                      bool isUnsigned) {
  if (auto floatType = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(floatType, llvm::APFloat::getInf(
                                      floatType.getFloatSemantics(), lowest)));
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value = lowest ? APInt::getSignedMinValue(width)
                       : APInt::getSignedMaxValue(width);
  if (width == 1 || isUnsigned)
    value = lowest ? APInt::getMinValue(width) : APInt::getMaxValue(width);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value) {
  return linalg::FillOp::create(b, loc, value, emptyTensor(b, loc, type))
      .getResult(0);
}

AffineMap broadcastMap(ArrayRef<int64_t> operandShape,
                       ArrayRef<int64_t> resultShape, MLIRContext *context) {
  SmallVector<AffineExpr> exprs;
  size_t lead = resultShape.size() - operandShape.size();
  for (auto [i, size] : llvm::enumerate(operandShape)) {
    if (size == 1 && resultShape[lead + i] != 1)
      exprs.push_back(getAffineConstantExpr(0, context));
    else
      exprs.push_back(getAffineDimExpr(lead + i, context));
  }
  return AffineMap::get(resultShape.size(), 0, exprs, context);
}

SmallVector<utils::IteratorType> parallelIterators(unsigned n) {
  return SmallVector<utils::IteratorType>(n, utils::IteratorType::parallel);
}

Value buildElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                       RankedTensorType resultType, ScalarBody body) {
  MLIRContext *context = b.getContext();
  SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(
        broadcastMap(cast<RankedTensorType>(input.getType()).getShape(),
                     resultType.getShape(), context));
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs,
      ValueRange{emptyTensor(b, loc, resultType)}, maps,
      parallelIterators(resultType.getRank()),
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value result = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, result);
      });
  return generic.getResult(0);
}

Value reshapeTensor(OpBuilder &b, Location loc, Value input,
                    RankedTensorType type) {
  auto inputType = cast<RankedTensorType>(input.getType());
  if (inputType == type)
    return input;
  // A pure expansion or collapse is one op; anything else goes through 1-D.
  if (std::optional<SmallVector<ReassociationIndices>> groups =
          getReassociationIndicesForReshape(inputType, type)) {
    if (inputType.getRank() > type.getRank())
      return tensor::CollapseShapeOp::create(b, loc, type, input, *groups);
    return tensor::ExpandShapeOp::create(b, loc, type, input, *groups);
  }
  // Collapse everything into one dimension (or none for a scalar)...
  SmallVector<ReassociationIndices> toFlat;
  if (inputType.getRank() > 0) {
    toFlat.emplace_back();
    for (int64_t d = 0; d < inputType.getRank(); ++d)
      toFlat.back().push_back(d);
  }
  auto flatType = RankedTensorType::get(
      inputType.getRank() > 0 ? SmallVector<int64_t>{inputType.getNumElements()}
                              : SmallVector<int64_t>{},
      inputType.getElementType());
  Value flat = input;
  if (inputType.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input, toFlat);
  if (type.getRank() == 1)
    return flat;
  // ...then expand it into the target shape.
  SmallVector<ReassociationIndices> fromFlat;
  if (type.getRank() > 0) {
    fromFlat.emplace_back();
    for (int64_t d = 0; d < type.getRank(); ++d)
      fromFlat.back().push_back(d);
  }
  if (flatType.getRank() == 0) // A scalar expands with no reassociation.
    return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                         ArrayRef<ReassociationIndices>{});
  if (type.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, type, flat, fromFlat);
  return tensor::ExpandShapeOp::create(b, loc, type, flat, fromFlat);
}

Value padTensor(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> low,
                ArrayRef<int64_t> high, Value padValue) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  SmallVector<OpFoldResult> lowAttrs, highAttrs;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    shape.push_back(type.getDimSize(d) + low[d] + high[d]);
    lowAttrs.push_back(b.getIndexAttr(low[d]));
    highAttrs.push_back(b.getIndexAttr(high[d]));
  }
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input,
      lowAttrs, highAttrs, padValue);
}

AffineMap selectDims(int64_t rank, ArrayRef<int64_t> kept, MLIRContext *ctx) {
  SmallVector<AffineExpr> exprs;
  for (int64_t d : kept)
    exprs.push_back(getAffineDimExpr(d, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

RankedTensorType dropDims(RankedTensorType type, ArrayRef<int64_t> dropped) {
  return RankedTensorType::get(
      shape::reducedShape(type.getShape(), dropped, /*keepDims=*/false),
      type.getElementType());
}

SmallVector<int64_t> complement(int64_t rank, ArrayRef<int64_t> dims) {
  SmallVector<int64_t> rest;
  for (int64_t d = 0; d < rank; ++d)
    if (!llvm::is_contained(dims, d))
      rest.push_back(d);
  return rest;
}

Value reduce(OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> dims,
             Value init,
             function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = cast<RankedTensorType>(input.getType());
  RankedTensorType reducedType = dropDims(type, dims);
  return linalg::ReduceOp::create(
             b, loc, ValueRange{input},
             ValueRange{filledTensor(b, loc, reducedType, init)}, dims,
             [&](OpBuilder &nb, Location l, ValueRange args) {
               linalg::YieldOp::create(nb, l, combine(nb, l, args[0], args[1]));
             })
      .getResult(0);
}

Value convertScalar(OpBuilder &b, Location loc, Value value, Type to,
                    bool fromUnsigned, bool toUnsigned) {
  Type from = value.getType();
  if (from == to)
    return value;
  if (to.isInteger(1)) {
    Value zero = scalarConstant(b, loc, from, 0);
    if (isFloat(from))
      return arith::CmpFOp::create(b, loc, arith::CmpFPredicate::UNE, value,
                                   zero);
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, value, zero);
  }
  if (isFloat(from) && isFloat(to)) {
    if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
      return arith::ExtFOp::create(b, loc, to, value);
    return arith::TruncFOp::create(b, loc, to, value);
  }
  if (isFloat(from))
    return toUnsigned ? Value(arith::FPToUIOp::create(b, loc, to, value))
                      : Value(arith::FPToSIOp::create(b, loc, to, value));
  bool zeroExtends = from.isInteger(1) || fromUnsigned;
  if (isFloat(to)) {
    if (zeroExtends)
      return arith::UIToFPOp::create(b, loc, to, value);
    return arith::SIToFPOp::create(b, loc, to, value);
  }
  unsigned fromWidth = from.getIntOrFloatBitWidth();
  unsigned toWidth = to.getIntOrFloatBitWidth();
  if (fromWidth < toWidth)
    return zeroExtends ? Value(arith::ExtUIOp::create(b, loc, to, value))
                       : Value(arith::ExtSIOp::create(b, loc, to, value));
  if (fromWidth == toWidth)
    return value; // Between signed and unsigned: the same bits.
  return arith::TruncIOp::create(b, loc, to, value);
}

/// `type` with unsigned integers made signless (tensor element types too).
static Type signless(Type type) {
  if (auto tensor = dyn_cast<RankedTensorType>(type)) {
    Type element = signless(tensor.getElementType());
    return element == tensor.getElementType()
               ? type
               : RankedTensorType::get(tensor.getShape(), element,
                                       tensor.getEncoding());
  }
  if (auto integer = dyn_cast<IntegerType>(type);
      integer && integer.isUnsigned())
    return IntegerType::get(type.getContext(), integer.getWidth());
  return type;
}

static bool isUnsignedType(Type type) {
  return getElementTypeOrSelf(type).isUnsignedInteger();
}

void makeIntegersSignless(Operation *root) {
  // Mark first, while the types still say which values are unsigned.
  root->walk([](Operation *op) {
    if (!isa<graph::GraphDialect>(op->getDialect()))
      return;
    SmallVector<int64_t> unsignedOperands;
    for (auto [i, type] : llvm::enumerate(op->getOperandTypes()))
      if (isUnsignedType(type))
        unsignedOperands.push_back(i);
    if (!unsignedOperands.empty())
      op->setAttr(kUnsignedOperandsAttr,
                  DenseI64ArrayAttr::get(op->getContext(), unsignedOperands));
    if (llvm::any_of(op->getResultTypes(), isUnsignedType))
      op->setAttr(kUnsignedResultsAttr, UnitAttr::get(op->getContext()));
  });
  root->walk([](Operation *op) {
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (BlockArgument arg : block.getArguments())
          arg.setType(signless(arg.getType()));
    for (OpResult result : op->getResults())
      result.setType(signless(result.getType()));
    if (auto func = dyn_cast<FunctionOpInterface>(op)) {
      auto type = cast<FunctionType>(func.getFunctionType());
      auto convert = [](TypeRange types) {
        return llvm::map_to_vector(types, [](Type t) { return signless(t); });
      };
      func.setType(FunctionType::get(op->getContext(),
                                     convert(type.getInputs()),
                                     convert(type.getResults())));
    }
    // Attributes that carry an unsigned type: a constant's elements (the
    // same bits, signless) and a cast's target.
    for (NamedAttribute attr : op->getAttrs()) {
      Attribute value = attr.getValue();
      Attribute replacement;
      if (auto typeAttr = dyn_cast<TypeAttr>(value)) {
        if (Type t = signless(typeAttr.getValue()); t != typeAttr.getValue())
          replacement = TypeAttr::get(t);
      } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
        if (isUnsignedType(dense.getType()))
          replacement = dense.bitcast(signless(dense.getElementType()));
      } else if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
        if (isUnsignedType(resource.getType()))
          replacement = DenseResourceElementsAttr::get(
              cast<ShapedType>(signless(resource.getType())),
              resource.getRawHandle());
      }
      if (replacement)
        op->setAttr(attr.getName(), replacement);
    }
  });
}

} // namespace strata::graph_to_linalg
