// core's fused basis assembly (ASSEMBLE_KERNEL and its gradient): a dense W^T from per-pair
// coefficients, w[index[row*bs + e]] = sum_j c[row, j] basisT[j, e], and back,
// dc[row, j] = sum_e dw[index[row*bs + e]] basisT[j, e]. The work is rows x rank x block entries
// (a few hundred thousand multiply-adds for a 384-channel layer), so it stays on this thread; what
// it saves is the composite's products, concatenation and scatter with their temporaries.
#include <cstdint>
#include <cstring>
#include <vector>

#include "bindings.h"
#include "napi_util.h"

namespace isotropy {
namespace {

struct Pair {
  size_t rows, rank, bs;
  const float* basisT;  // rank * bs
  const int32_t* index;  // rows * bs
  float* c;              // rows * rank (read forward, written by the gradient)
};

// Reads [rows, rank, blockSize] meta, basisT[], index[], c[] and checks lengths and index
// ranges (index < size; distinctness is the plan's promise, checked once on the JS side).
bool read_pairs(napi_env env, napi_value meta_v, napi_value bases_v, napi_value index_v,
                napi_value c_v, size_t size, std::vector<Pair>* pairs, const char** err) {
  View meta;
  bool a1 = false, a2 = false, a3 = false;
  if (!get_view(env, meta_v, &meta) || !meta.i32() || napi_is_array(env, bases_v, &a1) != napi_ok ||
      napi_is_array(env, index_v, &a2) != napi_ok || napi_is_array(env, c_v, &a3) != napi_ok ||
      !a1 || !a2 || !a3 || meta.length % 3 != 0) {
    *err = "assemble: (meta Int32Array, basisT[], index[], c[], ...) expected";
    return false;
  }
  const size_t n = meta.length / 3;
  const int32_t* m = static_cast<const int32_t*>(meta.data);
  pairs->resize(n);
  for (size_t k = 0; k < n; k++) {
    napi_value b, i, c;
    View bv, iv, cv;
    if (napi_get_element(env, bases_v, k, &b) != napi_ok ||
        napi_get_element(env, index_v, k, &i) != napi_ok ||
        napi_get_element(env, c_v, k, &c) != napi_ok || !get_view(env, b, &bv) ||
        !get_view(env, i, &iv) || !get_view(env, c, &cv) || !bv.f32() || !iv.i32() || !cv.f32() ||
        m[3 * k] < 0 || m[3 * k + 1] < 0 || m[3 * k + 2] < 0) {
      *err = "assemble: every pair needs a Float32Array basis, an Int32Array index, Float32Array c";
      return false;
    }
    Pair& p = (*pairs)[k];
    p.rows = static_cast<size_t>(m[3 * k]);
    p.rank = static_cast<size_t>(m[3 * k + 1]);
    p.bs = static_cast<size_t>(m[3 * k + 2]);
    if (bv.length != p.rank * p.bs || iv.length != p.rows * p.bs || cv.length != p.rows * p.rank) {
      *err = "assemble: a pair's basis, index or coefficients do not match its sizes";
      return false;
    }
    p.basisT = static_cast<const float*>(bv.data);
    p.index = static_cast<const int32_t*>(iv.data);
    p.c = static_cast<float*>(cv.data);
    for (size_t e = 0; e < iv.length; e++) {
      if (p.index[e] < 0 || static_cast<size_t>(p.index[e]) >= size) {
        *err = "assemble: an index lies outside the output";
        return false;
      }
    }
  }
  return true;
}

}  // namespace

// assemble(meta, basisT[], index[], c[], w): w (zeroed here) gets every pair's blocks.
napi_value Assemble(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View w;
  if (argc < 5 || !get_view(env, argv[4], &w) || !w.f32())
    return throw_type(env, "assemble: (meta, basisT[], index[], c[], w Float32Array) expected");
  std::vector<Pair> pairs;
  const char* err = nullptr;
  if (!read_pairs(env, argv[0], argv[1], argv[2], argv[3], w.length, &pairs, &err))
    return throw_type(env, err);
  float* out = static_cast<float*>(w.data);
  std::memset(out, 0, w.length * sizeof(float));
  for (const Pair& p : pairs) {
    for (size_t row = 0; row < p.rows; row++) {
      const float* c = p.c + row * p.rank;
      const int32_t* idx = p.index + row * p.bs;
      if (p.rank == 1) {  // the common case: one basis vector, a scaled copy
        const float s = c[0];
        for (size_t e = 0; e < p.bs; e++) out[idx[e]] = s * p.basisT[e];
        continue;
      }
      for (size_t e = 0; e < p.bs; e++) {
        float v = 0;
        for (size_t j = 0; j < p.rank; j++) v += c[j] * p.basisT[j * p.bs + e];
        out[idx[e]] = v;
      }
    }
  }
  return nullptr;
}

// assembleGrad(meta, basisT[], index[], dc[], dw): dc[k] (overwritten) from dw.
napi_value AssembleGrad(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View dw;
  if (argc < 5 || !get_view(env, argv[4], &dw) || !dw.f32())
    return throw_type(env, "assembleGrad: (meta, basisT[], index[], dc[], dw Float32Array) expected");
  std::vector<Pair> pairs;
  const char* err = nullptr;
  if (!read_pairs(env, argv[0], argv[1], argv[2], argv[3], dw.length, &pairs, &err))
    return throw_type(env, err);
  const float* g = static_cast<const float*>(dw.data);
  for (const Pair& p : pairs) {
    for (size_t row = 0; row < p.rows; row++) {
      const int32_t* idx = p.index + row * p.bs;
      for (size_t j = 0; j < p.rank; j++) {
        const float* b = p.basisT + j * p.bs;
        float v = 0;
        for (size_t e = 0; e < p.bs; e++) v += g[idx[e]] * b[e];
        p.c[row * p.rank + j] = v;
      }
    }
  }
  return nullptr;
}

}  // namespace isotropy
