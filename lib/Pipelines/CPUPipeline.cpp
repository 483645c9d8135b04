//===- CPUPipeline.cpp - graph -> linalg -> loops -> LLVM -----------------===//

#include "strata/Pipelines/Pipelines.h"

#include "strata/Codegen/CPU/Passes.h"
#include "strata/Codegen/CPU/TargetInfo.h"
#include "strata/Codegen/Common/Passes.h"
#include "strata/Conversion/Passes.h"
#include "strata/Dialect/Graph/Transforms/Passes.h"
#include "strata/Dialect/TensorX/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Dialect/SCF/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace strata {

int64_t CPUPipelineOptions::defaultThreads() {
  return cpu::TargetInfo::host().cores;
}

ArrayRef<CPUStage> allCPUStages() {
  static const CPUStage stages[] = {CPUStage::Graph, CPUStage::TensorX,
                                    CPUStage::Linalg, CPUStage::Loops,
                                    CPUStage::LLVM};
  return stages;
}

StringRef stageName(CPUStage stage) {
  switch (stage) {
  case CPUStage::Graph:
    return "graph";
  case CPUStage::TensorX:
    return "tensorx";
  case CPUStage::Linalg:
    return "linalg";
  case CPUStage::Loops:
    return "loops";
  case CPUStage::LLVM:
    return "llvm";
  }
  llvm_unreachable("unknown stage");
}

std::optional<CPUStage> parseStage(StringRef name) {
  for (CPUStage stage : allCPUStages())
    if (stageName(stage) == name)
      return stage;
  return std::nullopt;
}

