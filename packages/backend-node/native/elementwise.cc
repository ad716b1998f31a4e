// Elementwise kernels: Add/Sub/Multiply/RealDiv with NumPy broadcasting, Sigmoid, AddN.
// Broadcasting is planned once per call: size-1 output dimensions are dropped and neighbouring
// dimensions merged wherever both inputs stay contiguous (or both broadcast), so every pattern
// becomes rows of one of three vectorisable loops: same-shape, row op scalar, scalar op row.
// [500,432]+[432] is 500 rows of the first, [432,500]*[432,1] 432 rows of the second, a scalar
// operand a single row of the second or third.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <type_traits>
#include <vector>

#include "bindings.h"
#include "exp.h"
#include "simd.h"
#include "napi_util.h"
#include "parallel.h"

namespace isotropy {
namespace {

enum Op { ADD = 0, SUB = 1, MUL = 2, DIV = 3 };

// Elements below which a kernel stays on the calling thread (waking a worker costs ~10 us).
constexpr size_t kParallelGrain = 1 << 17;

// int32 arithmetic wraps like tfjs's Int32Array stores (unsigned arithmetic, no UB).
template <Op op>
inline int32_t apply(int32_t x, int32_t y) {
  const uint32_t a = static_cast<uint32_t>(x), b = static_cast<uint32_t>(y);
  if (op == ADD) return static_cast<int32_t>(a + b);
  if (op == SUB) return static_cast<int32_t>(a - b);
  return static_cast<int32_t>(a * b);
}
template <Op op>
inline float apply(float x, float y) {
  if (op == ADD) return x + y;
  if (op == SUB) return x - y;
  if (op == MUL) return x * y;
  return x / y;
}

template <class T, Op op>
void row(const T* __restrict a, int64_t sa, const T* __restrict b, int64_t sb, T* __restrict o,
         size_t n) {
  if (sa != 0 && sb != 0) {
    for (size_t i = 0; i < n; i++) o[i] = apply<op>(a[i], b[i]);
  } else if (sa != 0) {
    const T y = b[0];
    for (size_t i = 0; i < n; i++) o[i] = apply<op>(a[i], y);
  } else if (sb != 0) {
    const T x = a[0];
    for (size_t i = 0; i < n; i++) o[i] = apply<op>(x, b[i]);
  } else {
    const T v = apply<op>(a[0], b[0]);
    for (size_t i = 0; i < n; i++) o[i] = v;
  }
}

// The collapsed broadcast: dims[0] outermost; strides in elements (0 = broadcast).
struct Plan {
  std::vector<int64_t> dims, sa, sb;
};

bool plan_broadcast(const std::vector<int64_t>& as, const std::vector<int64_t>& bs, Plan* p,
                    int64_t* total) {
  const size_t r = std::max(as.size(), bs.size());
  std::vector<int64_t> od(r), sa(r), sb(r);
  int64_t acc_a = 1, acc_b = 1;
  for (size_t k = 0; k < r; k++) {  // k counts from the innermost dimension
    const size_t d = r - 1 - k;
    const int64_t da = k < as.size() ? as[as.size() - 1 - k] : 1;
    const int64_t db = k < bs.size() ? bs[bs.size() - 1 - k] : 1;
    if (da != db && da != 1 && db != 1) return false;
    od[d] = da == 1 ? db : da;
    sa[d] = da == 1 ? 0 : acc_a;
    sb[d] = db == 1 ? 0 : acc_b;
    acc_a *= da;
    acc_b *= db;
  }
  *total = 1;
  for (int64_t d : od) *total *= d;
  // Merge from the inside out: an outer dimension joins the current group when, for both
  // inputs, its stride continues the group's (contiguous, or broadcast in both).
  std::vector<int64_t> gd, ga, gb;  // innermost first
  for (size_t k = 0; k < r; k++) {
    const size_t d = r - 1 - k;
    if (od[d] == 1) continue;
    if (!gd.empty() && sa[d] == ga.back() * gd.back() && sb[d] == gb.back() * gd.back()) {
      gd.back() *= od[d];
      continue;
    }
    gd.push_back(od[d]);
    ga.push_back(sa[d]);
    gb.push_back(sb[d]);
  }
  if (gd.empty()) {  // a single element
    gd.push_back(1);
    ga.push_back(1);
    gb.push_back(1);
  }
  p->dims.assign(gd.rbegin(), gd.rend());
  p->sa.assign(ga.rbegin(), ga.rend());
  p->sb.assign(gb.rbegin(), gb.rend());
  return true;
}

template <class T, Op op>
void run_plan(const Plan& p, const T* a, const T* b, T* o, int64_t total) {
  const size_t r = p.dims.size();
  const size_t n = static_cast<size_t>(p.dims[r - 1]);
  const int64_t ia = p.sa[r - 1], ib = p.sb[r - 1];
  if (r == 1) {
    parallel_for(n, kParallelGrain, [&](size_t i0, size_t i1) {
      row<T, op>(a + (ia ? i0 : 0), ia, b + (ib ? i0 : 0), ib, o + i0, i1 - i0);
    });
    return;
  }
  const size_t rows = static_cast<size_t>(total) / n;
  const size_t grain = std::max<size_t>(1, kParallelGrain / std::max<size_t>(n, 1));
  parallel_for(rows, grain, [&](size_t r0, size_t r1) {
    // Odometer over the outer dimensions, started at row r0.
    std::vector<int64_t> idx(r - 1);
    int64_t pa = 0, pb = 0;
    size_t rem = r0;
    for (size_t d = r - 1; d-- > 0;) {
      idx[d] = static_cast<int64_t>(rem % static_cast<size_t>(p.dims[d]));
      rem /= static_cast<size_t>(p.dims[d]);
      pa += idx[d] * p.sa[d];
      pb += idx[d] * p.sb[d];
    }
    for (size_t rr = r0; rr < r1; rr++) {
      row<T, op>(a + pa, ia, b + pb, ib, o + rr * n, n);
      for (size_t d = r - 1; d-- > 0;) {
        pa += p.sa[d];
        pb += p.sb[d];
        if (++idx[d] < p.dims[d]) break;
        pa -= idx[d] * p.sa[d];
        pb -= idx[d] * p.sb[d];
        idx[d] = 0;
      }
    }
  });
}

template <class T>
void dispatch(int op, const Plan& p, const T* a, const T* b, T* o, int64_t total) {
  switch (op) {
    case ADD: run_plan<T, ADD>(p, a, b, o, total); break;
    case SUB: run_plan<T, SUB>(p, a, b, o, total); break;
    case MUL: run_plan<T, MUL>(p, a, b, o, total); break;
    default: break;
  }
}

}  // namespace

// binary(op, a, aShape, b, bShape, out): op 0 add, 1 sub, 2 mul, 3 div (float32 only);
// a, b, out all Float32Array or all Int32Array; out sized to the broadcast shape.
napi_value Binary(napi_env env, napi_callback_info info) {
  size_t argc = 6;
  napi_value argv[6];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  if (argc < 6) return throw_type(env, "binary: 6 arguments expected");
  int32_t op = -1;
  ISO_CHECK(napi_get_value_int32(env, argv[0], &op));
  View a, b, o;
  std::vector<int64_t> as, bs;
  if (!get_view(env, argv[1], &a) || !get_view(env, argv[3], &b) || !get_view(env, argv[5], &o))
    return throw_type(env, "binary: a, b, out must be typed arrays");
  if (!get_dims(env, argv[2], &as) || !get_dims(env, argv[4], &bs))
    return throw_type(env, "binary: shapes must be arrays of sizes");
  if (op < ADD || op > DIV) return throw_type(env, "binary: unknown op");
  const bool f32 = a.f32() && b.f32() && o.f32();
  const bool i32 = a.i32() && b.i32() && o.i32();
  if (!f32 && !(i32 && op != DIV)) return throw_type(env, "binary: unsupported dtype");
  Plan p;
  int64_t total = 0;
  if (!plan_broadcast(as, bs, &p, &total)) return throw_type(env, "binary: shapes do not broadcast");
  if (static_cast<int64_t>(a.length) != product(as) ||
      static_cast<int64_t>(b.length) != product(bs) || static_cast<int64_t>(o.length) != total)
    return throw_type(env, "binary: array lengths do not match the shapes");
  if (total == 0) return nullptr;
  if (f32) {
    const float* x = static_cast<const float*>(a.data);
    const float* y = static_cast<const float*>(b.data);
    float* z = static_cast<float*>(o.data);
    if (op == DIV)
      run_plan<float, DIV>(p, x, y, z, total);
    else
      dispatch<float>(op, p, x, y, z, total);
  } else {
    dispatch<int32_t>(op, p, static_cast<const int32_t*>(a.data),
                      static_cast<const int32_t*>(b.data), static_cast<int32_t*>(o.data), total);
  }
  return nullptr;
}

// 1 / (1 + exp(-x)) in double, rounded to float32, as the cpu kernel computes it; the exp is
// exp.h's vectorised one (a library call per value took about 10 ns).
ISOTROPY_CLONES void sigmoid_range(const float* __restrict xs, float* __restrict os, size_t n) {
  for (size_t i = 0; i < n; i++)
    os[i] = static_cast<float>(1.0 / (1.0 + exp_f64(-static_cast<double>(xs[i]))));
}

// sigmoid(x, out), float32 (sigmoid_range).
napi_value Sigmoid(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View x, o;
  if (argc < 2 || !get_view(env, argv[0], &x) || !get_view(env, argv[1], &o) || !x.f32() ||
      !o.f32() || x.length != o.length)
    return throw_type(env, "sigmoid: two Float32Arrays of one length expected");
  const float* xs = static_cast<const float*>(x.data);
  float* os = static_cast<float*>(o.data);
  parallel_for(x.length, kParallelGrain / 8,
               [&](size_t i0, size_t i1) { sigmoid_range(xs + i0, os + i0, i1 - i0); });
  return nullptr;
}

// addN(inputs[], out): out = ((in0 + in1) + in2) + ..., all Float32Array (or all Int32Array)
// of out's length; the same order and rounding as the cpu kernel.
napi_value AddN(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View o;
  bool is_arr = false;
  if (argc < 2 || napi_is_array(env, argv[0], &is_arr) != napi_ok || !is_arr ||
      !get_view(env, argv[1], &o) || !(o.f32() || o.i32()))
    return throw_type(env, "addN: an array of typed arrays and an output expected");
  uint32_t count = 0;
  ISO_CHECK(napi_get_array_length(env, argv[0], &count));
  std::vector<const void*> ins(count);
  for (uint32_t i = 0; i < count; i++) {
    napi_value e;
    View v;
    ISO_CHECK(napi_get_element(env, argv[0], i, &e));
    if (!get_view(env, e, &v) || v.type != o.type || v.length != o.length)
      return throw_type(env, "addN: inputs must match the output's type and length");
    ins[i] = v.data;
  }
  const size_t n = o.length;
  if (count == 0) {
    std::memset(o.data, 0, n * 4);
    return nullptr;
  }
  auto sum = [&](auto* out) {
    using T = std::remove_pointer_t<decltype(out)>;
    parallel_for(n, kParallelGrain, [&](size_t i0, size_t i1) {
      const T* first = static_cast<const T*>(ins[0]);
      // 0 + x, not x: the cpu kernel starts from zeros, which turns -0 into +0.
      for (size_t i = i0; i < i1; i++) out[i] = apply<ADD>(T(0), first[i]);
      for (uint32_t k = 1; k < count; k++) {
        const T* in = static_cast<const T*>(ins[k]);
        for (size_t i = i0; i < i1; i++) out[i] = apply<ADD>(out[i], in[i]);
      }
    });
  };
  if (o.f32())
    sum(static_cast<float*>(o.data));
  else
    sum(static_cast<int32_t*>(o.data));
  return nullptr;
}

}  // namespace isotropy
