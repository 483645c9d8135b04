//===- GraphOps.td - Graph dialect operations --------------*- tablegen -*-===//
//
// Every op has a summary, a description with an example, a declarative
// assembly format, result-type inference and a verifier. Shape checks live in
// the result-type inference functions (GraphOps.cpp), which run both when an
// op is built or parsed and when it is verified.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_DIALECT_GRAPH_IR_GRAPHOPS_TD
#define STRATA_DIALECT_GRAPH_IR_GRAPHOPS_TD

include "strata/Dialect/Graph/IR/GraphBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/IR/RegionKindInterface.td"

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

def Graph_ConstantOp : Graph_Op<"constant",
    [ConstantLike, Pure, InferTypeOpAdaptor]> {
  let summary = "Tensor constant";
  let description = [{
    Produces a tensor from an elements attribute. Large weights should use
    dense resource blobs (`dense_resource<...>`) so that they stay binary.

    Example:
    ```mlir
    %0 = graph.constant dense<[1.0, 2.0]> : tensor<2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary ops (numpy broadcasting)
//===----------------------------------------------------------------------===//

class Graph_BinaryOp<string mnemonic, Type operandType, list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits,
        [Pure, SameOperandsElementType, InferTypeOpAdaptor])> {
  let arguments = (ins operandType:$lhs, operandType:$rhs);
  let results = (outs operandType:$output);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)
  }];
  let hasFolder = 1;
  code binaryDescription = [{

    The operands broadcast against each other following numpy/ONNX rules:
    shapes are aligned on their trailing dimensions and a dimension of size 1
    stretches to match the other. The result has the broadcast shape and the
    operands' element type.
  }];
}

def Graph_AddOp : Graph_BinaryOp<"add", Graph_Tensor, [Commutative]> {
  let summary = "Elementwise addition with broadcasting";
  let description = [{
    Computes `lhs + rhs`.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.add %a, %b : tensor<4x3xf32>, tensor<3xf32>
    ```
  }];
  let hasCanonicalizer = 1;
}
def Graph_SubOp : Graph_BinaryOp<"sub", Graph_Tensor> {
  let summary = "Elementwise subtraction with broadcasting";
  let description = [{
    Computes `lhs - rhs`.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.sub %a, %b : tensor<4x3xf32>, tensor<4x1xf32>
    ```
  }];
}
def Graph_MulOp : Graph_BinaryOp<"mul", Graph_Tensor, [Commutative]> {
  let summary = "Elementwise multiplication with broadcasting";
  let description = [{
    Computes `lhs * rhs`.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.mul %a, %b : tensor<2x3xf32>, tensor<f32>
    ```
  }];
  let hasCanonicalizer = 1;
}
def Graph_DivOp : Graph_BinaryOp<"div", Graph_Tensor> {
  let summary = "Elementwise division with broadcasting";
  let description = [{
    Computes `lhs / rhs`; integer division truncates toward zero. Integer
    division never traps: by zero it gives 0 (as numpy's), and the minimum
    value divided by -1 wraps to itself.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.div %a, %b : tensor<2x3xf32>, tensor<1x3xf32>
    ```
  }];
}
def Graph_PowOp : Graph_BinaryOp<"pow", Graph_FloatTensor> {
  let summary = "Elementwise power with broadcasting";
  let description = [{
    Computes `lhs ^ rhs` on floats.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.pow %a, %b : tensor<2x3xf32>, tensor<f32>
    ```
  }];
}
def Graph_MaxOp : Graph_BinaryOp<"max", Graph_Tensor, [Commutative]> {
  let summary = "Elementwise maximum with broadcasting";
  let description = [{
    Computes `max(lhs, rhs)`; a NaN operand gives NaN.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.max %a, %b : tensor<8xf32>, tensor<8xf32>
    ```
  }];
}
def Graph_MinOp : Graph_BinaryOp<"min", Graph_Tensor, [Commutative]> {
  let summary = "Elementwise minimum with broadcasting";
  let description = [{
    Computes `min(lhs, rhs)`; a NaN operand gives NaN.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.min %a, %b : tensor<8xf32>, tensor<1xf32>
    ```
  }];
}

def Graph_RemOp : Graph_BinaryOp<"rem", Graph_Tensor> {
  let summary = "Elementwise remainder of truncated division, with broadcasting";
  let description = [{
    Computes `lhs - trunc(lhs / rhs) * rhs` (C `fmod`): the result has the
    sign of `lhs`. Integer remainder never traps: by zero (as numpy's) and
    by -1 it is 0.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.rem %a, %b : tensor<6xi32>, tensor<i32>
    ```
  }];
}

def Graph_ShiftLeftOp : Graph_BinaryOp<"shift_left", Graph_IntegerTensor> {
  let summary = "Elementwise left shift of integers, with broadcasting";
  let description = [{
    Shifts each `lhs` element left by the `rhs` element's number of bits,
    filling with zeros (ONNX `BitShift` with `direction = "LEFT"`). A shift
    by the element width or more gives 0, as numpy's.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.shift_left %a, %b : tensor<3xui8>, tensor<3xui8>
    ```
  }];
}

def Graph_ShiftRightOp : Graph_BinaryOp<"shift_right", Graph_IntegerTensor> {
  let summary = "Elementwise right shift of integers, with broadcasting";
  let description = [{
    Shifts each `lhs` element right by the `rhs` element's number of bits
    (ONNX `BitShift` with `direction = "RIGHT"`): unsigned integers fill
    with zeros, signless (signed) ones with copies of the sign bit. A shift
    by the element width or more gives 0 (or -1 for a negative signed
    element), as numpy's.
  }] # binaryDescription # [{

    Example:
    ```mlir
    %0 = graph.shift_right %a, %b : tensor<3xui32>, tensor<3xui32>
    ```
  }];
}