void addCPUStage(OpPassManager &pm, CPUStage stage,
                 const CPUPipelineOptions &options) {
  switch (stage) {
  case CPUStage::Graph:
    pm.addPass(graph::createGraphDecomposePass());
    pm.addPass(createCanonicalizerPass());
    // Quantized (QDQ) matmuls and convolutions in integers, before fusion
    // groups them with their epilogues.
    pm.addPass(graph::createGraphFoldQDQPass());
    // Kernels: matmul/conv epilogues, normalization prologues, elementwise
    // chains (graph.fusion regions, inlined again by the linalg conversion,
    // whose fusion passes then work within them).
    pm.addPass(graph::createGraphFusePass());
    return;
  case CPUStage::TensorX: {
    // Sparse formats for the weights that are mostly zeros, the layouts
    // their kernels want, then as few conversions as possible (weights
    // converted at compile time).
    tensorx::TensorXSparsifyPassOptions sparsify;
    sparsify.threshold = options.sparseThreshold;
    sparsify.vectorLanes = options.vectorLanes;
    pm.addPass(tensorx::createTensorXSparsifyPass(sparsify));
    tensorx::TensorXAssignLayoutsPassOptions layouts;
    layouts.vectorLanes = options.vectorLanes;
    pm.addPass(tensorx::createTensorXAssignLayoutsPass(layouts));
    pm.addPass(tensorx::createTensorXPropagateLayoutsPass());
    return;
  }
  case CPUStage::Linalg: {
    pm.addPass(createConvertGraphToLinalgPass());
    pm.addPass(createConvertTensorXToLinalgPass());
    OpPassManager &funcPM = pm.nest<func::FuncOp>();
    // An activation that reads its input twice (SiLU, hardswish, GELU) as
    // one op, which the kernels below take as their epilogue.
    funcPM.addPass(createStrataFuseElementwiseGenericsPass());
    // Concatenations of a growing list of values (DenseNet) as views of
    // the longest one, before kernels and threads reshape the copies.
    funcPM.addPass(createStrataConcatInPlacePass());
    // Every op's kernel and sizes, chosen once from the target.
    cpu::StrataCPUSelectKernelsPassOptions select;
    select.threads = options.threads;
    select.vectorLanes = options.vectorLanes;
    select.l2Bytes = options.l2Bytes;
    select.l1Bytes = options.l1Bytes;
    funcPM.addPass(cpu::createStrataCPUSelectKernelsPass(select));
    funcPM.addPass(cpu::createStrataCPUSparseMatmulsPass());
    funcPM.addPass(cpu::createStrataCPUVectorizeTransposesPass());
    // Depthwise convolutions and pools become row vectors (with their
    // epilogues), 3x3 stride-1 convolutions Winograd kernels, other stride-1
    // and stride-2 convolutions direct kernels; the rest become matmuls
    // before the matmuls are vectorized.
    funcPM.addPass(cpu::createStrataCPUVectorizeWindowsPass());
    funcPM.addPass(cpu::createStrataCPUWinogradConvolutionsPass());
    funcPM.addPass(cpu::createStrataCPUDirectConvolutionsPass());
    funcPM.addPass(cpu::createStrataCPUIntegerKernelsPass());
    funcPM.addPass(cpu::createStrataCPULowerConvolutionsPass());
    // Vectorize the matmuls first: elementwise fusion would otherwise fold
    // the reshapes around them and turn them into generic contractions.
    funcPM.addPass(cpu::createStrataCPUVectorizeMatmulPass());
    funcPM.addPass(createLinalgElementwiseOpFusionPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    // CSE may have merged the initial values of several writers: each gets
    // its own again (before they are shared out across threads, which
    // would hide what they are).
    OpPassManager &sharePM = pm.nest<func::FuncOp>();
    sharePM.addPass(createStrataUntieSharedDestinationsPass());
    if (options.parallel())
      sharePM.addPass(createStrataParallelizeLinalgPass());
    return;
  }
  case CPUStage::Loops: {
    // Values inserted into a larger tensor (a concatenation's operands)
    // are computed in their place in its buffer, not copied there.
    pm.addPass(bufferization::createEmptyTensorEliminationPass());
    // One buffer per result, so that each can become its own out-parameter
    // (after the elimination, which would merge the copies this makes).
    pm.addNestedPass<func::FuncOp>(createStrataDistinctResultsPass());
    bufferization::OneShotBufferizePassOptions bufferize;
    bufferize.bufferizeFunctionBoundaries = true;
    bufferize.functionBoundaryTypeConversion =
        bufferization::LayoutMapOption::IdentityLayoutMap;
    pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
    // Results become out-parameters filled in place (the caller owns every
    // output buffer); ownership-based deallocation frees all temporaries.
    bufferization::BufferResultsToOutParamsPassOptions outParams;
    outParams.hoistStaticAllocs = true;
    outParams.modifyPublicFunctions = true;
    pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
    bufferization::buildBufferDeallocationPipeline(pm);
    pm.addPass(createCanonicalizerPass());
    // The deallocation pipeline frees temporaries at the end of their block
    // (the whole function): each is freed after its last use instead, so
    // that later kernels reuse its memory while it is in cache.
    pm.addNestedPass<func::FuncOp>(
        bufferization::createOptimizeAllocationLivenessPass());
    {
      cpu::StrataCPUStridedCopiesToLoopsPassOptions copies;
      copies.vectorLanes = options.vectorLanes;
      pm.addNestedPass<func::FuncOp>(
          cpu::createStrataCPUStridedCopiesToLoopsPass(copies));
    }
    // The forall loops (matmul strips, slices of the other ops) become
    // parallel loops, which OpenMP runs; the rest are sequential loops.
    if (options.parallel())
      pm.addNestedPass<func::FuncOp>(createForallToParallelLoopPass());
    else
      pm.addNestedPass<func::FuncOp>(createForallToForLoopPass());
    // The reductions left to loops may be reordered, so that LLVM
    // vectorizes them.
    pm.addNestedPass<func::FuncOp>(
        cpu::createStrataCPUReassociateReductionsPass());
    pm.addNestedPass<func::FuncOp>(createConvertLinalgToLoopsPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    return;
  }
  case CPUStage::LLVM:
    pm.addPass(createStrataEmitCInterfacePass());
    // exp, tanh, erf... as arithmetic the loop vectorizer widens, not libm
    // calls per element.
    pm.addNestedPass<func::FuncOp>(cpu::createStrataCPUApproximateMathPass());
    // The integer kernels' dot products as vpdpbusd where the host has it.
    pm.addNestedPass<func::FuncOp>(cpu::createStrataCPULowerDotProductsPass());
    {
      // Multi-dimensional vector transfers become 1-D ones, which LLVM
      // lowering turns into (masked) vector loads and stores.
      VectorTransferToSCFOptions vectorToSCF;
      vectorToSCF.enableFullUnroll();
      pm.addNestedPass<func::FuncOp>(createConvertVectorToSCFPass(vectorToSCF));
    }
    // Strided-metadata expansion makes affine.apply ops: lower them after.
    pm.addPass(memref::createExpandStridedMetadataPass());
    pm.addPass(createLowerAffinePass());
    if (options.parallel()) {
      // A faster thread takes over the rest of a slower one's items.
      cpu::StrataCPUBalanceParallelLoopsPassOptions balance;
      balance.threads = options.threads;
      pm.addNestedPass<func::FuncOp>(
          cpu::createStrataCPUBalanceParallelLoopsPass(balance));
      pm.addPass(createConvertSCFToOpenMPPass());
      // Inlines the (alloca-free) memref.alloca_scope ops that OpenMP loop
      // bodies get: multi-block control flow is not allowed inside them.
      pm.addPass(createCanonicalizerPass());
      // One fork for each chain of parallel loops, not one per loop.
      pm.addNestedPass<func::FuncOp>(
          cpu::createStrataCPUMergeParallelRegionsPass());
    }
    // One function per kernel: LLVM's optimizer takes time quadratic in a
    // function's size.
    {
      StrataOutlineKernelsPassOptions outline;
      outline.instrument = options.profile;
      pm.addPass(createStrataOutlineKernelsPass(outline));
    }
    pm.addPass(createSCFToControlFlowPass());
    {
      // Temporaries through the generic allocation functions, which the
      // model's shared object links from Strata's runtime (blocks kept
      // between runs: strata/Runtime/Allocator.h).
      FinalizeMemRefToLLVMConversionPassOptions memrefToLLVM;
      memrefToLLVM.useGenericFunctions = true;
      pm.addPass(createFinalizeMemRefToLLVMConversionPass(memrefToLLVM));
    }
    pm.addPass(createConvertMathToLLVMPass());
    pm.addPass(createConvertMathToLibmPass());
    {
      // Transposes of register blocks (the sparse kernels' operands) as
      // shuffles, not element by element: 16x16 blocks (AVX-512) by the
      // unpack/shuffle sequence made for them, other shapes by shuffles of
      // the flattened vector.
      ConvertVectorToLLVMPassOptions vectorToLLVM;
      vectorToLLVM.vectorTransposeLowering =
          vector::VectorTransposeLowering::Shuffle16x16;
      pm.addPass(createConvertVectorToLLVMPass(vectorToLLVM));
    }
    pm.addPass(createConvertOpenMPToLLVMPass());
    pm.addPass(createConvertToLLVMPass());
    pm.addPass(createReconcileUnrealizedCastsPass());
    // The kernels' distinct buffers, as the outlining found them.
    pm.addPass(createStrataApplyNoAliasArgsPass());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    return;
  }
}

void buildCPUPipeline(OpPassManager &pm, const CPUPipelineOptions &options) {
  for (CPUStage stage : allCPUStages())
    addCPUStage(pm, stage, options);
}

void registerPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "strata-cpu-pipeline",
      "Lower graph (or linalg-on-tensors) IR to LLVM for the host CPU: "
      "graph-decompose, convert-graph-to-linalg, kernel selection and CPU "
      "kernels, one-shot bufferization with out-parameter results and "
      "ownership-based deallocation, loops, OpenMP, LLVM with C-interface "
      "entry points",
      [](OpPassManager &pm, const CPUPipelineOptions &options) {
        buildCPUPipeline(pm, options);
      });
}

} // namespace strata
