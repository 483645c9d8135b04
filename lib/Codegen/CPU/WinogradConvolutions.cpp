//===- WinogradConvolutions.cpp - 3x3 convolutions as Winograd F(2,3) -----===//
//
// Winograd's F(2 x 2, 3 x 3) computes a 2 x 2 output tile of a 3 x 3
// convolution from the 4 x 4 input patch d under it as
//   Y = A^T [ sum over channels of U (.) V ] A,  U = G g G^T,  V = B^T d B
// (elementwise products of 4 x 4 matrices): 16 multiplications per channel
// and tile instead of 36, so the matmuls (one per element of the 4 x 4
// matrices, over the channels) do 2.25 times less work than the direct
// convolution's. U is computed at compile time from the constant filter.
//
// Tile t = ty * wq + tx (wq = tiles per row + 1: "wide" tile rows, as the
// direct convolutions' wide pixel rows) reads its patch element (i, j) from
// the padded image's pixel (2 ty + i, 2 tx + j), which is pixel
// (ty + i / 2, tx + j / 2) of phase image (i % 2, j % 2), at flat offset
// t + (i / 2) * wq + j / 2: the patches of consecutive tiles are contiguous
// vectors of each phase image, so the input transform needs no gather.
// Single-threaded kernels build the phase images of the whole image first;
// with threads, each band builds those of its own rows (see bandPhases).
//
//===----------------------------------------------------------------------===//

#include "strata/Codegen/CPU/Passes.h"
#include "strata/Support/ConstantData.h"

#include "ConvolutionKernels.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace strata::cpu {
#define GEN_PASS_DEF_STRATACPUWINOGRADCONVOLUTIONSPASS
#include "strata/Codegen/CPU/Passes.h.inc"
} // namespace strata::cpu

using namespace mlir;

#define DEBUG_TYPE "strata-cpu-winograd-convolutions"

/// Output channels per register tile of the matmuls.
static constexpr int64_t kTileFilters = strata::cpu::TargetInfo::kFilterTile;
/// Output-transform chunks per row of tiles unrolled; more are a loop.
static constexpr int64_t kMaxUnrolledChunks = 4;
/// The 4 x 4 transformed matrices' elements: one matmul each.
static constexpr int64_t kElements = 16;
/// The transformed input of one band (16 x C x tiles floats) is kept about
/// this fraction of the L2 cache, and below its size, to stay there while
/// the matmuls read it (with the transformed filter and their results).
static constexpr int64_t kBandsPerL2 = 4;

/// U = G g G^T of each 3 x 3 filter g (F x C x 3 x 3), laid out as
/// [16 (element xi * 4 + nu)][F / 8][C][8]: the weights one step of a
/// register tile needs are contiguous.
static std::vector<float> transformFilters(ArrayRef<float> g, int64_t filters,
                                           int64_t channels) {
  std::vector<float> u(kElements * filters * channels);
  int64_t tiles = filters / kTileFilters;
  for (int64_t f = 0; f < filters; ++f) {
    for (int64_t c = 0; c < channels; ++c) {
      const float *w = g.data() + (f * channels + c) * 9;
      // G g: 4 x 3, rows g0, (g0 + g1 + g2) / 2, (g0 - g1 + g2) / 2, g2.
      float gg[4][3];
      for (int64_t j = 0; j < 3; ++j) {
        float g0 = w[j], g1 = w[3 + j], g2 = w[6 + j];
        gg[0][j] = g0;
        gg[1][j] = 0.5f * (g0 + g1 + g2);
        gg[2][j] = 0.5f * (g0 - g1 + g2);
        gg[3][j] = g2;
      }
      // (G g) G^T: the same on the columns.
      for (int64_t xi = 0; xi < 4; ++xi) {
        float g0 = gg[xi][0], g1 = gg[xi][1], g2 = gg[xi][2];
        float row[4] = {g0, 0.5f * (g0 + g1 + g2), 0.5f * (g0 - g1 + g2), g2};
        for (int64_t nu = 0; nu < 4; ++nu) {
          int64_t k = xi * 4 + nu;
          int64_t tile = f / kTileFilters, r = f % kTileFilters;
          u[((k * tiles + tile) * channels + c) * kTileFilters + r] = row[nu];
        }
      }
    }
  }
  return u;
}

