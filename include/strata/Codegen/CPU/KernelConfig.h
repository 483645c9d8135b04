//===- KernelConfig.h - Each op's CPU kernel, chosen once -------*- C++ -*-===//
//
// The strategy for a linalg op on the CPU path: which kernel computes it and
// with which sizes. `strata-cpu-select-kernels` chooses it once per op, from
// the `TargetInfo` and the thread count, and records it on the op as the
// discardable attribute `strata.kernel_config` (in the spirit of IREE's
// lowering configs); the kernel passes read it and decide nothing of their
// own. A test or a developer can write a configuration by hand to force a
// kernel or a size:
//
//   %0 = linalg.matmul {strata.kernel_config = {kernel = "matmul",
//            min_strips = 4 : i64, threads = 2 : i64,
//            tile_sizes = array<i64: 8, 32>}} ins(...) outs(...)
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_CPU_KERNELCONFIG_H
#define STRATA_CODEGEN_CPU_KERNELCONFIG_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace strata::cpu {

struct TargetInfo;

/// The CPU kernels, each implemented by one pass.
enum class Kernel {
  /// Register-tiled, vectorized matmul (strata-cpu-vectorize-matmul).
  Matmul,
  /// Winograd F(2x2, 3x3) (strata-cpu-winograd-convolutions).
  Winograd,
  /// Direct convolution reading the padded image in place
  /// (strata-cpu-direct-convolutions).
  DirectConv,
  /// A matmul of the filter by the image's im2col matrix, which is the image
  /// itself for 1x1 convolutions (strata-cpu-lower-convolutions).
  Im2colMatmul,
  /// Depthwise convolution or pooling, one vector per output row
  /// (strata-cpu-vectorize-windows).
  WindowRows,
  /// Depthwise convolution or pooling as loops with the output row
  /// innermost, for LLVM to vectorize (strata-cpu-lower-convolutions).
  WindowLoops,
  /// A matmul by a sparse constant weight with transposed activations:
  /// each non-zero (or 1 x b block) of a weight column multiplies a panel
  /// of rows held in registers (strata-cpu-sparse-matmuls).
  SparsePanel,
  /// A matmul of a few rows by a sparse constant weight: a vector of
  /// output columns per step, activations gathered by the non-zeros'
  /// coordinates (strata-cpu-sparse-matmuls).
  SparseGather,
  /// A 2-D transpose by lanes x lanes register blocks
  /// (strata-cpu-vectorize-transposes).
  Transpose,
  /// A u8 x s8 matmul by a constant into i32, by 4-way dot products
  /// (strata-cpu-integer-kernels).
  IntegerMatmul,
  /// A u8 x s8 convolution by a constant filter into i32, by 4-way dot
  /// products over wide rows of a packed image (strata-cpu-integer-kernels).
  IntegerConv,
};

/// The name of `kernel` in the attribute ("matmul", "winograd", ...).
llvm::StringRef kernelName(Kernel kernel);

/// The kernel called `name`, if any.
std::optional<Kernel> parseKernel(llvm::StringRef name);

/// The attribute name on linalg ops.
inline constexpr llvm::StringLiteral kKernelConfigAttrName =
    "strata.kernel_config";

/// One op's kernel and its sizes. Fields a kernel does not use are 0.
struct KernelConfig {
  Kernel kernel = Kernel::Matmul;
  /// The matmul register tile (rows x columns), also of the matmuls a
  /// convolution becomes; for sparse_panel, rows of the panel x weight
  /// columns per block; for sparse_gather, 1 x output columns per vector.
  int64_t tileRows = 0, tileColumns = 0;
  /// Pixels per strip (direct convolutions; im2col matrices built strip by
  /// strip, where 1 means a whole matrix), or for Winograd the tiles of one
  /// vector run.
  int64_t stripWidth = 0;
  /// Strips a matmul needs for threads to share out columns, and a
  /// convolution's pixels to be built strip by strip.
  int64_t minStrips = 0;
  /// Threads the kernel's work is shared out for (1: the single-thread loop
  /// order; Winograd: its work items).
  int64_t threads = 0;
  /// The L2 cache size the Winograd bands are chosen for.
  int64_t l2Bytes = 0;
  /// f32 lanes of the vectors the kernel is written with (sparse kernels,
  /// transposes; window rows: rows wider than a vector are rounded up to
  /// a power of two lanes).
  int64_t vectorLanes = 0;

  /// The configuration of a matmul that this op's kernel creates (an
  /// im2col matmul's product, a batch matmul's slices).
  KernelConfig matmul() const;

  mlir::DictionaryAttr toAttr(mlir::MLIRContext *context) const;

  /// Reads `attr`; on a malformed one, reports what is wrong through
  /// `emitError` (if given) and fails.
  static mlir::FailureOr<KernelConfig>
  fromAttr(mlir::DictionaryAttr attr,
           llvm::function_ref<mlir::InFlightDiagnostic()> emitError);
};

/// Records `config` on `op`.
void setKernelConfig(mlir::Operation *op, const KernelConfig &config);

/// An op and the configuration recorded on it.
struct ConfiguredOp {
  mlir::Operation *op;
  KernelConfig config;
};

/// The ops in `root` whose configuration names `kernel`, in walk order,
/// with their configurations (read once, here). Fails, with an error at
/// the op, if a configuration is malformed.
mlir::FailureOr<llvm::SmallVector<ConfiguredOp>>
opsWithKernel(mlir::Operation *root, Kernel kernel);

/// Options of kernel selection besides the target.
struct SelectionOptions {
  /// Threads the code runs on.
  int64_t threads = 1;
  /// Smallest output image (pixels) given a Winograd kernel.
  int64_t minWinogradPixels = 0;
  /// Pixels per im2col strip; 0: the target's strip width.
  int64_t im2colStripWidth = 0;
  /// The kernels to choose from; empty: all.
  llvm::SmallVector<Kernel> kernels;

  bool allows(Kernel kernel) const {
    return kernels.empty() || llvm::is_contained(kernels, kernel);
  }
};

/// The kernel for `op` on `target`, or none when no CPU kernel takes it
/// (it is then lowered to plain loops). The one place where kernels and
/// their sizes are decided.
std::optional<KernelConfig> selectKernel(mlir::Operation *op,
                                         const TargetInfo &target,
                                         const SelectionOptions &options);

} // namespace strata::cpu

#endif // STRATA_CODEGEN_CPU_KERNELCONFIG_H
