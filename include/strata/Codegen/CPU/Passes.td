//===- Passes.td - x86 CPU codegen passes ------------------*- tablegen -*-===//
//
// The CPU back end's passes: kernel selection, the convolution and matmul
// kernels, and the loop and OpenMP passes after bufferization. Their sizes
// come from `strata::cpu::TargetInfo` (the host's vector width and caches)
// through each op's kernel configuration.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_CPU_PASSES_TD
#define STRATA_CODEGEN_CPU_PASSES_TD

include "mlir/Pass/PassBase.td"

def StrataCPUSelectKernelsPass
    : Pass<"strata-cpu-select-kernels", "::mlir::func::FuncOp"> {
  let summary = "Choose each linalg op's CPU kernel and its sizes, once";
  let description = [{
    Records on every linalg op that a CPU kernel computes which kernel it is
    and with which sizes, as a `strata.kernel_config` dictionary (see
    `strata/Codegen/CPU/KernelConfig.h`). The sizes come from the target
    (`strata::cpu::TargetInfo`: the host's vector width and L2 cache, which
    the options override) and the thread count. The kernel passes that
    follow read these configurations and decide nothing of their own; a
    configuration written by hand in the input is kept, so a test can force
    a kernel or a size.

    In order of preference:
    - a matmul by a sparse constant weight (the `linalg.generic` that
      `convert-tensorx-to-linalg` makes of a `tensorx.matmul`):
      `sparse_panel` with at least one vector of rows (a panel of up to 8
      row vectors, fewer when the accumulators of a block of weight
      columns would not fit the registers; K blocks (`strip_width`) whose
      panel rows fill L1 and hold at least 8 non-zero rows per weight
      column), else `sparse_gather`;
    - a static 2-D f32 `linalg.transpose`: `transpose`;
    - a `linalg.generic` accumulating u8 x s8 products into i32 with a
      constant second operand (an integer matmul or ungrouped convolution
      from graph-fold-qdq): `integer_matmul` / `integer_conv`, a register
      tile of 8 rows by 3 vectors (4 by 2 with 16 registers), no more rows
      and vectors than the op has;
    - `linalg.matmul` and `linalg.batch_matmul` (static f32): `matmul`, a
      register tile of 8 rows by 2 vectors of columns;
    - `linalg.depthwise_conv_2d_nchw_chw` and `linalg.pooling_nchw_max/sum`:
      `window_rows` (with the host's `vector_lanes`: a row wider than a
      register is computed in a power of two lanes) when an output row
      fits in one vector of at most 256 lanes and the window has at most 64
      positions, else `window_loops`;
    - `linalg.conv_2d_nchw_fchw`: `winograd` for a padded 3 x 3 stride-1
      convolution with a constant filter and at least `min-winograd-pixels`
      output pixels, else `direct_conv` for a padded stride-1 or stride-2
      one, else `im2col_matmul` (static f32);
    - `linalg.conv_2d_ngchw_gfchw` (grouped): `im2col_matmul`, a matmul
      per group (static f32).

    Example (AVX-512, 2 threads):

    ```mlir
    %0 = linalg.matmul {strata.kernel_config = {kernel = "matmul",
             min_strips = 4 : i64, threads = 2 : i64,
             tile_sizes = array<i64: 8, 32>}}
           ins(%a, %b : tensor<64x128xf32>, tensor<128x256xf32>) ...
    ```
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"1",
           "Threads the code runs on">,
    Option<"vectorLanes", "vector-lanes", "int64_t", /*default=*/"0",
           "f32 lanes of a vector register (0: the host's)">,
    Option<"l2Bytes", "l2-bytes", "int64_t", /*default=*/"0",
           "L2 cache size in bytes (0: the host's)">,
    Option<"l1Bytes", "l1-bytes", "int64_t", /*default=*/"0",
           "L1 data cache size in bytes (0: the host's)">,
    Option<"minWinogradPixels", "min-winograd-pixels", "int64_t",
           /*default=*/"0",
           "Smallest output image (pixels) given a Winograd kernel (0: the "
           "target's threshold)">,
    Option<"im2colStripWidth", "im2col-strip-width", "int64_t",
           /*default=*/"0",
           "Pixels per im2col strip (0: 2 vectors; 1: whole im2col "
           "matrices)">,
    ListOption<"kernels", "kernels", "std::string",
               "Kernels to choose from (default: all), e.g. "
               "kernels=im2col_matmul,window_loops to test one kernel pass">,
  ];
}

def StrataCPUSparseMatmulsPass
    : Pass<"strata-cpu-sparse-matmuls", "::mlir::func::FuncOp"> {
  let summary = "Kernels of matmuls by sparse constant weights";
  let description = [{
    Replaces each matmul by a sparse constant weight configured as
    `sparse_panel` or `sparse_gather` (see `strata-cpu-select-kernels`)
    by its kernel. The weight's non-zeros are laid out at compile time in
    the order the kernel reads them (i32 coordinates and f32 values in
    constant arrays; the sparse constant is then dropped), so nothing is
    converted at run time.

    - `sparse_panel` (`tile_sizes = [rows, b]`, `strip_width` rows of K
      per K block): activations `K x M`, result `N x M` (transposed; a
      row-major operand or result is transposed around the kernel). For
      each panel of `rows` rows, each K block and each block of `b` weight
      columns (BSR `1 x b` blocks; 1 otherwise), `b x rows / vector_lanes`
      vector accumulators run over the block's non-zero rows in the K
      block: each step loads `rows / vector_lanes` activation vectors (from
      L1: the K block's rows of the panel stay there while all columns use
      them) and does `b` times as many FMAs. The accumulators start from
      zeros in the first K block and from the partial result after.
    - `sparse_gather` (`tile_sizes = [1, vector_lanes]`): activations and
      result row-major. For each row and each vector of weight columns,
      step `t` multiplies the `t`-th non-zero of each column (zero-padded
      to the longest) by the activations gathered at their rows.

    Threads (an `scf.forall`) share out the weight's columns. Any other op
    left with a sparse operand is an error naming it.

    Example:
    ```mlir
    %y = linalg.generic {..., strata.kernel_config = {kernel = "sparse_panel",
           threads = 1 : i64, tile_sizes = array<i64: 128, 1>,
           vector_lanes = 16 : i64}}
           ins(%xt, %w : tensor<768x128xf32>, tensor<768x3072xf32, #CSC>) ...
    // becomes scf.for loops over the columns, panels and non-zeros, with
    // vector.fma on vector<16xf32> accumulators
    ```
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def StrataCPUVectorizeTransposesPass
    : Pass<"strata-cpu-vectorize-transposes", "::mlir::func::FuncOp"> {
  let summary = "2-D transposes by register blocks";
  let description = [{
    Replaces each static 2-D f32 `linalg.transpose` configured as
    `transpose` (see `strata-cpu-select-kernels`) by loops over
    `vector_lanes x vector_lanes` blocks: a block is read as row vectors,
    transposed in registers (`vector.transpose`, lowered to shuffles) and
    written as row vectors of the result; blocks at the edges are masked.
    Threads share out the blocks of rows.

    Example:
    ```mlir
    %t = linalg.transpose {strata.kernel_config = {kernel = "transpose",
           threads = 1 : i64, vector_lanes = 16 : i64}}
           ins(%x : tensor<128x768xf32>) outs(%e : tensor<768x128xf32>)
           permutation = [1, 0]
    // becomes scf.for loops reading vector<16x16xf32> blocks,
    // vector.transpose, and vector.transfer_write
    ```
  }];
  let dependentDialects = [
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

def StrataCPULowerConvolutionsPass
    : Pass<"strata-cpu-lower-convolutions", "::mlir::func::FuncOp"> {
  let summary = "Convolutions as im2col matmuls; window loops row-innermost";
  let description = [{
    Rewrites static f32 `linalg.conv_2d_nchw_fchw` whose kernel configuration
    (`strata.kernel_config`, see `strata-cpu-select-kernels`) names
    `im2col_matmul` as, per image, an im2col
    copy (a `linalg.generic` producing C x KH x KW x OH x OW, read as a
    (C*KH*KW) x (OH*OW) matrix) and one `linalg.matmul` of the filter
    (F x C*KH*KW) by that matrix into the NCHW output, so that no transpose
    is needed and `strata-cpu-vectorize-matmul` register-tiles the product.
    1x1 unit-stride convolutions skip the copy: the image already is the
    matrix. Strided 1x1 ones (a ResNet's downsampling shortcut) read the
    pixels they use into a contiguous image first, by an `scf.forall` over
    the channels that reads each image row it needs as one vector and
    shuffles out every stride-th lane, then are a plain matmul by it. When
    OH*OW holds at least `min_strips` strips of `strip_width` pixels (both
    from the configuration), the im2col matrix is built strip by strip where
    it is used: an `scf.forall` over the strips copies strip s into a
    contiguous C*KH*KW x `strip_width` block and
    multiplies it right away, while it is in cache (no full im2col matrix);
    pixels left over form one narrower strip. Batches of several images
    become a loop over the images. Grouped convolutions
    (`linalg.conv_2d_ngchw_gfchw`) become a loop over the images and, in
    each, over the groups of the same one-image lowering of the group's
    channels by its filters. The matmuls get the configuration's
    register tile (`kernel = "matmul"`) for `strata-cpu-vectorize-matmul`.

    Depthwise convolutions and pooling windows configured as `window_loops`
    (`linalg.depthwise_conv_2d_nchw_chw`, `linalg.pooling_nchw_max`,
    `linalg.pooling_nchw_sum` whose rows are too wide for
    `strata-cpu-vectorize-windows`, or of other element types) become
    `linalg.generic` ops whose loops run
    (n, c, oh, kh, kw, ow): the innermost loop walks an output row and an
    input row, which LLVM's loop vectorizer turns into vector code.

    Example:

    ```mlir
    %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>,
             strides = dense<1> : tensor<2xi64>}
         ins(%in, %w : tensor<1x8x10x10xf32>, tensor<16x8x3x3xf32>)
         outs(%init : tensor<1x16x8x8xf32>) -> tensor<1x16x8x8xf32>
    // becomes
    %cols = linalg.generic ... -> tensor<8x3x3x8x8xf32>
    %m = linalg.matmul ins(%w2, %cols2 : tensor<16x72xf32>, tensor<72x64xf32>)
                       outs(%init2 : tensor<16x64xf32>) -> tensor<16x64xf32>
    ```
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def StrataCPUReassociateReductionsPass
    : Pass<"strata-cpu-reassociate-reductions", "::mlir::func::FuncOp"> {
  let summary = "Let the loop vectorizer reorder floating-point reductions";
  let description = [{
    The reductions no kernel pass vectorizes (global average pooling, sums
    and means over axes, the statistics of normalizations) become loops
    that add into one accumulator. LLVM keeps such a floating-point sum in
    order unless its additions may be reassociated: one scalar add per
    element, a chain bound by the add's latency (a squeeze-and-excitation
    block's pooling ran at about one element per cycle). This pass sets
    `fastmath<reassoc>` on the op that combines each reduction's
    accumulator (`arith.addf`, `arith.mulf`) in linalg ops with reduction
    iterators, so that the loop vectorizer keeps several vector
    accumulators and adds them at the end, as vectorized libraries do. The
    order of the additions, and so the last bits of a sum, changes; nothing
    else does.

    Example:

    ```mlir
    linalg.generic {iterator_types = ["parallel", "reduction"]} ... {
    ^bb0(%in: f32, %acc: f32):
      %s = arith.addf %in, %acc : f32      // becomes fastmath<reassoc>
      linalg.yield %s : f32
    }
    ```
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def StrataCPUApproximateMathPass
    : Pass<"strata-cpu-approximate-math", "::mlir::func::FuncOp"> {
  let summary = "Compute exp, log, tanh and erf with polynomials, not libm";
  let description = [{
    Rewrites the f32 transcendental functions the graph ops lower to
    (`math.exp`, `expm1`, `log`, `log1p`, `log2`, `tanh`, `erf`, `erfc`, on
    scalars and vectors) into MLIR's polynomial approximations: arithmetic,
    selects and bit casts, accurate to a few ulp, with infinities and NaN
    kept. Left as they are, these ops become calls to libm's scalar
    `expf`/`tanhf`, one per element (a vector op is split into one call
    per lane), and a loop containing such a call is not vectorized. As
    arithmetic, LLVM's loop vectorizer turns the elementwise loops
    (sigmoid, SiLU, GELU, tanh, softmax's exponentials) into host-width
    vector code.

    The trigonometric functions keep their libm calls: the polynomials'
    range reduction loses precision on large arguments.

    Example: `%y = math.tanh %x : f32` becomes a clamped rational
    polynomial in `%x` (`arith.mulf`/`math.fma`/`arith.divf` and selects).
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect",
                           "::mlir::math::MathDialect",
                           "::mlir::vector::VectorDialect"];
}

def StrataCPUBalanceParallelLoopsPass
    : Pass<"strata-cpu-balance-parallel-loops", "::mlir::func::FuncOp"> {
  let summary = "Share out parallel loops so that a faster thread takes "
                "over the rest of a slower one's items";
  let description = [{
    A statically scheduled parallel loop gives each thread an equal,
    contiguous share of its items. When one core runs slower than another
    (virtual CPUs often do, for minutes at a time), the faster thread then
    waits at every loop's barrier. The runtime's dynamic schedules balance
    that, but their cost per chunk is more than they save (figures in
    docs/performance.md).

    This pass rewrites each `scf.parallel` of the function body with
    constant bounds, no results and at least two items per thread as a loop
    over the threads. Thread `t` owns the same contiguous range of items as
    under the static schedule and claims them, in grains of about a
    sixteenth of the range, from a counter of its own (an `atomic_rmw addi`
    on a cache line it alone touches until then). When its range is
    exhausted, it claims grains from the other threads' counters in turn,
    so the threads finish together. The counters live in an `alloca`
    initialized at the function's entry: every rewritten loop runs once per
    call. Multi-dimensional loops are linearized (row-major). A thread
    count different from `threads` at run time is still correct: each
    thread claims until every counter is exhausted.

    Runs before `convert-scf-to-openmp`, which turns the loop over the
    threads into a worksharing loop with one item per thread.
  }];
  let options = [
    Option<"threads", "threads", "int64_t", /*default=*/"2",
           "Threads the code is compiled for (one counter each)">,
    Option<"grainsPerThread", "grains-per-thread", "int64_t",
           /*default=*/"16",
           "Grains a thread's range is claimed in">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect",
  ];
}

def StrataCPUMergeParallelRegionsPass
    : Pass<"strata-cpu-merge-parallel-regions", "::mlir::func::FuncOp"> {
  let summary = "Run consecutive OpenMP worksharing loops in one parallel "
                "region";
  let description = [{
    `convert-scf-to-openmp` gives each parallel loop its own `omp.parallel`
    region, so the threads are forked before every loop and joined after
    it. When two `omp.parallel` ops without clauses are separated only by
    ops that may run before the first one (`memref.alloc`, and ops without
    memory effects or regions: views, constants), this pass moves those ops
    above the first region and the second region's body to the end of the
    first's. A chain of loops then forks once. The threads still finish
    each loop before any starts the next: a worksharing loop ends with a
    barrier (and an `omp.barrier` is added where the first region's body
    does not end with such a loop).

    Example: `alloc A; omp.parallel { wsloop 1 }; alloc B; omp.parallel {
    wsloop 2 }` becomes `alloc A; alloc B; omp.parallel { wsloop 1;
    wsloop 2 }`.
  }];
}

def StrataCPUStridedCopiesToLoopsPass
    : Pass<"strata-cpu-strided-copies-to-loops", "::mlir::func::FuncOp"> {
  let summary = "Rewrite copies between strided views as loops of vector "
                "row copies";
  let description = [{
    LLVM lowering turns a `memref.copy` whose source or target is not a
    contiguous (identity-layout) memref into a call to the runtime's generic
    element-at-a-time copy, e.g. the copy of an image into the interior of
    its padded buffer; a `linalg.copy` lowered to loops is copied element by
    element too, since LLVM unrolls short rows before it could vectorize
    them and cannot tell that source and target do not overlap. This pass
    rewrites such copies (a `memref.copy` with a strided side, any
    `linalg.copy` on buffers) of static shape with contiguous rows as
    `scf.for` loops over the rows, each row copied by `vector.transfer_read`
    and `vector.transfer_write` in vectors of 4 x `vector-lanes` f32 lanes
    (by default the host's) and
    one shorter vector for the rest. Other strided `memref.copy` ops become
    `linalg.copy` (loops); copies between contiguous memrefs stay
    `memref.copy` (a `memcpy`).
  }];
  let options = [
    Option<"vectorLanes", "vector-lanes", "int64_t", /*default=*/"0",
           "f32 lanes of a vector register (0: the host's)">,
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def StrataCPUWinogradConvolutionsPass
    : Pass<"strata-cpu-winograd-convolutions", "::mlir::func::FuncOp"> {
  let summary = "3x3 stride-1 convolutions with a constant filter as "
                "Winograd F(2x2, 3x3) kernels";
  let description = [{
    Rewrites each `linalg.conv_2d_nchw_fchw` configured as `winograd` (see
    `strata-cpu-select-kernels`: a 3 x 3, stride-1, dilation-1 convolution
    of one f32 image, zero-padded by a `tensor.pad`, with a constant filter,
    output channels a multiple of 8, a fill or per-channel bias broadcast as
    its initial value and a large enough even-sized output) as Winograd's
    F(2 x 2, 3 x 3): each 2 x 2 output tile is A^T [sum over channels of
    U (.) V] A with U = G g G^T (computed at compile time from the filter
    g) and V = B^T d B (d: the tile's 4 x 4 input patch). The 16 elements of
    the 4 x 4 matrices are 16 matmuls over the channels with 16 / 36 of the
    direct convolution's multiplications.

    Tiles are numbered along "wide" tile rows (one more tile than the
    output needs), so that the patches of consecutive tiles are contiguous
    vectors of the padded image's 2 x 2 phase images (as for stride-2
    direct convolutions): the input transform loads them without a gather.
    With one work item, the phase images of the whole image are built before
    the kernel; with more, each band builds those of its own rows (plus the
    one below) inside its work item, from the rows of the image it reads:
    rows shared by two bands are built twice, but no pass over the whole
    image moves it between the threads' caches.
    The kernel is an `scf.forall` over (band of whole tile rows, group of
    output channels). The band is chosen to waste the fewest tiles to the
    alignment of runs of `strip_width` tiles while its transformed input
    (16 x C x tiles) stays near a quarter of the configuration's `l2_bytes`,
    and at most all of it; the groups give the threads enough work items
    (the configuration's `threads`: each group repeats its band's input
    transform). When the bands do not divide evenly among the work
    items but the tile rows do, the items are instead the work items' shares
    of the tile rows: each loops over its whole bands, then a shorter tail
    band, whose runs are half as wide when that wastes fewer tiles (7 bands
    of 2 rows on 2 threads: 3 bands and a tail of 1 row each, not 4 and 3
    bands). An iteration transforms its band's input for all
    channels, then runs the 16 matmuls of its group (for each element,
    every tile of 8 output channels, so that the element's slice of the
    transformed input stays in cache while they read it; 8 x `strip_width`
    accumulators in registers across the channels, the transformed filter
    packed so that each step's 8 weights are contiguous) into a buffer,
    then applies the output transform, the bias and the elementwise ops
    that follow the convolution (ReLU, clip, and a residual add: a tensor
    of the output's shape, read at the pixels being written) to each tile
    of 8 output channels: each row of tiles gives two output rows, the
    tiles' columns
    interleaved, written straight into the NCHW result (masked at the right
    edge), `strip_width` / 2 tiles at a time: up to 4 such chunks per row of
    tiles are unrolled, more are an `scf.for` (wide images). Odd output
    sizes are left to the direct convolutions.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def StrataCPUIntegerKernelsPass
    : Pass<"strata-cpu-integer-kernels", "::mlir::func::FuncOp"> {
  let summary = "8-bit integer matmuls and convolutions as register-tiled "
                "4-way dot products (VNNI vpdpbusd where the host has it)";
  let description = [{
    Rewrites the ops configured `integer_matmul` and `integer_conv`: the
    `linalg.generic`s that accumulate `ext(a) * ext(b)` of a u8 and an s8
    operand (the second a constant) into i32, as the linalg conversion
    writes graph-fold-qdq's integer matmuls and convolutions. Each step of
    the kernels adds to every i32 lane of an accumulator the sum of 4
    adjacent byte products: a multiply and a reduction of groups of 4,
    marked `strata.dot_product` for strata-cpu-lower-dot-products to make
    one instruction (vpdpbusd) after bufferization. The register tile
    (`tile_sizes`: rows x columns, columns a whole number of
    `vector_lanes` vectors) keeps its accumulators across the whole
    reduction.

    - `integer_matmul` (`M x K` by a constant `K x N`): the weight is
      packed at compile time as `[N / lanes][K / 4][lanes][4]` (zeros past
      K and N) and loaded as vectors; 4 bytes of an lhs row are broadcast.
      The lhs is padded to whole tiles of rows and to K a multiple of 4.
    - `integer_conv` (NCHW image, padded, by a constant FCHW filter, any
      stride up to 4, dilation 1): the f32 direct kernel's wide rows. The
      image is packed once into `[N][C / 4][sh][sw][rows][Wq][4]` bytes
      (the phase images of the stride that the window reads, 4 channels
      per pixel; with stride 1 by vectors of 4 channel rows interleaved,
      else by an affine copy), so that output
      pixels `p .. p + lanes` of wide rows of Wq pixels read one contiguous
      vector for each window position; the filter is packed as
      `[F][C / 4][KH][KW][4]` and broadcast per output channel. The
      accumulators start from the fill or the per-channel bias broadcast;
      the result is written in wide rows and its valid columns are viewed
      as the NCHW result.

    Both are an `scf.forall` over tiles (threads share them out).

    Example (a 2 x 4 by 4 x 3 product on a 16-lane VNNI host):
    ```mlir
    %0 = linalg.generic {..., strata.kernel_config = {kernel = "integer_matmul",
           threads = 1 : i64, tile_sizes = array<i64: 2, 16>, vector_lanes = 16 : i64}}
         ins(%a, %w : tensor<2x4xi8>, tensor<4x3xi8>) outs(%zero : tensor<2x3xi32>) {
      ... arith.extui / arith.extsi / arith.muli / arith.addi ...
    }
    // becomes a forall over one 2 x 16 tile whose loop over K / 4 = 1 step
    // broadcasts 4 bytes of each row, multiplies them with the packed
    // weight's 64 bytes and adds groups of 4 to the accumulator:
    %p = arith.muli %u, %s : vector<64xi32>
    %g = vector.shape_cast %p : vector<64xi32> to vector<16x4xi32>
    %d = vector.multi_reduction <add>, %g, %acc {strata.dot_product} [1]
         : vector<16x4xi32> to vector<16xi32>
    ```
  }];
  let dependentDialects = ["::mlir::vector::VectorDialect",
                           "::mlir::scf::SCFDialect"];
}

def StrataCPULowerDotProductsPass
    : Pass<"strata-cpu-lower-dot-products", "::mlir::func::FuncOp"> {
  let summary = "The integer kernels' 4-way dot products as vpdpbusd";
  let description = [{
    Replaces each `vector.multi_reduction` marked `strata.dot_product` by
    strata-cpu-integer-kernels (the sums of groups of 4 products of
    zero-extended and sign-extended bytes, added to an i32 accumulator of
    16 or 8 lanes) by one `vpdpbusd`, an `llvm.x86.avx512.vpdpbusd.512`
    (or `.256`) intrinsic call, when `dot-product` is `vnni`, or `host`
    (default) on a host with AVX-512 VNNI (or AVX-VNNI at 8 lanes);
    otherwise the reduction stays and only the mark goes. It runs after
    bufferization: an intrinsic call has unknown memory effects, which
    buffer deallocation rejects.

    Example:
    ```mlir
    %d = vector.multi_reduction <add>, %g, %acc {strata.dot_product} [1]
         : vector<16x4xi32> to vector<16xi32>
    // becomes, %u and %s the bytes that were extended into %g:
    %d = llvm.call_intrinsic "llvm.x86.avx512.vpdpbusd.512"(%acc, %u, %s)
         : (vector<16xi32>, vector<64xi8>, vector<64xi8>) -> vector<16xi32>
    ```
  }];
  let options = [
    Option<"dotProduct", "dot-product", "std::string", /*default=*/"\"host\"",
           "The 4-way dot product: host (vpdpbusd if the host has it), vnni "
           "or generic">,
  ];
  let dependentDialects = ["::mlir::LLVM::LLVMDialect"];
}

def StrataCPUDirectConvolutionsPass
    : Pass<"strata-cpu-direct-convolutions", "::mlir::func::FuncOp"> {
  let summary = "Stride-1 and stride-2 convolutions as vector kernels that "
                "read the padded image in place (no im2col copy)";
  let description = [{
    A stride-1, dilation-1 `linalg.conv_2d_nchw_fchw` of one f32 image,
    zero-padded by a `tensor.pad` (Hp x Wp), with output channels a multiple
    of 8 and a fill or per-channel bias broadcast as its initial value, is
    computed over "wide" output rows of Wp pixels, whose last Wp - OW
    pixels are discarded. Output pixel p = y * Wp + x then reads the input
    element at c * Hp * Wp + i * Wp + j + p for the window position
    (c, i, j): every row of the matmul's B operand is the flat padded image
    read from one offset, so no im2col matrix is copied. The padded image
    is written in one pass over the unpadded one (an `scf.forall` over the
    channels; each padded row is an image row shuffled with zeros), so the
    zero fill and the copy of the interior are not separate passes.

    Stride 2 first splits the padded image into 2 x 2 phase images (pixels
    (2y + a, 2x + b) in phase (a, b); in the same pass, each image row
    read as one vector and shuffled with zeros into two phase rows): window
    position (i, j) then reads phase (i % 2, j % 2) at
    (y + i / 2, x + j / 2), which is the stride-1 case again, with wide rows
    of Wp / 2 pixels.

    The kernel is an `scf.forall` over (strip of `strip_width` wide pixels,
    from the kernel configuration; tile of 8 output channels): the
    8 x width tile of accumulators starts from the bias and stays in
    registers across an `scf.for` over the input channels, within which the
    KH x KW window positions are unrolled (one contiguous row load, eight
    broadcast-weight FMAs each). Windows of more than 9 positions (7 x 7)
    unroll only a kernel row's positions, within an `scf.for` over the rows:
    49 positions unrolled make LLVM spill the accumulators. When the wide
    rows fit in two strips (small images), the tile is one strip twice as
    wide by 4 output channels: as many accumulators, and each weight is
    read once instead of once per strip. The elementwise ops that follow
    and read only the convolution's result (a ReLU or a clip) are applied
    to the accumulators before they are stored; on small images, whose one
    strip is the whole image, so are those that also read a tensor of the
    output's shape (a residual add), read row by row into the strip's wide
    layout. The pad gets a few extra zero rows below the image, so that the
    last strip reads in bounds. The result is the
    wide output less its extra columns (a strided slice, which the
    epilogue then reads in place).
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def StrataCPUVectorizeWindowsPass
    : Pass<"strata-cpu-vectorize-windows", "::mlir::func::FuncOp"> {
  let summary = "Vectorize NCHW depthwise convolutions and max/sum pooling "
                "one output row at a time, with their initial value and "
                "epilogue";
  let description = [{
    Each statically shaped f32 `linalg.depthwise_conv_2d_nchw_chw`,
    `linalg.pooling_nchw_max` and `linalg.pooling_nchw_sum` (output rows of
    at most 256 lanes, windows of at most 64 positions, which are
    unrolled) is tiled to one output row per tile (n, c and oh by
    1), together with the elementwise `linalg.generic` that reads its whole
    result (the epilogue: bias add, ReLU6 clip, the average's division,
    ...), which is then the root of the tiling, and with its initial value
    when that is a `linalg.fill` or `linalg.broadcast` (the bias, or -inf
    for a max). Each tile is vector code on one vector of OW lanes (a row
    wider than the kernel configuration's `vector_lanes` rounded up to a
    power of two, the lanes past it masked off: LLVM widens other lengths
    and can then rebuild a broadcast weight lane by lane on every row): it
    starts from the initial value and combines it with the input row of
    each of the KH x KW window positions (the input row shifted by the
    window column; for stride s, s x OW lanes read and every s-th kept):
    a broadcast weight times the row added for a depthwise convolution,
    `arith.maximumf` for a max pooling, `arith.addf` for a sum pooling. It
    then applies the epilogue and stores the row once.

    When the op's input is a constant `tensor.pad` of the image (along the
    rows and columns; a zero pad for the depthwise convolution), the tiles
    read the unpadded image instead, so that the padded copy is never made:
    a window row above or below the image reads as zeros (convolution) or
    the padding value, e.g. -inf (pooling), its row index clamped;
    window columns left of the image shift zeros or the padding value into
    the row, and columns right of it read them past the end.

    Example: `depthwise_conv_2d_nchw_chw` 1x32x114x114 * 32x3x3 ->
    1x32x112x112 followed by a clip becomes an `scf.forall` over
    (n, c, oh) whose body is 9 `vector.fma` on `vector<128xf32>` and a
    `arith.maximumf`/`arith.minimumf` pair before one `vector.transfer_write`;
    a 3x3 stride-2 max pooling of a 112x112 image padded by 1 with -inf is
    9 `arith.maximumf` on `vector<64xf32>` per output row, on rows of the
    unpadded image deinterleaved by `vector.shuffle`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

def StrataCPUVectorizeMatmulPass
    : Pass<"strata-cpu-vectorize-matmul", "::mlir::func::FuncOp"> {
  let summary = "Tile linalg.matmul to register tiles and vectorize it";
  let description = [{
    Tiles every statically shaped f32 `linalg.matmul` and
    `linalg.batch_matmul` (on tensors) configured as `matmul` (see
    `strata-cpu-select-kernels`) to an `M x N` register tile with the N loop
    outermost and K by 1, vectorizes
    the tile, keeps the accumulator tile in registers across the K loop
    (hoisting its read and write) and lowers the contraction to outer
    products, i.e. broadcast FMAs on vectors of the target's width.

    The tile is the configuration's `tile_sizes` (8 rows by 2 vectors of
    columns: 16 accumulator registers). Extents a tile does
    not divide are split off first (`linalg::splitOp`): columns into
    powers of two (whole vectors), rows into one remainder piece, so every
    tile is full, static and vectorized.

    The threads (an `scf.forall`) share out column strips, or row strips
    when a piece has fewer than `min_strips` column strips and more row
    strips (`threads = 1`: always column strips, the single-thread loop
    order). When B is a constant (weights) with at least two strips of the
    tile's columns, B is packed at compile time into contiguous strips
    (N/32 x K x 32 with AVX-512) and the matmul becomes an `scf.forall`
    over the strips, each reading its strip in order rather than as K rows
    N apart; the columns left over (a classifier's 1000 = 31 x 32 + 8) are
    a matmul by their own small constant. Batch matmuls first become a loop over the batch of 2-D
    matmuls on rank-reduced slices.

    Epilogues and initial values stay in registers. When the matmul's
    initial value is a `linalg.fill` or `linalg.broadcast` (a bias), also
    seen through a `tensor.collapse_shape`, and/or its whole result is read
    by one elementwise `linalg.generic` (also through a
    `tensor.expand_shape`, as after a convolution; the generic is then
    collapsed onto the matmul's rows x columns), the epilogue (or else the
    matmul) is the root of the tiling: it is split into full tiles, and
    each register tile recomputes its piece of the matmul and of the
    initial value (tile-and-fuse). Every tile then starts its accumulators
    from the fill or bias in registers and applies the epilogue (bias add,
    ReLU, clip, residual add, ...) to them before its only store: no pass
    over memory for the initial value or the epilogue is left.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect",
    "::mlir::arith::ArithDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect",
  ];
}

#endif // STRATA_CODEGEN_CPU_PASSES_TD