namespace {
/// Builds the kernel of one convolution (see rewriteWinograd).
struct WinogradBuilder {
  OpBuilder &b;
  Location loc;
  strata::PaddedConv conv;
  int64_t run;    // tiles per vector of the matmuls (a run)
  int64_t runs;   // runs per band
  int64_t lanes;  // tiles per vector of the output transform
  int64_t rows;   // tile rows per band
  int64_t mTiles; // tiles of the buffer of matmul results
  int64_t hq;     // rows of the phase images transformBand reads
  int64_t wq;     // tiles per wide tile row, pixels per phase image row

  Value index(int64_t v) { return arith::ConstantIndexOp::create(b, loc, v); }
  Value add(Value x, Value y) { return arith::AddFOp::create(b, loc, x, y); }
  Value sub(Value x, Value y) { return arith::SubFOp::create(b, loc, x, y); }
  /// An scf.for from 0 to `count` carrying `init`, whose body `body`
  /// builds (with `b`) from the induction variable and the carried values
  /// and returns the values to carry on.
  scf::ForOp
  forLoop(int64_t count, ValueRange init,
          llvm::function_ref<SmallVector<Value>(Value, ValueRange)> body) {
    auto loop =
        scf::ForOp::create(b, loc, index(0), index(count), index(1), init);
    OpBuilder::InsertionGuard guard(b);
    Block *block = loop.getBody();
    if (!block->empty())
      block->getTerminator()->erase();
    b.setInsertionPointToEnd(block);
    SmallVector<Value> next =
        body(loop.getInductionVar(), loop.getRegionIterArgs());
    scf::YieldOp::create(b, loc, next);
    return loop;
  }
  Value affine(AffineExpr expr, ValueRange dims) {
    return affine::AffineApplyOp::create(
        b, loc, AffineMap::get(dims.size(), 0, expr), dims);
  }

  /// V = B^T d B of one channel's patches d (4 x 4 vectors of tiles),
  /// B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
  SmallVector<Value> inputTransform(ArrayRef<Value> d) {
    auto bt = [&](Value d0, Value d1, Value d2, Value d3) {
      return std::array<Value, 4>{sub(d0, d2), add(d1, d2), sub(d2, d1),
                                  sub(d1, d3)};
    };
    Value t[4][4];
    for (int64_t j = 0; j < 4; ++j) {
      auto col = bt(d[j], d[4 + j], d[8 + j], d[12 + j]);
      for (int64_t i = 0; i < 4; ++i)
        t[i][j] = col[i];
    }
    SmallVector<Value> v;
    for (int64_t i = 0; i < 4; ++i) {
      auto row = bt(t[i][0], t[i][1], t[i][2], t[i][3]);
      v.append(row.begin(), row.end());
    }
    return v;
  }

  /// Y = A^T m A (2 x 2 vectors, row-major) of the 4 x 4 vectors m,
  /// A^T = [1 1 1 0; 0 1 -1 -1].
  SmallVector<Value> outputTransform(ArrayRef<Value> m) {
    auto at = [&](Value m0, Value m1, Value m2, Value m3) {
      return std::array<Value, 2>{add(add(m0, m1), m2), sub(sub(m1, m2), m3)};
    };
    Value s[2][4];
    for (int64_t j = 0; j < 4; ++j) {
      auto col = at(m[j], m[4 + j], m[8 + j], m[12 + j]);
      s[0][j] = col[0];
      s[1][j] = col[1];
    }
    SmallVector<Value> y;
    for (int64_t a = 0; a < 2; ++a) {
      auto row = at(s[a][0], s[a][1], s[a][2], s[a][3]);
      y.append(row.begin(), row.end());
    }
    return y;
  }

