// Batches of small products ([500,9,9]x[500,9,11], [500,3,27]x[500,27,34]): a BLAS call per
// matrix spends more in dispatch and packing than in arithmetic, so below a size threshold each
// product is a direct loop instead (C row i = sum_k A(i,k) * B row k, vectorised along N), and
// threads split the batch.
#include <algorithm>
#include <cstring>
#include <vector>

#include "parallel.h"
#include "sgemm.h"
#include "simd.h"

namespace isotropy {
namespace {

// 8 floats; GCC lowers it to one AVX register in the x86-64-v3 clone, two SSE ones otherwise.
typedef float v8 __attribute__((vector_size(32)));

// Rows [i0, i0 + R) of one product, B packed as K rows of NV vectors (N rounded up to 8, zero
// padded): the R x NV accumulators live in registers across the whole k loop (NV and R are
// compile-time constants, so the vector loops unroll fully), and only the first N values of each
// row are stored. R > 1 when NV is small, so that several independent FMA chains hide latency.
// A(i, k) is A[i * ai + k * ak], which covers both layouts without a branch in the loop.
template <int NV, int R>
__attribute__((always_inline)) inline void rows(int i0, int N, int K, const float* __restrict A, size_t ai, size_t ak,
                 const v8* __restrict Bp, float* __restrict C) {
  v8 acc[R][NV];
#pragma GCC unroll 8
  for (int r = 0; r < R; r++)
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) acc[r][v] = v8{};
  for (int k = 0; k < K; k++) {
    const v8* b = Bp + static_cast<size_t>(k) * NV;
#pragma GCC unroll 8
    for (int r = 0; r < R; r++) {
      const float s = A[static_cast<size_t>(i0 + r) * ai + static_cast<size_t>(k) * ak];
#pragma GCC unroll 8
      for (int v = 0; v < NV; v++) acc[r][v] += s * b[v];
    }
  }
  // Whole vectors as single (unaligned) stores, the tail element by element: a memcpy of N
  // floats would be a library call per row, which costs more than the row's arithmetic.
  const int full = N / 8;
#pragma GCC unroll 8
  for (int r = 0; r < R; r++) {
    float* c = C + static_cast<size_t>(i0 + r) * N;
#pragma GCC unroll 8
    for (int v = 0; v < NV; v++) {
      if (v < full) {
        std::memcpy(c + v * 8, &acc[r][v], sizeof(v8));
      } else if (v == full) {
        float tail[8];
        std::memcpy(tail, &acc[r][v], sizeof(v8));
        for (int j = 0; j < N - full * 8; j++) c[full * 8 + j] = tail[j];
      }
    }
  }
}

template <int NV>
ISOTROPY_CLONES void product(int M, int N, int K, const float* __restrict A, size_t ai, size_t ak,
                             const v8* __restrict Bp, float* __restrict C) {
  constexpr int R = NV <= 2 ? 4 : NV <= 4 ? 2 : 1;
  int i = 0;
  for (; i + R <= M; i += R) rows<NV, R>(i, N, K, A, ai, ak, Bp, C);
  for (; i < M; i++) rows<NV, 1>(i, N, K, A, ai, ak, Bp, C);
}

using Product = void (*)(int, int, int, const float*, size_t, size_t, const v8*, float*);

Product product_for(int nv) {
  switch (nv) {
    case 1: return product<1>;
    case 2: return product<2>;
    case 3: return product<3>;
    case 4: return product<4>;
    case 5: return product<5>;
    case 6: return product<6>;
    case 7: return product<7>;
    default: return product<8>;
  }
}

}  // namespace

bool small_gemm_fits(int M, int N, int K, size_t batch) {
  const double work = static_cast<double>(M) * N * K;
  return batch >= 2 && N <= 64 && K <= 256 && work <= 32.0 * 32 * 32;
}

void small_gemm_batched(bool transA, bool transB, int M, int N, int K, const float* A,
                        const float* B, float* C, const uint32_t* aOff, const uint32_t* bOff,
                        size_t batch) {
  const size_t mn = static_cast<size_t>(M) * N;
  const int nv = (N + 7) / 8;
  const Product run = product_for(nv);
  const size_t ai = transA ? 1 : static_cast<size_t>(K), ak = transA ? static_cast<size_t>(M) : 1;
  const size_t work = (static_cast<size_t>(M) + 1) * K * nv * 8;
  parallel_for(batch, std::max<size_t>(1, (1 << 17) / std::max<size_t>(work, 1)),
               [&](size_t b0, size_t b1) {
                 // 32-byte aligned by hand: std::vector<v8> drops v8's alignment attribute.
                 const size_t ld = static_cast<size_t>(nv) * 8;
                 std::vector<float> storage(static_cast<size_t>(K) * ld + 8, 0.0f);
                 float* Bp = storage.data();
                 while (reinterpret_cast<uintptr_t>(Bp) % sizeof(v8) != 0) Bp++;
                 const v8* packed = reinterpret_cast<const v8*>(Bp);
                 for (size_t bi = b0; bi < b1; bi++) {
                   const float* b = B + bOff[bi];
                   // Pack B (K x N, or N x K when transposed) into K rows of nv vectors; the
                   // padding columns stay zero.
                   if (transB) {
                     for (int k = 0; k < K; k++)
                       for (int j = 0; j < N; j++)
                         Bp[static_cast<size_t>(k) * ld + j] = b[static_cast<size_t>(j) * K + k];
                   } else {
                     for (int k = 0; k < K; k++)
                       std::memcpy(Bp + static_cast<size_t>(k) * ld, b + static_cast<size_t>(k) * N,
                                   sizeof(float) * N);
                   }
                   run(M, N, K, A + aOff[bi], ai, ak, packed, C + bi * mn);
                 }
               });
}

}  // namespace isotropy
