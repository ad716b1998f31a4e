// Sum over any set of axes without a transpose. The shape is collapsed into alternating kept and
// reduced groups (size-1 dimensions dropped, neighbours of one kind merged), then the input is
// read once in memory order: a reduced innermost group is a running sum per output, a kept one
// adds the row into a row of accumulators (vectorisable). Accumulators are double (int64 for
// int32) and each output sees its terms in the order the cpu kernel adds them (row-major over
// the reduced axes), so float32 results match it exactly.
#include <algorithm>
#include <cstring>
#include <vector>

#include "bindings.h"
#include "napi_util.h"
#include "parallel.h"

namespace isotropy {
namespace {

constexpr size_t kParallelGrain = 1 << 17;

struct Groups {
  std::vector<int64_t> size, in_stride, out_stride;
  std::vector<bool> reduced;
};

Groups collapse(const std::vector<int64_t>& shape, const std::vector<bool>& reduce) {
  Groups g;
  for (size_t d = 0; d < shape.size(); d++) {
    if (shape[d] == 1) continue;
    if (!g.size.empty() && g.reduced.back() == reduce[d]) {
      g.size.back() *= shape[d];
    } else {
      g.size.push_back(shape[d]);
      g.reduced.push_back(reduce[d]);
    }
  }
  if (g.size.empty()) {  // a single element
    g.size.push_back(1);
    g.reduced.push_back(false);
  }
  const size_t m = g.size.size();
  g.in_stride.assign(m, 0);
  g.out_stride.assign(m, 0);
  int64_t in = 1, out = 1;
  for (size_t d = m; d-- > 0;) {
    g.in_stride[d] = in;
    in *= g.size[d];
    if (!g.reduced[d]) {
      g.out_stride[d] = out;
      out *= g.size[d];
    }
  }
  return g;
}

// Accumulates the input block where group `split` runs over [lo, hi) (the others in full).
template <class T, class A>
void accumulate(const T* x, A* acc, const Groups& g, size_t split, int64_t lo, int64_t hi) {
  const size_t m = g.size.size();
  std::vector<int64_t> begin(m, 0), end(g.size), idx;
  begin[split] = lo;
  end[split] = hi;
  const int64_t j0 = begin[m - 1], j1 = end[m - 1];
  const bool reduce_inner = g.reduced[m - 1];
  idx = begin;
  int64_t pi = 0, po = 0;
  for (size_t d = 0; d + 1 < m; d++) {
    pi += idx[d] * g.in_stride[d];
    po += idx[d] * g.out_stride[d];
  }
  for (;;) {
    const T* row = x + pi;
    if (reduce_inner) {
      A s = acc[po];
      for (int64_t j = j0; j < j1; j++) s += static_cast<A>(row[j]);
      acc[po] = s;
    } else {
      A* out = acc + po;
      for (int64_t j = j0; j < j1; j++) out[j] += static_cast<A>(row[j]);
    }
    size_t d = m - 1;
    for (;;) {
      if (d == 0) return;
      d--;
      pi += g.in_stride[d];
      po += g.out_stride[d];
      if (++idx[d] < end[d]) break;
      pi -= (idx[d] - begin[d]) * g.in_stride[d];
      po -= (idx[d] - begin[d]) * g.out_stride[d];
      idx[d] = begin[d];
    }
  }
}

template <class T, class A>
void sum(const T* x, T* out, size_t out_len, const Groups& g, size_t total) {
  std::vector<A> acc(out_len, A(0));
  const size_t m = g.size.size();
  // Threads split a kept group, so that they write disjoint outputs: the outermost when kept,
  // else the innermost when kept (columns); a reduction to one value stays serial.
  size_t split = 0;
  if (g.reduced[0] && !g.reduced[m - 1]) split = m - 1;
  const bool can_split = !g.reduced[split];
  const size_t extent = static_cast<size_t>(g.size[split]);
  const size_t per = std::max<size_t>(1, total / std::max<size_t>(extent, 1));
  if (!can_split || total < 2 * kParallelGrain) {
    accumulate<T, A>(x, acc.data(), g, split, 0, g.size[split]);
  } else {
    parallel_for(extent, std::max<size_t>(1, kParallelGrain / per), [&](size_t lo, size_t hi) {
      accumulate<T, A>(x, acc.data(), g, split, static_cast<int64_t>(lo),
                       static_cast<int64_t>(hi));
    });
  }
  for (size_t i = 0; i < out_len; i++) out[i] = static_cast<T>(acc[i]);
}

}  // namespace

// sum(x, shape, axes, out): out (same type as x, float32 or int32) holds x summed over `axes`
// (distinct, in range), laid out as x's shape without those axes.
napi_value Sum(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value argv[4];
  ISO_CHECK(napi_get_cb_info(env, info, &argc, argv, nullptr, nullptr));
  View x, o;
  std::vector<int64_t> shape, axes;
  if (argc < 4 || !get_view(env, argv[0], &x) || !get_view(env, argv[3], &o) ||
      !get_dims(env, argv[1], &shape) || !get_dims(env, argv[2], &axes))
    return throw_type(env, "sum: (x, shape, axes, out) expected");
  if (x.type != o.type || !(x.f32() || x.i32())) return throw_type(env, "sum: unsupported dtype");
  std::vector<bool> reduce(shape.size(), false);
  for (int64_t a : axes) {
    if (a < 0 || a >= static_cast<int64_t>(shape.size()) || reduce[a])
      return throw_type(env, "sum: bad axes");
    reduce[a] = true;
  }
  int64_t out_len = 1;
  for (size_t d = 0; d < shape.size(); d++)
    if (!reduce[d]) out_len *= shape[d];
  if (static_cast<int64_t>(x.length) != product(shape) ||
      static_cast<int64_t>(o.length) != out_len)
    return throw_type(env, "sum: array lengths do not match the shape");
  if (o.length == 0) return nullptr;
  if (x.length == 0) {
    std::memset(o.data, 0, o.length * 4);
    return nullptr;
  }
  const Groups g = collapse(shape, reduce);
  if (x.f32())
    sum<float, double>(static_cast<const float*>(x.data), static_cast<float*>(o.data), o.length,
                       g, x.length);
  else
    sum<int32_t, int64_t>(static_cast<const int32_t*>(x.data), static_cast<int32_t*>(o.data),
                          o.length, g, x.length);
  return nullptr;
}

}  // namespace isotropy