  /// The phase images of the band of tile rows from `ty0` on, as its input
  /// transform reads them (transformBand with t0 = 0): [2 (a), 2 (b), C, hq,
  /// wq], flat. Phase rows ty0 .. ty0 + rows are the band's patches; the
  /// rows after them are zeros, read only by the tiles past the band's end
  /// that its last run computes and no output uses. Built by each work item
  /// for its own band from the unpadded image, in its own cache: no pass
  /// over the whole image, and the rows an item reads are mostly those the
  /// same thread wrote, when the previous kernel splits its rows the same
  /// way.
  Value bandPhases(Value ty0) {
    Type f32 = b.getF32Type();
    Value init = tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{2, 2, conv.channels, hq, wq}, f32);
    auto rowZeros = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(VectorType::get({wq}, f32), 0.0f));
    auto loop = forLoop(
        conv.channels, ValueRange{init},
        [&](Value c, ValueRange args) -> SmallVector<Value> {
          auto patchRows =
              forLoop(rows + 1, ValueRange{args[0]},
                      [&](Value dy, ValueRange carried) -> SmallVector<Value> {
                        Value y = arith::AddIOp::create(b, loc, ty0, dy);
                        return {strata::writePhaseRows(
                            b, loc, conv, 2, wq, c, y, carried[0],
                            [&](int64_t a, int64_t bb) -> SmallVector<Value> {
                              return {index(a), index(bb), c, dy, index(0)};
                            })};
                      });
          Value phases = patchRows.getResult(0);
          for (int64_t dy = rows + 1; dy < hq; ++dy)
            for (int64_t a = 0; a < 2; ++a)
              for (int64_t bb = 0; bb < 2; ++bb)
                phases =
                    vector::TransferWriteOp::create(
                        b, loc, rowZeros, phases,
                        ValueRange{index(a), index(bb), c, index(dy), index(0)},
                        ArrayRef<bool>{true})
                        .getResult();
          return {phases};
        });
    return tensor::CollapseShapeOp::create(
        b, loc, RankedTensorType::get({4 * conv.channels * hq * wq}, f32),
        loop.getResult(0), ArrayRef<ReassociationIndices>{{0, 1, 2, 3, 4}});
  }

  /// The transformed input of the band's tiles from `t0` on: 16 x C x
  /// (runs * run), for every channel, from its phase images `flat`.
  Value transformBand(Value flat, Value t0) {
    Type f32 = b.getF32Type();
    auto rowType = VectorType::get({run}, f32);
    int64_t phaseSize = conv.channels * hq * wq;
    Value init = tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{kElements, conv.channels, runs * run}, f32);
    auto loop = forLoop(
        conv.channels, ValueRange{init},
        [&](Value c, ValueRange args) -> SmallVector<Value> {
          Value v = args[0];
          AffineExpr cd = b.getAffineDimExpr(0), td = b.getAffineDimExpr(1);
          Value base = affine(cd * (hq * wq) + td, {c, t0});
          Value zero =
              arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0.0f));
          auto runLoop = forLoop(
              runs, ValueRange{v},
              [&](Value r, ValueRange carried) -> SmallVector<Value> {
                Value column = affine(b.getAffineDimExpr(0) * run, {r});
                Value start = arith::AddIOp::create(b, loc, base, column);
                SmallVector<Value> d;
                for (int64_t i = 0; i < 4; ++i) {
                  for (int64_t j = 0; j < 4; ++j) {
                    int64_t phase = (i % 2) * 2 + j % 2;
                    Value offset = arith::AddIOp::create(
                        b, loc, start,
                        index(phase * phaseSize + i / 2 * wq + j / 2));
                    d.push_back(vector::TransferReadOp::create(
                        b, loc, rowType, flat, ValueRange{offset}, zero,
                        ArrayRef<bool>{true}));
                  }
                }
                SmallVector<Value> transformed = inputTransform(d);
                Value next = carried[0];
                for (int64_t k = 0; k < kElements; ++k)
                  next =
                      vector::TransferWriteOp::create(
                          b, loc, transformed[k], next,
                          ValueRange{index(k), c, column}, ArrayRef<bool>{true})
                          .getResult();
                return {next};
              });
          v = runLoop.getResult(0);
          return {v};
        });
    return loop.getResult(0);
  }

  /// M[k, 8 t + 0..8, run r] = U[k, filter tile t0 + t] x V[k] for every
  /// element k and each of `tileCount` filter tiles: 8 x run accumulators
  /// in registers across the channels. Element-major, so that V[k] stays in
  /// cache while every filter tile reads it.
  Value multiply(Value u, Value v, Value m, Value firstTile,
                 int64_t tileCount) {
    Type f32 = b.getF32Type();
    auto rowType = VectorType::get({run}, f32);
    auto loop = forLoop(
        kElements, ValueRange{m},
        [&](Value k, ValueRange args) -> SmallVector<Value> {
          Value zero =
              arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0.0f));
          Value zeros = vector::BroadcastOp::create(b, loc, rowType, zero);
          auto tileLoop = forLoop(
              tileCount, ValueRange{args[0]},
              [&](Value t, ValueRange tileArgs) -> SmallVector<Value> {
                Value filterTile = arith::AddIOp::create(b, loc, firstTile, t);
                Value mRow = affine(b.getAffineDimExpr(0) * kTileFilters, {t});
                auto runLoop = forLoop(
                    runs, ValueRange{tileArgs[0]},
                    [&](Value r, ValueRange carried) -> SmallVector<Value> {
                      Value column = affine(b.getAffineDimExpr(0) * run, {r});
                      SmallVector<Value> init(kTileFilters, zeros);
                      auto channels = forLoop(
                          conv.channels, init,
                          [&](Value c, ValueRange sums) -> SmallVector<Value> {
                            Value row = vector::TransferReadOp::create(
                                b, loc, rowType, v, ValueRange{k, c, column},
                                zero, ArrayRef<bool>{true});
                            SmallVector<Value> next;
                            for (int64_t f = 0; f < kTileFilters; ++f) {
                              Value w = tensor::ExtractOp::create(
                                  b, loc, u,
                                  ValueRange{k, filterTile, c, index(f)});
                              Value ws = vector::BroadcastOp::create(
                                  b, loc, rowType, w);
                              next.push_back(vector::FMAOp::create(
                                  b, loc, ws, row, sums[f]));
                            }
                            return next;
                          });
                      Value acc = carried[0];
                      for (int64_t f = 0; f < kTileFilters; ++f)
                        acc = vector::TransferWriteOp::create(
                                  b, loc, channels.getResult(f), acc,
                                  ValueRange{k,
                                             arith::AddIOp::create(b, loc, mRow,
                                                                   index(f)),
                                             column},
                                  ArrayRef<bool>{true})
                                  .getResult();
                      return {acc};
                    });
                return {runLoop.getResult(0)};
              });
          return {tileLoop.getResult(0)};
        });
    return loop.getResult(0);
  }

  /// Writes the 2 x 2 output tiles of the filter tile's 8 channels (global
  /// index of the first: `f0`, row in M and in `out`: `row0`) from M into
  /// `out` (1 x Fg x 2 rows x OW: the band's output rows, the first of
  /// which is output row `rowOffset`), with bias and epilogues: tile row by
  /// tile row, `lanes` tiles at a time, the tiles' two columns interleaved
  /// into one vector per output row (masked at the right edge).
  Value writeOutputs(Value m, Value out, Value f0, Value row0,
                     Value rowOffset) {
    Type f32 = b.getF32Type();
    auto laneType = VectorType::get({lanes}, f32);
    Value zero =
        arith::ConstantOp::create(b, loc, f32, b.getF32FloatAttr(0.0f));
    int64_t tw = conv.ow / 2;
    int64_t chunks = llvm::divideCeil(tw, lanes);
    SmallVector<Value> channels, biases;
    for (int64_t f = 0; f < kTileFilters; ++f) {
      channels.push_back(arith::AddIOp::create(b, loc, f0, index(f)));
      biases.push_back(vector::BroadcastOp::create(
          b, loc, VectorType::get({2 * lanes}, f32),
          strata::initialValue(b, loc, conv, channels[f])));
    }
    // One chunk of `lanes` tiles of filter f's row of tiles `rho`, from
    // tile `chunk` * lanes on (masked unless `inBounds`).
    auto writeChunk = [&](int64_t f, Value rho, Value chunk, bool inBounds,
                          Value result) -> Value {
      AffineExpr rd = b.getAffineDimExpr(0), cd = b.getAffineDimExpr(1);
      Value outRow = arith::AddIOp::create(b, loc, row0, index(f));
      // Folded: an unrolled chunk's constant index leaves no affine.apply.
      auto folded = [&](AffineExpr expr, ArrayRef<OpFoldResult> dims) {
        return getValueOrCreateConstantIndexOp(
            b, loc,
            affine::makeComposedFoldedAffineApply(
                b, loc, AffineMap::get(dims.size(), 0, expr), dims));
      };
      Value column = folded(rd * wq + cd * lanes, {rho, chunk});
      Value pixel = folded(rd * (2 * lanes), {chunk});
      SmallVector<Value> elements;
      for (int64_t k = 0; k < kElements; ++k)
        elements.push_back(vector::TransferReadOp::create(
            b, loc, laneType, m, ValueRange{index(k), outRow, column}, zero,
            ArrayRef<bool>{true}));
      SmallVector<Value> y = outputTransform(elements);
      for (int64_t a = 0; a < 2; ++a) {
        Value pixels =
            vector::InterleaveOp::create(b, loc, y[2 * a], y[2 * a + 1]);
        Value outputRow = affine(rd * 2 + a, {rho});
        // A side input of the epilogues (a residual) is read at the same
        // pixels of the whole output.
        Value imageRow = arith::AddIOp::create(b, loc, rowOffset, outputRow);
        auto readSide = [&](Value side) -> Value {
          return vector::TransferReadOp::create(
              b, loc, cast<VectorType>(pixels.getType()), side,
              ValueRange{index(0), channels[f], imageRow, pixel}, zero,
              ArrayRef<bool>{inBounds});
        };
        pixels = strata::applyEpilogue(
            b, loc, conv, arith::AddFOp::create(b, loc, pixels, biases[f]),
            readSide);
        result = vector::TransferWriteOp::create(
                     b, loc, pixels, result,
                     ValueRange{index(0), outRow, outputRow, pixel},
                     ArrayRef<bool>{inBounds})
                     .getResult();
      }
      return result;
    };
    // Few chunks per row are unrolled; on wide images the whole chunks are
    // a loop (unrolled, their thousands of tensor reads and writes made
    // bufferization take a minute on a 512 x 512 image), then the masked
    // last one.
    int64_t wholeChunks = tw / lanes;
    auto rowLoop = forLoop(
        rows, ValueRange{out},
        [&](Value rho, ValueRange carried) -> SmallVector<Value> {
          Value result = carried[0];
          for (int64_t f = 0; f < kTileFilters; ++f) {
            if (chunks <= kMaxUnrolledChunks) {
              for (int64_t chunk = 0; chunk < chunks; ++chunk)
                result = writeChunk(f, rho, index(chunk),
                                    (chunk + 1) * lanes <= tw, result);
              continue;
            }
            result =
                forLoop(
                    wholeChunks, ValueRange{result},
                    [&](Value chunk, ValueRange args) -> SmallVector<Value> {
                      return {writeChunk(f, rho, chunk, true, args[0])};
                    })
                    .getResult(0);
            if (wholeChunks < chunks)
              result = writeChunk(f, rho, index(wholeChunks), false, result);
          }
          return {result};
        });
    out = rowLoop.getResult(0);
    return out;
  }
};
} // namespace

