//===- GraphBase.td - Graph dialect base definitions -------*- tablegen -*-===//
//
// The graph dialect: framework-level tensor operators with value semantics.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECT_GRAPH_IR_GRAPHBASE_TD
#define STRATA_DIALECT_GRAPH_IR_GRAPHBASE_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/EnumAttr.td"

def Graph_Dialect : Dialect {
  let name = "graph";
  let cppNamespace = "::strata::graph";
  let summary = "Framework-level tensor operators with value semantics";
  let description = [{
    The graph dialect is the entry level of Strata. Models imported from ONNX,
    graphs built from Python and hand-written MLIR all start here. Its ops
    work on ranked tensors with value semantics, follow numpy/ONNX
    broadcasting rules, infer their result types, and verify every shape,
    axis and attribute they are given. A curated op set (in the spirit of
    TOSA) keeps the later levels small: importers map many framework
    operators onto fewer graph ops.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 1;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

// Integers are signless (two's complement, signed where it matters, as
// ONNX's INT types and bool) or unsigned (ui8...ui64, ONNX's UINT types):
// the lowering picks the unsigned division, comparison, min/max and
// conversions for the latter, and makes them signless.
def Graph_ElementType
    : AnyTypeOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger],
                "float, signless or unsigned integer">;
def Graph_Tensor
    : RankedTensorOf<[AnyFloat, AnySignlessInteger, AnyUnsignedInteger]>;
def Graph_FloatTensor : RankedTensorOf<[AnyFloat]>;
def Graph_QuantizedTensor : RankedTensorOf<[I8, UI8, I32]>;
def Graph_IntegerTensor
    : RankedTensorOf<[AnySignlessInteger, AnyUnsignedInteger]>;
def Graph_BoolTensor : RankedTensorOf<[I1]>;
def Graph_IndexTensor : RankedTensorOf<[I32, I64]>;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Graph_ComparePredicate : I32EnumAttr<"ComparePredicate",
    "comparison predicate", [
      I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
      I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
      I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::strata::graph";
  let genSpecializedAttr = 0;
}
def Graph_ComparePredicateAttr
    : EnumAttr<Graph_Dialect, Graph_ComparePredicate, "compare_predicate">;

def Graph_PadMode : I32EnumAttr<"PadMode", "padding mode", [
      I32EnumAttrCase<"constant", 0>, I32EnumAttrCase<"reflect", 1>,
      I32EnumAttrCase<"edge", 2>]> {
  let cppNamespace = "::strata::graph";
  let genSpecializedAttr = 0;
}
def Graph_PadModeAttr : EnumAttr<Graph_Dialect, Graph_PadMode, "pad_mode">;

def Graph_ScatterReduction
    : I32EnumAttr<"ScatterReduction", "how a scattered value is combined", [
      I32EnumAttrCase<"none", 0>, I32EnumAttrCase<"add", 1>,
      I32EnumAttrCase<"mul", 2>, I32EnumAttrCase<"max", 3>,
      I32EnumAttrCase<"min", 4>]> {
  let cppNamespace = "::strata::graph";
  let genSpecializedAttr = 0;
}
def Graph_ScatterReductionAttr
    : EnumAttr<Graph_Dialect, Graph_ScatterReduction, "scatter_reduction">;

//===----------------------------------------------------------------------===//
// Base op classes
//===----------------------------------------------------------------------===//

// Every graph value fits in memory: a result with more elements than int64
// counts, or more than kMaxTensorBytes (strata/Runtime/Tensor.h), is a
// verifier error at the op that makes it (a broadcast, a reshape, an
// imported constant of absurd dims), not an overflow in compiled code.
def Graph_BoundedResults : NativeOpTrait<"BoundedResults"> {
  let cppNamespace = "::strata::graph";
}

class Graph_Op<string mnemonic, list<Trait> traits = []>
    : Op<Graph_Dialect, mnemonic, !listconcat(traits, [Graph_BoundedResults])>;

#endif // STRATA_DIALECT_GRAPH_IR_GRAPHBASE_TD
