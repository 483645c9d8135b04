//===- TargetInfo.h - What CPU kernels are sized from -----------*- C++ -*-===//
//
// The one description of the CPU that code is generated for: its vector
// registers and caches, read from the host, and the kernel constants derived
// from them. Kernel selection (strata-cpu-select-kernels) reads it once and
// records each op's sizes in its kernel configuration; no other file keeps
// a copy of these numbers.
//
//===----------------------------------------------------------------------===//

#ifndef STRATA_CODEGEN_CPU_TARGETINFO_H
#define STRATA_CODEGEN_CPU_TARGETINFO_H

#include <cstdint>

namespace strata::cpu {

struct TargetInfo {
  /// f32 lanes of the widest vector registers: 16 with AVX-512, 8 with
  /// AVX/AVX2, 4 otherwise.
  int64_t vectorLanes = 4;
  /// Architectural vector registers: 32 with AVX-512, 16 otherwise.
  int64_t vectorRegisters = 16;
  /// Per-core L1 data and L2 cache sizes in bytes.
  int64_t l1DataBytes = 32 * 1024;
  int64_t l2Bytes = 1024 * 1024;
  /// Cores the host has (the default thread count).
  int64_t cores = 1;
  /// Whether a 4-way u8 x s8 dot product into i32 lanes (vpdpbusd) exists
  /// at the vector width: AVX-512 VNNI for 16 lanes, AVX-VNNI (or VNNI
  /// with AVX-512VL) for 8.
  bool int8DotProduct = false;

  /// The host CPU, detected once (LLVM's host feature detection for the
  /// registers, sysfs for the caches, with the C library as a fallback).
  static const TargetInfo &host();

  /// A CPU like the host but with `lanes` f32 lanes per vector register
  /// (for tests and cross-sizing); the register count follows the lanes.
  TargetInfo withVectorLanes(int64_t lanes) const;

  /// Rows of a matmul's register tile. With 2 vectors of columns this is
  /// 16 accumulator registers, leaving registers for the broadcast
  /// operands of the outer products.
  static constexpr int64_t kMatmulTileRows = 8;
  /// Columns of a matmul's register tile, and the pixels of a convolution
  /// kernel's strip: two vectors, so that each broadcast feeds two FMAs.
  int64_t stripWidth() const { return 2 * vectorLanes; }
  /// Output channels of a direct or Winograd convolution kernel's tile of
  /// accumulators; 4 on images small enough that one strip covers them
  /// (twice as wide a strip, as many accumulators).
  static constexpr int64_t kFilterTile = 8;
  static constexpr int64_t kSmallImageFilterTile = 4;
  /// Enough strips of a matmul or convolution to keep a few threads busy;
  /// with fewer, threads share out rows instead.
  static constexpr int64_t kMinStrips = 4;
  /// Smallest output image (pixels) worth a Winograd kernel: its input and
  /// output transforms cost more than they save on smaller ones.
  static constexpr int64_t kMinWinogradPixels = 100;
  /// Most row vectors of a sparse matmul's panel (fewer when its
  /// accumulators would not fit the registers).
  static constexpr int64_t kSparsePanelVectors = 8;
  /// Non-zero rows per weight column (times the columns of a block) that a
  /// sparse panel's K block holds at least: fewer, and loading and storing
  /// the accumulators between K blocks costs more than L1 saves.
  static constexpr int64_t kSparseRowsPerBlock = 8;

  /// The register tile of the 8-bit integer kernels: rows (broadcast
  /// operand) x vectors (loaded operand) accumulators, plus the loaded
  /// vectors and a broadcast: 8 x 3 + 4 of 32 registers, 4 x 2 + 3 of 16.
  int64_t integerTileRows() const { return vectorRegisters >= 32 ? 8 : 4; }
  int64_t integerTileVectors() const { return vectorRegisters >= 32 ? 3 : 2; }
};

} // namespace strata::cpu

#endif // STRATA_CODEGEN_CPU_TARGETINFO_H
