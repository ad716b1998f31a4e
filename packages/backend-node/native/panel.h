// A product on one block of samples whose operands are read where they lie: C(i) (+)= sum_k
// A[i, k] B(k), i < M, over the block's columns, with A packed once per call in slabs of kMR rows
// and B(k), C(i) row pointers into the activations or into a block-sized buffer that a per-sample
// loop has just filled. The fused layers (bilinear.cc) use it so that a loop's output is consumed
// while it is still in L1, and so that neither operand is copied or packed per product (OpenBLAS
// packs B and zeroes C on every call, about a tenth of an EMLP step).
//
// The register tile is kMR x 16 (12 accumulators of 8 floats), the shape that keeps two FMA units
// busy on AVX2; it is written with GCC's vector extension, so it must be inlined into a function
// built for both instruction sets (ISOTROPY_CLONES).
#pragma once
#include <algorithm>
#include <cstddef>

#include "rows.h"

namespace isotropy {
namespace panel {

constexpr int kMR = 6;

// Floats of A packed for an M x K product.
inline size_t packed_size(int M, int K) {
  return static_cast<size_t>((M + kMR - 1) / kMR) * kMR * static_cast<size_t>(K);
}

// A[i, k] = a in the packed layout: Ap[((i / kMR) * K + k) * kMR + i % kMR].
inline void put(float* Ap, int K, int i, int k, float a) {
  Ap[(static_cast<size_t>(i / kMR) * K + k) * kMR + i % kMR] = a;
}

// Zeroes the rows of the last slab past M, which put never writes.
inline void clear_padding(int M, int K, float* Ap) {
  const int last = (M - 1) / kMR, used = M - last * kMR;
  if (used == kMR) return;
  float* slab = Ap + static_cast<size_t>(last) * K * kMR;
  for (int k = 0; k < K; k++)
    for (int r = used; r < kMR; r++) slab[k * kMR + r] = 0.0f;
}

// C(i)[0 .. 8V) (+)= sum_k A[i, k] B(k)[0 .. 8V) for i < M.
template <int V, bool kAdd, class FB, class FC>
__attribute__((always_inline)) inline void tile(int M, int K, const float* Ap, const FB& B,
                                                const FC& C) {
  using rows::v8;
  for (int i0 = 0; i0 < M; i0 += kMR) {
    const float* A = Ap + static_cast<size_t>(i0) * K;
    v8 c[kMR][V];
#pragma GCC unroll 6
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < V; v++) c[r][v] = v8{};
    for (int k = 0; k < K; k++) {
      const float* b = B(k);
      v8 bv[V];
      for (int v = 0; v < V; v++) rows::load(bv[v], b + 8 * v);
      const float* a = A + static_cast<size_t>(k) * kMR;
#pragma GCC unroll 6
      for (int r = 0; r < kMR; r++)
        for (int v = 0; v < V; v++) c[r][v] += a[r] * bv[v];
    }
    // Through a fixed-index buffer: indexing c by a run-time row count would keep the
    // accumulators in memory for the whole loop.
    alignas(32) float out[kMR][8 * V];
#pragma GCC unroll 6
    for (int r = 0; r < kMR; r++)
      for (int v = 0; v < V; v++) rows::store(out[r] + 8 * v, c[r][v]);
    const int rows_here = std::min(kMR, M - i0);
    for (int r = 0; r < rows_here; r++) {
      float* d = C(i0 + r);
      for (int v = 0; v < V; v++) {
        v8 o, x;
        rows::load(o, out[r] + 8 * v);
        if (kAdd) {
          rows::load(x, d + 8 * v);
          o += x;
        }
        rows::store(d + 8 * v, o);
      }
    }
  }
}

// tile over a block of NV vectors (rows.h's for_blocks widths 1 to 4), 16 columns at a time.
template <int NV, bool kAdd, class FB, class FC>
__attribute__((always_inline)) inline void block(int M, int K, const float* Ap, const FB& B,
                                                 const FC& C) {
  if constexpr (NV >= 2) tile<2, kAdd>(M, K, Ap, B, C);
  if constexpr (NV == 4)
    tile<2, kAdd>(
        M, K, Ap, [&](int k) { return B(k) + 16; }, [&](int i) { return C(i) + 16; });
  if constexpr (NV == 3)
    tile<1, kAdd>(
        M, K, Ap, [&](int k) { return B(k) + 16; }, [&](int i) { return C(i) + 16; });
  if constexpr (NV == 1) tile<1, kAdd>(M, K, Ap, B, C);
}

}  // namespace panel
}  // namespace isotropy
