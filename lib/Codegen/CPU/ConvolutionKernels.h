//===- ConvolutionKernels.h - Shared parts of the CPU kernels ---*- C++ -*-===//
//
// What the CPU kernel passes share: which ops each kernel takes (asked by
// strata-cpu-select-kernels, and again by the kernel for the parts it
// rewrites); and for strata-cpu-direct-convolutions and
// strata-cpu-winograd-convolutions, matching a zero-padded NCHW convolution
// with a bias and an elementwise epilogue, the padded image as a flat tensor
// of phase images, the bias and the epilogue applied to vectors; with
// strata-cpu-vectorize-windows, which pads are along an image's rows and
// columns only.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_LIB_CODEGEN_CPU_CONVOLUTIONKERNELS_H
#define STRATA_LIB_CODEGEN_CPU_CONVOLUTIONKERNELS_H

#include "strata/Codegen/CPU/KernelConfig.h"
#include "strata/Codegen/CPU/TargetInfo.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/Support/Debug.h"

#include <optional>

namespace strata {

/// A conv_2d_nchw_fchw of one f32 image that reads a zero tensor.pad (used
/// only by it) and starts from a fill or a per-channel bias broadcast.
struct PaddedConv {
  mlir::linalg::Conv2DNchwFchwOp op;
  mlir::tensor::PadOp pad; // the zero padding of the image
  mlir::Value filter;      // F x C x KH x KW
  mlir::Operation *init;   // linalg.fill or linalg.broadcast of the bias
  int64_t channels, filters, kh, kw, oh, ow;
  int64_t stride; // the same along both axes
  /// The elementwise ops applied to the convolution's result, in order,
  /// which a kernel applies to its accumulators (none: empty). Each reads
  /// the previous one's result (ReLU, clip) and, if the kernel takes side
  /// inputs, tensors of the result's shape read at the same element (the
  /// residual of a residual add).
  llvm::SmallVector<mlir::linalg::GenericOp, 2> epilogues;