/// Rewrites `conv` (3 x 3, stride 1, constant filter) as Winograd F(2,3):
/// an scf.forall over work items, each a band of tiles and a group of
/// output channels (or a share of the tile rows: whole bands, then a tail
/// band), each band transforming its input (all channels), running the 16
/// matmuls of its group into a buffer, then, for each 8-channel tile of
/// the group, writing the output transform of that into its slice of the
/// NCHW output. A band is whole rows of tiles, so that its output is whole
/// output rows.
static void rewriteWinograd(RewriterBase &rewriter, strata::PaddedConv conv,
                            ArrayRef<float> filter, int64_t run,
                            int64_t workItems, int64_t l2Bytes) {
  Location loc = conv.op.getLoc();
  Type f32 = rewriter.getF32Type();
  int64_t th = conv.oh / 2, tw = conv.ow / 2;
  int64_t wq = tw + 1;
  // A band is `rows` whole tile rows (a divisor of th), whose rows * wq
  // tiles the matmuls cover in runs. Pick the band with the least wasted
  // tiles (within 5%) whose transformed input fits the L2 cache, the
  // largest of those that fits a quarter of it, else the smallest.
  auto tilesOf = [&](int64_t r) {
    return static_cast<int64_t>(llvm::alignTo(r * wq, run));
  };
  auto bytesOf = [&](int64_t r) {
    return kElements * conv.channels * tilesOf(r) * 4;
  };
  auto wasteOf = [&](int64_t r) {
    return static_cast<double>(tilesOf(r)) / (r * tw);
  };
  SmallVector<int64_t> divisors;
  for (int64_t r = 1; r <= th; ++r)
    if (th % r == 0 && (r == 1 || bytesOf(r) <= l2Bytes))
      divisors.push_back(r);
  double leastWaste = wasteOf(divisors.front());
  for (int64_t r : divisors)
    leastWaste = std::min(leastWaste, wasteOf(r));
  int64_t rows = 0;
  for (int64_t r : divisors)
    if (wasteOf(r) <= 1.05 * leastWaste &&
        (rows == 0 || bytesOf(r) <= l2Bytes / kBandsPerL2))
      rows = r;
  int64_t bands = th / rows;
  int64_t filterTiles = conv.filters / kTileFilters;
  // A band's builder. The output transform works on half runs (`lanes`
  // tiles: a pair of them interleaved, the two columns of each tile, is one
  // run of output pixels), and reads them from each row of tiles, past the
  // matmuls' runs on the last row.
  auto builderFor = [&](int64_t bandRows, int64_t bandRun) {
    int64_t bandLanes = bandRun / 2;
    int64_t bandRuns = llvm::divideCeil(bandRows * wq, bandRun);
    int64_t chunks = llvm::divideCeil(tw, bandLanes);
    int64_t mTiles =
        std::max(bandRuns * bandRun, (bandRows - 1) * wq + chunks * bandLanes);
    // The band's phase rows: its runs read up to wq + 1 tiles past their
    // end (the patch's lower right element).
    int64_t bandHq = llvm::divideCeil(bandRuns * bandRun + wq + 1, wq);
    return WinogradBuilder{rewriter,  loc,      conv,   bandRun, bandRuns,
                           bandLanes, bandRows, mTiles, bandHq,  wq};
  };
  // Work items. If the bands do not divide evenly among them but the tile
  // rows do, each item takes th / items rows: whole bands, then a shorter
  // tail band whose runs are half as wide when that wastes fewer tiles
  // (7 bands on 2 threads: 3.5 bands each instead of 4 and 3). Otherwise
  // the items are (band, group of filters) pairs, with enough groups for
  // the threads, each group a multiple of the register tile.
  int64_t items = 1, groups = 1, itemRows = rows, tailRows = 0, tailRun = run;
  if (workItems > 1 && bands % workItems != 0 && th % workItems == 0 &&
      th / workItems > rows) {
    items = workItems;
    itemRows = th / workItems;
    tailRows = itemRows % rows;
    if (run % 4 == 0 && llvm::alignTo(tailRows * wq, run / 2) <
                            llvm::alignTo(tailRows * wq, run))
      tailRun = run / 2;
  } else {
    while (bands * groups < workItems && filterTiles % (groups * 2) == 0)
      groups *= 2;
    items = bands;
  }
  int64_t groupFilters = conv.filters / groups;
  int64_t groupTiles = groupFilters / kTileFilters;
  WinogradBuilder full = builderFor(rows, run);
  std::optional<WinogradBuilder> tail;
  if (tailRows > 0)
    tail.emplace(builderFor(tailRows, tailRun));
  // U, packed for the register tiles.
  std::vector<float> u = transformFilters(filter, conv.filters, conv.channels);
  auto uType = RankedTensorType::get(
      {kElements, filterTiles, conv.channels, kTileFilters}, f32);
  rewriter.setInsertionPoint(conv.op);
  Value uValue = arith::ConstantOp::create(
      rewriter, loc, uType,
      DenseResourceElementsAttr::get(
          uType, "strata.winograd_filter",
          HeapAsmResourceBlob::allocateAndCopyInferAlign(ArrayRef<float>(u))));

  // With one work item, the phase images of the whole padded image, built
  // in one pass before the kernel (the last band's runs read up to wq + 1
  // tiles past their end: zero rows below the image keep those reads in
  // bounds). With more, each band builds its own (bandPhases): the rows
  // shared by two bands are built twice, but each thread reads the image
  // rows of its own bands, which it mostly wrote itself when the kernel
  // before splits its rows the same way, and no pass of its own shares out
  // the whole image (with the data the threads' caches then exchange).
  bool phasesPerBand = workItems > 1;
  Value flat;
  if (!phasesPerBand) {
    int64_t lastRead = (th - rows) * wq + full.runs * run;
    if (tail)
      lastRead =
          std::max(lastRead, (th - tailRows) * wq + tail->runs * tail->run);
    int64_t hq =
        std::max(llvm::divideCeil(conv.pad.getResultType().getDimSize(2), 2),
                 llvm::divideCeil(lastRead + wq + 1, wq));
    flat = strata::flatPhaseImages(rewriter, conv, 2, hq, wq);
    // Every band reads these, from its first tile on.
    full.hq = hq;
    if (tail)
      tail->hq = hq;
  }
  // After the epilogues' side inputs.
  rewriter.setInsertionPoint(conv.last());
  Value empty = tensor::EmptyOp::create(
      rewriter, loc, ArrayRef<int64_t>{1, conv.filters, conv.oh, conv.ow}, f32);
  auto forall = scf::ForallOp::create(
      rewriter, loc,
      ArrayRef<OpFoldResult>{rewriter.getIndexAttr(items),
                             rewriter.getIndexAttr(groups)},
      ValueRange{empty}, std::nullopt);
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(forall.getTerminator());
  AffineExpr d0 = rewriter.getAffineDimExpr(0);
  Value item = forall.getInductionVars()[0];
  Value group = forall.getInductionVars()[1];
  Value firstTile = full.affine(d0 * groupTiles, {group});
  // The item's output: its rows of the group's channels.
  Value itemRow = full.affine(d0 * itemRows, {item});
  OpFoldResult one = rewriter.getIndexAttr(1), zero = rewriter.getIndexAttr(0);
  SmallVector<OpFoldResult> unit = {one, one, one, one};
  SmallVector<OpFoldResult> offsets = {
      zero, OpFoldResult(full.affine(d0 * groupFilters, {group})),
      OpFoldResult(full.affine(d0 * 2, {itemRow})), zero};
  SmallVector<OpFoldResult> sizes = {one, rewriter.getIndexAttr(groupFilters),
                                     rewriter.getIndexAttr(2 * itemRows),
                                     rewriter.getIndexAttr(conv.ow)};
  Value outInit = tensor::ExtractSliceOp::create(
      rewriter, loc, forall.getRegionIterArgs()[0], offsets, sizes, unit);
  // One band (`builder`'s rows from tile row `bandRow`, output rows written
  // at `outRow` of `out`): its input transform, the matmuls of all the
  // group's filter tiles (element-major: see multiply), then the output
  // transform of each filter tile.
  auto computeBand = [&](WinogradBuilder &builder, Value out, Value bandRow,
                         Value outRow) -> Value {
    Value v =
        phasesPerBand
            ? builder.transformBand(builder.bandPhases(bandRow),
                                    builder.index(0))
            : builder.transformBand(flat, builder.affine(d0 * wq, {bandRow}));
    Value rowOffset = builder.affine(d0 * 2, {bandRow});
    SmallVector<OpFoldResult> bandOffsets = {
        zero, zero, OpFoldResult(builder.affine(d0 * 2, {outRow})), zero};
    SmallVector<OpFoldResult> bandSizes = {
        one, rewriter.getIndexAttr(groupFilters),
        rewriter.getIndexAttr(2 * builder.rows),
        rewriter.getIndexAttr(conv.ow)};
    bool whole = builder.rows == itemRows;
    Value bandOut =
        whole ? out
              : tensor::ExtractSliceOp::create(rewriter, loc, out, bandOffsets,
                                               bandSizes, unit);
    Value mInit = tensor::EmptyOp::create(
        rewriter, loc,
        ArrayRef<int64_t>{kElements, groupFilters, builder.mTiles}, f32);
    Value m = builder.multiply(uValue, v, mInit, firstTile, groupTiles);
    auto tiles = builder.forLoop(
        groupTiles, ValueRange{bandOut},
        [&](Value tile, ValueRange args) -> SmallVector<Value> {
          Value filterTile =
              arith::AddIOp::create(rewriter, loc, firstTile, tile);
          Value f0 = builder.affine(d0 * kTileFilters, {filterTile});
          Value row0 = builder.affine(d0 * kTileFilters, {tile});
          return {builder.writeOutputs(m, args[0], f0, row0, rowOffset)};
        });
    if (whole)
      return tiles.getResult(0);
    return tensor::InsertSliceOp::create(rewriter, loc, tiles.getResult(0), out,
                                         bandOffsets, bandSizes, unit);
  };
  Value result;
  if (itemRows == rows) {
    result = computeBand(full, outInit, itemRow, full.index(0));
  } else {
    // Whole bands, then the tail band.
    auto bandLoop = full.forLoop(
        itemRows / rows, ValueRange{outInit},
        [&](Value band, ValueRange args) -> SmallVector<Value> {
          Value outRow = full.affine(d0 * rows, {band});
          Value bandRow = arith::AddIOp::create(rewriter, loc, itemRow, outRow);
          return {computeBand(full, args[0], bandRow, outRow)};
        });
    result = bandLoop.getResult(0);
    if (tail) {
      Value outRow = full.index(itemRows - tailRows);
      Value bandRow = arith::AddIOp::create(rewriter, loc, itemRow, outRow);
      result = computeBand(*tail, result, bandRow, outRow);
    }
  }
  rewriter.setInsertionPointToStart(forall.getTerminator().getBody());
  tensor::ParallelInsertSliceOp::create(rewriter, loc, result,
                                        forall.getRegionIterArgs()[0], offsets,
                                        sizes, unit);
  rewriter.setInsertionPointAfter(forall);
  strata::replaceConv(rewriter, conv, forall.getResult(0));
}

