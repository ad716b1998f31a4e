// core's fused gated nonlinearity (GATE_KERNEL and its gradient) on [batch, features] rows:
// y[s, i] = x[s, i] * sigmoid(x[s, gate[i]]). Each row computes the sigmoids of the columns that
// gate anything once, then one pass over the outputs; the gradient recomputes them rather than
// keeping state. Rows are independent, so blocks of rows run on the thread pool. Feature-major
// activations ([features, batch]) run the same arithmetic in the same order, a batch slice of
// every feature row at a time.
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
  bool featureMajor = false;   // x [nIn, bs], y [nOut, bs], dx [nIn, bs]
  std::vector<int32_t> gates;  // distinct gate columns, ascending
  std::vector<int32_t> slot;   // column c's index in gates (-1: gates nothing)
  // Maximal ranges of outputs [start, start + len) that share one gate column c, or that gate
  // themselves (gate[i] = i, Swish on scalars; c = -1): the loops over a run vectorise.
  struct Run {
    int32_t start, len, c;
  };
  std::vector<Run> runs;
  // The gradient writes each column's first share instead of adding it to zeros, when no gate
  // column is also an output (every gated rep, Swish): then each output column gets its own
  // share once, from its run; runs[k]'s gate share is the first for its column when
  // gateFirst[k]; zeroCols get no share at all. Otherwise dx is zeroed and every share added.
  bool regular = false;
  std::vector<char> gateFirst;
  std::vector<int32_t> zeroCols;
};

// Reads (x, bs, gate, out, featureMajor?) or (dy, x, bs, gate, out, featureMajor?) and checks
// every length and index.
bool read_args(napi_env env, napi_callback_info info, bool grad, Args* a, const char** err) {
  size_t argc = 6;
  napi_value argv[6];
  if (napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr) != napi_ok) return false;
  const size_t want = grad ? 5 : 4;
  const size_t k = grad ? 1 : 0;
  View dy, x, g, o;
  uint32_t bs = 0;
  bool fm = false;
  if (argc < want || (grad && !get_view(env, argv[0], &dy)) || !get_view(env, argv[k], &x) ||
      napi_get_value_uint32(env, argv[k + 1], &bs) != napi_ok || !get_view(env, argv[k + 2], &g) ||
      !get_view(env, argv[k + 3], &o) || !x.f32() || !o.f32() || !g.i32() || (grad && !dy.f32()) ||
      (argc > want && napi_get_value_bool(env, argv[want], &fm) != napi_ok)) {
    *err = grad ? "gateGrad: (dy, x, batch, gate, dx, featureMajor?) expected: Float32Arrays, an "
                  "integer, an Int32Array, a boolean"
                : "gate: (x, batch, gate, y, featureMajor?) expected: Float32Arrays, an integer, an "
                  "Int32Array, a boolean";
    return false;
  }
  a->featureMajor = fm;
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
  a->slot.assign(a->nIn, -1);
  for (size_t c = 0; c < a->nIn; c++) {
    if (!used[c]) continue;
    a->slot[c] = static_cast<int32_t>(a->gates.size());
    a->gates.push_back(static_cast<int32_t>(c));
  }
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
  a->regular = true;
  for (const Args::Run& u : a->runs)
    if (u.c >= 0 && static_cast<size_t>(u.c) < a->nOut) a->regular = false;
  if (grad && a->regular) {
    std::vector<char> shared(a->nIn, 0);
    for (const Args::Run& u : a->runs) {
      a->gateFirst.push_back(u.c >= 0 && !shared[u.c]);
      if (u.c >= 0) shared[u.c] = 1;
    }
    for (size_t c = a->nOut; c < a->nIn; c++)
      if (!shared[c]) a->zeroCols.push_back(static_cast<int32_t>(c));
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
// grad_self into a column with no share yet (dx = rather than dx +=).
ISOTROPY_CLONES void grad_self_put(const float* __restrict dy, const float* __restrict x,
                                   const float* __restrict sg, float* __restrict dx, int n) {
  for (int j = 0; j < n; j++) dx[j] = dy[j] * sg[j] * (1.0f + x[j] * (1.0f - sg[j]));
}
// dx[j] += dy[j] s over the run (= with kAdd false); returns sum_j dy[j] x[j], the gate
// column's factor.
template <bool kAdd>
ISOTROPY_CLONES float grad_shared(const float* __restrict dy, const float* __restrict x, float s,
                                  float* __restrict dx, int n) {
  float acc = 0.0f;
  for (int j = 0; j < n; j++) {
    dx[j] = kAdd ? dx[j] + dy[j] * s : dy[j] * s;
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
      // dx[i] += dy[i] s(gate i), and the gate column gets dy[i] x[i] s (1 - s).
      if (a.regular) {
        for (int32_t c : a.zeroCols) dx[c] = 0.0f;
        for (size_t k = 0; k < a.runs.size(); k++) {
          const Args::Run& u = a.runs[k];
          if (u.c < 0) {
            grad_self_put(dy + u.start, x + u.start, sg.data() + u.start, dx + u.start, u.len);
            continue;
          }
          const float s = sg[u.c];
          const float g =
              grad_shared<false>(dy + u.start, x + u.start, s, dx + u.start, u.len) * s * (1.0f - s);
          dx[u.c] = a.gateFirst[k] ? g : dx[u.c] + g;
        }
        continue;
      }
      std::memset(dx, 0, a.nIn * sizeof(float));
      for (const Args::Run& u : a.runs) {
        if (u.c < 0) {
          grad_self(dy + u.start, x + u.start, sg.data() + u.start, dx + u.start, u.len);
        } else {
          const float s = sg[u.c];
          const float dot = grad_shared<true>(dy + u.start, x + u.start, s, dx + u.start, u.len);
          dx[u.c] += dot * s * (1.0f - s);
        }
      }
    }
  });
}