  /// The op whose result the kernel computes: the last epilogue, else the
  /// convolution. A kernel that reads side inputs is built before it.
  mlir::Operation *last() {
    return epilogues.empty() ? op.getOperation() : epilogues.back();
  }
};

/// Whether `pad` pads an NCHW image along its rows and columns only (none
/// on N and C), by static amounts. Shared with strata-cpu-vectorize-windows,
/// whose row kernels read through such a pad.
bool padsRowsAndColumnsOnly(mlir::tensor::PadOp pad);

/// The parts of `op` if it is a PaddedConv with dilation 1, the same stride
/// (at most `maxStride`) along both axes and output channels a multiple of
/// `filterMultiple`; its epilogues take side inputs only if `sideInputs`.
std::optional<PaddedConv> matchPaddedConv(mlir::linalg::Conv2DNchwFchwOp op,
                                          int64_t maxStride,
                                          int64_t filterMultiple,
                                          bool sideInputs = false);

/// The padded image of `conv`, extended with zeros to s * hq x s * wq
/// pixels and split into s x s phase images of hq x wq pixels (phase
/// (a, b) holds pixels (s * y + a, s * x + b); s is 1 (the image itself)
/// or 2), as one flat tensor: phase (a, b), channel c, pixel (y, x) at
/// ((a * s + b) * C + c) * hq * wq + y * wq + x. Built before `conv.op`,
/// in one pass over the unpadded image (the zero padding is never
/// materialised on its own); the old pad is left for the caller to erase.
mlir::Value flatPhaseImages(mlir::RewriterBase &rewriter, PaddedConv conv,
                            int64_t s, int64_t hq, int64_t wq);

/// Writes row `y` (index) of channel `c`'s s x s phase images of `conv`'s
/// padded image (see flatPhaseImages; wq pixels a row) into `dest`, the row
/// of phase (a, b) at the indices `at(a, b)`, and returns the new `dest`.
/// Reads the s image rows under it once each, as whole vectors, and
/// shuffles them with zeros; rows and columns outside the image are zero.
mlir::Value writePhaseRows(
    mlir::OpBuilder &b, mlir::Location loc, PaddedConv conv, int64_t s,
    int64_t wq, mlir::Value c, mlir::Value y, mlir::Value dest,
    llvm::function_ref<llvm::SmallVector<mlir::Value>(int64_t, int64_t)> at);

/// The initial value of output channel `channel` (index): the bias element
/// or the fill value.
mlir::Value initialValue(mlir::OpBuilder &b, mlir::Location loc,
                         PaddedConv conv, mlir::Value channel);

/// The elementwise op that is `value`'s only user and reads all of it and
/// nothing else but scalars (a ReLU or a clip) or, with `sideInputs`, other
/// tensors of its type element by element (a residual add), with a body of
/// elementwise ops and constants only and a result of `value`'s type (not
/// a quantize), which a kernel can apply to its accumulators
/// (applyEpilogues); null if there is none.
mlir::linalg::GenericOp pointwiseEpilogue(mlir::Value value, bool sideInputs);

/// Whether the body of `generic` is elementwise ops (one result, no
/// regions) and constants only, which a kernel can apply to vectors
/// (applyEpilogues).
bool hasPointwiseBody(mlir::linalg::GenericOp generic);

/// Applies the bodies of `epilogues` (each a pointwiseEpilogue of the one
/// before, the first of `previous`) to the vector `acc`, which holds
/// elements of `previous`, lane by lane. `readSide` gives the vector of a
/// side input at the elements `acc` holds; only needed if the epilogues
/// have side inputs.
mlir::Value
applyEpilogues(mlir::OpBuilder &b, mlir::Location loc,
               llvm::ArrayRef<mlir::linalg::GenericOp> epilogues,
               mlir::Value previous, mlir::Value acc,
               llvm::function_ref<mlir::Value(mlir::Value)> readSide = nullptr);

/// Applies the bodies of `conv.epilogues` to the vector `acc`, lane by
/// lane. `readSide` gives the vector of a side input (a tensor operand of
/// an epilogue) at the elements `acc` holds; only needed if the epilogues
/// have side inputs.
mlir::Value
applyEpilogue(mlir::OpBuilder &b, mlir::Location loc, PaddedConv conv,
              mlir::Value acc,
              llvm::function_ref<mlir::Value(mlir::Value)> readSide = nullptr);

/// Replaces the result of `conv.last()` by `result` and erases the
/// convolution, its epilogues, its pad and (if unused now) its init.
void replaceConv(mlir::RewriterBase &rewriter, PaddedConv conv,
                 mlir::Value result);

namespace cpu {

/// What each kernel takes. Selection asks these; each kernel pass asks its
/// own again for the parts of the op it rewrites, and leaves an op that no
/// longer fits to strata-cpu-lower-convolutions (plain loops at worst).

/// Whether every tensor `op` reads or writes has a static shape and at
/// least one element. The kernels take no others: a zero-sized dimension
/// leaves nothing to tile (the op then becomes loops that run zero times,
/// leaving its initial value).
bool hasStaticNonEmptyTensors(mlir::Operation *op);

/// A static f32 matmul or batch matmul on tensors
/// (strata-cpu-vectorize-matmul).
bool isVectorizableMatmul(mlir::Operation *op);

/// A 3 x 3, stride-1 PaddedConv with a constant filter, an even output and
/// output channels a multiple of the filter tile (any size; selection asks
/// for a large enough image).
std::optional<PaddedConv> matchWinogradConv(mlir::linalg::Conv2DNchwFchwOp op);

/// A stride-1 or stride-2 PaddedConv with output channels a multiple of the
/// filter tile; with epilogues that read side inputs only if its wide rows
/// fit in two strips of `stripWidth` pixels.
std::optional<PaddedConv> matchDirectConv(mlir::linalg::Conv2DNchwFchwOp op,
                                          int64_t stripWidth);

/// A static f32 convolution on tensors (strata-cpu-lower-convolutions).
bool isIm2colConv(mlir::linalg::Conv2DNchwFchwOp op);
/// The same for a grouped convolution, lowered group by group.
bool isIm2colConv(mlir::linalg::Conv2DNgchwGfchwOp op);

/// A depthwise convolution or pooling whose output rows fit in one vector
/// each (strata-cpu-vectorize-windows).
bool isRowWindow(mlir::linalg::LinalgOp op);

/// A depthwise convolution or pooling on tensors
/// (strata-cpu-lower-convolutions' loops).
bool isLoopWindow(mlir::linalg::LinalgOp op);

} // namespace cpu

} // namespace strata

#endif // STRATA_LIB_CODEGEN_CPU_CONVOLUTIONKERNELS_H