//===----------------------------------------------------------------------===//
// Elementwise unary ops
//===----------------------------------------------------------------------===//

class Graph_UnaryOp<string mnemonic, Type operandType, string formula,
                    list<Trait> traits = []>
    : Graph_Op<mnemonic, !listconcat(traits,
        [Pure, SameOperandsAndResultType])> {
  let summary = "Elementwise `" # formula # "`";
  let description = [{
    Computes `}] # formula # [{` for every element. The result has the
    operand's type.

    Example:
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x : tensor<2x3xf32>
    ```
  }];
  let arguments = (ins operandType:$input);
  let results = (outs operandType:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_NegOp : Graph_UnaryOp<"neg", Graph_Tensor, "-x">;
def Graph_AbsOp : Graph_UnaryOp<"abs", Graph_Tensor, "|x|">;
def Graph_ExpOp : Graph_UnaryOp<"exp", Graph_FloatTensor, "e^x">;
def Graph_LogOp : Graph_UnaryOp<"log", Graph_FloatTensor, "ln(x)">;
def Graph_SqrtOp : Graph_UnaryOp<"sqrt", Graph_FloatTensor, "sqrt(x)">;
def Graph_RsqrtOp : Graph_UnaryOp<"rsqrt", Graph_FloatTensor, "1 / sqrt(x)">;
def Graph_TanhOp : Graph_UnaryOp<"tanh", Graph_FloatTensor, "tanh(x)">;
def Graph_SigmoidOp
    : Graph_UnaryOp<"sigmoid", Graph_FloatTensor, "1 / (1 + e^-x)">;
def Graph_ReluOp : Graph_UnaryOp<"relu", Graph_Tensor, "max(x, 0)">;
def Graph_GeluOp
    : Graph_UnaryOp<"gelu", Graph_FloatTensor, "x * (1 + erf(x / sqrt(2))) / 2">;
def Graph_ErfOp : Graph_UnaryOp<"erf", Graph_FloatTensor, "erf(x)">;
def Graph_SinOp : Graph_UnaryOp<"sin", Graph_FloatTensor, "sin(x)">;
def Graph_CosOp : Graph_UnaryOp<"cos", Graph_FloatTensor, "cos(x)">;
def Graph_TanOp : Graph_UnaryOp<"tan", Graph_FloatTensor, "tan(x)">;
def Graph_AsinOp : Graph_UnaryOp<"asin", Graph_FloatTensor, "asin(x)">;
def Graph_AcosOp : Graph_UnaryOp<"acos", Graph_FloatTensor, "acos(x)">;
def Graph_AtanOp : Graph_UnaryOp<"atan", Graph_FloatTensor, "atan(x)">;
def Graph_SinhOp : Graph_UnaryOp<"sinh", Graph_FloatTensor, "sinh(x)">;
def Graph_CoshOp : Graph_UnaryOp<"cosh", Graph_FloatTensor, "cosh(x)">;
def Graph_AsinhOp : Graph_UnaryOp<"asinh", Graph_FloatTensor, "asinh(x)">;
def Graph_AcoshOp : Graph_UnaryOp<"acosh", Graph_FloatTensor, "acosh(x)">;
def Graph_AtanhOp : Graph_UnaryOp<"atanh", Graph_FloatTensor, "atanh(x)">;
def Graph_FloorOp : Graph_UnaryOp<"floor", Graph_FloatTensor, "floor(x)">;
def Graph_CeilOp : Graph_UnaryOp<"ceil", Graph_FloatTensor, "ceil(x)">;
def Graph_RoundOp : Graph_UnaryOp<"round", Graph_FloatTensor,
                                  "x rounded to the nearest integer, ties to even">;
def Graph_SignOp : Graph_UnaryOp<"sign", Graph_Tensor, "-1, 0 or 1 by the sign of x">;

def Graph_ClipOp : Graph_Op<"clip", [Pure, SameOperandsAndResultType]> {
  let summary = "Elementwise clamp to `[min, max]`";
  let description = [{
    Clamps every element to `[min, max]`. Either bound may be omitted; with
    both present `min <= max` must hold. ReLU6 is `clip` with `min 0.0 max 6.0`.

    Example:
    ```mlir
    %0 = graph.clip %x min 0.0 max 6.0 : tensor<1x32xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, OptionalAttr<F64Attr>:$min,
                   OptionalAttr<F64Attr>:$max);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input (`min` $min^)? (`max` $max^)? attr-dict `:` type($input)
  }];
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Compare, select, cast
//===----------------------------------------------------------------------===//