std::optional<strata::PaddedConv>
strata::cpu::matchWinogradConv(linalg::Conv2DNchwFchwOp op) {
  std::optional<PaddedConv> conv =
      matchPaddedConv(op, /*maxStride=*/1, kTileFilters, /*sideInputs=*/true);
  if (!conv || conv->kh != 3 || conv->kw != 3 || conv->oh % 2 != 0 ||
      conv->ow % 2 != 0 || !constantF32Data(conv->filter))
    return std::nullopt;
  return conv;
}

namespace {
struct StrataCPUWinogradConvolutionsPass
    : strata::cpu::impl::StrataCPUWinogradConvolutionsPassBase<
          StrataCPUWinogradConvolutionsPass> {
  using Base::Base;

  void runOnOperation() override {
    FailureOr<SmallVector<strata::cpu::ConfiguredOp>> ops =
        strata::cpu::opsWithKernel(getOperation(),
                                   strata::cpu::Kernel::Winograd);
    if (failed(ops))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    for (auto [op, config] : *ops) {
      auto conv2d = dyn_cast<linalg::Conv2DNchwFchwOp>(op);
      std::optional<strata::PaddedConv> conv =
          conv2d ? strata::cpu::matchWinogradConv(conv2d) : std::nullopt;
      if (!conv) {
        // Left to strata-cpu-lower-convolutions, which takes every
        // convolution that no other kernel did.
        LLVM_DEBUG(llvm::dbgs() << "not a Winograd convolution, left as it "
                                   "is: "
                                << *op << "\n");
        continue;
      }
      LLVM_DEBUG(llvm::dbgs()
                 << "Winograd kernel, runs of " << config.stripWidth
                 << " tiles, " << config.threads << " work items, bands for "
                 << config.l2Bytes << " bytes of L2: " << *op << "\n");
      rewriteWinograd(rewriter, *conv, *strata::constantF32Data(conv->filter),
                      config.stripWidth, config.threads, config.l2Bytes);
    }
  }
};
} // namespace
