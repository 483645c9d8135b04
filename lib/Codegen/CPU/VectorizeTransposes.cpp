//===- VectorizeTransposes.cpp - 2-D transposes by register blocks --------===//
//
// A 2-D f32 transpose as loops over lanes x lanes blocks: each block is read
// as `lanes` row vectors, transposed in registers (vector.transpose, which
// the LLVM lowering turns into shuffles) and written as `lanes` row vectors
// of the result, instead of one strided element at a time.
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/KernelConfig.h"
#include "strata/Codegen/CPU/Passes.h"
#include "strata/Codegen/Common/LoopBuilders.h"

#include "SparseKernels.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUVECTORIZETRANSPOSESPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;
using namespace strata::cpu;

bool strata::cpu::isBlockTranspose(Operation *op) {
  auto transpose = dyn_cast<linalg::TransposeOp>(op);
  if (!transpose || !transpose.hasPureTensorSemantics())
    return false;
  auto type = dyn_cast<RankedTensorType>(transpose.getInput().getType());
  return type && type.getRank() == 2 && type.hasStaticShape() &&
         type.getElementType().isF32() &&
         transpose.getPermutation() == ArrayRef<int64_t>{1, 0};
}

static Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// `value` (rows x cols) transposed, by lanes x lanes blocks, the threads
/// sharing out the blocks of rows.
static Value buildBlockTranspose(OpBuilder &b, Location loc, Value value,
                                 const KernelConfig &config) {
  int64_t lanes = config.vectorLanes;
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
  Type f32 = type.getElementType();
  Value init =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{cols, rows}, f32);
  Value padding = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  auto blockType = VectorType::get({lanes, lanes}, f32);
  int64_t fullRows = rows / lanes * lanes, fullCols = cols / lanes * lanes;

  // The block at (i, j) of `value` into `dest` (its columns from
  // `firstRow` on); masked unless whole.
  auto block = [&](OpBuilder &b, Location loc, Value dest, Value i, Value j,
                   Value firstRow, bool inBounds) -> Value {
    Value tile = vector::TransferReadOp::create(
        b, loc, blockType, value, ValueRange{i, j}, padding,
        ArrayRef<bool>{inBounds, inBounds});
    Value flipped =
        vector::TransposeOp::create(b, loc, tile, ArrayRef<int64_t>{1, 0});
    Value column = arith::SubIOp::create(b, loc, i, firstRow);
    return vector::TransferWriteOp::create(b, loc, flipped, dest,
                                           ValueRange{j, column},
                                           ArrayRef<bool>{inBounds, inBounds})
        .getResult();
  };
  // Row blocks of the source (column slices of the result) per thread.
  int64_t rowBlocks = (rows + lanes - 1) / lanes;
  int64_t items =
      config.threads > 1 && rows % lanes == 0
          ? strata::largestDivisorAtMost(rowBlocks, config.threads * 4)
          : 1;
  int64_t rowsPerItem = items > 1 ? rows / items : rows;
  return strata::buildSlicesForall(
      b, loc, init, 1, rows, items,
      [&](OpBuilder &b, Location loc, Value first, Value slice) -> Value {
        Value last =
            arith::AddIOp::create(b, loc, first, index(b, loc, rowsPerItem));
        auto rowLoop = scf::ForOp::create(
            b, loc, first, last, index(b, loc, lanes), ValueRange{slice},
            [&](OpBuilder &b, Location loc, Value i, ValueRange outer) {
              Value rowWhole =
                  arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, i,
                                        index(b, loc, fullRows));
              auto colLoop = scf::ForOp::create(
                  b, loc, index(b, loc, 0), index(b, loc, cols),
                  index(b, loc, lanes), outer,
                  [&](OpBuilder &b, Location loc, Value j, ValueRange args) {
                    Value colWhole =
                        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt,
                                              j, index(b, loc, fullCols));
                    Value whole =
                        arith::AndIOp::create(b, loc, rowWhole, colWhole);
                    auto branch = scf::IfOp::create(
                        b, loc, whole,
                        [&](OpBuilder &b, Location loc) {
                          scf::YieldOp::create(
                              b, loc,
                              block(b, loc, args[0], i, j, first, true));
                        },
                        [&](OpBuilder &b, Location loc) {
                          scf::YieldOp::create(
                              b, loc,
                              block(b, loc, args[0], i, j, first, false));
                        });
                    scf::YieldOp::create(b, loc, branch.getResult(0));
                  });
              scf::YieldOp::create(b, loc, colLoop.getResult(0));
            });
        return rowLoop.getResult(0);
      });
}

namespace {
struct StrataCPUVectorizeTransposesPass
    : strata::cpu::impl::StrataCPUVectorizeTransposesPassBase<
          StrataCPUVectorizeTransposesPass> {
  void runOnOperation() override {
    FailureOr<SmallVector<ConfiguredOp>> ops =
        opsWithKernel(getOperation(), Kernel::Transpose);
    if (failed(ops))
      return signalPassFailure();
    for (const ConfiguredOp &configured : *ops) {
      if (!isBlockTranspose(configured.op))
        continue;
      OpBuilder b(configured.op);
      Value input = cast<linalg::TransposeOp>(configured.op).getInput();
      Value result = buildBlockTranspose(b, configured.op->getLoc(), input,
                                         configured.config);
      configured.op->getResult(0).replaceAllUsesWith(result);
      configured.op->erase();
    }
  }
};
} // namespace