def Graph_CompareOp : Graph_Op<"compare",
    [Pure, SameOperandsElementType, InferTypeOpAdaptor]> {
  let summary = "Elementwise comparison with broadcasting";
  let description = [{
    Compares `lhs` and `rhs` elementwise with the given predicate
    (`eq`, `ne`, `lt`, `le`, `gt`, `ge`) and yields an `i1` tensor of the
    broadcast shape. Floats compare ordered (any NaN gives false, except `ne`).

    Example:
    ```mlir
    %0 = graph.compare lt, %a, %b : tensor<4xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Graph_ComparePredicateAttr:$predicate,
                   Graph_Tensor:$lhs, Graph_Tensor:$rhs);
  let results = (outs Graph_BoolTensor:$output);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)
  }];
  let hasFolder = 1;
}

def Graph_SelectOp : Graph_Op<"select", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise choice with broadcasting";
  let description = [{
    Yields `on_true` where `condition` holds and `on_false` elsewhere. The
    three operands broadcast together; both branches share one element type.

    Example:
    ```mlir
    %0 = graph.select %c, %a, %b : tensor<4xi1>, tensor<4xf32>, tensor<f32>
    ```
  }];
  let arguments = (ins Graph_BoolTensor:$condition, Graph_Tensor:$on_true,
                   Graph_Tensor:$on_false);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $condition `,` $on_true `,` $on_false attr-dict `:` type($condition) `,`
    type($on_true) `,` type($on_false)
  }];
  let hasFolder = 1;
}

def Graph_CastOp : Graph_Op<"cast", [Pure, InferTypeOpAdaptor]> {
  let summary = "Elementwise element-type conversion";
  let description = [{
    Converts every element to `dtype`. Float to integer rounds toward zero;
    integer to `i1` compares with zero; `i1` converts as 0 or 1.

    Example:
    ```mlir
    %0 = graph.cast %x : tensor<2x3xf32> to i32
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, TypeAttrOf<Graph_ElementType>:$dtype);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input) `to` $dtype";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Quantization
//===----------------------------------------------------------------------===//

class Graph_QuantizationOp<string mnemonic>
    : Graph_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let assemblyFormat = [{
    $input `,` $scale `,` $zero_point attr-dict `:` type($input) `,`
    type($scale) `,` type($zero_point)
  }];
  let hasVerifier = 1;
  code quantizationDescription = [{

    The scale and the zero point are operands (not a quantized element
    type): per tensor they are scalars (rank 0); per channel they are 1-D,
    one value per index along `axis` of the input. The zero point's element
    type is the quantized type: i8 or ui8 (i32 for dequantizing an int32
    accumulator, whose zero point must be 0).
  }];
}

