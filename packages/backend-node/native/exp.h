// exp in straight-line arithmetic that the compiler vectorises (std::exp is one library call
// per value): v = n ln2 + r with |r| <= ln2/2 (ln2 split in two so that r is exact), exp(r) by a
// polynomial, then 2^n through the exponent bits.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace isotropy {

// float32: the degree-7 minimax polynomial of Cephes' expf. Relative error below 8e-8 over the
// clamped range, measured against double-precision exp on a 0.0007 grid.
inline float exp_f32(float v) {
  v = v < -87.0f ? -87.0f : v;
  v = v > 88.0f ? 88.0f : v;
  const float n = std::floor(v * 1.44269504088896341f + 0.5f);
  const float r = v - n * 0.693359375f + n * 2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  const int32_t bits = (static_cast<int32_t>(n) + 127) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

// double: Taylor to degree 12. Relative error below 5e-16 on [-700, 700]; a float32 sigmoid
// computed through it matched the one through std::exp on all of 2 million values tried.
inline double exp_f64(double v) {
  v = v < -708.0 ? -708.0 : v;
  v = v > 709.0 ? 709.0 : v;
  const double n = std::floor(v * 1.4426950408889634 + 0.5);
  const double r = v - n * 0.6931471803691238 - n * 1.9082149292705877e-10;
  double p = 1.0 / 479001600.0;
  p = p * r + 1.0 / 39916800.0;
  p = p * r + 1.0 / 3628800.0;
  p = p * r + 1.0 / 362880.0;
  p = p * r + 1.0 / 40320.0;
  p = p * r + 1.0 / 5040.0;
  p = p * r + 1.0 / 720.0;
  p = p * r + 1.0 / 120.0;
  p = p * r + 1.0 / 24.0;
  p = p * r + 1.0 / 6.0;
  p = p * r + 0.5;
  p = p * r + 1.0;
  p = p * r + 1.0;
  // 2^n: the low bits of (n + 1023) + 2^52 are n + 1023 (a shift, not a conversion, which AVX2
  // lacks for 64-bit integers).
  const double k = n + 1023.0 + 4503599627370496.0;
  uint64_t bits;
  std::memcpy(&bits, &k, sizeof bits);
  bits <<= 52;
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

}  // namespace isotropy
