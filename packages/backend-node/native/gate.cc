// core's fused gated nonlinearity (GATE_KERNEL and its gradient) on [batch, features] rows:
// y[s, i] = x[s, i] * sigmoid(x[s, gate[i]]). Each row computes the sigmoids of the columns that
// gate anything once, then one pass over the outputs; the gradient recomputes them rather than
// keeping state. Rows are independent, so blocks of rows run on the thread pool.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#include "bindings.h"
#include "napi_util.h"
#include "parallel.h"

namespace isotropy {
namespace {

constexpr size_t kGrain = 1 << 14;  // outputs below which a call stays on this thread

struct Args {
  const float* x = nullptr;
  const float* dy = nullptr;
  float* out = nullptr;  // y [bs, nOut] or dx [bs, nIn]
  const int32_t* gate = nullptr;
  size_t bs = 0, nIn = 0, nOut = 0;
  std::vector<int32_t> gates;  // distinct gate columns, ascending
};

// Reads (x, bs, gate, out) or (dy, x, bs, gate, out) and checks every length and index.
bool read_args(napi_env env, napi_callback_info info, bool grad, Args* a, const char** err) {
  size_t argc = 5;
  napi_value argv[5];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  const size_t want = grad ? 5 : 4;
  const size_t k = grad ? 1 : 0;
  View dy, x, g, o;
  uint32_t bs = 0;
  if (argc < want || (grad && !get_view(env, argv[0], &dy)) || !get_view(env, argv[k], &x) ||
      napi_get_value_uint32(env, argv[k + 1], &bs) != napi_ok || !get_view(env, argv[k + 2], &g) ||
      !get_view(env, argv[k + 3], &o) || !x.f32() || !o.f32() || !g.i32() || (grad && !dy.f32())) {
    *err = grad ? "gateGrad: (dy, x, batch, gate, dx) expected: Float32Arrays, an integer, an "
                  "Int32Array"
                : "gate: (x, batch, gate, y) expected: Float32Arrays, an integer, an Int32Array";
    return false;
  }
  a->bs = bs;
  a->nOut = g.length;
  a->nIn = bs == 0 ? 0 : x.length / bs;
  if (bs == 0 || x.length != a->bs * a->nIn || a->nOut == 0) {
    *err = "gate: x must hold batch rows, and gate at least one column";
    return false;
  }
  const size_t out_len = grad ? a->bs * a->nIn : a->bs * a->nOut;
  if (o.length != out_len || (grad && dy.length != a->bs * a->nOut)) {
    *err = "gate: array lengths do not match the batch, x's columns and the gate's length";
    return false;
  }
  a->x = static_cast<const float*>(x.data);
  a->dy = grad ? static_cast<const float*>(dy.data) : nullptr;
  a->out = static_cast<float*>(o.data);
  a->gate = static_cast<const int32_t*>(g.data);
  std::vector<char> used(a->nIn, 0);
  for (size_t i = 0; i < a->nOut; i++) {
    const int32_t c = a->gate[i];
    if (c < 0 || static_cast<size_t>(c) >= a->nIn || i >= a->nIn) {
      *err = "gate: a gate column (or an output column) lies outside x";
      return false;
    }
    used[c] = 1;
  }
  for (size_t c = 0; c < a->nIn; c++)
    if (used[c]) a->gates.push_back(static_cast<int32_t>(c));
  return true;
}

inline float sigmoid(float v) { return 1.0f / (1.0f + std::exp(-v)); }

template <bool grad>
void run(const Args& a) {
  const size_t grain = std::max<size_t>(1, kGrain / a.nOut);
  parallel_for(a.bs, grain, [&](size_t r0, size_t r1) {
    std::vector<float> sg(a.nIn);
    for (size_t r = r0; r < r1; r++) {
      const float* x = a.x + r * a.nIn;
      for (const int32_t c : a.gates) sg[c] = sigmoid(x[c]);
      if (!grad) {
        float* y = a.out + r * a.nOut;
        for (size_t i = 0; i < a.nOut; i++) y[i] = x[i] * sg[a.gate[i]];
        continue;
      }
      const float* dy = a.dy + r * a.nOut;
      float* dx = a.out + r * a.nIn;
      std::memset(dx, 0, a.nIn * sizeof(float));
      for (size_t i = 0; i < a.nOut; i++) {
        const int32_t c = a.gate[i];
        const float s = sg[c];
        dx[i] += dy[i] * s;
        dx[c] += dy[i] * x[i] * s * (1.0f - s);
      }
    }
  });
}

template <bool grad>
napi_value entry(napi_env env, napi_callback_info info) {
  Args a;
  const char* err = nullptr;
  if (!read_args(env, info, grad, &a, &err)) return throw_type(env, err ? err : "gate: bad call");
  run<grad>(a);
  return nullptr;
}

}  // namespace

napi_value Gate(napi_env env, napi_callback_info info) { return entry<false>(env, info); }
napi_value GateGrad(napi_env env, napi_callback_info info) { return entry<true>(env, info); }

}  // namespace isotropy
