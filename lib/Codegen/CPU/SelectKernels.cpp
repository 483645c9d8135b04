//===- SelectKernels.cpp - Each linalg op's CPU kernel, chosen once -------===//
//
// The one place where the CPU path decides which kernel computes an op and
// with which sizes (from the TargetInfo and the thread count). The kernel
// passes read the recorded configurations.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/KernelConfig.h"
#include "strata/Codegen/CPU/Passes.h"
#include "strata/Codegen/CPU/TargetInfo.h"

#include "ConvolutionKernels.h"
#include "IntegerKernels.h"
#include "SparseKernels.h"

#include "llvm/Support/Debug.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUSELECTKERNELSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;
using namespace strata::cpu;

#define DEBUG_TYPE "strata-cpu-select-kernels"

/// The im2col kernel's configuration: strips of the host's width.
static KernelConfig im2colConfig(const TargetInfo &target,
                                 const SelectionOptions &options) {
  int64_t width = target.stripWidth();
  KernelConfig config;
  config.kernel = Kernel::Im2colMatmul;
  config.stripWidth =
      options.im2colStripWidth > 0 ? options.im2colStripWidth : width;
  config.minStrips = TargetInfo::kMinStrips;
  config.tileRows = TargetInfo::kMatmulTileRows;
  config.tileColumns = width;
  config.threads = options.threads;
  return config;
}

/// The kernel of a convolution: Winograd, else direct, else im2col.
static std::optional<KernelConfig>
selectConvolution(linalg::Conv2DNchwFchwOp op, const TargetInfo &target,
                  const SelectionOptions &options) {
  int64_t width = target.stripWidth();
  KernelConfig config;
  std::optional<strata::PaddedConv> conv;
  if (options.allows(Kernel::Winograd) && (conv = matchWinogradConv(op))) {
    int64_t minPixels = options.minWinogradPixels > 0
                            ? options.minWinogradPixels
                            : TargetInfo::kMinWinogradPixels;
    if (conv->oh * conv->ow >= minPixels) {
      config.kernel = Kernel::Winograd;
      config.stripWidth = width;
      config.threads = options.threads;
      config.l2Bytes = target.l2Bytes;
      return config;
    }
    LLVM_DEBUG(llvm::dbgs()
               << "Winograd rejected: output of " << conv->oh * conv->ow
               << " pixels, fewer than " << minPixels << "\n");
  }
  if (options.allows(Kernel::DirectConv) && matchDirectConv(op, width)) {
    config.kernel = Kernel::DirectConv;
    config.stripWidth = width;
    return config;
  }
  if (!options.allows(Kernel::Im2colMatmul) || !isIm2colConv(op))
    return std::nullopt;
  return im2colConfig(target, options);
}

