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
#include "exp.h"
#include "napi_util.h"
#include "parallel.h"
#include "simd.h"

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
  // Maximal ranges of outputs [start, start + len) that share one gate column c, or that gate
  // themselves (gate[i] = i, Swish on scalars; c = -1): the loops over a run vectorise.
  struct Run {
    int32_t start, len, c;
  };
  std::vector<Run> runs;
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
  for (size_t i = 0; i < a->nOut; i++) {
    const int32_t at = static_cast<int32_t>(i);
    const int32_t c = a->gate[i] == at ? -1 : a->gate[i];
    if (!a->runs.empty() && a->runs.back().c == c &&
        a->runs.back().start + a->runs.back().len == at) {
      a->runs.back().len++;
    } else {
      a->runs.push_back({at, 1, c});
    }
  }
  return true;
}

// sg[k] = sigmoid(v[k]) for k < n, vectorised.
ISOTROPY_CLONES void sigmoids(const float* __restrict v, float* __restrict sg, size_t n) {
  for (size_t k = 0; k < n; k++) sg[k] = 1.0f / (1.0f + exp_f32(-v[k]));
}

// One run's outputs and gradients; restrict pointers so that the loops vectorise.
ISOTROPY_CLONES void run_self(const float* __restrict x, const float* __restrict sg,
                              float* __restrict y, int n) {
  for (int j = 0; j < n; j++) y[j] = x[j] * sg[j];
}
ISOTROPY_CLONES void run_shared(const float* __restrict x, float s, float* __restrict y, int n) {
  for (int j = 0; j < n; j++) y[j] = x[j] * s;
}
// d/dx of x * sigmoid(x): dy s (1 + x (1 - s)).
ISOTROPY_CLONES void grad_self(const float* __restrict dy, const float* __restrict x,
                               const float* __restrict sg, float* __restrict dx, int n) {
  for (int j = 0; j < n; j++) dx[j] += dy[j] * sg[j] * (1.0f + x[j] * (1.0f - sg[j]));
}
// dx[j] += dy[j] s over the run; returns sum_j dy[j] x[j], the gate column's factor.
ISOTROPY_CLONES float grad_shared(const float* __restrict dy, const float* __restrict x, float s,
                                  float* __restrict dx, int n) {
  float acc = 0.0f;
  for (int j = 0; j < n; j++) {
    dx[j] += dy[j] * s;
    acc += dy[j] * x[j];
  }
  return acc;
}

template <bool grad>
void run(const Args& a) {
  const size_t grain = std::max<size_t>(1, kGrain / a.nOut);
  parallel_for(a.bs, grain, [&](size_t r0, size_t r1) {
    std::vector<float> sg(a.nIn), gv(a.gates.size()), gs(a.gates.size());
    for (size_t r = r0; r < r1; r++) {
      const float* x = a.x + r * a.nIn;
      // The gate columns gathered, their sigmoids in one vectorised pass, scattered back.
      for (size_t k = 0; k < a.gates.size(); k++) gv[k] = x[a.gates[k]];
      sigmoids(gv.data(), gs.data(), gv.size());
      for (size_t k = 0; k < a.gates.size(); k++) sg[a.gates[k]] = gs[k];
      if (!grad) {
        float* y = a.out + r * a.nOut;
        for (const Args::Run& u : a.runs) {
          if (u.c < 0)
            run_self(x + u.start, sg.data() + u.start, y + u.start, u.len);
          else
            run_shared(x + u.start, sg[u.c], y + u.start, u.len);
        }
        continue;
      }
      const float* dy = a.dy + r * a.nOut;
      float* dx = a.out + r * a.nIn;
      std::memset(dx, 0, a.nIn * sizeof(float));
      // dx[i] += dy[i] s(gate i), and the gate column gets dy[i] x[i] s (1 - s).
      for (const Args::Run& u : a.runs) {
        if (u.c < 0) {
          grad_self(dy + u.start, x + u.start, sg.data() + u.start, dx + u.start, u.len);
        } else {
          const float s = sg[u.c];
          const float dot = grad_shared(dy + u.start, x + u.start, s, dx + u.start, u.len);
          dx[u.c] += dot * s * (1.0f - s);
        }
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
