// Into and out of the row layout of rows.h: transposes for batch-major activations, row copies
// for feature-major ones.
#include "rows.h"

#include <algorithm>
#include <cstring>

#include "simd.h"

namespace isotropy {
namespace rows {
namespace {

// dst[j * ldd + i] = src[i * lds + j] for i < rows, j < cols: 8 x 8 tiles transposed in
// registers (unpack / shuffle / lane swap), scalar edges. Threads split the rows.
ISOTROPY_CLONES
void transpose_rows(const float* __restrict src, size_t rows, size_t cols, size_t lds,
                    float* __restrict dst, size_t ldd, size_t i0, size_t i1) {
  typedef int v8i __attribute__((vector_size(32)));
  size_t i = i0;
  for (; i + 8 <= i1; i += 8) {
    size_t j = 0;
    for (; j + 8 <= cols; j += 8) {
      v8 r[8];
      for (int k = 0; k < 8; k++) load(r[k], src + (i + k) * lds + j);
      v8 t[8], u[8];
      for (int k = 0; k < 8; k += 2) {
        t[k] = __builtin_shuffle(r[k], r[k + 1], v8i{0, 8, 1, 9, 4, 12, 5, 13});
        t[k + 1] = __builtin_shuffle(r[k], r[k + 1], v8i{2, 10, 3, 11, 6, 14, 7, 15});
      }
      for (int k = 0; k < 8; k += 4)
        for (int h = 0; h < 2; h++) {
          u[k + h] = __builtin_shuffle(t[k + h], t[k + h + 2], v8i{0, 1, 8, 9, 4, 5, 12, 13});
          u[k + h + 2] = __builtin_shuffle(t[k + h], t[k + h + 2], v8i{2, 3, 10, 11, 6, 7, 14, 15});
        }
      // u[0..3] hold rows 0-3 of the tile's columns {0,4}, {2,6}, {1,5}, {3,7}; u[4..7] rows 4-7.
      const int col[4] = {0, 2, 1, 3};
      for (int k = 0; k < 4; k++) {
        const v8 lo = __builtin_shuffle(u[k], u[k + 4], v8i{0, 1, 2, 3, 8, 9, 10, 11});
        const v8 hi = __builtin_shuffle(u[k], u[k + 4], v8i{4, 5, 6, 7, 12, 13, 14, 15});
        store(dst + (j + col[k]) * ldd + i, lo);
        store(dst + (j + col[k] + 4) * ldd + i, hi);
      }
    }
    for (; j < cols; j++)
      for (size_t k = i; k < i + 8; k++) dst[j * ldd + k] = src[k * lds + j];
  }
  for (; i < i1; i++)
    for (size_t j = 0; j < cols; j++) dst[j * ldd + i] = src[i * lds + j];
  (void)rows;
}

void transpose_tiles(const float* src, size_t rows, size_t cols, size_t lds, float* dst, size_t ldd) {
  const size_t tiles = (rows + 7) / 8;
  parallel_for(tiles, std::max<size_t>(1, (1 << 16) / std::max<size_t>(cols * 8, 1)),
               [&](size_t t0, size_t t1) {
                 transpose_rows(src, rows, cols, lds, dst, ldd, t0 * 8, std::min(rows, t1 * 8));
               });
}

// dst[C, ld] = src[bs, C]^T, padding columns zero.
}  // namespace

void transpose_in(const float* src, size_t bs, size_t C, size_t ld, float* dst) {
  transpose_tiles(src, bs, C, C, dst, ld);
  if (ld > bs)
    for (size_t col = 0; col < C; col++) std::fill(dst + col * ld + bs, dst + (col + 1) * ld, 0.0f);
}

// dst[bs, C] = the first bs columns of srcT[C, ld], transposed.
void transpose_out(const float* srcT, size_t bs, size_t C, size_t ld, float* dst) {
  transpose_tiles(srcT, C, bs, ld, dst, C);
}

void to_rows(bool featureMajor, const float* src, size_t bs, size_t C, size_t ld, float* dst) {
  if (!featureMajor) return transpose_in(src, bs, C, ld, dst);
  for (size_t col = 0; col < C; col++) {
    std::memcpy(dst + col * ld, src + col * bs, bs * sizeof(float));
    std::fill(dst + col * ld + bs, dst + (col + 1) * ld, 0.0f);
  }
}

void from_rows(bool featureMajor, const float* srcT, size_t bs, size_t C, size_t ld, float* dst) {
  if (!featureMajor) return transpose_out(srcT, bs, C, ld, dst);
  for (size_t col = 0; col < C; col++) std::memcpy(dst + col * bs, srcT + col * ld, bs * sizeof(float));
}

}  // namespace rows
}  // namespace isotropy