std::optional<KernelConfig>
strata::cpu::selectKernel(Operation *op, const TargetInfo &target,
                          const SelectionOptions &options) {
  if (std::optional<SparseMatmul> sparse = matchSparseMatmul(op)) {
    KernelConfig config;
    config.threads = options.threads;
    config.vectorLanes = target.vectorLanes;
    if (options.allows(Kernel::SparsePanel) &&
        sparse->m >= target.vectorLanes) {
      // b x R accumulators, R row vectors and a broadcast weight in
      // registers (with a few to spare), R a power of two the rows fill.
      int64_t block = sparse->columnBlock;
      int64_t fitting =
          std::max<int64_t>(1, (target.vectorRegisters - 4) / (block + 1));
      int64_t rowVectors =
          (sparse->m + target.vectorLanes - 1) / target.vectorLanes;
      int64_t vectors = TargetInfo::kSparsePanelVectors;
      while (vectors > 1 && (vectors > fitting || vectors > rowVectors))
        vectors /= 2;
      config.kernel = Kernel::SparsePanel;
      config.tileRows = vectors * target.vectorLanes;
      config.tileColumns = block;
      // K blocks: the panel's rows of a block fill L1, and a block of
      // columns has enough non-zero rows in a K block (kSparseRowsPerBlock
      // per column) to pay for loading and storing its accumulators.
      int64_t nonZeros = sparse->weight.getValues().getNumElements();
      int64_t l1Rows =
          std::max<int64_t>(1, target.l1DataBytes / (config.tileRows * 4));
      int64_t enough = nonZeros > 0
                           ? llvm::divideCeil(TargetInfo::kSparseRowsPerBlock *
                                                  block * sparse->k * sparse->n,
                                              nonZeros)
                           : sparse->k;
      enough = llvm::alignTo(enough, 32);
      config.stripWidth = std::min(sparse->k, std::max(l1Rows, enough));
      return config;
    }
    if (!options.allows(Kernel::SparseGather))
      return std::nullopt;
    config.kernel = Kernel::SparseGather;
    config.tileRows = 1;
    config.tileColumns = target.vectorLanes;
    return config;
  }
  if (options.allows(Kernel::Transpose) && isBlockTranspose(op)) {
    KernelConfig config;
    config.kernel = Kernel::Transpose;
    config.vectorLanes = target.vectorLanes;
    config.threads = options.threads;
    return config;
  }
  bool integerMatmul = options.allows(Kernel::IntegerMatmul) &&
                       matchIntegerMatmul(op).has_value();
  if (integerMatmul || (options.allows(Kernel::IntegerConv) &&
                        matchIntegerConv(op).has_value())) {
    // Rows are the matmul's rows or the convolution's output channels,
    // columns its columns or the pixels of its wide rows (the padded
    // image's width per stride): no more than there are.
    auto type = cast<RankedTensorType>(op->getResultTypes()[0]);
    int64_t rows = type.getDimSize(integerMatmul ? 0 : 1), columns;
    if (integerMatmul) {
      columns = type.getDimSize(1);
    } else {
      IntegerProduct conv = *matchIntegerConv(op);
      auto image = cast<RankedTensorType>(op->getOperandTypes()[0]);
      columns = type.getDimSize(2) *
                llvm::divideCeil(image.getDimSize(3), conv.strideW);
    }
    // The widest tile that computes at most an eighth more columns than
    // there are, else the one that computes the fewest (a 7 x 7 image's 63
    // wide-row pixels: 4 tiles of 16, not 2 of 48); a one-vector tile
    // takes twice the rows.
    int64_t lanes = target.vectorLanes, vectors = 1, leastWaste = -1;
    for (int64_t v = target.integerTileVectors(); v >= 1; --v) {
      int64_t waste = llvm::alignTo(columns, v * lanes) - columns;
      if (waste * 8 <= columns) {
        vectors = v;
        break;
      }
      if (leastWaste < 0 || waste < leastWaste) {
        leastWaste = waste;
        vectors = v;
      }
    }
    int64_t tileRows = target.integerTileRows() * (vectors == 1 ? 2 : 1);
    KernelConfig config;
    config.kernel = integerMatmul ? Kernel::IntegerMatmul : Kernel::IntegerConv;
    config.tileRows = std::min(tileRows, rows);
    config.tileColumns = vectors * lanes;
    config.vectorLanes = lanes;
    config.threads = options.threads;
    return config;
  }
  if (options.allows(Kernel::Matmul) && isVectorizableMatmul(op)) {
    KernelConfig config;
    config.kernel = Kernel::Matmul;
    config.tileRows = TargetInfo::kMatmulTileRows;
    config.tileColumns = target.stripWidth();
    config.minStrips = TargetInfo::kMinStrips;
    config.threads = options.threads;
    return config;
  }
  if (isa<linalg::DepthwiseConv2DNchwChwOp, linalg::PoolingNchwMaxOp,
          linalg::PoolingNchwSumOp>(op)) {
    auto window = cast<linalg::LinalgOp>(op);
    KernelConfig config;
    if (options.allows(Kernel::WindowRows) && isRowWindow(window)) {
      config.kernel = Kernel::WindowRows;
      config.vectorLanes = target.vectorLanes;
    } else if (options.allows(Kernel::WindowLoops) && isLoopWindow(window))
      config.kernel = Kernel::WindowLoops;
    else
      return std::nullopt;
    return config;
  }
  if (auto conv = dyn_cast<linalg::Conv2DNchwFchwOp>(op))
    return selectConvolution(conv, target, options);
  // Grouped convolutions (neither depthwise nor one group): each group's
  // im2col matmul, in a loop over the groups.
  if (auto conv = dyn_cast<linalg::Conv2DNgchwGfchwOp>(op))
    if (options.allows(Kernel::Im2colMatmul) && isIm2colConv(conv))
      return im2colConfig(target, options);
  return std::nullopt;
}

namespace {
struct StrataCPUSelectKernelsPass
    : strata::cpu::impl::StrataCPUSelectKernelsPassBase<
          StrataCPUSelectKernelsPass> {
  using Base::Base;

  void runOnOperation() override {
    if (threads < 1) {
      getOperation()->emitError()
          << "strata-cpu-select-kernels: threads must be at least 1, got "
          << threads;
      return signalPassFailure();
    }
    TargetInfo target = TargetInfo::host();
    if (vectorLanes > 0)
      target = target.withVectorLanes(vectorLanes);
    if (l2Bytes > 0)
      target.l2Bytes = l2Bytes;
    if (l1Bytes > 0)
      target.l1DataBytes = l1Bytes;
    SelectionOptions options;
    options.threads = threads;
    options.minWinogradPixels = minWinogradPixels;
    options.im2colStripWidth = im2colStripWidth;
    for (const std::string &name : kernels) {
      std::optional<Kernel> kernel = parseKernel(name);
      if (!kernel) {
        getOperation()->emitError()
            << "strata-cpu-select-kernels: unknown kernel '" << name
            << "' in kernels=; known: matmul, winograd, direct_conv, "
               "im2col_matmul, window_rows, window_loops, sparse_panel, "
               "sparse_gather, transpose, integer_matmul, integer_conv";
        return signalPassFailure();
      }
      options.kernels.push_back(*kernel);
    }
    LLVM_DEBUG(llvm::dbgs()
               << "target: " << target.vectorLanes << " f32 lanes, "
               << target.vectorRegisters << " vector registers, L1d "
               << target.l1DataBytes << " B, L2 " << target.l2Bytes << " B; "
               << options.threads << " threads\n");
    getOperation()->walk([&](linalg::LinalgOp op) {
      // A configuration written by hand stands.
      if (op->hasAttr(kKernelConfigAttrName))
        return;
      std::optional<KernelConfig> config = selectKernel(op, target, options);
      if (!config)
        return;
      setKernelConfig(op, *config);
      LLVM_DEBUG(llvm::dbgs()
                 << "chose " << op->getAttr(kKernelConfigAttrName) << " for "
                 << op->getName() << " at " << op->getLoc() << "\n");
    });
  }
};
} // namespace