def Graph_QuantizeOp : Graph_QuantizationOp<"quantize"> {
  let summary = "Float to integers by a scale and a zero point";
  let description = [{
    Computes `saturate(round(input / scale) + zero_point)`: the division is
    rounded half to even, and the sum saturates to the range of the zero
    point's element type, which is the result's (ONNX `QuantizeLinear`).
  }] # quantizationDescription # [{

    Example:
    ```mlir
    %q = graph.quantize %x, %scale, %zp {axis = 1 : i64}
         : tensor<1x16x8x8xf32>, tensor<16xf32>, tensor<16xi8>
    // result: tensor<1x16x8x8xi8>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                   Graph_QuantizedTensor:$zero_point,
                   OptionalAttr<I64Attr>:$axis);
  let results = (outs Graph_QuantizedTensor:$output);
}

def Graph_DequantizeOp : Graph_QuantizationOp<"dequantize"> {
  let summary = "Integers to float by a scale and a zero point";
  let description = [{
    Computes `(input - zero_point) * scale`, the difference exact in 32-bit
    integers, in the scale's float type, which is the result's (ONNX
    `DequantizeLinear`).
  }] # quantizationDescription # [{

    Example:
    ```mlir
    %x = graph.dequantize %q, %scale, %zp
         : tensor<4x8xui8>, tensor<f32>, tensor<ui8>
    // result: tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Graph_QuantizedTensor:$input, Graph_FloatTensor:$scale,
                   Graph_QuantizedTensor:$zero_point,
                   OptionalAttr<I64Attr>:$axis);
  let results = (outs Graph_FloatTensor:$output);
}

