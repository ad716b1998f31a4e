// The bundled SGEMM: cache blocking (KC x NC panels of B packed contiguously, 4-row slivers of A
// packed k-major) and a 4 x 16 register-blocked micro-kernel written as plain loops that the
// compiler vectorises, multiversioned (simd.h) so that no instruction set is assumed.
#include "sgemm.h"
#include "simd.h"

#include <algorithm>
#include <cstring>
#include <vector>

namespace isotropy {
namespace {

constexpr int MR = 4;
constexpr int NR = 16;
constexpr int KC = 256;
constexpr int NC = 512;

// Ap: kc x MR (k-major), Bp: kc x ncp (row-major, ncp a multiple of NR).
// C block of MR x nc at C with row stride ldc; rows/cols beyond mr/nc are padding.
ISOTROPY_CLONES
void block_kernel(int kc, int nc, int mr, const float* __restrict Ap, const float* __restrict Bp,
                  int ncp, float* __restrict C, int ldc) {
  for (int j0 = 0; j0 < nc; j0 += NR) {
    float acc[MR][NR];
    for (int r = 0; r < MR; r++)
      for (int j = 0; j < NR; j++) acc[r][j] = 0.0f;
    const float* b = Bp + j0;
    const float* a = Ap;
    for (int k = 0; k < kc; k++) {
      const float a0 = a[0], a1 = a[1], a2 = a[2], a3 = a[3];
#pragma GCC unroll 16
      for (int j = 0; j < NR; j++) {
        const float bj = b[j];
        acc[0][j] += a0 * bj;
        acc[1][j] += a1 * bj;
        acc[2][j] += a2 * bj;
        acc[3][j] += a3 * bj;
      }
      a += MR;
      b += ncp;
    }
    const int nj = std::min(NR, nc - j0);
    for (int r = 0; r < mr; r++) {
      float* c = C + static_cast<size_t>(r) * ldc + j0;
      if (nj == NR) {
        for (int j = 0; j < NR; j++) c[j] += acc[r][j];
      } else {
        for (int j = 0; j < nj; j++) c[j] += acc[r][j];
      }
    }
  }
}

}  // namespace

void sgemm_bundled_rows(bool transA, bool transB, int M, int N, int K, const float* A,
                        const float* B, float* C, int m0, int m1, bool accumulate) {
  (void)M;
  if (m1 <= m0 || N <= 0) return;
  if (!accumulate)
    for (int i = m0; i < m1; i++) std::memset(C + static_cast<size_t>(i) * N, 0, sizeof(float) * N);
  if (K <= 0) return;
  const int rows = m1 - m0;
  const int slivers = (rows + MR - 1) / MR;
  std::vector<float> Ap(static_cast<size_t>(slivers) * KC * MR);
  std::vector<float> Bp(static_cast<size_t>(KC) * NC);
  const size_t lda = transA ? static_cast<size_t>(M) : static_cast<size_t>(K);
  const size_t ldb = transB ? static_cast<size_t>(K) : static_cast<size_t>(N);
  for (int k0 = 0; k0 < K; k0 += KC) {
    const int kc = std::min(KC, K - k0);
    // Pack A: sliver s holds rows m0 + s*MR .. +MR, as kc groups of MR values.
    for (int s = 0; s < slivers; s++) {
      float* dst = Ap.data() + static_cast<size_t>(s) * KC * MR;
      for (int r = 0; r < MR; r++) {
        const int i = m0 + s * MR + r;
        if (i >= m1) {
          for (int k = 0; k < kc; k++) dst[k * MR + r] = 0.0f;
        } else if (!transA) {
          const float* src = A + static_cast<size_t>(i) * lda + k0;
          for (int k = 0; k < kc; k++) dst[k * MR + r] = src[k];
        } else {
          const float* src = A + static_cast<size_t>(k0) * lda + i;
          for (int k = 0; k < kc; k++) dst[k * MR + r] = src[static_cast<size_t>(k) * lda];
        }
      }
    }
    for (int j0 = 0; j0 < N; j0 += NC) {
      const int nc = std::min(NC, N - j0);
      const int ncp = (nc + NR - 1) / NR * NR;
      // Pack B: kc rows of ncp values (zero padded).
      for (int k = 0; k < kc; k++) {
        float* dst = Bp.data() + static_cast<size_t>(k) * ncp;
        if (!transB) {
          std::memcpy(dst, B + static_cast<size_t>(k0 + k) * ldb + j0, sizeof(float) * nc);
        } else {
          const float* src = B + static_cast<size_t>(j0) * ldb + k0 + k;
          for (int j = 0; j < nc; j++) dst[j] = src[static_cast<size_t>(j) * ldb];
        }
        for (int j = nc; j < ncp; j++) dst[j] = 0.0f;
      }
      for (int s = 0; s < slivers; s++) {
        const int i = m0 + s * MR;
        const int mr = std::min(MR, m1 - i);
        block_kernel(kc, nc, mr, Ap.data() + static_cast<size_t>(s) * KC * MR, Bp.data(), ncp,
                     C + static_cast<size_t>(i) * N + j0, N);
      }
    }
  }
}

void sgemm_bundled(bool transA, bool transB, int M, int N, int K, const float* A, const float* B,
                   float* C) {
  sgemm_bundled_rows(transA, transB, M, N, K, A, B, C, 0, M);
}

const char* sgemm_bundled_isa() {
#if ISOTROPY_HAS_CLONES
  __builtin_cpu_init();
  // The predicate of the x86-64-v3 clone's resolver (AVX2, FMA, BMI1/2, ...).
  return __builtin_cpu_supports("x86-64-v3") ? "avx2+fma" : "baseline";
#else
  return "baseline";
#endif
}

}  // namespace isotropy
