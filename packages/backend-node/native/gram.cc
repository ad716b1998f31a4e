// C = A B^T over long rows (gram.h). A register tile of 3 rows of one operand by 4 of the other
// holds 12 vector sums over k, each step loading 7 vectors for 12 multiply-adds; the sums are
// reduced across lanes once per chunk of k. The operand with more rows is walked three rows at a
// time (those stay in L1); the other is read whole once per three rows, a chunk of k at a time
// so that the chunk stays in L2.
#include "gram.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "parallel.h"
#include "rows.h"
#include "simd.h"

namespace isotropy {
namespace {

using rows::v8;
typedef int i8 __attribute__((vector_size(32)));

// out[q] += the lane sum of a_q, q < 4: two rounds of pairwise sums in the in-lane order that
// one shufps gives, then the two 128-bit halves.
__attribute__((always_inline)) inline void add_sums4(const v8& a0, const v8& a1, const v8& a2,
                                                     const v8& a3, float* out) {
  const i8 ev = {0, 2, 8, 10, 4, 6, 12, 14}, od = {1, 3, 9, 11, 5, 7, 13, 15};
  const v8 t0 = __builtin_shuffle(a0, a1, ev) + __builtin_shuffle(a0, a1, od);
  const v8 t1 = __builtin_shuffle(a2, a3, ev) + __builtin_shuffle(a2, a3, od);
  const v8 u = __builtin_shuffle(t0, t1, ev) + __builtin_shuffle(t0, t1, od);
  for (int q = 0; q < 4; q++) out[q] += u[q] + u[q + 4];
}

// C(r, q) += sum_{k0 <= k < k1} A[r][k] B[q][k] for r < RA, q < RB, C(r, q) at
// C[r * ci + q * cj]; A and B are row pointers.
template <int RA, int RB>
__attribute__((always_inline)) inline void tile(const float* const* A, const float* const* B,
                                                size_t k0, size_t k1, float* C, size_t ci,
                                                size_t cj) {
  v8 acc[RA][4];
#pragma GCC unroll 3
  for (int r = 0; r < RA; r++)
#pragma GCC unroll 4
    for (int q = 0; q < 4; q++) acc[r][q] = v8{};
  size_t k = k0;
  for (; k + 8 <= k1; k += 8) {
    v8 a[RA];
#pragma GCC unroll 3
    for (int r = 0; r < RA; r++) rows::load(a[r], A[r] + k);
#pragma GCC unroll 4
    for (int q = 0; q < RB; q++) {
      v8 b;
      rows::load(b, B[q] + k);
#pragma GCC unroll 3
      for (int r = 0; r < RA; r++) acc[r][q] += a[r] * b;
    }
  }
  float s[RA][4] = {};
#pragma GCC unroll 3
  for (int r = 0; r < RA; r++) add_sums4(acc[r][0], acc[r][1], acc[r][2], acc[r][3], s[r]);
  for (int r = 0; r < RA; r++)
    for (int q = 0; q < RB; q++) {
      float t = s[r][q];
      for (size_t kk = k; kk < k1; kk++) t += A[r][kk] * B[q][kk];
      C[r * ci + q * cj] += t;
    }
}

// Rows [i0, i0 + RA) of A against every row of B, over k in [k0, k1).
template <int RA>
__attribute__((always_inline)) inline void row_group(int i0, int N, size_t k0, size_t k1,
                                                     const float* const* A, const float* const* B,
                                                     float* C, size_t ci, size_t cj) {
  const float* const* a = A + i0;
  float* c = C + i0 * ci;
  int j = 0;
  for (; j + 4 <= N; j += 4) tile<RA, 4>(a, B + j, k0, k1, c + j * cj, ci, cj);
  switch (N - j) {
    case 3: tile<RA, 3>(a, B + j, k0, k1, c + j * cj, ci, cj); break;
    case 2: tile<RA, 2>(a, B + j, k0, k1, c + j * cj, ci, cj); break;
    case 1: tile<RA, 1>(a, B + j, k0, k1, c + j * cj, ci, cj); break;
    default: break;
  }
}

// k per pass: B's rows over one chunk stay within about 384 KB (L2 is 512 KB per core here),
// A's three rows within 12 KB (L1).
size_t chunk(int N) {
  const size_t kc = (static_cast<size_t>(98304) / static_cast<size_t>(std::max(N, 1))) / 8 * 8;
  return std::clamp<size_t>(kc, 256, 1024);
}

ISOTROPY_CLONES void rows_range(int i0, int i1, int N, size_t K, const float* const* A,
                                const float* const* B, float* C, size_t ci, size_t cj) {
  const size_t kc = chunk(N);
  for (size_t k0 = 0; k0 < K; k0 += kc) {
    const size_t k1 = std::min(K, k0 + kc);
    int i = i0;
    for (; i + 3 <= i1; i += 3) row_group<3>(i, N, k0, k1, A, B, C, ci, cj);
    if (i1 - i == 2) row_group<2>(i, N, k0, k1, A, B, C, ci, cj);
    if (i1 - i == 1) row_group<1>(i, N, k0, k1, A, B, C, ci, cj);
  }
}

thread_local std::vector<const float*> rows_a, rows_b;

}  // namespace

const float* const* block_rows(const float* M, int rows, size_t K, std::vector<const float*>& out) {
  out.resize(rows);
  for (int i = 0; i < rows; i++) out[i] = M + static_cast<size_t>(i) * K;
  return out.data();
}

void sum_products(int M, int N, size_t K, const float* A, const float* B, float* C) {
  if (M <= 0 || N <= 0) return;
  sum_products(M, N, K, block_rows(A, M, K, rows_a), block_rows(B, N, K, rows_b), C);
}

void sum_products(int M, int N, size_t K, const float* const* A, const float* const* B,
                  float* C) {
  if (M <= 0 || N <= 0) return;
  std::memset(C, 0, sizeof(float) * static_cast<size_t>(M) * N);
  if (K == 0) return;
  // Walk the operand with more rows; C^T's element (j, i) is C's (i, j).
  const bool swap = N > M;
  const int rowsA = swap ? N : M, rowsB = swap ? M : N;
  const float* const* a = swap ? B : A;
  const float* const* b = swap ? A : B;
  const size_t ci = swap ? 1 : static_cast<size_t>(N), cj = swap ? static_cast<size_t>(N) : 1;
  const size_t groups = (static_cast<size_t>(rowsA) + 2) / 3;
  const size_t perGroup = 3 * static_cast<size_t>(rowsB) * K;
  parallel_for(groups, std::max<size_t>(1, rows::kGrain / perGroup), [&](size_t g0, size_t g1) {
    const int i0 = static_cast<int>(3 * g0), i1 = std::min(rowsA, static_cast<int>(3 * g1));
    rows_range(i0, i1, rowsB, K, a, b, C, ci, cj);
  });
}

}  // namespace isotropy
