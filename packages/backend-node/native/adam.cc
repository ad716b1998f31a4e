// One Adam step for one weight in one pass (core's ADAM_UPDATE_KERNEL): the composite of tfjs ops
// runs twelve kernels per weight, each reading and writing a whole array.
#include <cmath>

#include "bindings.h"
#include "napi_util.h"
#include "parallel.h"
#include "simd.h"

namespace isotropy {
namespace {

struct Coefficients {
  float b1, ob1, b2, ob2, eps, lr, c1, c2;
};

// Each operation in float32 in the composite's order. GCC contracts a*b + c into a fused
// multiply-add in C++ by default (the AVX2 clone has FMA), which rounds once instead of twice.
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
ISOTROPY_CLONES void adam_range(const float* __restrict w, const float* __restrict g,
                                const float* __restrict m, const float* __restrict v,
                                float* __restrict wo, float* __restrict mo, float* __restrict vo,
                                Coefficients k, size_t n) {
  for (size_t i = 0; i < n; i++) {
    const float gi = g[i];
    const float mp = m[i] * k.b1;
    const float mg = gi * k.ob1;
    const float mn = mp + mg;
    const float vp = v[i] * k.b2;
    const float g2 = gi * gi;
    const float vg = g2 * k.ob2;
    const float vn = vp + vg;
    const float den = std::sqrt(vn / k.c2) + k.eps;
    const float step = (mn / k.c1) / den;
    const float dw = step * k.lr;
    wo[i] = w[i] - dw;
    mo[i] = mn;
    vo[i] = vn;
  }
}
#pragma GCC pop_options

// Elements below which the update stays on the calling thread.
constexpr size_t kParallelGrain = 1 << 16;

bool get_number(napi_env env, napi_value v, double* out) {
  return napi_get_value_double(env, v, out) == napi_ok && std::isfinite(*out);
}

}  // namespace

// adamUpdate(w, g, m, v, wOut, mOut, vOut, [beta1, beta2, epsilon, learningRate, c1, c2]):
// seven Float32Arrays of one length, the outputs distinct from the inputs.
napi_value AdamUpdate(napi_env env, napi_callback_info info) {
  size_t argc = 8;
  napi_value argv[8];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View a[7];
  bool ok = argc == 8;
  for (int i = 0; ok && i < 7; i++)
    ok = get_view(env, argv[i], &a[i]) && a[i].f32() && a[i].length == a[0].length;
  if (!ok) return throw_type(env, "adamUpdate: seven Float32Arrays of one length expected");
  double c[6];
  bool is_arr = false;
  uint32_t len = 0;
  ok = napi_is_array(env, argv[7], &is_arr) == napi_ok && is_arr &&
       napi_get_array_length(env, argv[7], &len) == napi_ok && len == 6;
  for (uint32_t i = 0; ok && i < 6; i++) {
    napi_value e;
    ok = napi_get_element(env, argv[7], i, &e) == napi_ok && get_number(env, e, &c[i]);
  }
  if (!ok) return throw_type(env, "adamUpdate: six finite coefficients expected");
  // Constants rounded to float32 as tfjs rounds a JS number into a scalar tensor; 1 - beta in
  // float64 first, as the composite computes it in JS.
  const Coefficients k{static_cast<float>(c[0]), static_cast<float>(1.0 - c[0]),
                       static_cast<float>(c[1]), static_cast<float>(1.0 - c[1]),
                       static_cast<float>(c[2]), static_cast<float>(c[3]),
                       static_cast<float>(c[4]), static_cast<float>(c[5])};
  float* p[7];  // w, g, m, v, then the outputs w', m', v'
  for (int i = 0; i < 7; i++) p[i] = static_cast<float*>(a[i].data);
  parallel_for(a[0].length, kParallelGrain, [&](size_t i0, size_t i1) {
    adam_range(p[0] + i0, p[1] + i0, p[2] + i0, p[3] + i0, p[4] + i0, p[5] + i0, p[6] + i0, k,
               i1 - i0);
  });
  return nullptr;
}

}  // namespace isotropy
