// Work on transposed activations, shared by the fused layers (bilinear.cc, linear.cc): x^T holds
// one row of ld >= batch floats per feature (padding zero), so a per-sample loop is a loop over
// rows with the batch innermost, in full-width vectors whatever the layer's block sizes, and an
// index map is a row pointer, never a gather of elements. Loops run over blocks of kBlock
// samples on the thread pool, each block owning its columns of every row.
#pragma once
#include <node_api.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <type_traits>
#include <vector>

#include "napi_util.h"
#include "parallel.h"

namespace isotropy {
namespace rows {

typedef float v8 __attribute__((vector_size(32)));

constexpr size_t kBlock = 32;       // samples per block (4 vectors)
constexpr size_t kGrain = 1 << 16;  // multiply-adds below which a loop stays on this thread

// ld for a batch: whole vectors.
inline size_t leading(size_t bs) { return (bs + 7) / 8 * 8; }

// 64-byte aligned scratch that only grows (hold one per JS thread: the addon may be loaded by
// worker threads too).
struct Buf {
  float* p = nullptr;
  size_t cap = 0;
  float* get(size_t n) {
    if (n > cap) {
      std::free(p);
      p = static_cast<float*>(std::aligned_alloc(64, (n * sizeof(float) + 63) / 64 * 64));
      cap = p ? n : 0;
      if (!p) throw std::bad_alloc();
    }
    return p;
  }
  Buf() = default;
  Buf(const Buf&) = delete;
  Buf& operator=(const Buf&) = delete;
  ~Buf() { std::free(p); }
};

// Unaligned vector access (a v8 is never passed by value: that would change the baseline
// clone's ABI).
inline void load(v8& v, const float* p) { std::memcpy(&v, p, sizeof(v)); }
inline void store(float* p, const v8& v) { std::memcpy(p, &v, sizeof(v)); }

// NV vectors of one block's samples: acc += a * b (or w * a) elementwise, then stored or added
// to a row.
template <int NV>
struct Acc {
  v8 v[NV];
  inline void zero() {
#pragma GCC unroll 4
    for (int i = 0; i < NV; i++) v[i] = v8{};
  }
  inline void fma(const float* a, const float* b) {
#pragma GCC unroll 4
    for (int i = 0; i < NV; i++) {
      v8 x, y;
      load(x, a + 8 * i);
      load(y, b + 8 * i);
      v[i] += x * y;
    }
  }
  inline void axpy(float w, const float* a) {
#pragma GCC unroll 4
    for (int i = 0; i < NV; i++) {
      v8 x;
      load(x, a + 8 * i);
      v[i] += w * x;
    }
  }
  inline void put(float* d) const {
#pragma GCC unroll 4
    for (int i = 0; i < NV; i++) store(d + 8 * i, v[i]);
  }
  inline void add_to(float* d) const {
#pragma GCC unroll 4
    for (int i = 0; i < NV; i++) {
      v8 x;
      load(x, d + 8 * i);
      x += v[i];
      store(d + 8 * i, x);
    }
  }
};

template <int NV>
inline void add_row(float* d, const float* s) {
#pragma GCC unroll 4
  for (int i = 0; i < NV; i++) {
    v8 x, y;
    load(x, d + 8 * i);
    load(y, s + 8 * i);
    x += y;
    store(d + 8 * i, x);
  }
}

template <int NV>
using Width = std::integral_constant<int, NV>;

// Runs f(Width<NV>, s) over the blocks of [0, ld) (NV vectors each) on the pool; `work` is
// multiply-adds per sample.
template <class F>
void for_blocks(size_t ld, size_t work, const F& f) {
  const size_t nb = (ld + kBlock - 1) / kBlock;
  const size_t grain = std::max<size_t>(1, kGrain / std::max<size_t>(work * kBlock, 1));
  parallel_for(nb, grain, [&](size_t b0, size_t b1) {
    for (size_t i = b0; i < b1; i++) {
      const size_t s = i * kBlock;
      switch ((std::min(ld, s + kBlock) - s) / 8) {
        case 1: f(Width<1>{}, s); break;
        case 2: f(Width<2>{}, s); break;
        case 3: f(Width<3>{}, s); break;
        default: f(Width<4>{}, s); break;
      }
    }
  });
}

// for_blocks with the block's width as the constant NV in `body` (the block starts at column s).
#define ISO_BLOCKS(ld, work, body)                                \
  ::isotropy::rows::for_blocks(ld, work, [&](auto width, size_t s) { \
    constexpr int NV = decltype(width)::value;                    \
    body;                                                         \
  })

// dst[C, ld] = src[bs, C]^T, padding columns zero.
void transpose_in(const float* src, size_t bs, size_t C, size_t ld, float* dst);

// dst[bs, C] = the first bs columns of srcT[C, ld], transposed.
void transpose_out(const float* srcT, size_t bs, size_t C, size_t ld, float* dst);

// The kernels' activations come batch-major ([bs, C], transposed into rows) or feature-major
// ([C, bs], already rows: copied into rows of ld, or out of them, with no transpose).
void to_rows(bool featureMajor, const float* src, size_t bs, size_t C, size_t ld, float* dst);
void from_rows(bool featureMajor, const float* srcT, size_t bs, size_t C, size_t ld, float* dst);

// Row pointers for a sum over samples (gram.h) whose operand row i is the `width` activation
// rows m[i * istride + b * bstride] (b < width) of t, each ld long, one after another: those
// rows in place when they are consecutive (first >= 0: row i starts at first + i * width) or
// single (width 1), else a gathered copy in buf.
inline const float* const* operand_rows(const int32_t* m, int rows, int width, int istride,
                                        int bstride, int first, const float* t, size_t ld, Buf& buf,
                                        std::vector<const float*>& out) {
  out.resize(rows);
  const size_t w = static_cast<size_t>(width);
  if (first >= 0 || width == 1) {
    for (int i = 0; i < rows; i++) {
      const size_t at = first >= 0 ? static_cast<size_t>(first) + i * w
                                   : static_cast<size_t>(m[static_cast<size_t>(i) * istride]);
      out[i] = t + at * ld;
    }
    return out.data();
  }
  float* g = buf.get(static_cast<size_t>(rows) * w * ld);
  for (int i = 0; i < rows; i++) {
    for (int b = 0; b < width; b++) {
      const size_t at = static_cast<size_t>(m[static_cast<size_t>(i) * istride + b * bstride]);
      std::memcpy(g + (i * w + b) * ld, t + at * ld, ld * sizeof(float));
    }
    out[i] = g + i * w * ld;
  }
  return out.data();
}

// The rows of activation src for one call: src itself when it is feature-major with ld == bs
// (no copy at all), else buf, filled by to_rows.
inline const float* rows_of(bool featureMajor, const float* src, size_t bs, size_t C, size_t ld,
                            Buf& buf) {
  if (featureMajor && ld == bs) return src;
  float* d = buf.get(C * ld);
  to_rows(featureMajor, src, bs, C, ld, d);
  return d;
}

// Where a call's output rows go: dst itself when feature-major with ld == bs, else buf; then
// finish_rows moves them to dst (nothing left to do in the first case). The outputs the JS side
// passes are new Float32Arrays, zero already, so a kernel that gets dst back skips zeroing it.
inline float* out_rows(bool featureMajor, float* dst, size_t C, size_t bs, size_t ld, Buf& buf) {
  return featureMajor && ld == bs ? dst : buf.get(C * ld);
}
inline void finish_rows(bool featureMajor, const float* srcT, size_t bs, size_t C, size_t ld,
                        float* dst) {
  if (srcT != dst) from_rows(featureMajor, srcT, bs, C, ld, dst);
}

// Optional trailing boolean argument i (false when absent); false on a non-boolean.
inline bool get_optional_bool(napi_env env, size_t argc, napi_value* argv, size_t i, bool* out) {
  *out = false;
  return i >= argc || napi_get_value_bool(env, argv[i], out) == napi_ok;
}

// A Float32Array argument of exactly `length` elements.
inline bool get_f32(napi_env env, napi_value v, size_t length, float** out) {
  View view;
  if (!get_view(env, v, &view) || !view.f32() || view.length != length) return false;
  *out = static_cast<float*>(view.data);
  return true;
}

// A JS array of `count` Float32Arrays, array k of exactly length(k) elements (per-pair weights).
template <class Length>
bool get_f32_list(napi_env env, napi_value arr, size_t count, const Length& length,
                  std::vector<float*>* out) {
  bool is_arr = false;
  uint32_t n = 0;
  if (napi_is_array(env, arr, &is_arr) != napi_ok || !is_arr ||
      napi_get_array_length(env, arr, &n) != napi_ok || n != count)
    return false;
  out->resize(n);
  for (uint32_t k = 0; k < n; k++) {
    napi_value e;
    if (napi_get_element(env, arr, k, &e) != napi_ok || !get_f32(env, e, length(k), &(*out)[k]))
      return false;
  }
  return true;
}

// A checked plan held by a JS External, type-tagged so that no other External is read as one.
template <class Plan>
napi_value wrap_plan(napi_env env, std::unique_ptr<Plan> plan, const napi_type_tag& tag) {
  napi_value ext;
  ISO_CHECK(napi_create_external(
      env, plan.get(), [](napi_env, void* data, void*) { delete static_cast<Plan*>(data); },
      nullptr, &ext));
  plan.release();
  ISO_CHECK(napi_type_tag_object(env, ext, &tag));
  return ext;
}

template <class Plan>
bool unwrap_plan(napi_env env, napi_value v, const napi_type_tag& tag, Plan** plan) {
  napi_valuetype t;
  bool tagged = false;
  if (napi_typeof(env, v, &t) != napi_ok || t != napi_external ||
      napi_check_object_type_tag(env, v, &tag, &tagged) != napi_ok || !tagged)
    return false;
  void* data = nullptr;
  if (napi_get_value_external(env, v, &data) != napi_ok || data == nullptr) return false;
  *plan = static_cast<Plan*>(data);
  return true;
}

}  // namespace rows
}  // namespace isotropy