// acc[j] = dy[j] x[j] to start a run's sum, += after (grad_shared's sum, in its order; where
// the compiler fuses the multiply-adds differently the two layouts differ in the last bit).
ISOTROPY_CLONES void dot_rows(const float* __restrict dy, const float* __restrict x,
                              float* __restrict acc, int n, bool first) {
  if (first) {
    for (int j = 0; j < n; j++) acc[j] = dy[j] * x[j];
  } else {
    for (int j = 0; j < n; j++) acc[j] += dy[j] * x[j];
  }
}
// dx[j] += dy[j] s[j] (a gated row's share), as grad_shared's.
ISOTROPY_CLONES void scale_add(const float* __restrict dy, const float* __restrict s,
                               float* __restrict dx, int n) {
  for (int j = 0; j < n; j++) dx[j] += dy[j] * s[j];
}
ISOTROPY_CLONES void scale_put(const float* __restrict dy, const float* __restrict s,
                               float* __restrict dx, int n) {
  for (int j = 0; j < n; j++) dx[j] = dy[j] * s[j];
}
// The gate row's share of a run: dx[j] += acc[j] s[j] (1 - s[j]).
ISOTROPY_CLONES void gate_add(const float* __restrict acc, const float* __restrict s,
                              float* __restrict dx, int n) {
  for (int j = 0; j < n; j++) dx[j] += acc[j] * s[j] * (1.0f - s[j]);
}
ISOTROPY_CLONES void gate_put(const float* __restrict acc, const float* __restrict s,
                              float* __restrict dx, int n) {
  for (int j = 0; j < n; j++) dx[j] = acc[j] * s[j] * (1.0f - s[j]);
}

// run() on feature-major rows: per slice of the batch, the gate rows' sigmoids, then each run.
template <bool grad>
void run_feature_major(const Args& a) {
  constexpr size_t kSlice = 256;
  const size_t bs = a.bs;
  const size_t slices = (bs + kSlice - 1) / kSlice;
  const size_t grain = std::max<size_t>(1, kGrain / (a.nOut * kSlice));
  parallel_for(slices, grain, [&](size_t q0, size_t q1) {
    std::vector<float> sg(a.gates.size() * kSlice), acc(kSlice);
    for (size_t q = q0; q < q1; q++) {
      const size_t s0 = q * kSlice;
      const int w = static_cast<int>(std::min(bs, s0 + kSlice) - s0);
      const float* x = a.x + s0;
      for (size_t k = 0; k < a.gates.size(); k++)
        sigmoids(x + a.gates[k] * bs, sg.data() + k * kSlice, w);
      const auto sig = [&](int32_t c) { return sg.data() + a.slot[c] * kSlice; };
      if (!grad) {
        float* y = a.out + s0;
        for (const Args::Run& u : a.runs)
          for (int32_t i = u.start; i < u.start + u.len; i++)
            run_self(x + i * bs, sig(u.c < 0 ? i : u.c), y + i * bs, w);
        continue;
      }
      const float* dy = a.dy + s0;
      float* dx = a.out + s0;
      // Regular plans (Args::regular) write each row's first share; a zero fill of every row
      // first cost a third of the call.
      const bool put = a.regular;
      if (put)
        for (int32_t c : a.zeroCols) std::memset(dx + c * bs, 0, w * sizeof(float));
      else
        for (size_t i = 0; i < a.nIn; i++) std::memset(dx + i * bs, 0, w * sizeof(float));
      for (size_t k = 0; k < a.runs.size(); k++) {
        const Args::Run& u = a.runs[k];
        if (u.c < 0) {
          for (int32_t i = u.start; i < u.start + u.len; i++)
            (put ? grad_self_put : grad_self)(dy + i * bs, x + i * bs, sig(i), dx + i * bs, w);
          continue;
        }
        for (int32_t i = u.start; i < u.start + u.len; i++) {
          (put ? scale_put : scale_add)(dy + i * bs, sig(u.c), dx + i * bs, w);
          dot_rows(dy + i * bs, x + i * bs, acc.data(), w, i == u.start);
        }
        (put && a.gateFirst[k] ? gate_put : gate_add)(acc.data(), sig(u.c), dx + u.c * bs, w);
      }
    }
  });
}

template <bool grad>
napi_value entry(napi_env env, napi_callback_info info) {
  Args a;
  const char* err = nullptr;
  if (!read_args(env, info, grad, &a, &err)) return throw_type(env, err ? err : "gate: bad call");
  if (a.featureMajor)
    run_feature_major<grad>(a);
  else
    run<grad>(a);
  return nullptr;
}

}  // namespace

napi_value Gate(napi_env env, napi_callback_info info) { return entry<false>(env, info); }
napi_value GateGrad(napi_env env, napi_callback_info info) { return entry<true>(env, info); }

}  // namespace isotropy