def Graph_RequantizeOp : Graph_QuantizationOp<"requantize"> {
  let summary = "An int32 accumulator to 8-bit integers by a float multiplier";
  let description = [{
    Computes `saturate(round(input * scale) + zero_point)`: the product in
    the scale's float type (f32), rounded half to even, the sum saturated
    to the range of the zero point's element type (i8 or ui8), which is the
    result's. The scale is the multiplier `input_scale / output_scale`
    that takes an integer matmul's or convolution's accumulator to the
    next quantized tensor: graph-fold-qdq makes it from a dequantize
    followed by a quantize.
  }] # quantizationDescription # [{

    Example:
    ```mlir
    %q = graph.requantize %acc, %multiplier, %zp {axis = 1 : i64}
         : tensor<1x16x8x8xi32>, tensor<16xf32>, tensor<ui8>
    // result: tensor<1x16x8x8xui8>
    ```
  }];
  let arguments = (ins RankedTensorOf<[I32]>:$input, Graph_FloatTensor:$scale,
                   Graph_QuantizedTensor:$zero_point,
                   OptionalAttr<I64Attr>:$axis);
  let results = (outs Graph_QuantizedTensor:$output);
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def Graph_MatmulOp : Graph_Op<"matmul", [Pure, InferTypeOpAdaptor]> {
  let summary = "Batched matrix multiplication with batch broadcasting";
  let description = [{
    Multiplies the two innermost dimensions, `[..., M, K] x [..., K, N] ->
    [..., M, N]`. Both operands have rank 2 or more; their leading (batch)
    dimensions broadcast following numpy rules. The operands have one
    element type, the result's, except for 8-bit integers: operands of i8
    or ui8 (each its own) give an i32 result, the products accumulated in
    32 bits (an integer matmul of quantized values; zero points are
    subtracted around it, see graph-fold-qdq).

    Example:
    ```mlir
    %0 = graph.matmul %a, %b : tensor<8x64x32xf32>, tensor<32x16xf32>
    // result: tensor<8x64x16xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$lhs, Graph_Tensor:$rhs);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs)";
}

def Graph_Conv2DOp : Graph_Op<"conv2d", [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D convolution (NCHW input, OIHW weight)";
  let description = [{
    Convolves an `N x C x H x W` input with an `O x C/groups x KH x KW`
    weight, adding an optional bias of size `O`. `strides` and `dilations`
    are `[sh, sw]`; `pads` are `[top, left, bottom, right]`; `groups` must
    divide both `C` and `O` (depthwise: `groups == C`). Floats, or integers
    (the i32 products of quantized convolutions, which wrap as hardware
    accumulators do). As for graph.matmul, an input and a weight of 8-bit
    integers (i8 or ui8, each its own) give an i32 result, with an i32 bias.

    Example:
    ```mlir
    %0 = graph.conv2d %x, %w, %b {pads = array<i64: 1, 1, 1, 1>,
           strides = array<i64: 2, 2>}
         : tensor<1x3x224x224xf32>, tensor<64x3x3x3xf32>, tensor<64xf32>
    // result: tensor<1x64x112x112xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, Graph_Tensor:$weight,
                   Optional<Graph_Tensor>:$bias,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                   DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $input `,` $weight (`,` $bias^)? attr-dict `:` type($input) `,`
    type($weight) (`,` type($bias)^)?
  }];
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

class Graph_Pool2DOp<string mnemonic, string kind,
                     Type resultType = Graph_FloatTensor>
    : Graph_Op<mnemonic, [Pure, InferTypeOpAdaptor]> {
  let summary = "2-D " # kind # " pooling (NCHW)";
  let results = (outs resultType:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graph_MaxPool2DOp : Graph_Pool2DOp<"max_pool2d", "max", Graph_Tensor> {
  let description = [{
    Takes the maximum over `kernel`-sized windows of an `N x C x H x W` input.
    `strides` and `dilations` are `[sh, sw]`, `pads` are
    `[top, left, bottom, right]` (padding never wins the maximum);
    `ceil_mode` rounds the output size up. Floats and integers (signed or
    unsigned, as ONNX's int8/uint8 pooling).

    Example:
    ```mlir
    %0 = graph.max_pool2d %x {kernel = array<i64: 3, 3>,
           pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>}
         : tensor<1x64x112x112xf32>
    // result: tensor<1x64x56x56xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$kernel,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$dilations,
                   UnitAttr:$ceil_mode);
}

def Graph_AvgPool2DOp : Graph_Pool2DOp<"avg_pool2d", "average"> {
  let description = [{
    Averages `kernel`-sized windows of an `N x C x H x W` input. `strides`
    are `[sh, sw]`, `pads` are `[top, left, bottom, right]`. Padded elements
    count in the divisor only with `count_include_pad`; `ceil_mode` rounds the
    output size up.

    Example:
    ```mlir
    %0 = graph.avg_pool2d %x {kernel = array<i64: 2, 2>,
           strides = array<i64: 2, 2>} : tensor<1x8x32x32xf32>
    // result: tensor<1x8x16x16xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, DenseI64ArrayAttr:$kernel,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{1, 1}">:$strides,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{0, 0, 0, 0}">:$pads,
                   UnitAttr:$count_include_pad, UnitAttr:$ceil_mode);
}

class Graph_GlobalPool2DOp<string mnemonic, string kind> : Graph_Op<mnemonic,
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Global " # kind # " pooling over H and W (NCHW)";
  let description = [{
    Reduces the two spatial dimensions of an `N x C x H x W` input with
    }] # kind # [{, giving `N x C x 1 x 1`.

    Example:
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x : tensor<1x512x7x7xf32>
    // result: tensor<1x512x1x1xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graph_GlobalAvgPool2DOp
    : Graph_GlobalPool2DOp<"global_avg_pool2d", "the average">;
def Graph_GlobalMaxPool2DOp
    : Graph_GlobalPool2DOp<"global_max_pool2d", "the maximum">;

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def Graph_SoftmaxOp : Graph_Op<"softmax",
    [Pure, SameOperandsAndResultType]> {
  let summary = "Softmax along one axis";
  let description = [{
    Computes `exp(x - max) / sum(exp(x - max))` along `axis` (negative axes
    count from the end; default `-1`).

    Example:
    ```mlir
    %0 = graph.softmax %x {axis = 1 : i64} : tensor<2x10xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input,
                   DefaultValuedAttr<I64Attr, "-1">:$axis);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

def Graph_LayerNormOp : Graph_Op<"layer_norm",
    [Pure, InferTypeOpAdaptor, SameOperandsElementType]> {
  let summary = "Layer normalization over the trailing dimensions";
  let description = [{
    Normalizes over the dimensions `[axis, rank)` to zero mean and unit
    variance (`epsilon` added to the variance), then scales by `scale` and
    adds the optional `bias`; both have the shape of the normalized
    dimensions.

    Example:
    ```mlir
    %0 = graph.layer_norm %x, %gamma, %beta {epsilon = 1.0e-05 : f64}
         : tensor<1x128x768xf32>, tensor<768xf32>, tensor<768xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                   Optional<Graph_FloatTensor>:$bias,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale (`,` $bias^)? attr-dict `:` type($input) `,`
    type($scale) (`,` type($bias)^)?
  }];
}

def Graph_BatchNormOp : Graph_Op<"batch_norm",
    [Pure, InferTypeOpAdaptor, SameOperandsElementType]> {
  let summary = "Batch normalization at inference";
  let description = [{
    Computes `(x - mean) / sqrt(variance + epsilon) * scale + bias` with the
    running statistics, per channel (dimension 1) of an `N x C x ...` input.
    `scale`, `bias`, `mean` and `variance` are 1-D of size `C`.

    Example:
    ```mlir
    %0 = graph.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f64}
         : tensor<1x64x56x56xf32>, tensor<64xf32>, tensor<64xf32>,
           tensor<64xf32>, tensor<64xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$input, Graph_FloatTensor:$scale,
                   Graph_FloatTensor:$bias, Graph_FloatTensor:$mean,
                   Graph_FloatTensor:$variance,
                   DefaultValuedAttr<F64Attr, "1.0e-5">:$epsilon);
  let results = (outs Graph_FloatTensor:$output);
  let assemblyFormat = [{
    $input `,` $scale `,` $bias `,` $mean `,` $variance attr-dict `:`
    type($input) `,` type($scale) `,` type($bias) `,` type($mean) `,`
    type($variance)
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Graph_ReduceOp<string mnemonic, string kind> : Graph_Op<mnemonic,
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Reduction by " # kind # " over axes";
  let description = [{
    Reduces the input by }] # kind # [{ over `axes` (all axes when empty;
    negative axes count from the end). Reduced dimensions are removed, or
    kept with size 1 under `keep_dims`.

    Example:
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x {axes = array<i64: 1>, keep_dims}
         : tensor<4x8xf32>
    // result: tensor<4x1xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes,
                   UnitAttr:$keep_dims);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graph_ReduceSumOp : Graph_ReduceOp<"reduce_sum", "sum">;
def Graph_ReduceMeanOp : Graph_ReduceOp<"reduce_mean", "mean">;
def Graph_ReduceMaxOp : Graph_ReduceOp<"reduce_max", "maximum">;
def Graph_ReduceMinOp : Graph_ReduceOp<"reduce_min", "minimum">;
def Graph_ReduceProdOp : Graph_ReduceOp<"reduce_prod", "product">;

class Graph_ArgReduceOp<string mnemonic, string kind> : Graph_Op<mnemonic,
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Index of the " # kind # " along an axis";
  let description = [{
    Returns, as `i64`, the index of the }] # kind # [{ along `axis`
    (negative axes count from the end). Ties resolve to the first index, or
    the last with `select_last_index`. The axis is removed, or kept with size
    1 under `keep_dims`.

    Example:
    ```mlir
    %0 = graph.}] # mnemonic # [{ %x {axis = 1 : i64} : tensor<4x8xf32>
    // result: tensor<4xi64>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   DefaultValuedAttr<I64Attr, "0">:$axis, UnitAttr:$keep_dims,
                   UnitAttr:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
}

def Graph_ArgMaxOp : Graph_ArgReduceOp<"arg_max", "maximum">;
def Graph_ArgMinOp : Graph_ArgReduceOp<"arg_min", "minimum">;

def Graph_CumsumOp : Graph_Op<"cumsum", [Pure, SameOperandsAndResultType]> {
  let summary = "Cumulative sum along an axis";
  let description = [{
    Running sum along `axis` (negative axes count from the end). With
    `exclusive` an element is not included in its own sum; with `reverse`
    the sums run from the end.

    Example:
    ```mlir
    %0 = graph.cumsum %x {axis = 0 : i64, exclusive} : tensor<5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input,
                   DefaultValuedAttr<I64Attr, "0">:$axis, UnitAttr:$exclusive,
                   UnitAttr:$reverse);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def Graph_ReshapeOp : Graph_Op<"reshape", [Pure, InferTypeOpAdaptor]> {
  let summary = "Reshape to a static shape with the same element count";
  let description = [{
    Reinterprets the input's elements (row-major) with a new shape. The
    element count must be unchanged.

    Example:
    ```mlir
    %0 = graph.reshape %x [2, 12] : tensor<2x3x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input $shape attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_TransposeOp : Graph_Op<"transpose", [Pure, InferTypeOpAdaptor]> {
  let summary = "Permute dimensions";
  let description = [{
    Permutes the dimensions: result dimension `i` is input dimension
    `perms[i]`.

    Example:
    ```mlir
    %0 = graph.transpose %x [0, 2, 3, 1] : tensor<1x3x8x8xf32>
    // result: tensor<1x8x8x3xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$perms);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input $perms attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_BroadcastToOp : Graph_Op<"broadcast_to", [Pure, InferTypeOpAdaptor]> {
  let summary = "Broadcast to a shape (numpy rules)";
  let description = [{
    Broadcasts the input to `shape`: the input's shape must broadcast to
    exactly `shape` under numpy rules.

    Example:
    ```mlir
    %0 = graph.broadcast_to %x [4, 3] : tensor<3xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$shape);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input $shape attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_ConcatOp : Graph_Op<"concat",
    [Pure, SameOperandsElementType, InferTypeOpAdaptor]> {
  let summary = "Concatenate along an axis";
  let description = [{
    Joins one or more tensors of equal rank along `axis`; all other
    dimensions must match.

    Example:
    ```mlir
    %0 = graph.concat %a, %b axis 1 : tensor<2x3xf32>, tensor<2x5xf32>
    // result: tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$inputs, I64Attr:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$inputs `axis` $axis attr-dict `:` type($inputs)";
  let hasFolder = 1;
}

def Graph_SliceOp : Graph_Op<"slice", [Pure, InferTypeOpAdaptor]> {
  let summary = "Strided slice with static bounds";
  let description = [{
    Takes elements `starts[i], starts[i] + steps[i], ...` below `ends[i]` in
    every dimension. `starts`, `ends` and `steps` have one entry per
    dimension; `0 <= start <= end <= dim` and `step >= 1`. `steps` defaults
    to all ones.

    Example:
    ```mlir
    %0 = graph.slice %x {starts = array<i64: 0, 1>, ends = array<i64: 4, 7>,
                         steps = array<i64: 1, 2>} : tensor<4x8xf32>
    // result: tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$starts,
                   DenseI64ArrayAttr:$ends,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$steps);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_PadOp : Graph_Op<"pad", [Pure, InferTypeOpAdaptor]> {
  let summary = "Pad with a constant, by reflection or by edge replication";
  let description = [{
    Pads every dimension `i` with `pads[i]` elements before and
    `pads[rank + i]` after (ONNX order). `mode` is `constant` (fill with
    `value`), `reflect` (mirror without repeating the edge; pads must be
    smaller than the dimension) or `edge` (repeat the edge).

    Example:
    ```mlir
    %0 = graph.pad %x {pads = array<i64: 0, 1, 0, 1>} : tensor<2x3xf32>
    // result: tensor<2x5xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$pads,
                   DefaultValuedAttr<Graph_PadModeAttr,
                                     "::strata::graph::PadMode::constant">:$mode,
                   DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_GatherOp : Graph_Op<"gather", [Pure, InferTypeOpAdaptor]> {
  let summary = "Gather slices along an axis by index";
  let description = [{
    Picks entries of `data` along `axis` with integer `indices` (negative
    indices count from the end). The result shape is
    `data.shape[:axis] + indices.shape + data.shape[axis+1:]`.

    Example:
    ```mlir
    %0 = graph.gather %emb, %ids {axis = 0 : i64}
         : tensor<1000x64xf32>, tensor<1x16xi64>
    // result: tensor<1x16x64xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` type($data) `,` type($indices)
  }];
  let hasFolder = 1;
}

def Graph_GatherElementsOp : Graph_Op<"gather_elements",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Gather single elements along an axis by index";
  let description = [{
    `output[i][j][k] = data[indices[i][j][k]][j][k]` for `axis = 0` (and
    likewise for other axes): `indices` has the rank of `data` and the shape
    of the result; negative indices count from the end.

    Example:
    ```mlir
    %0 = graph.gather_elements %data, %idx {axis = 1 : i64}
         : tensor<3x4xf32>, tensor<3x2xi64>
    // result: tensor<3x2xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                   DefaultValuedAttr<I64Attr, "0">:$axis);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices attr-dict `:` type($data) `,` type($indices)
  }];
}

def Graph_ScatterElementsOp : Graph_Op<"scatter_elements",
    [Pure, InferTypeOpAdaptor]> {
  let summary = "Write single elements along an axis by index";
  let description = [{
    The inverse of `gather_elements`: a copy of `data` in which, for every
    element of `updates`, the element at its own position with the `axis`
    coordinate replaced by the matching `indices` element is set to it
    (`reduction = none`) or combined with it (`add`, `mul`, `max`, `min`).
    Updates apply in row-major order, so with `none` the last of several
    updates of one element wins. `indices` and `updates` have one shape, of
    the rank of `data`; negative indices count from the end.

    Example:
    ```mlir
    %0 = graph.scatter_elements %data, %idx, %upd {axis = 1 : i64,
           reduction = #graph<scatter_reduction add>}
         : tensor<3x4xf32>, tensor<3x2xi64>, tensor<3x2xf32>
    // result: tensor<3x4xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$data, Graph_IndexTensor:$indices,
                   Graph_Tensor:$updates,
                   DefaultValuedAttr<I64Attr, "0">:$axis,
                   DefaultValuedAttr<Graph_ScatterReductionAttr,
                                     "ScatterReduction::none">:$reduction);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = [{
    $data `,` $indices `,` $updates attr-dict `:` type($data) `,`
    type($indices) `,` type($updates)
  }];
}

def Graph_ExpandDimsOp : Graph_Op<"expand_dims", [Pure, InferTypeOpAdaptor]> {
  let summary = "Insert dimensions of size 1";
  let description = [{
    Inserts size-1 dimensions at `axes`, which index the result (negative
    axes count from the end of the result), as ONNX `Unsqueeze`.

    Example:
    ```mlir
    %0 = graph.expand_dims %x [0, 3] : tensor<3x4xf32>
    // result: tensor<1x3x4x1xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input $axes attr-dict `:` type($input)";
  let hasFolder = 1;
}

def Graph_SqueezeOp : Graph_Op<"squeeze", [Pure, InferTypeOpAdaptor]> {
  let summary = "Remove dimensions of size 1";
  let description = [{
    Removes the size-1 dimensions at `axes` (every size-1 dimension when
    `axes` is empty), as ONNX `Squeeze`.

    Example:
    ```mlir
    %0 = graph.squeeze %x [0] : tensor<1x3x1xf32>
    // result: tensor<3x1xf32>
    ```
  }];
  let arguments = (ins Graph_Tensor:$input, DenseI64ArrayAttr:$axes);
  let results = (outs Graph_Tensor:$output);
  let assemblyFormat = "$input $axes attr-dict `:` type($input)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Fusion regions
//===----------------------------------------------------------------------===//

def Graph_FusionOp : Graph_Op<"fusion", [IsolatedFromAbove,
    RecursiveMemoryEffects, SingleBlock, InferTypeOpAdaptor]> {
  let summary = "A fused kernel: a region of graph ops run as one unit";
  let description = [{
    Holds a subgraph that later levels compile as one kernel. The region is
    isolated from above: its entry block takes one argument per input, of the
    same type, and `graph.yield` gives the results, whose types are the
    fusion's result types.

    Example:
    ```mlir
    %0 = graph.fusion (%x, %b : tensor<4x8xf32>, tensor<8xf32>) {
    ^bb0(%a: tensor<4x8xf32>, %c: tensor<8xf32>):
      %s = graph.add %a, %c : tensor<4x8xf32>, tensor<8xf32>
      %r = graph.relu %s : tensor<4x8xf32>
      graph.yield %r : tensor<4x8xf32>
    }
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$inputs);
  let results = (outs Variadic<Graph_Tensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` ($inputs^ `:` type($inputs))? `)` attr-dict-with-keyword $body
  }];
  let hasRegionVerifier = 1;
  let skipDefaultBuilders = 1;
  let builders = [
    OpBuilder<(ins "::mlir::TypeRange":$resultTypes,
                   "::mlir::ValueRange":$inputs)>
  ];
  let extraClassDeclaration = [{
    /// The terminator of the body.
    YieldOp getYield();
  }];
}

def Graph_YieldOp : Graph_Op<"yield", [Pure, Terminator, ReturnLike,
    HasParent<"FusionOp">]> {
  let summary = "Return the results of a graph.fusion region";
  let description = [{
    Terminates the body of `graph.fusion`; its operands become the fusion's
    results.

    Example:
    ```mlir
    graph.yield %r : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Graph_Tensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // STRATA_DIALECT_GRAPH_IR_GRAPHOPS_TD
